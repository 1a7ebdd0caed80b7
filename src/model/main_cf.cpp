#include "src/model/main_cf.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "grammar/cst_builder.hpp"
#include "src/model/main_cf_internal.hpp"

namespace postvet {
namespace {

// ISSPACE() in the C locale, LF included.
bool IsCSpace(char c) { return c == '\n' || IsSpace(c); }

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsCSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Name index buckets (see index_): the slot in the low half, a hash tag in the high half.
constexpr uint64_t kSlotMask = 0xffffffffULL;
constexpr uint64_t kTagMask = ~kSlotMask;

// The name index's hash: eight bytes at a time, then a 64-bit finaliser
// (MurmurHash3's fmix64), so that both the bucket (low bits) and the tag
// (high bits) depend on every byte. Names are short; std::hash's byte loop
// was a tenth of `show`'s instructions.
uint64_t NameHash(std::string_view name) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ name.size();
  const char* p = name.data();
  const size_t n = name.size();
  uint64_t w = 0;
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&w, p + i, 8);
      h = (h ^ w) * 0xff51afd7ed558ccdULL;
      h ^= h >> 29;
    }
    std::memcpy(&w, p + n - 8, 8);  // the last eight (overlapping the word before)
  } else if (n >= 4) {
    uint32_t a;
    uint32_t b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    w = (static_cast<uint64_t>(a) << 32) | b;
  } else {
    for (size_t i = 0; i < n; ++i) w |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  h ^= w;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

MainCfBadLine MakeBadLine(bool leading, std::string text, uint32_t node, uint32_t line, uint32_t begin,
                          uint32_t end) {
  MainCfBadLine b;
  b.node = node;
  b.line = line;
  b.begin = begin;
  b.end = end;
  // The node ends with its LF; the logical line does not.
  if (!text.empty() && text.back() == '\n') text.pop_back();
  std::string_view cut = CutAtNul(text);
  if (leading) {
    // readllines(): "%.30s%s" with "..." when the buffer (NULs counted)
    // is longer than 30 bytes.
    b.kind = MainCfBadLine::Kind::kLeadingWhitespace;
    b.reason = fmt::format("logical line must not start with whitespace: \"{}{}\"", cut.substr(0, 30),
                           text.size() > 30 ? "..." : "");
  } else {
    std::optional<std::string_view> err = SplitNameValueError(cut);
    std::string_view why = err ? *err : std::string_view("missing '=' after attribute name");
    b.kind = why == "missing attribute name" ? MainCfBadLine::Kind::kMissingName
                                             : MainCfBadLine::Kind::kMissingEquals;
    b.reason = fmt::format("{}: \"{}\"", why, cut);
  }
  return b;
}

std::string_view CutAtNul(std::string_view text) {
  size_t nul = text.find('\0');
  return nul == std::string_view::npos ? text : text.substr(0, nul);
}

std::optional<std::string_view> SplitNameValueError(std::string_view text) {
  size_t p = 0;
  while (p < text.size() && IsCSpace(text[p])) ++p;
  if (p == text.size() || text[p] == '=') return std::string_view("missing attribute name");
  while (p < text.size() && !IsCSpace(text[p]) && text[p] != '=') ++p;
  while (p < text.size() && IsCSpace(text[p])) ++p;
  if (p == text.size() || text[p] != '=') return std::string_view("missing '=' after attribute name");
  return std::nullopt;
}

const MainCf& MainCf::Empty() {
  static const Source kSource("", "", "");
  static const Cst kCst = ParseMainCf(kSource);
  static const MainCf kMain = Build(kCst);
  return kMain;
}

MainCf MainCf::Build(const Cst& cst) {
  MainCf m;
  const Source& src = cst.source();
  const uint32_t end = cst.node(cst.root()).subtree_size;
  size_t definitions = 0;
  for (uint32_t i = 1; i < end; i += cst.node(i).subtree_size) {
    if (cst.node(i).kind == NodeKind::kParameter) ++definitions;
  }
  m.definitions_.reserve(definitions);
  for (uint32_t i = 1; i < end; i += cst.node(i).subtree_size) {
    const Node& n = cst.node(i);
    if (n.kind == NodeKind::kParameter) {
      MainCfDefinition d;
      d.node = i;
      d.line = src.Locate(n.begin).line;
      uint32_t name = cst.FindChild(i, NodeKind::kName);
      uint32_t value = cst.FindChild(i, NodeKind::kValue);
      d.name_begin = cst.node(name).begin;
      d.name_end = cst.node(name).end;
      d.name = cst.Raw(name);
      if (value != Cst::kNone) {
        d.value_begin = cst.node(value).begin;
        d.value_end = cst.node(value).end;
        std::string_view raw = cst.Raw(value);
        if (raw.find('\n') == std::string_view::npos) {
          d.value = TrimRight(CutAtNul(raw));  // one line: the source's own bytes
        } else {
          d.value = TrimRight(CutAtNul(m.joined_values_.emplace_back(JoinedText(raw))));
        }
      } else {
        uint32_t eq = cst.FindChild(i, NodeKind::kEquals);
        d.value_begin = d.value_end = cst.node(eq).end;
      }
      m.definitions_.push_back(d);
    } else if (n.kind == NodeKind::kBadLine || n.kind == NodeKind::kBadLeading) {
      m.bad_lines_.push_back(MakeBadLine(n.kind == NodeKind::kBadLeading, cst.Text(i), i,
                                         src.Locate(n.begin).line, n.begin, n.end));
    }
  }
  m.IndexDefinitions();
  return m;
}

void MainCf::IndexDefinitions() {
  // Sized once: growing the name index while inserting dominated big files.
  // Open addressing at most half full: one probe on average.
  size_t buckets = 16;
  while (buckets < 2 * definitions_.size()) buckets *= 2;
  index_.assign(buckets, 0);
  effective_.reserve(definitions_.size());
  // The buckets of big files are far apart in memory: each name's hash is
  // computed kAhead definitions early and its bucket prefetched.
  constexpr uint32_t kAhead = 8;
  std::array<uint64_t, kAhead> ahead{};
  const size_t mask = index_.size() - 1;
  const auto n = static_cast<uint32_t>(definitions_.size());
  for (uint32_t i = 0; i < std::min(kAhead, n); ++i) ahead[i] = NameHash(definitions_[i].name);
  for (uint32_t index = 0; index < n; ++index) {
    const MainCfDefinition& d = definitions_[index];
    const uint64_t hash = ahead[index % kAhead];
    if (index + kAhead < n) {
      const uint64_t next = NameHash(definitions_[index + kAhead].name);
      ahead[index % kAhead] = next;
      __builtin_prefetch(&index_[next & mask]);
    }
    uint64_t& bucket = index_[Probe(d.name, hash)];
    if (bucket == 0) {
      effective_.push_back(index);
      bucket = (hash & kTagMask) | effective_.size();  // slot + 1
    } else {
      uint32_t& last = effective_[(bucket & kSlotMask) - 1];
      overrides_.push_back(MainCfOverride{last, index, definitions_[last].value != d.value});
      last = index;
    }
  }
}

size_t MainCf::Probe(std::string_view name, uint64_t hash) const {
  const size_t mask = index_.size() - 1;
  const uint64_t tag = hash & kTagMask;
  for (size_t b = hash & mask;; b = (b + 1) & mask) {
    const uint64_t e = index_[b];
    if (e == 0) return b;
    if ((e & kTagMask) == tag && definitions_[effective_[(e & kSlotMask) - 1]].name == name) return b;
  }
}

const MainCfDefinition* MainCf::Find(std::string_view name) const {
  if (index_.empty()) return nullptr;
  uint64_t bucket = index_[Probe(name, NameHash(name))];
  return bucket == 0 ? nullptr : &definitions_[effective_[(bucket & kSlotMask) - 1]];
}

std::optional<std::string_view> MainCf::Value(std::string_view name) const {
  const MainCfDefinition* d = Find(name);
  if (d == nullptr) return std::nullopt;
  return std::string_view(d->value);
}

const MainCfBadLine* MainCf::FirstFatal() const {
  for (const MainCfBadLine& b : bad_lines_) {
    if (b.fatal()) return &b;
  }
  return nullptr;
}

}  // namespace postvet
