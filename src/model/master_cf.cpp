// BuildMasterCf(): one logical line at a time, both readers' views (see the
// header). Field checks live in master_fields.cpp, the daemon's argument
// reading in master_daemon.cpp.
#include "src/model/master_cf.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <unordered_set>

#include "src/model/master_detail.hpp"

namespace postvet {

using master_detail::MakeWord;

std::string_view MasterFieldName(MasterField field) {
  static constexpr std::string_view kNames[] = {"service", "type",   "private",       "unprivileged",
                                                "chroot",  "wakeup", "process_limit", "command"};
  return kNames[static_cast<size_t>(field)];
}

std::string_view MasterFieldDaemonName(MasterField field) {
  static constexpr std::string_view kNames[] = {"service", "transport type", "private",  "unprivileged",
                                                "chroot",  "wakeup_time",    "max_proc", "command"};
  return kNames[static_cast<size_t>(field)];
}

ServiceType ParseServiceType(std::string_view text) {
  if (text == "inet") return ServiceType::kInet;
  if (text == "unix") return ServiceType::kUnix;
  if (text == "unix-dgram") return ServiceType::kUnixDgram;
  if (text == "fifo") return ServiceType::kFifo;
  if (text == "pass") return ServiceType::kPass;
  return ServiceType::kUnknown;
}

std::string_view OverrideFormName(OverrideForm form) {
  switch (form) {
    case OverrideForm::kSeparate: return "separate";
    case OverrideForm::kAttached: return "attached";
    case OverrideForm::kCombined: return "combined";
    case OverrideForm::kBraced: return "braced";
    case OverrideForm::kAttachedBrace: return "attached-brace";
    case OverrideForm::kSpaced: return "spaced";
    case OverrideForm::kNoEquals: return "no-equals";
    case OverrideForm::kMissingName: return "missing-name";
    case OverrideForm::kMissingValue: return "missing-value";
  }
  return "?";
}

bool MasterService::PostconfAccepts() const { return FirstFatal(MasterChecker::kPostconf) == nullptr; }

const MasterProblem* MasterService::FirstFatal(MasterChecker checker) const {
  for (const MasterProblem& p : problems) {
    if (p.checker == checker && p.fatal) return &p;
  }
  return nullptr;
}

const MasterOverride* MasterService::FindOverride(std::string_view wanted) const {
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
    if (it->ok() && it->name == wanted) return &*it;
  }
  return nullptr;
}

std::string MasterService::NameSpace() const { return fields[0].text + "/" + fields[1].text; }

namespace {

// pcf_register_user_parameters(): the "-o name=value" pairs postconf keeps,
// read from its rewritten arguments; malformed ones are dropped silently.
std::vector<std::pair<std::string, std::string>> PostconfParams(const std::vector<std::string>& args) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.empty() || arg[0] != '-' || arg == "--") break;
    if (!PostconfOptionTakesValue(arg) || i + 1 >= args.size()) continue;
    if (arg == "-o") {
      const std::string& value = args[i + 1];
      NameValueSpans nv = SplitNameValue(value, TextSpan{0, value.size()});
      if (nv.error == nullptr) out.emplace_back(nv.name.In(value), nv.value.In(value));
    }
    ++i;
  }
  return out;
}

MasterBadLine BadFieldCount(const LogicalLine& line, uint32_t begin, uint32_t end) {
  MasterBadLine bad;
  bad.begin = begin;
  bad.end = end;
  bad.line = line.line;
  bad.postconf_message = "bad field count";
  std::vector<TextSpan> plain;
  size_t pos = 0;
  while (plain.size() < kMasterFieldCount) {
    auto w = NextPlainWord(line.text, &pos);
    if (!w) break;
    plain.push_back(*w);
  }
  // master(8) skips a line with no words at all (one that starts with NUL).
  if (!plain.empty()) {
    std::vector<MasterProblem> problems = master_detail::MasterFieldProblems(line, plain);
    if (!problems.empty()) bad.master_message = problems.front().message;
  }
  return bad;
}

void ReadService(const LogicalLine& line, const std::vector<TextSpan>& words, MasterService* svc) {
  std::string_view text = line.text;
  for (size_t f = 0; f < kMasterFieldCount; ++f) svc->fields[f] = MakeWord(line, words[f]);
  for (size_t a = kMasterFieldCount; a < words.size(); ++a) svc->args.push_back(MakeWord(line, words[a]));
  svc->type = ParseServiceType(svc->fields[1].text);

  // postconf's view.
  svc->problems = master_detail::PostconfFieldProblems(line, words);
  std::vector<std::string> arg_texts;
  arg_texts.reserve(svc->args.size());
  for (const MasterWord& w : svc->args) arg_texts.push_back(w.text);
  PostconfArgs pc = NormalizePostconfArgs(arg_texts);
  for (auto& a : pc.args) svc->postconf_args.push_back(std::move(a.text));
  for (auto& w : pc.warnings) {
    const MasterWord& origin = svc->args[w.origin];
    svc->problems.push_back(
        MasterProblem{MasterChecker::kPostconf, false, -1, std::move(w.message), origin.begin, origin.end});
  }
  svc->postconf_params = PostconfParams(svc->postconf_args);

  // master(8)'s view of the fields: no grouping.
  std::vector<TextSpan> plain;
  size_t pos = 0;
  while (plain.size() < kMasterFieldCount) {
    auto w = NextPlainWord(text, &pos);
    if (!w) break;
    plain.push_back(*w);
  }
  for (size_t f = 0; f < kMasterFieldCount; ++f) {
    if (f >= plain.size() || plain[f].begin != words[f].begin || plain[f].end != words[f].end) {
      svc->master_split_differs = true;
    }
  }
  std::vector<MasterProblem> master = master_detail::MasterFieldProblems(line, plain);
  svc->problems.insert(svc->problems.end(), master.begin(), master.end());

  // The daemon's view of the arguments.
  if (plain.size() == kMasterFieldCount) master_detail::ReadDaemonArgs(line, pos, svc);
  // The last well-formed -o of a name wins.
  std::unordered_set<std::string_view> later;
  for (auto it = svc->overrides.rbegin(); it != svc->overrides.rend(); ++it) {
    if (!it->ok()) continue;
    if (!later.insert(it->name).second) it->overridden = true;
  }
}

}  // namespace

MasterCf BuildMasterCf(const Cst& cst) {
  MasterCf out;
  const Source& source = cst.source();
  out.source = &source;
  std::string_view bytes = source.text();
  for (uint32_t c : cst.Children(cst.root())) {
    const Node& node = cst.node(c);
    if (node.kind != NodeKind::kService && node.kind != NodeKind::kBadLine &&
        node.kind != NodeKind::kBadLeading) {
      continue;
    }
    uint32_t end = node.end;
    if (end > node.begin && bytes[end - 1] == '\n') --end;
    LogicalLine line = JoinLogicalLine(source, node.begin, end);
    size_t full_size = line.text.size();
    size_t nul = line.text.find('\0');
    if (nul != std::string::npos) {
      line.text.resize(nul);
      line.offsets.resize(nul + 1);
    }
    if (node.kind == NodeKind::kBadLeading) {
      // readllines() quotes at most 30 bytes, "..." when the line is longer.
      MasterBadLine bad;
      bad.begin = node.begin;
      bad.end = end;
      bad.line = line.line;
      bad.leading_whitespace = true;
      bad.postconf_message = "logical line must not start with whitespace: \"" +
                             line.text.substr(0, 30) + (full_size > 30 ? "...\"" : "\"");
      out.bad_lines.push_back(std::move(bad));
      continue;
    }
    std::vector<TextSpan> words = SplitGroupedWords(line.text);
    if (words.size() < kMasterFieldCount) {
      out.bad_lines.push_back(BadFieldCount(line, node.begin, end));
      continue;
    }
    MasterService svc;
    svc.begin = node.begin;
    svc.end = end;
    svc.line = line.line;
    svc.cut_at_nul = nul != std::string::npos;
    ReadService(line, words, &svc);
    svc.text = std::move(line.text);
    out.services.push_back(std::move(svc));
  }
  return out;
}

std::optional<long> EffectiveProcessLimit(const MasterService& service, long default_process_limit) {
  const std::string& v = service.field(MasterField::kProcessLimit).text;
  if (v == "-") return default_process_limit;
  if (v.empty() || v[0] < '0' || v[0] > '9') return std::nullopt;
  long n = master_detail::MasterAtoi(v);
  if (n < 0) return std::nullopt;
  return n;
}

std::optional<Wakeup> EffectiveWakeup(const MasterService& service) {
  const std::string& v = service.field(MasterField::kWakeup).text;
  if (v == "-") return Wakeup{};
  if (v.empty() || v[0] < '0' || v[0] > '9') return std::nullopt;
  long n = master_detail::MasterAtoi(v);
  if (n < 0) return std::nullopt;
  return Wakeup{n, n > 0 && v.back() == '?'};
}

namespace {

bool IsLoopbackHost(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.size() >= 5 && strncasecmp(host.data(), "ipv6:", 5) == 0) host.remove_prefix(5);
  if (host.size() == 9 && strncasecmp(host.data(), "localhost", 9) == 0) return true;
  std::string s(host);
  unsigned char addr[16];
  if (inet_pton(AF_INET, s.c_str(), addr) == 1) return addr[0] == 127;
  if (inet_pton(AF_INET6, s.c_str(), addr) == 1) {
    static const unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return std::memcmp(addr, kLoopback, 16) == 0;
  }
  return false;
}

}  // namespace

bool IsLocalOnly(const MasterService& service, std::string_view inet_interfaces) {
  switch (service.type) {
    case ServiceType::kUnix:
    case ServiceType::kUnixDgram:
    case ServiceType::kFifo:
      return true;
    case ServiceType::kPass:
    case ServiceType::kUnknown:
      return false;
    case ServiceType::kInet:
      break;
  }
  std::string host;
  master_detail::CheckInetName(service.name(), &host);
  if (!host.empty()) return IsLoopbackHost(host);
  // No host part: the service listens on inet_interfaces (split like other
  // Postfix lists, at commas and blanks).
  bool all_loopback = true;
  size_t pos = 0;
  while (pos < inet_interfaces.size()) {
    size_t b = inet_interfaces.find_first_not_of(", \t\r\n", pos);
    if (b == std::string_view::npos) break;
    size_t e = inet_interfaces.find_first_of(", \t\r\n", b);
    if (e == std::string_view::npos) e = inet_interfaces.size();
    std::string_view item = inet_interfaces.substr(b, e - b);
    if (!(item == "loopback-only" || IsLoopbackHost(item))) all_loopback = false;
    pos = e;
  }
  return all_loopback;
}

bool ReceivesStressOption(const MasterService& service, long default_process_limit,
                          std::string_view inet_interfaces) {
  if (IsLocalOnly(service, inet_interfaces)) return false;
  std::optional<long> limit = EffectiveProcessLimit(service, default_process_limit);
  return limit.has_value() && *limit > 1;
}

}  // namespace postvet
