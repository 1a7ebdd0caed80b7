// Catalogue::Parse: reads dnsbl.tsv strictly and checks the rows against each
// other. Every error names the file, the line and the column, so a bad edit
// to the data fails the build's tests with a message that says where.
// Catalogue::ParseTrusted reads the same way but leaves out the checks that
// only guard against a bad edit (zone, date and URL syntax, rules between
// columns and rows): the built-in table is checked with Parse by the tests,
// and every run of postvet need not repeat that.
#include <array>
#include <set>
#include <utility>

#include "src/facts/dnsbl/catalogue.hpp"

namespace postvet::dnsbl {

namespace {

constexpr std::array<std::string_view, 13> kColumns = {
    "zone",   "kind",         "status",       "since", "superseded_by", "members", "filter",
    "policy_codes", "registration", "ipv6", "confidence",    "note",    "sources"};

enum Column : std::size_t {
  kZoneCol, kKindCol, kStatusCol, kSinceCol, kSupersededCol, kMembersCol, kFilterCol,
  kPolicyCol, kRegistrationCol, kIpv6Col, kConfidenceCol, kNoteCol, kSourcesCol
};

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = text.find(sep, start);
    out.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

constexpr std::size_t kColumnCount = kColumns.size();
using Fields = std::array<std::string_view, kColumnCount>;

// Splits a row at TABs into `*fields`; returns the number of fields (which
// may exceed kColumnCount: the extra ones are not stored).
std::size_t SplitRow(std::string_view line, Fields* fields) {
  std::size_t n = 0;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = line.find('\t', start);
    if (n < kColumnCount) {
      (*fields)[n] = line.substr(start, end == std::string_view::npos ? end : end - start);
    }
    ++n;
    if (end == std::string_view::npos) return n;
    start = end + 1;
  }
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// "YYYY", "YYYY-MM" or "YYYY-MM-DD" with plausible values.
bool IsValidSince(std::string_view s) {
  std::vector<std::string_view> parts = Split(s, '-');
  if (parts.size() > 3 || parts[0].size() != 4 || !IsDigits(parts[0])) return false;
  int year = ToInt(parts[0]);
  if (year < 1990 || year > 2099) return false;
  if (parts.size() >= 2) {
    if (parts[1].size() != 2 || !IsDigits(parts[1])) return false;
    int month = ToInt(parts[1]);
    if (month < 1 || month > 12) return false;
  }
  if (parts.size() == 3) {
    if (parts[2].size() != 2 || !IsDigits(parts[2])) return false;
    int day = ToInt(parts[2]);
    if (day < 1 || day > 31) return false;
  }
  return true;
}

// Lowercase, at least two labels, a valid host name after an optional "*."
// (or, where `operator_row` allows it, a "." that makes an operator row).
std::optional<std::string> ZoneSyntaxError(std::string_view zone, bool operator_row = false) {
  for (char c : zone) {
    if (c >= 'A' && c <= 'Z') return "must be lowercase";
  }
  std::string_view name = zone;
  if (name.starts_with("*.")) {
    name.remove_prefix(2);
  } else if (name.starts_with(".")) {
    if (!operator_row) return "cannot be an operator (.domain) row here";
    name.remove_prefix(1);
  }
  if (name.find('.') == std::string_view::npos) return "needs at least two labels";
  if (!IsValidHostname(name)) return "is not a valid domain name";
  return std::nullopt;
}

// http(s)://host[/path], host with a dot, no spaces or control bytes.
bool LooksLikeUrl(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  std::size_t slash = rest.find('/');
  std::string_view host = rest.substr(0, slash);
  if (host.empty() || host.find('.') == std::string_view::npos) return false;
  if (host.front() == '.' || host.back() == '.') return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) return false;
  }
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  }
  return true;
}

class RowParser {
 public:
  RowParser(std::string_view file, int line, bool verify) : file_(file), line_(line), verify_(verify) {}

  Status Error(Column column, std::string_view message) const {
    return Status::Error(std::string(file_) + ":" + std::to_string(line_) + ": column " +
                         std::string(kColumns[column]) + ": " + std::string(message));
  }

  Result<ZoneInfo> Parse(const Fields& f) const {
    ZoneInfo z;
    z.line = line_;
    // A trusted row (ParseTrusted) skips the checks marked verify_, which
    // only guard against a bad edit.
    if (verify_) {
      if (auto err = ZoneSyntaxError(f[kZoneCol], /*operator_row=*/true)) {
        return Error(kZoneCol, "\"" + std::string(f[kZoneCol]) + "\" " + *err);
      }
    }
    z.zone = std::string(f[kZoneCol]);

    auto kind = ParseZoneKind(f[kKindCol]);
    if (!kind) return Error(kKindCol, "need ip, domain, uri, ip-allow, domain-allow or both");
    z.kind = *kind;
    auto status = ParseZoneStatus(f[kStatusCol]);
    if (!status) {
      return Error(kStatusCol, "need live, dead-empty, dead-timeout, dead-lists-everything, "
                               "superseded or subscription");
    }
    z.status = *status;

    if (f[kSinceCol] != "-") {
      if (verify_ && !IsValidSince(f[kSinceCol])) return Error(kSinceCol, "need YYYY, YYYY-MM, YYYY-MM-DD or -");
      z.since = std::string(f[kSinceCol]);
    }
    if (f[kSupersededCol] != "-") {
      if (verify_) {
        if (auto err = ZoneSyntaxError(f[kSupersededCol])) return Error(kSupersededCol, "zone " + *err);
      }
      z.superseded_by = std::string(f[kSupersededCol]);
    }

    if (f[kMembersCol] != "-") {
      std::set<std::string_view> seen;
      for (std::string_view item : Split(f[kMembersCol], ',')) {
        std::size_t eq = item.find('=');
        if (eq == std::string_view::npos) return Error(kMembersCol, "need zone=filter items separated by \",\"");
        std::string_view zone = item.substr(0, eq);
        if (verify_) {
          if (auto err = ZoneSyntaxError(zone)) {
            return Error(kMembersCol, "member \"" + std::string(zone) + "\" " + *err);
          }
          if (!seen.insert(zone).second) return Error(kMembersCol, "member \"" + std::string(zone) + "\" twice");
          if (zone == z.zone) return Error(kMembersCol, "a zone cannot be its own member");
        }
        Result<ReplyFilter> codes = ParseReplyFilter(item.substr(eq + 1));
        if (!codes.ok()) {
          return Error(kMembersCol, "codes of " + std::string(zone) + ": " + codes.status().message());
        }
        z.members.push_back({std::string(zone), *codes, std::string(item.substr(eq + 1))});
      }
    }

    if (f[kFilterCol] != "-") {
      Result<ReplyFilter> filter = ParseReplyFilter(f[kFilterCol]);
      if (!filter.ok()) return Error(kFilterCol, filter.status().message());
      z.recommended_filter = *filter;
      z.recommended_filter_text = std::string(f[kFilterCol]);
    }

    if (f[kPolicyCol] != "-") {
      for (std::string_view item : Split(f[kPolicyCol], ',')) {
        std::size_t eq = item.find('=');
        if (eq == std::string_view::npos) return Error(kPolicyCol, "need reason=filter items separated by \",\"");
        auto reason = ParsePolicyReason(item.substr(0, eq));
        if (!reason) {
          return Error(kPolicyCol, "unknown reason \"" + std::string(item.substr(0, eq)) +
                                       "\" (typo, public-resolver, over-quota, bad-key, "
                                       "wrong-query, refused)");
        }
        Result<ReplyFilter> codes = ParseReplyFilter(item.substr(eq + 1));
        if (!codes.ok()) return Error(kPolicyCol, codes.status().message());
        z.policy_codes.push_back({*reason, *codes, std::string(item.substr(eq + 1))});
      }
    }

    if (f[kRegistrationCol] != "yes" && f[kRegistrationCol] != "no") {
      return Error(kRegistrationCol, "need yes or no");
    }
    z.needs_registration = f[kRegistrationCol] == "yes";

    bool by_address = KeyedByAddress(z.kind);
    std::string_view v6 = f[kIpv6Col];
    if (by_address) {
      if (v6 == "yes") z.ipv6 = Ipv6Support::kYes;
      else if (v6 == "no") z.ipv6 = Ipv6Support::kNo;
      else if (v6 == "unknown") z.ipv6 = Ipv6Support::kUnknown;
      else return Error(kIpv6Col, "need yes, no or unknown for an IP list");
    } else {
      if (v6 != "-") return Error(kIpv6Col, "need - for a list that is not keyed by IP address");
      z.ipv6 = Ipv6Support::kNotApplicable;
    }

    std::string_view conf = f[kConfidenceCol];
    if (conf == "high") z.confidence = Confidence::kHigh;
    else if (conf == "medium") z.confidence = Confidence::kMedium;
    else if (conf == "low") z.confidence = Confidence::kLow;
    else return Error(kConfidenceCol, "need high, medium or low");

    z.note = std::string(f[kNoteCol]);
    for (std::string_view url : Split(f[kSourcesCol], ' ')) {
      if (verify_ && !LooksLikeUrl(url)) {
        return Error(kSourcesCol, "\"" + std::string(url) + "\" is not an http(s) URL "
                                  "(URLs are separated by single spaces)");
      }
      z.sources.emplace_back(url);
    }
    if (!verify_) return z;
    return RowRules(std::move(z));
  }

 private:
  // Rules that involve several columns of one row.
  Result<ZoneInfo> RowRules(ZoneInfo z) const {
    if ((z.status == ZoneStatus::kSuperseded) != !z.superseded_by.empty()) {
      return Error(kSupersededCol, "must name a zone exactly when status is superseded");
    }
    if (z.superseded_by == z.zone) return Error(kSupersededCol, "a zone cannot supersede itself");
    if (z.IsKeyed() && !z.needs_registration) {
      return Error(kRegistrationCol, "a keyed (*.) zone needs registration");
    }
    if (z.IsOperator()) {
      // An operator row stands for zones nobody listed one by one: only a
      // shut-down operator qualifies, and it says nothing zone-specific.
      if (!z.IsDead()) return Error(kStatusCol, "an operator (.domain) row must be dead-*");
      if (!z.members.empty()) return Error(kMembersCol, "an operator (.domain) row has no members");
      if (z.recommended_filter) return Error(kFilterCol, "an operator (.domain) row has no filter");
    }
    for (const MemberZone& m : z.members) {
      if (m.zone.starts_with("*.") != z.IsKeyed()) {
        return Error(kMembersCol, "member " + m.zone + " and its combined zone must both be keyed or both not");
      }
    }
    for (const PolicyCode& p : z.policy_codes) {
      if (z.recommended_filter && z.recommended_filter->Overlaps(p.codes)) {
        return Error(kFilterCol, "lets the " + std::string(PolicyReasonName(p.reason)) +
                                     " error code " + p.codes_text + " through");
      }
      for (const MemberZone& m : z.members) {
        if (m.codes.Overlaps(p.codes)) {
          return Error(kMembersCol, "codes of " + m.zone + " overlap the error code " + p.codes_text);
        }
      }
    }
    return z;
  }

  std::string_view file_;
  int line_;
  bool verify_;
};

Status AtLine(std::string_view file, int line, std::string_view message) {
  return Status::Error(std::string(file) + ":" + std::to_string(line) + ": " + std::string(message));
}

}  // namespace

Result<Catalogue> Catalogue::Parse(std::string_view tsv, std::string_view file) { return Load(tsv, file, true); }

Result<Catalogue> Catalogue::ParseTrusted(std::string_view tsv, std::string_view file) {
  return Load(tsv, file, false);
}

Result<Catalogue> Catalogue::Load(std::string_view tsv, std::string_view file, bool verify) {
  Catalogue cat;
  // At most one row per line: no reallocation, no rehashing.
  std::size_t lines = 1;
  for (std::size_t nl = tsv.find('\n'); nl != std::string_view::npos; nl = tsv.find('\n', nl + 1)) ++lines;
  cat.zones_.reserve(lines);
  cat.by_zone_.reserve(lines);
  bool have_header = false;
  int line_no = 0;
  for (std::size_t pos = 0; pos < tsv.size();) {
    std::size_t end = tsv.find('\n', pos);
    if (end == std::string_view::npos) end = tsv.size();
    std::string_view line = tsv.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.starts_with("#")) continue;
    if (line.empty()) return AtLine(file, line_no, "blank line (use # for spacing comments)");
    if (line.find('\r') != std::string_view::npos) return AtLine(file, line_no, "carriage return in line");
    Fields fields;
    const std::size_t count = SplitRow(line, &fields);
    if (!have_header) {
      bool same = count == kColumnCount;
      for (std::size_t c = 0; same && c < kColumnCount; ++c) same = fields[c] == kColumns[c];
      if (!same) return AtLine(file, line_no, "the first row that is not a comment must be the header");
      have_header = true;
      continue;
    }
    if (count != kColumnCount) {
      return AtLine(file, line_no, "has " + std::to_string(count) + " fields, need " +
                                       std::to_string(kColumnCount) + " separated by TABs");
    }
    RowParser row(file, line_no, verify);
    for (std::size_t c = 0; c < kColumnCount; ++c) {
      std::string_view f = fields[c];
      if (f.empty()) return row.Error(static_cast<Column>(c), "empty (write - for none)");
      if (f.front() == ' ' || f.back() == ' ') return row.Error(static_cast<Column>(c), "leading or trailing space");
    }
    Result<ZoneInfo> zone = row.Parse(fields);
    if (!zone.ok()) return zone.status();
    if (auto it = cat.by_zone_.find(zone->zone); it != cat.by_zone_.end()) {
      return AtLine(file, line_no, zone->zone + " already appears on line " +
                                       std::to_string(cat.zones_[it->second].line));
    }
    cat.by_zone_.emplace(zone->zone, cat.zones_.size());
    cat.zones_.push_back(std::move(*zone));
  }
  if (!have_header) return Status::Error(std::string(file) + ": no header row");
  if (!verify) return cat;

  // Rules between rows: references resolve, nested members agree, rows
  // under a dead operator are dead too.
  for (const ZoneInfo& z : cat.zones_) {
    for (const ZoneInfo& op : cat.zones_) {
      if (op.Covers(z.zone) && !z.IsDead()) {
        return AtLine(file, z.line, z.zone + " lies under the operator row " + op.zone + " (line " +
                                        std::to_string(op.line) + ") but is not dead-*");
      }
    }
    if (!z.superseded_by.empty() && cat.by_zone_.count(z.superseded_by) == 0) {
      return AtLine(file, z.line, "superseded_by " + z.superseded_by + " is not in the table");
    }
    for (const MemberZone& m : z.members) {
      auto it = cat.by_zone_.find(m.zone);
      if (it == cat.by_zone_.end()) return AtLine(file, z.line, "member " + m.zone + " is not in the table");
      // A member that is itself combined: its members must be listed here too,
      // with codes inside the codes this zone gives the member.
      for (const MemberZone& inner : cat.zones_[it->second].members) {
        const MemberZone* here = nullptr;
        for (const MemberZone& candidate : z.members) {
          if (candidate.zone == inner.zone) here = &candidate;
        }
        if (here == nullptr) {
          return AtLine(file, z.line, inner.zone + " is in member " + m.zone + " but not listed as a member here");
        }
        if (!m.codes.Covers(here->codes)) {
          return AtLine(file, z.line, "codes of " + inner.zone + " (" + here->codes_text +
                                          ") are not inside the codes of " + m.zone + " (" +
                                          m.codes_text + ")");
        }
      }
    }
  }
  return cat;
}

}  // namespace postvet::dnsbl
