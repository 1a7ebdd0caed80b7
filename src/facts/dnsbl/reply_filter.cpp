// Parsers for DNSBL entries and reply filters; see reply_filter.hpp for the
// Postfix behaviour they reproduce.
#include "src/facts/dnsbl/reply_filter.hpp"

#include <climits>
#include <utility>

namespace postvet::dnsbl {

OctetSet OctetSet::All() {
  OctetSet s;
  s.bits_.set();
  return s;
}

OctetSet OctetSet::Single(uint8_t value) {
  OctetSet s;
  s.bits_.set(value);
  return s;
}

void OctetSet::AddRange(uint8_t lo, uint8_t hi) {
  for (unsigned v = lo; v <= hi; ++v) bits_.set(v);
}

std::string OctetSet::ToString() const {
  if (Count() == 1) {
    for (unsigned v = 0; v < 256; ++v) {
      if (bits_.test(v)) return std::to_string(v);
    }
  }
  std::string out = "[";
  bool first = true;
  unsigned v = 0;
  while (v < 256) {
    if (!bits_.test(v)) {
      ++v;
      continue;
    }
    unsigned end = v;
    while (end + 1 < 256 && bits_.test(end + 1)) ++end;
    if (!first) out += ';';
    first = false;
    out += std::to_string(v);
    if (end > v) out += ".." + std::to_string(end);
    v = end + 1;
  }
  out += ']';
  return out;
}

ReplyFilter ReplyFilter::Any() {
  ReplyFilter f;
  for (OctetSet& o : f.octets) o = OctetSet::All();
  return f;
}

ReplyFilter ReplyFilter::Exact(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  ReplyFilter f;
  f.octets = {OctetSet::Single(a), OctetSet::Single(b), OctetSet::Single(c),
              OctetSet::Single(d)};
  return f;
}

bool ReplyFilter::Matches(const std::array<uint8_t, 4>& address) const {
  for (std::size_t i = 0; i < 4; ++i) {
    if (!octets[i].Contains(address[i])) return false;
  }
  return true;
}

bool ReplyFilter::Covers(const ReplyFilter& other) const {
  // Both are products of per-octet sets, so containment is per octet (an
  // empty set never comes out of the parser).
  for (std::size_t i = 0; i < 4; ++i) {
    if (!octets[i].ContainsAll(other.octets[i])) return false;
  }
  return true;
}

bool ReplyFilter::Overlaps(const ReplyFilter& other) const {
  for (std::size_t i = 0; i < 4; ++i) {
    if (!octets[i].Intersects(other.octets[i])) return false;
  }
  return true;
}

bool ReplyFilter::IsAny() const {
  for (const OctetSet& o : octets) {
    if (!o.IsAll()) return false;
  }
  return true;
}

uint64_t ReplyFilter::Count() const {
  uint64_t n = 1;
  for (const OctetSet& o : octets) n *= o.Count();
  return n;
}

std::string ReplyFilter::ToString() const {
  std::string out;
  for (std::size_t i = 0; i < 4; ++i) {
    if (i > 0) out += '.';
    out += octets[i].ToString();
  }
  return out;
}

namespace {

// One token of a filter, as ip_match.c's tokenizer sees the text: a run of
// decimal digits, or a single other character, or the end.
struct Token {
  enum Kind : uint8_t { kNumber, kChar, kEnd } kind = kEnd;
  char ch = 0;
  unsigned value = 0;     // saturates at 256: only "fits in an octet" matters
  std::size_t begin = 0;  // offset in the text being parsed
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class FilterParser {
 public:
  FilterParser(std::string_view text, std::size_t base) : text_(text), base_(base) {}

  Result<ReplyFilter> Parse(std::size_t* error_offset) {
    ReplyFilter filter;
    for (std::size_t field = 0; field < 4; ++field) {
      Token t = Next();
      if (t.kind == Token::kNumber) {
        if (t.value > 255) return Fail(t, "octet value " + Spelled(t) + " is larger than 255", error_offset);
        filter.octets[field] = OctetSet::Single(static_cast<uint8_t>(t.value));
      } else if (t.kind == Token::kChar && t.ch == '[') {
        std::optional<Status> err = ParseList(&filter.octets[field], error_offset);
        if (err) return *err;
      } else {
        return Fail(t, "need a number 0..255 or \"[\" for octet " + std::to_string(field + 1) +
                           Found(t), error_offset);
      }
      if (field < 3) {
        Token dot = Next();
        if (dot.kind != Token::kChar || dot.ch != '.') {
          return Fail(dot, "need \".\" after octet " + std::to_string(field + 1) + Found(dot),
                      error_offset);
        }
      }
    }
    Token rest = Next();
    if (rest.kind != Token::kEnd) {
      return Fail(rest, "unexpected text after the fourth octet" + Found(rest), error_offset);
    }
    return filter;
  }

 private:
  // The "[" list: number or lo..hi members separated by ";", closed by "]".
  std::optional<Status> ParseList(OctetSet* set, std::size_t* error_offset) {
    for (;;) {
      Token lo = Next();
      if (lo.kind != Token::kNumber || lo.value > 255) {
        return Fail(lo, "need a number 0..255 inside \"[...]\"" + Found(lo), error_offset);
      }
      Token after = Next();
      if (after.kind == Token::kChar && after.ch == '.') {
        Token second_dot = Next();
        if (second_dot.kind != Token::kChar || second_dot.ch != '.') {
          return Fail(second_dot, "a range is written lo..hi" + Found(second_dot), error_offset);
        }
        Token hi = Next();
        if (hi.kind != Token::kNumber || hi.value > 255) {
          return Fail(hi, "need a number 0..255 after \"..\"" + Found(hi), error_offset);
        }
        if (lo.value > hi.value) {
          return Fail(hi, "range " + Spelled(lo) + ".." + Spelled(hi) + " runs backwards",
                      error_offset);
        }
        set->AddRange(static_cast<uint8_t>(lo.value), static_cast<uint8_t>(hi.value));
        after = Next();
      } else {
        set->AddRange(static_cast<uint8_t>(lo.value), static_cast<uint8_t>(lo.value));
      }
      if (after.kind == Token::kChar && after.ch == ';') continue;
      if (after.kind == Token::kChar && after.ch == ']') return std::nullopt;
      std::string hint = (after.kind == Token::kChar && after.ch == ',')
                             ? " (members are separated by \";\", not \",\")"
                             : "";
      return Fail(after, "need \";\" or \"]\" in \"[...]\"" + Found(after) + hint, error_offset);
    }
  }

  Token Next() {
    Token t;
    t.begin = pos_;
    if (pos_ >= text_.size()) return t;
    if (IsDigit(text_[pos_])) {
      t.kind = Token::kNumber;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) {
        unsigned d = static_cast<unsigned>(text_[pos_] - '0');
        t.value = t.value > 255 ? 256 : t.value * 10 + d;
        ++pos_;
      }
      return t;
    }
    t.kind = Token::kChar;
    t.ch = text_[pos_++];
    return t;
  }

  std::string Spelled(const Token& t) const {
    return std::string(text_.substr(t.begin, t.kind == Token::kEnd ? 0 : TokenLength(t)));
  }

  std::size_t TokenLength(const Token& t) const {
    if (t.kind != Token::kNumber) return 1;
    std::size_t n = 0;
    while (t.begin + n < text_.size() && IsDigit(text_[t.begin + n])) ++n;
    return n;
  }

  std::string Found(const Token& t) const {
    if (t.kind == Token::kEnd) return ", found the end of the filter";
    return ", found \"" + Spelled(t) + "\"";
  }

  Status Fail(const Token& t, std::string message, std::size_t* error_offset) const {
    if (error_offset != nullptr) *error_offset = base_ + t.begin;
    return Status::Error(std::move(message));
  }

  std::string_view text_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

Status ErrorAt(std::size_t offset, std::string message, std::size_t* error_offset) {
  if (error_offset != nullptr) *error_offset = offset;
  return Status::Error(std::move(message));
}

// sscanf("%d%c") == 1 in psc_dnsbl_add_site(): an optional sign, digits, and
// nothing after them. Values outside int are refused here; Postfix's sscanf
// would silently wrap them.
std::optional<int> ParseWeight(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  if (i >= text.size()) return std::nullopt;
  long long value = 0;
  for (; i < text.size(); ++i) {
    if (!IsDigit(text[i])) return std::nullopt;
    value = value * 10 + (text[i] - '0');
    if (value > static_cast<long long>(INT_MAX) + 1) return std::nullopt;
  }
  if (negative) value = -value;
  if (value > INT_MAX || value < INT_MIN) return std::nullopt;
  return static_cast<int>(value);
}

}  // namespace

Result<ReplyFilter> ParseReplyFilter(std::string_view text, std::size_t* error_offset) {
  std::size_t base = 0;
  std::string_view body = text;
  // ip_match_parse() first drops one pair of "[]" around the whole pattern,
  // but only when the "[" at the start is closed by the very last byte.
  if (!body.empty() && body.front() == '[') {
    int level = 1;
    std::size_t close = std::string_view::npos;
    for (std::size_t i = 1; i < body.size(); ++i) {
      if (body[i] == '[') ++level;
      if (body[i] == ']' && --level == 0) {
        close = i;
        break;
      }
    }
    if (close == std::string_view::npos) {
      return ErrorAt(0, "the \"[\" at the start of the filter is never closed", error_offset);
    }
    if (close + 1 == body.size()) {
      body = body.substr(1, body.size() - 2);
      base = 1;
    }
  }
  if (body.empty()) return ErrorAt(base, "empty reply filter", error_offset);
  return FilterParser(body, base).Parse(error_offset);
}

bool IsValidHostname(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  std::size_t label_length = 0;
  bool non_numeric = false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool last = i + 1 == name.size();
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (alpha || IsDigit(c)) {
      if (++label_length > 63) return false;
      if (alpha) non_numeric = true;
    } else if (c == '.') {
      if (label_length == 0 || last) return false;
      label_length = 0;
    } else if (c == '-') {
      ++label_length;
      if (label_length == 1 || last || name[i + 1] == '.') return false;
    } else {
      return false;
    }
  }
  return non_numeric;
}

Result<DnsblEntry> ParseDnsblEntry(std::string_view text, EntrySyntax syntax,
                                   std::size_t* error_offset) {
  if (text.empty()) return ErrorAt(0, "empty DNSBL entry", error_offset);
  DnsblEntry entry;
  std::string_view site = text;
  const bool postscreen = syntax == EntrySyntax::kPostscreen;

  // postscreen splits at the first "*" before looking for "=", so the weight
  // must come last: "zone*2=127.0.0.2" is a bad weight, not a filter.
  std::size_t star = site.find('*');
  std::size_t eq = site.find('=');
  if (star != std::string_view::npos && postscreen) {
    entry.weight_text = site.substr(star + 1);
    site = site.substr(0, star);
    std::optional<int> weight = ParseWeight(entry.weight_text);
    if (!weight) {
      std::string message = "bad DNSBL weight \"" + std::string(entry.weight_text) +
                            "\": need an integer such as 2 or -5";
      if (entry.weight_text.find('=') != std::string_view::npos) {
        message += " (write the filter before the weight: zone=filter*weight)";
      }
      return ErrorAt(star + 1, std::move(message), error_offset);
    }
    entry.weight = *weight;
    entry.has_weight = true;
    eq = site.find('=');
  } else if (star != std::string_view::npos && (eq == std::string_view::npos || star < eq)) {
    // smtpd has no weights: it would look up a domain name containing "*".
    return ErrorAt(star, "a \"*weight\" is only understood in postscreen_dnsbl_sites",
                   error_offset);
  }

  if (eq != std::string_view::npos) {
    entry.filter_text = site.substr(eq + 1);
    site = site.substr(0, eq);
    std::size_t filter_offset = 0;
    Result<ReplyFilter> filter = ParseReplyFilter(entry.filter_text, &filter_offset);
    if (!filter.ok()) {
      std::string message = "bad DNSBL reply filter \"" + std::string(entry.filter_text) +
                            "\": " + filter.status().message();
      if (!postscreen && entry.filter_text.find('*') != std::string_view::npos) {
        message += " (a \"*weight\" is only understood in postscreen_dnsbl_sites)";
      }
      return ErrorAt(eq + 1 + filter_offset, std::move(message), error_offset);
    }
    entry.filter = std::move(*filter);
  }

  entry.zone = site;
  // postscreen refuses the whole configuration when valid_hostname() fails;
  // smtpd does not check, but its lookups of such a name can never succeed.
  // A final dot is harmless in smtpd's query name and is kept there.
  std::string_view checked = site;
  if (!postscreen && checked.size() > 1 && checked.back() == '.') checked.remove_suffix(1);
  if (checked.empty()) return ErrorAt(0, "missing DNSBL domain name", error_offset);
  if (!IsValidHostname(checked)) {
    std::string message = "bad DNSBL domain name \"" + std::string(site) + "\"";
    if (postscreen && site.back() == '.') message += " (postscreen refuses a final \".\")";
    return ErrorAt(0, std::move(message), error_offset);
  }
  return entry;
}

}  // namespace postvet::dnsbl
