// Regex: compiling and matching one regexp: (glibc regcomp/regexec) or pcre:
// (PCRE2) pattern as Postfix does (regex_engine.hpp); risky POSIX matches run
// through WatchedRegexec() (watched_regexec.hpp).
#include "src/match/regex_engine.hpp"

#include <locale.h>
#include <regex.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>

#include <fmt/format.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "src/match/backtrack_risk.hpp"
#include "src/match/regcomp_cost.hpp"
#include "src/match/watched_regexec.hpp"

namespace postvet {
namespace {

// Both libraries take C strings: Postfix hands them the text up to the first NUL.
std::string CString(std::string_view text) {
  size_t nul = text.find('\0');
  return std::string(nul == std::string_view::npos ? text : text.substr(0, nul));
}

// regerror() into a buffer of the size dict_regexp.c uses (256 bytes).
std::string PosixError(int code, const regex_t* re) {
  char buf[256];
  regerror(code, re, buf, sizeof(buf));
  return std::string(buf);
}

// dict_pcre_get_error(): the PCRE2 text, or Postfix's fallback wording.
std::string PcreError(int code) {
  PCRE2_UCHAR buf[256];
  int len = pcre2_get_error_message(code, buf, sizeof(buf));
  if (len > 0) return std::string(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
  return fmt::format("unexpected pcre2 error code {}", code);
}

// Postfix never calls setlocale(), so its regcomp()/regexec() run in the C
// locale (bytes, not multibyte characters). Pin that for the duration of a
// call, whatever locale the rest of the process uses.
class CLocaleScope {
 public:
  CLocaleScope() {
    static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
    if (c_locale != static_cast<locale_t>(nullptr)) previous_ = uselocale(c_locale);
  }
  ~CLocaleScope() {
    if (previous_ != static_cast<locale_t>(nullptr)) uselocale(previous_);
  }
  CLocaleScope(const CLocaleScope&) = delete;
  CLocaleScope& operator=(const CLocaleScope&) = delete;

 private:
  locale_t previous_ = static_cast<locale_t>(nullptr);
};

// Patterns glibc's regcomp() cannot compile within bounded time, memory and
// stack, which postvet refuses with a message saying so (Postfix would spend
// the same, or crash). regcomp() parses groups by recursion, several hundred
// bytes of stack per level: about 12,000 nested groups overflow an 8 MB
// stack. And it needs about 200 bytes of memory per pattern byte (a 30 MB
// pattern takes 15 s and 6.6 GB in postmap too). Counting every '(' (escaped
// or not, bracketed or not) over-estimates the depth; that only matters for
// patterns far past any real use, as do both limits.
// Stacked or nested repetition is unrolled (regcomp_cost.hpp): 2^18 copies
// already take postmap 0.14 s and 180 MB, each further `+` doubles that.
constexpr int kMaxPosixNesting = 2000;
constexpr size_t kMaxPosixPatternBytes = size_t{1} << 20;
constexpr uint64_t kMaxPosixAtoms = 250000;

std::optional<std::string> RegcompRefusal(const std::string& text, int cflags, bool charge) {
  if (text.size() > kMaxPosixPatternBytes) {
    return fmt::format("pattern longer than {} bytes: postvet does not compile it (glibc regcomp would need "
                       "gigabytes)", kMaxPosixPatternBytes);
  }
  int depth = 0;
  for (char c : text) {
    if (c == '(' && ++depth > kMaxPosixNesting) {
      return fmt::format("parentheses nested deeper than {}: postvet does not compile this (glibc regcomp "
                         "would overflow its stack)", kMaxPosixNesting);
    }
    if (c == ')' && depth > 0) --depth;
  }
  uint64_t atoms = EstimateRegcompAtoms(text, (cflags & REG_EXTENDED) != 0);
  if (atoms > kMaxPosixAtoms) {
    return fmt::format("repetition unrolls to about {} copies of a character (more than {}): postvet does not "
                       "compile this (glibc regcomp, and so postmap, would need gigabytes)",
                       atoms, kMaxPosixAtoms);
  }
  if (charge && !ChargeRunRegcompBudget(UnrolledCharge(atoms, text.size()))) {
    return fmt::format("repetition unrolls to about {} copies of a character, more than the {} left of postvet's "
                       "budget of {} for all patterns of one run: postvet does not compile this (glibc regcomp, and "
                       "so postmap, would need gigabytes for these patterns together)",
                       atoms, RunRegcompBudgetLeft(), kMaxRunUnrolledAtoms);
  }
  return std::nullopt;
}

// The match limits every PCRE2 match runs under: one context for all
// patterns (pcre2_match() only reads it), made on first use.
const pcre2_match_context* SharedMatchContext() {
  static pcre2_match_context* const context = [] {
    pcre2_match_context* c = pcre2_match_context_create(nullptr);
    if (c != nullptr) {
      pcre2_set_match_limit(c, kPcreMatchLimit);
      pcre2_set_depth_limit(c, kPcreDepthLimit);
      pcre2_set_heap_limit(c, kPcreHeapLimitKib);
    }
    return c;
  }();
  return context;
}

}  // namespace

// One compiled pattern. With Residency::kOnDemand the compiled code is
// released right after the first compile (which decided the outcome) and
// made again, once, by the first Match() (under a process-wide mutex: such
// recompiles are rare, and a lock per pattern would cost memory).
struct Regex::Impl {
  regex_t posix{};
  pcre2_code* pcre = nullptr;
  // The C string compiled: for kOnDemand the caller's bytes, to compile them
  // again; for a resident POSIX pattern that the analysis may flag
  // (MayBacktrack()), a copy in `owned`; else empty.
  std::string_view pattern;
  std::unique_ptr<std::string> owned;
  // A recompile failed (out of memory): Match() reports this text.
  std::unique_ptr<std::string> recompile_error;
  uint32_t options = 0;  // regcomp() cflags or PCRE2 compile options
  mutable std::atomic<int8_t> posix_risky{-1};  // -1 unknown, 0 no, 1 yes (analysis on first Match())
  // The compiled code is present (kResident, or compiled again already).
  mutable std::atomic<bool> ready{false};
  bool posix_compiled = false;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() { Release(); }

  void Release() {
    if (posix_compiled) regfree(&posix);
    posix_compiled = false;
    if (pcre != nullptr) pcre2_code_free(pcre);
    pcre = nullptr;
  }
};

struct Regex::Stored : Regex {
  explicit Stored(RegexDialect dialect) : Regex(dialect, &impl) {}
  Impl impl;
};

uint32_t DefaultRegexOptions(RegexDialect dialect) {
  if (dialect == RegexDialect::kPosix) return REG_EXTENDED | REG_ICASE;
  return PCRE2_CASELESS | PCRE2_DOTALL;
}

FlagKind ApplyRegexFlag(RegexDialect dialect, char flag, uint32_t* options) {
  uint32_t bit = 0;
  if (dialect == RegexDialect::kPosix) {
    // dict_regexp_get_pat(): only i, m and x are known.
    switch (flag) {
      case 'i': bit = REG_ICASE; break;
      case 'm': bit = REG_NEWLINE; break;
      case 'x': bit = REG_EXTENDED; break;
      default: return FlagKind::kUnknown;
    }
  } else {
    // dict_pcre_get_pattern(); X was PCRE_EXTRA, which PCRE2 does not have.
    switch (flag) {
      case 'i': bit = PCRE2_CASELESS; break;
      case 'm': bit = PCRE2_MULTILINE; break;
      case 's': bit = PCRE2_DOTALL; break;
      case 'x': bit = PCRE2_EXTENDED; break;
      case 'A': bit = PCRE2_ANCHORED; break;
      case 'E': bit = PCRE2_DOLLAR_ENDONLY; break;
      case 'U': bit = PCRE2_UNGREEDY; break;
      case 'X': return FlagKind::kObsolete;
      default: return FlagKind::kUnknown;
    }
  }
  *options ^= bit;
  return FlagKind::kToggle;
}

bool IsCaseSensitive(RegexDialect dialect, uint32_t options) {
  return (options & (dialect == RegexDialect::kPosix ? uint32_t{REG_ICASE}
                                                     : uint32_t{PCRE2_CASELESS})) == 0;
}

Pcre1ExecError Pcre1ExecErrorOf(int pcre2_code) {
  // The PCRE_ERROR_* numbers of pcre.h (PCRE 8.x).
  switch (pcre2_code) {
    case PCRE2_ERROR_NULL: return {"PCRE_ERROR_NULL", -2};
    case PCRE2_ERROR_BADOPTION: return {"PCRE_ERROR_BADOPTION", -3};
    case PCRE2_ERROR_BADMAGIC: return {"PCRE_ERROR_BADMAGIC", -4};
    case PCRE2_ERROR_NOMEMORY: return {"PCRE_ERROR_NOMEMORY", -6};
    case PCRE2_ERROR_MATCHLIMIT: return {"PCRE_ERROR_MATCHLIMIT", -8};
    case PCRE2_ERROR_DEPTHLIMIT:
    case PCRE2_ERROR_HEAPLIMIT: return {"PCRE_ERROR_RECURSIONLIMIT", -21};
    default: return {std::string_view(), pcre2_code};
  }
}

Regex::~Regex() = default;

std::string Regex::ChargePosixBudget(std::string_view pattern, uint32_t options, bool need_groups) {
  std::string text = CString(pattern);
  int cflags = static_cast<int>(options) | (need_groups ? 0 : REG_NOSUB);
  return RegcompRefusal(text, cflags, true).value_or(std::string());
}

Result<std::shared_ptr<const Regex>> Regex::Compile(RegexDialect dialect, std::string_view pattern,
                                                    uint32_t options, bool need_groups, bool charged,
                                                    Residency residency) {
  const bool keep = residency == Residency::kResident;
  // The C string Postfix passes: the bytes before the first NUL.
  const std::string_view cut = pattern.substr(0, std::min(pattern.find('\0'), pattern.size()));
  auto regex = std::make_shared<Stored>(dialect);
  Impl& impl = regex->impl;
  if (dialect == RegexDialect::kPosix) {
    std::string text(cut);
    int cflags = static_cast<int>(options) | (need_groups ? 0 : REG_NOSUB);
    if (std::optional<std::string> refusal = RegcompRefusal(text, cflags, !charged)) return Status::Error(*refusal);
    CLocaleScope c_locale;
    int rc = regcomp(&impl.posix, text.c_str(), cflags);
    if (rc != 0) {
      std::string message = PosixError(rc, &impl.posix);
      return Status::Error(message);
    }
    impl.posix_compiled = true;
    impl.options = static_cast<uint32_t>(cflags);
    regex->capture_count_ = impl.posix.re_nsub;
    if (!MayBacktrack(text, false)) impl.posix_risky.store(0);
    if (!keep) {
      impl.pattern = cut;
      impl.Release();
    } else {
      if (impl.posix_risky.load() != 0) {
        impl.owned = std::make_unique<std::string>(std::move(text));
        impl.pattern = *impl.owned;
      }
      impl.ready.store(true);
    }
    return std::shared_ptr<const Regex>(std::move(regex));
  }
  int error = 0;
  PCRE2_SIZE offset = 0;
  impl.pcre = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(cut.data()), cut.size(), options, &error, &offset,
                            nullptr);
  if (impl.pcre == nullptr) {
    return Status::Error(fmt::format("error in regex at offset {}: {}", offset, PcreError(error)));
  }
  uint32_t groups = 0;
  pcre2_pattern_info(impl.pcre, PCRE2_INFO_CAPTURECOUNT, &groups);
  regex->capture_count_ = groups;
  SharedMatchContext();  // made here, not in a match running on several threads
  impl.options = options;
  if (keep) {
    impl.ready.store(true);
  } else {
    impl.pattern = cut;
    impl.Release();
  }
  return std::shared_ptr<const Regex>(std::move(regex));
}

bool Regex::EnsureCompiled() const {
  if (impl_->ready.load(std::memory_order_acquire)) return impl_->recompile_error == nullptr;
  static std::mutex recompile;
  std::lock_guard<std::mutex> lock(recompile);
  if (impl_->ready.load(std::memory_order_relaxed)) return impl_->recompile_error == nullptr;
  Impl& impl = *impl_;  // only the compiled code changes, once, under the lock
  if (dialect_ == RegexDialect::kPosix) {
    CLocaleScope c_locale;
    const std::string text(impl.pattern);
    int rc = regcomp(&impl.posix, text.c_str(), static_cast<int>(impl.options));
    if (rc == 0) {
      impl.posix_compiled = true;
    } else {
      impl.recompile_error = std::make_unique<std::string>(PosixError(rc, &impl.posix));
    }
  } else {
    int error = 0;
    PCRE2_SIZE offset = 0;
    impl.pcre = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(impl.pattern.data()), impl.pattern.size(),
                              impl.options, &error, &offset, nullptr);
    if (impl.pcre == nullptr) impl.recompile_error = std::make_unique<std::string>(PcreError(error));
  }
  impl.ready.store(true, std::memory_order_release);
  return impl.recompile_error == nullptr;
}

MatchOutcome Regex::Match(std::string_view subject, size_t groups) const {
  MatchOutcome out;
  if (!EnsureCompiled()) {
    out.status = MatchStatus::kError;
    out.error = *impl_->recompile_error;
    return out;
  }
  std::string text = CString(subject);
  size_t wanted = std::min(groups, capture_count_) + 1;
  if (dialect_ == RegexDialect::kPosix) {
    std::vector<regmatch_t> spans(wanted);
    // dict_regexp_lookup() asks for no substrings when the result has no $n.
    size_t nmatch = groups > 0 ? wanted : 0;
    CLocaleScope c_locale;
    int risky = impl_->posix_risky.load();
    if (risky < 0) {
      const int cflags = static_cast<int>(impl_->options);
      risky = FindBacktrackRisk(impl_->pattern, false, (cflags & REG_EXTENDED) != 0, (cflags & REG_ICASE) != 0)
                      .has_value()
                  ? 1
                  : 0;
      impl_->posix_risky.store(static_cast<int8_t>(risky));
    }
    int rc = 0;
    if (risky == 1 && nmatch <= 10) {
      std::string error;
      std::optional<int> watched = WatchedRegexec(&impl_->posix, text.c_str(), nmatch, spans.data(), &error);
      if (!watched) {
        out.status = MatchStatus::kError;
        out.error = error;
        return out;
      }
      rc = *watched;
    } else {
      rc = regexec(&impl_->posix, text.c_str(), nmatch, nmatch > 0 ? spans.data() : nullptr, 0);
    }
    if (rc == REG_NOMATCH) return out;
    if (rc != 0) {
      out.status = MatchStatus::kError;
      out.error = PosixError(rc, &impl_->posix);
      return out;
    }
    out.status = MatchStatus::kMatch;
    for (size_t i = 0; i < nmatch; ++i) {
      if (spans[i].rm_so < 0) {
        out.groups.push_back(GroupSpan{});
      } else {
        out.groups.push_back(GroupSpan{spans[i].rm_so, spans[i].rm_eo});
      }
    }
    return out;
  }
  pcre2_match_data* data = pcre2_match_data_create_from_pattern(impl_->pcre, nullptr);
  if (data == nullptr) {
    out.status = MatchStatus::kError;
    out.error = PcreError(PCRE2_ERROR_NOMEMORY);
    out.pcre_code = PCRE2_ERROR_NOMEMORY;
    return out;
  }
  int rc = pcre2_match(impl_->pcre, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0,
                       data, const_cast<pcre2_match_context*>(SharedMatchContext()));
  if (rc > 0) {
    out.status = MatchStatus::kMatch;
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
    uint32_t pairs = pcre2_get_ovector_count(data);
    for (size_t i = 0; i < wanted && i < pairs; ++i) {
      PCRE2_SIZE b = ovector[2 * i];
      PCRE2_SIZE e = ovector[2 * i + 1];
      if (b == PCRE2_UNSET || e == PCRE2_UNSET) {
        out.groups.push_back(GroupSpan{});
      } else {
        out.groups.push_back(
            GroupSpan{static_cast<std::ptrdiff_t>(b), static_cast<std::ptrdiff_t>(e)});
      }
    }
  } else if (rc != PCRE2_ERROR_NOMATCH) {
    out.status = MatchStatus::kError;
    out.error = PcreError(rc);
    out.pcre_code = rc;
  }
  pcre2_match_data_free(data);
  return out;
}

}  // namespace postvet
