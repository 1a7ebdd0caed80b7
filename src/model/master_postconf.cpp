#include "src/model/master_postconf.hpp"

#include <map>
#include <set>

#include "grammar/cst_builder.hpp"
#include "src/model/defaults.hpp"
#include "src/model/known_names.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_args.hpp"
#include "src/model/master_services.hpp"
#include "src/model/param_context.hpp"

namespace postvet {
namespace {

// postconf's layout constants (postconf.h).
constexpr size_t kLineLimit = 80;
constexpr size_t kIndentLength = 4;
constexpr std::string_view kIndent = "    ";

bool HasBlank(std::string_view s) {
  for (char c : s) {
    if (IsMasterBlank(c)) return true;
  }
  return false;
}

// pcf_print_master_field(): one "service/type/field = value" line, folded
// before the value when it would pass 80 columns (even without -f), and for
// the command field followed by the rewritten arguments.
void PrintField(const MasterService& svc, size_t field, std::string* out) {
  std::string head = svc.NameSpace();
  head += '/';
  head += MasterFieldName(static_cast<MasterField>(field));
  head += " = ";
  size_t line_len = head.size();
  *out += head;
  const std::string& value = svc.fields[field].text;
  if (line_len + value.size() > kLineLimit) {
    *out += '\n';
    *out += kIndent;
    line_len = kIndentLength;
  }
  *out += value;
  line_len += value.size();
  if (field == static_cast<size_t>(MasterField::kCommand)) {
    const std::vector<std::string>& args = svc.postconf_args;
    bool in_options = true;
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string& arg = args[i];
      const std::string* aval = nullptr;
      bool need_parens = false;
      if (in_options) {
        // The word that ends the options is printed without braces even when
        // it holds blanks (postconf only tests later words).
        if (arg.empty() || arg[0] != '-' || arg == "--") {
          in_options = false;
        } else if (PostconfOptionTakesValue(arg) && i + 1 < args.size()) {
          aval = &args[i + 1];
          line_len = kLineLimit;
          need_parens = HasBlank(*aval);
        }
      } else {
        need_parens = HasBlank(arg);
      }
      if (line_len > kIndentLength) {
        *out += ' ';
        ++line_len;
      }
      bool braces = !in_options && need_parens;
      if (braces) *out += '{';
      *out += arg;
      if (braces) *out += '}';
      line_len += arg.size() + (braces ? 2 : 0);
      if (aval != nullptr) {
        *out += ' ';
        if (need_parens) *out += '{';
        *out += *aval;
        if (need_parens) *out += '}';
        ++i;
        line_len = kLineLimit;
      }
    }
  }
  *out += '\n';
}

// pcf_print_master_entry() without -f: the eight fields, each from its
// column (at least one space apart), then the arguments on the same line:
// the option ending the options and later words with blanks in braces, the
// value of an option that takes one (-o name=value) in braces when it has
// blanks.
void PrintEntry(const MasterService& svc, std::string* out) {
  static constexpr size_t kColumns[kMasterFieldCount] = {0, 11, 17, 25, 33, 41, 49, 57};
  const size_t start = out->size();
  for (size_t f = 0; f < kMasterFieldCount; ++f) {
    if (f > 0) {
      do {
        *out += ' ';
      } while (out->size() - start < kColumns[f]);
    }
    *out += svc.fields[f].text;
  }
  const std::vector<std::string>& args = svc.postconf_args;
  bool in_options = true;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const std::string* aval = nullptr;
    bool need_parens = false;
    if (in_options) {
      if (arg.empty() || arg[0] != '-' || arg == "--") {
        in_options = false;
      } else if (PostconfOptionTakesValue(arg) && i + 1 < args.size()) {
        aval = &args[i + 1];
        need_parens = HasBlank(*aval);
      }
    } else {
      need_parens = HasBlank(arg);
    }
    *out += ' ';
    bool braces = !in_options && need_parens;
    if (braces) *out += '{';
    *out += arg;
    if (braces) *out += '}';
    if (aval != nullptr) {
      *out += ' ';
      if (need_parens) *out += '{';
      *out += *aval;
      if (need_parens) *out += '}';
      ++i;
    }
  }
  *out += '\n';
}

// pcf_print_line() without folding: words split at SP HT CR LF, joined by
// one space.
void PrintNormalized(std::string_view text, std::string* out) {
  bool first = true;
  size_t pos = 0;
  while (auto word = NextPlainWord(text, &pos)) {
    if (!first) *out += ' ';
    *out += word->In(text);
    first = false;
  }
  *out += '\n';
}

// postconf's per-service parameter tables (pcf_register_user_parameters):
// one table per service/type name space, shared by every entry with that
// name; an entry gets the table only when it exists by the time postconf
// reaches the entry (an earlier entry, or this one, set an -o). The scan
// afterwards deletes read-only names (process_name, ...) from the tables.
struct ParamTables {
  std::map<std::string, std::map<std::string, std::string>> tables;
  std::vector<bool> has_table;  // per entry
};

ParamTables RegisterParams(const MasterCf& cf, const Defaults& defaults) {
  ParamTables out;
  for (const MasterService& svc : cf.services) {
    std::string ns = svc.NameSpace();
    if (!svc.postconf_params.empty()) {
      auto& table = out.tables[ns];
      for (const auto& [name, value] : svc.postconf_params) table[name] = value;
    }
    out.has_table.push_back(out.tables.count(ns) != 0);
  }
  for (auto& [ns, table] : out.tables) {
    std::erase_if(table, [&](const auto& kv) { return defaults.IsReadOnly(kv.first); });
  }
  return out;
}

// The rest of pcf_register_user_parameters(): every -o value is scanned for
// $names, and the value of a built-in or service-derived parameter is
// expanded; an expansion error is fatal ("macro processing error"). Runs the
// main.cf model's registration with an empty main.cf, as `postconf -c DIR`
// with an empty DIR/main.cf does.
std::optional<std::string> RegistrationFatal(const MasterCf& cf, const ParamTables& params,
                                             const Defaults& defaults) {
  // postconf scans a shared table once per entry that has it; scanning it
  // once (with the first such entry) finds the same errors and keeps the
  // work linear when a name space repeats many times.
  std::vector<MasterServiceInfo> infos;
  std::set<std::string, std::less<>> scanned;
  for (size_t i = 0; i < cf.services.size(); ++i) {
    const MasterService& svc = cf.services[i];
    MasterServiceInfo info;
    info.service = svc.field(MasterField::kService).text;
    info.type = svc.field(MasterField::kType).text;
    info.command = svc.field(MasterField::kCommand).text;
    std::string ns = svc.NameSpace();
    if (params.has_table[i] && scanned.insert(ns).second) {
      for (const auto& kv : params.tables.at(ns)) info.overrides.push_back(kv);
    }
    infos.push_back(std::move(info));
  }
  const MainCf& main_cf = MainCf::Empty();
  ServiceParams service_params = DeriveServiceParams(infos, defaults);
  ParamContext ctx(main_cf, defaults);
  ctx.SetServiceParams(&service_params);
  return ComputeKnownNames(main_cf, defaults, infos, service_params, ctx).fatal;
}

// Hands `buffer` to `write` once it is large, so that output postconf
// repeats for every entry of a name space never piles up in memory.
void MaybeFlush(std::string* buffer, const PostconfWriter& write, bool force = false) {
  if (!buffer->empty() && (force || buffer->size() >= (1u << 16))) {
    write(*buffer);
    buffer->clear();
  }
}

void PrintParams(const MasterCf& cf, const ParamTables& params, const PostconfWriter& write) {
  std::string buffer;
  for (size_t i = 0; i < cf.services.size(); ++i) {
    if (!params.has_table[i]) continue;
    std::string ns = cf.services[i].NameSpace();
    for (const auto& [name, value] : params.tables.at(ns)) {
      PrintNormalized(ns + "/" + name + " = " + value, &buffer);
      MaybeFlush(&buffer, write);
    }
  }
  MaybeFlush(&buffer, write, true);
}

}  // namespace

std::string SanitizeForMessage(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return out;
}

PostconfOutput RunPostconfListing(const MasterCf& cf, PostconfListing listing, const Defaults* defaults) {
  PostconfOutput result;
  PostconfOutput run =
      RunPostconfListing(cf, listing, [&](std::string_view text) { result.out += text; }, defaults);
  run.out = std::move(result.out);
  return run;
}

PostconfOutput RunPostconfListing(const MasterCf& cf, PostconfListing listing, const PostconfWriter& write,
                                  const Defaults* defaults) {
  const Defaults& table = defaults != nullptr ? *defaults : Defaults::Postfix37();
  PostconfOutput result;
  // postconf reads every entry (warning or dying as it goes) before printing.
  size_t s = 0;
  size_t b = 0;
  while (s < cf.services.size() || b < cf.bad_lines.size()) {
    bool take_bad = b < cf.bad_lines.size() &&
                    (s >= cf.services.size() || cf.bad_lines[b].begin < cf.services[s].begin);
    if (take_bad) {
      const MasterBadLine& bad = cf.bad_lines[b++];
      PostconfMessage message{bad.line, bad.postconf_message};
      if (bad.fatal()) {
        result.fatal = std::move(message);
        return result;
      }
      result.warnings.push_back(std::move(message));
      continue;
    }
    const MasterService& svc = cf.services[s++];
    if (const MasterProblem* fatal = svc.FirstFatal(MasterChecker::kPostconf)) {
      result.fatal = PostconfMessage{svc.line, fatal->message};
      return result;
    }
    for (const MasterProblem& p : svc.problems) {
      if (p.checker == MasterChecker::kPostconf && !p.fatal) result.warnings.push_back({svc.line, p.message});
    }
  }
  ParamTables params = RegisterParams(cf, table);
  if (std::optional<std::string> fatal = RegistrationFatal(cf, params, table)) {
    // Not tied to a line: postconf reports it after reading the whole file.
    result.fatal = PostconfMessage{0, std::move(*fatal)};
    return result;
  }
  if (listing == PostconfListing::kFields || listing == PostconfListing::kEntries) {
    std::string buffer;
    for (const MasterService& svc : cf.services) {
      if (listing == PostconfListing::kEntries) {
        PrintEntry(svc, &buffer);
      } else {
        for (size_t f = 0; f < kMasterFieldCount; ++f) PrintField(svc, f, &buffer);
      }
      MaybeFlush(&buffer, write);
    }
    MaybeFlush(&buffer, write, true);
  } else {
    PrintParams(cf, params, write);
  }
  return result;
}

}  // namespace postvet
