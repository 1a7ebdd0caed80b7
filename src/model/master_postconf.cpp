#include "src/model/master_postconf.hpp"

#include <map>

#include "src/model/master_args.hpp"

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

void PrintParams(const MasterCf& cf, std::string* out) {
  // Entries with the same service/type share one parameter table in postconf
  // (dict_update() by name), so each prints the union, last value winning.
  std::map<std::string, std::map<std::string, std::string>> tables;
  for (const MasterService& svc : cf.services) {
    if (svc.postconf_params.empty()) continue;
    auto& table = tables[svc.NameSpace()];
    for (const auto& [name, value] : svc.postconf_params) table[name] = value;
  }
  for (const MasterService& svc : cf.services) {
    auto it = tables.find(svc.NameSpace());
    if (it == tables.end()) continue;
    for (const auto& [name, value] : it->second) {
      PrintNormalized(it->first + "/" + name + " = " + value, out);
    }
  }
}

}  // namespace

std::string SanitizeForMessage(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return out;
}

PostconfOutput RunPostconfListing(const MasterCf& cf, PostconfListing listing) {
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
  if (listing == PostconfListing::kFields) {
    for (const MasterService& svc : cf.services) {
      for (size_t f = 0; f < kMasterFieldCount; ++f) PrintField(svc, f, &result.out);
    }
  } else {
    PrintParams(cf, &result.out);
  }
  return result;
}

}  // namespace postvet
