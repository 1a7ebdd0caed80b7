// Field checks of master.cf entries: postconf's (postconf_master.c
// pcf_check_master_entry) and master(8)'s (master_ent.c get_master_ent and
// its get_*_ent helpers, util/host_port.c). Format spec 5.2.
#include <arpa/inet.h>

#include <climits>
#include <cstdint>
#include <cstdlib>

#include "src/model/master_detail.hpp"

namespace postvet::master_detail {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

MasterProblem Problem(MasterChecker checker, int field, std::string message, ByteRange range) {
  return MasterProblem{checker, true, field, std::move(message), range.begin, range.end};
}

}  // namespace

std::vector<MasterProblem> PostconfFieldProblems(const LogicalLine& line,
                                                 const std::vector<TextSpan>& fields) {
  std::vector<MasterProblem> out;
  std::string_view text = line.text;
  auto add = [&](int field, std::string_view what) {
    TextSpan s = fields[static_cast<size_t>(field)];
    out.push_back(Problem(MasterChecker::kPostconf, field,
                          "invalid " + std::string(what) + " field \"" + std::string(s.In(text)) +
                              "\" in \"" + std::string(text) + "\"",
                          line.Range(s.begin, s.end)));
  };
  if (ParseServiceType(fields[1].In(text)) == ServiceType::kUnknown) add(1, "type");
  for (int f = 2; f <= 4; ++f) {
    std::string_view v = fields[static_cast<size_t>(f)].In(text);
    if (v.size() != 1 || (v[0] != 'y' && v[0] != 'n' && v[0] != '-')) {
      add(f, MasterFieldName(static_cast<MasterField>(f)));
    }
  }
  // Wakeup: '-', or digits, optionally followed by one '?'. postconf lets
  // "-?" and a lone "?" through too (the '?' is dropped before the test).
  std::string_view wakeup = fields[5].In(text);
  if (!wakeup.empty() && wakeup.back() == '?') wakeup.remove_suffix(1);
  if (!(wakeup == "-") && !AllDigits(wakeup)) add(5, "wakeup");
  std::string_view maxproc = fields[6].In(text);
  if (maxproc != "-" && !AllDigits(maxproc)) add(6, "process_limit");
  return out;
}

long MasterAtoi(std::string_view s) {
  // atoi() is (int)strtol(): strtol() saturates, the cast keeps the low 32 bits.
  long long v = 0;
  for (char c : s) {
    if (!IsDigit(c)) break;
    if (v > (LLONG_MAX - (c - '0')) / 10) {
      v = LLONG_MAX;
      break;
    }
    v = v * 10 + (c - '0');
  }
  return static_cast<int32_t>(static_cast<uint32_t>(v));
}

namespace {

bool ValidIpv4(std::string_view a) {
  int count = 0;
  int value = 0;
  bool in_byte = false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (IsDigit(c)) {
      if (!in_byte) {
        in_byte = true;
        value = 0;
        ++count;
      }
      value = value * 10 + (c - '0');
      if (value > 255) return false;
    } else if (c == '.') {
      if (!in_byte || i + 1 == a.size()) return false;
      if (count == 1 && value == 0 && a.find_first_not_of("0.") != std::string_view::npos) return false;
      in_byte = false;
    } else {
      return false;
    }
  }
  return count == 4;
}

bool ValidIpv6(std::string_view a) {
  std::string s(a);
  unsigned char buf[16];
  return s.find('%') == std::string::npos && inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

bool ValidHostAddr(std::string_view a) {
  if (a.empty()) return false;
  return a.find(':') != std::string_view::npos ? ValidIpv6(a) : ValidIpv4(a);
}

// valid_hostname(): letters, digits, '_', '-' and '.', labels of at most 63
// bytes, no misplaced '.' or '-', not all-numeric, at most 255 bytes.
bool ValidHostname(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  size_t label = 0;
  bool non_numeric = false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool last = i + 1 == name.size();
    if (IsAlnum(c) || c == '_') {
      if (++label > 63) return false;
      if (!IsDigit(c)) non_numeric = true;
    } else if (c == '.') {
      if (label == 0 || last) return false;
      label = 0;
    } else if (c == '-') {
      non_numeric = true;
      if (++label == 1 || last || name[i + 1] == '.') return false;
    } else {
      return false;
    }
  }
  return non_numeric;
}

bool StartsWithIpv6Prefix(std::string_view s) {
  if (s.size() < 5) return false;
  std::string p(s.substr(0, 5));
  for (char& c : p) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return p == "ipv6:";
}

}  // namespace

std::string CheckInetName(std::string_view name, std::string* host_out) {
  std::string_view host;
  std::string_view port;
  bool explicit_host = false;
  bool have_port = true;
  if (!name.empty() && name[0] == '[') {
    std::string_view rest = name.substr(1);
    bool ipv6 = StartsWithIpv6Prefix(rest);
    if (ipv6) rest.remove_prefix(5);
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return "missing \"]\"";
    host = rest.substr(0, close);
    explicit_host = true;
    std::string_view after = rest.substr(close + 1);
    if (!after.empty() && after[0] != ':') return "garbage after \"]\"";
    if (!after.empty()) after.remove_prefix(1);
    if (ipv6 && !ValidIpv6(host)) return "malformed IPv6 address";
    port = after;
    have_port = !after.empty();
  } else {
    size_t colon = name.rfind(':');
    if (colon != std::string_view::npos) {
      host = name.substr(0, colon);
      explicit_host = !host.empty();
      port = name.substr(colon + 1);
      have_port = !port.empty();
    } else {
      port = name;
      have_port = !name.empty();
    }
  }
  if (host_out != nullptr) *host_out = std::string(host);
  if (!have_port) return "missing service information";
  if (explicit_host && !ValidHostname(host) && !ValidHostAddr(host)) {
    return "valid hostname or network address required";
  }
  if (IsDigit(port[0]) && !AllDigits(port)) return "garbage after numerical service";
  return "";
}

std::vector<MasterProblem> MasterFieldProblems(const LogicalLine& line,
                                               const std::vector<TextSpan>& plain) {
  std::vector<MasterProblem> out;
  std::string_view text = line.text;
  ByteRange line_range = line.Range(0, text.size());
  auto word = [&](size_t f) { return plain[f].In(text); };
  auto range = [&](size_t f) { return line.Range(plain[f].begin, plain[f].end); };
  auto bad_value = [&](size_t f) {
    out.push_back(Problem(MasterChecker::kMaster, static_cast<int>(f),
                          "field \"" + std::string(MasterFieldDaemonName(static_cast<MasterField>(f))) +
                              "\": bad value: \"" + std::string(word(f)) + "\"",
                          range(f)));
  };
  for (size_t f = 1; f < kMasterFieldCount; ++f) {
    std::string daemon_name(MasterFieldDaemonName(static_cast<MasterField>(f)));
    if (f >= plain.size()) {
      out.push_back(Problem(MasterChecker::kMaster, static_cast<int>(f),
                            "missing \"" + daemon_name + "\" field", line_range));
      break;
    }
    std::string_view v = word(f);
    // "-" takes the default, where there is one.
    if (v == "-" && (f == 1 || f == 7)) {
      out.push_back(Problem(MasterChecker::kMaster, static_cast<int>(f),
                            "field \"" + daemon_name + "\" has no default value", range(f)));
      continue;
    }
    switch (static_cast<MasterField>(f)) {
      case MasterField::kType: {
        ServiceType type = ParseServiceType(v);
        if (type == ServiceType::kUnknown) {
          out.push_back(Problem(MasterChecker::kMaster, 1, "bad transport type: " + std::string(v), range(1)));
        } else if (type == ServiceType::kInet) {
          std::string err = CheckInetName(word(0), nullptr);
          if (!err.empty()) {
            out.push_back(Problem(MasterChecker::kMaster, 0, err + " in \"" + std::string(word(0)) + "\"",
                                  range(0)));
          }
        }
        break;
      }
      case MasterField::kPrivate:
        if (v != "-" && v != "y" && v != "n") {
          bad_value(f);
        } else if (v != "n" && ParseServiceType(word(1)) == ServiceType::kInet) {
          // "-" means y, and an inet service cannot be private.
          out.push_back(Problem(MasterChecker::kMaster, 2, "inet service cannot be private", range(2)));
        }
        break;
      case MasterField::kUnprivileged:
      case MasterField::kChroot:
        if (v != "-" && v != "y" && v != "n") bad_value(f);
        break;
      case MasterField::kWakeup:
      case MasterField::kProcessLimit:
        if (v != "-" && (!IsDigit(v[0]) || MasterAtoi(v) < 0)) bad_value(f);
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace postvet::master_detail
