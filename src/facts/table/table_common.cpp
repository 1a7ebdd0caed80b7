#include "src/facts/table/table_common.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "grammar/cst.hpp"
#include "src/config/lint_context.hpp"
#include "src/template/template_kind.hpp"

namespace postvet {
namespace {

// The parameter part of a used_by entry: master.cf overrides are recorded
// as "service/type/name".
std::string_view ParamName(std::string_view used_by) {
  size_t slash = used_by.rfind('/');
  return slash == std::string_view::npos ? used_by : used_by.substr(slash + 1);
}

TableUse MakeUse(std::string param, std::string_view name, bool guessed) {
  TableUse use;
  use.param = std::move(param);
  use.name = std::string(name);
  use.guessed = guessed;
  bool header = false;
  use.program = ChecksProgramOf(use.name, &header).value_or(ChecksProgram::kOther);
  use.header = header;
  return use;
}

// A lone table file ("postvet check smtp_header_checks.pcre") has no user;
// its name often says which parameter it is written for.
std::optional<std::string_view> GuessFromFileName(std::string_view path) {
  path = tmpl::WithoutTemplateSuffix(path);  // header_checks.j2 is a header_checks template
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot != std::string_view::npos) {
    std::string_view ext = base.substr(dot + 1);
    if (ext == "pcre" || ext == "regexp" || ext == "re" || ext == "in") base = base.substr(0, dot);
  }
  std::string lower(base);
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  std::optional<std::string_view> best;
  for (std::string_view name : ChecksParameterNames()) {
    if (lower.size() < name.size() || lower.compare(lower.size() - name.size(), name.size(), name) != 0) continue;
    if (lower.size() > name.size()) {
      char before = lower[lower.size() - name.size() - 1];
      if (before != '_' && before != '-' && before != '.') continue;
    }
    if (!best || name.size() > best->size()) best = name;
  }
  return best;
}

}  // namespace

const std::vector<std::string_view>& ChecksParameterNames() {
  static const std::vector<std::string_view> names = {
      "header_checks",           "mime_header_checks",      "nested_header_checks",
      "body_checks",             "milter_header_checks",    "smtp_header_checks",
      "smtp_mime_header_checks", "smtp_nested_header_checks", "smtp_body_checks",
      "lmtp_header_checks",      "lmtp_mime_header_checks", "lmtp_nested_header_checks",
      "lmtp_body_checks",
  };
  return names;
}

std::optional<ChecksProgram> ChecksProgramOf(std::string_view name, bool* header) {
  // Postfix 3.7 mail_params.h: VAR_HEADER_CHECKS ... VAR_LMTP_BODY_CHECKS.
  bool body = name == "body_checks" || name == "smtp_body_checks" || name == "lmtp_body_checks";
  *header = !body;
  if (name == "header_checks" || name == "mime_header_checks" || name == "nested_header_checks" ||
      name == "body_checks") {
    return ChecksProgram::kCleanup;
  }
  if (name == "milter_header_checks") return ChecksProgram::kMilter;
  for (std::string_view prefix : {"smtp_", "lmtp_"}) {
    if (name.substr(0, prefix.size()) != prefix) continue;
    std::string_view rest = name.substr(prefix.size());
    if (rest == "header_checks" || rest == "mime_header_checks" || rest == "nested_header_checks" ||
        rest == "body_checks") {
      return ChecksProgram::kSmtp;
    }
  }
  *header = false;
  return std::nullopt;
}

// A lone access table's name: "helo_access.pcre", "client-access.regexp", "access".
bool AccessFileName(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot != std::string_view::npos) base = base.substr(0, dot);
  if (base.size() < 6 || base.substr(base.size() - 6) != "access") return false;
  return base.size() == 6 || base[base.size() - 7] == '_' || base[base.size() - 7] == '-' ||
         base[base.size() - 7] == '.';
}

std::vector<TableUse> TableUses(const InputFile& file) {
  std::vector<TableUse> uses;
  for (size_t i = 0; i < file.used_by.size(); ++i) {
    const std::string& param = file.used_by[i];
    uses.push_back(MakeUse(param, ParamName(param), false));
    if (i < file.used_as.size()) uses.back().restriction = file.used_as[i];
  }
  if (uses.empty() && file.source != nullptr) {
    if (std::optional<std::string_view> guess = GuessFromFileName(file.source->display())) {
      uses.push_back(MakeUse(std::string(*guess), *guess, true));
    }
  }
  return uses;
}

std::vector<TableUse> AccessUses(const InputFile& file) {
  std::vector<TableUse> out;
  for (TableUse& use : TableUses(file)) {
    if (use.access()) out.push_back(std::move(use));
  }
  // Only the access rules guess from the name; TableUses() leaves it alone.
  if (file.used_by.empty() && file.source != nullptr && AccessFileName(file.source->display())) {
    out.push_back(MakeUse("check_*_access", "check_*_access", true));
    out.back().restriction = "check_*_access";
  }
  return out;
}

std::vector<TableUse> ChecksUses(const InputFile& file) {
  std::vector<TableUse> out;
  for (TableUse& use : TableUses(file)) {
    if (use.program != ChecksProgram::kOther) out.push_back(std::move(use));
  }
  return out;
}

std::vector<TableUse> HeaderChecksUses(const InputFile& file) {
  std::vector<TableUse> out;
  for (TableUse& use : ChecksUses(file)) {
    if (use.header) out.push_back(std::move(use));
  }
  return out;
}

std::string JoinUseNames(const std::vector<TableUse>& uses) {
  std::vector<std::string> names;
  for (const TableUse& use : uses) {
    if (std::find(names.begin(), names.end(), use.param) == names.end()) names.push_back(use.param);
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

std::string UsedBySuffix(const InputFile& file) {
  std::vector<TableUse> uses = TableUses(file);
  if (uses.empty()) return {};
  return fmt::format(" (used by {}{})", JoinUseNames(uses), uses.front().guessed ? ", judging by the file name" : "");
}

TableNodes::TableNodes(const Cst& cst) : cst_(cst) {
  const std::vector<Node>& nodes = cst.nodes();
  flat_ = !nodes.empty() && nodes[0].subtree_size == nodes.size() &&
          std::all_of(nodes.begin() + 1, nodes.end(), [](const Node& n) { return n.subtree_size == 1; });
}

const std::vector<uint32_t>& TableNodes::List() const {
  if (!top_) top_ = cst_.Children(cst_.root());
  return *top_;
}

size_t TableNodes::TopCount() const { return flat_ ? cst_.nodes().size() - 1 : List().size(); }

uint32_t TableNodes::TopAt(size_t at) const { return flat_ ? static_cast<uint32_t>(at + 1) : List()[at]; }

uint32_t TableNodes::Find(const TableEntry& entry) const {
  const size_t at = FindPosition(entry);
  return at == kNotFound ? UINT32_MAX : TopAt(at);
}

size_t TableNodes::FindPosition(const TableEntry& entry) const {
  // The last node that starts at or before the entry (binary search: the
  // nodes are in file order and do not overlap).
  size_t lo = 0;
  size_t hi = TopCount();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (entry.range.begin < cst_.node(TopAt(mid)).begin) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  if (lo == 0) return kNotFound;
  const size_t at = lo - 1;
  const Node& n = cst_.node(TopAt(at));
  if (entry.range.begin < n.end || n.begin == entry.range.begin) return at;
  return kNotFound;
}

std::string QuoteText(std::string_view text, size_t max) {
  std::string out = SanitizeMessage(text.substr(0, std::min(text.size(), max)));
  if (text.size() > max) out += "...";
  return out;
}

std::string QuotePattern(const RegexpTable& table, const TablePattern& pattern, bool with_flags) {
  uint32_t begin = pattern.range.begin;
  std::string_view neg = table.source().Slice(pattern.negation_range.begin, pattern.negation_range.end);
  size_t bang = neg.find('!');
  if (bang != std::string_view::npos) begin = pattern.negation_range.begin + static_cast<uint32_t>(bang);
  uint32_t end = with_flags ? std::max(pattern.range.end, pattern.flags_range.end) : pattern.range.end;
  return QuoteText(table.source().Slice(begin, end));
}

std::string_view EngineName(TableType type) {
  return type == TableType::kRegexp ? "the C library's regcomp() (regexp: table)" : "PCRE2 (pcre: table)";
}

ByteRange ResultSubrange(const RegexpTable& table, const TableEntry& entry, size_t b, size_t e) {
  LogicalLine line = JoinLogicalLine(table.source(), entry.range.begin, entry.range.end);
  auto it = std::find(line.offsets.begin(), line.offsets.end(), entry.result_range.begin);
  if (it == line.offsets.end()) return entry.result_range;
  size_t at = static_cast<size_t>(it - line.offsets.begin());
  size_t limit = line.text.size();
  return line.Range(std::min(at + b, limit), std::min(at + e, limit));
}

std::vector<uint32_t> WrittenPartners(const RegexpTable& table) {
  std::vector<uint32_t> out(table.size(), TableEntry::kNoEntry);
  std::vector<uint32_t> open;
  for (uint32_t i = 0; i < table.size(); ++i) {
    if (table.Kind(i) == TableLineKind::kIf) {
      open.push_back(i);
    } else if (table.Kind(i) == TableLineKind::kEndif && !open.empty()) {
      out[i] = open.back();
      out[open.back()] = i;
      open.pop_back();
    }
  }
  return out;
}

}  // namespace postvet
