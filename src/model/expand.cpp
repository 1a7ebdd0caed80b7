// Re-implementation of mac_parse() and mac_expand() (Postfix 3.7). The code
// follows the structure of the Postfix routines so that the order of
// warnings, the status bits and the places where processing stops are the
// same; see the comments for the Postfix quirks that are kept on purpose.
#include "src/model/expand.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "src/model/expand_compare.hpp"

namespace postvet {
namespace {

using expand_detail::Comparison;
using expand_detail::Evaluate;
using expand_detail::ParseOp;
using expand_detail::RelOp;

constexpr int kStatusError = 1;  // MAC_PARSE_ERROR
constexpr int kStatusUndef = 2;  // MAC_PARSE_UNDEF

// Hard bounds of our own (Postfix has none for nested relational operands).
constexpr int kMaxDepth = 400;                   // nested callbacks, all contexts
// 1M callbacks is far beyond any real configuration, and keeps a failing
// expansion (e.g. a 2^60 blow-up that several rules expand) at tens of ms.
constexpr uint64_t kMaxSteps = 1'000'000;        // callbacks per expansion
constexpr size_t kMaxResultBytes = size_t{64} << 20;

// CHARS_SPACE: mac_expand's whitespace (no VT/FF).
bool IsExpandSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

size_t SpanSpace(std::string_view s, size_t pos) {
  size_t n = 0;
  while (pos + n < s.size() && IsExpandSpace(s[pos + n])) ++n;
  return n;
}

// printf's "%.20s".
std::string_view Max20(std::string_view s) { return s.substr(0, 20); }

uint32_t Shift(uint32_t base, size_t pos) {
  return base == kForeignOffset ? kForeignOffset : base + static_cast<uint32_t>(pos);
}

struct Shared {
  ExpandMode mode;
  const MacroLookup* lookup;
  const MacroNameSink* sink;
  MacroOutcome* out;
  MacroDialect dialect;
  int depth = 0;
  uint64_t steps = 0;
};

// One mac_expand() context (MAC_EXP_CONTEXT): relational operands get a new
// one, with a fresh nesting counter, exactly as in Postfix.
class Expander {
 public:
  Expander(Shared* shared, std::string* result) : sh_(shared), result_(result) {}

  int Run(std::string_view pattern, uint32_t base) { return Parse(pattern, base); }

 private:
  bool scan() const { return sh_->mode == ExpandMode::kScan; }

  int Fail(std::string message) {
    sh_->out->warnings.push_back(std::move(message));
    return status_ |= kStatusError;
  }

  // mac_parse(): split into literal text and $ expressions.
  int Parse(std::string_view value, uint32_t base) {
    std::string literal;
    int status = 0;
    size_t i = 0;
    const size_t n = value.size();
    while (i < n) {
      if (value[i] != '$') {  // copy the run up to the next $ at once
        size_t next = std::min(value.find('$', i), n);
        literal.append(value.substr(i, next - i));
        i = next;
        continue;
      }
      if (i + 1 < n && value[i + 1] == '$') {  // $$ is a literal $
        literal += '$';
        i += 2;
        continue;
      }
      if (!literal.empty()) {
        status |= Callback(false, literal, kForeignOffset);
        literal.clear();
      }
      ++i;
      std::string_view token;
      size_t token_pos = i;
      if (i < n && (value[i] == '{' || value[i] == '(')) {
        char open = value[i];
        char close = open == '{' ? '}' : ')';
        // Only the bracket kind that opened counts for nesting.
        int level = 1;
        size_t e = ++i;
        bool truncated = false;
        for (; level > 0; ++e) {
          if (e >= n) {
            sh_->out->warnings.push_back(fmt::format("truncated macro reference: \"{}\"", value));
            status |= kStatusError;
            truncated = true;
            break;
          }
          if (value[e] == open) ++level;
          if (value[e] == close) --level;
        }
        if (truncated) break;
        token_pos = i;
        token = value.substr(i, e - i - 1);
        i = e;
      } else {
        size_t e = i;
        while (e < n && (IsAsciiAlnum(value[e]) || value[e] == '_')) ++e;
        token = value.substr(i, e - i);
        i = e;
      }
      if (token.empty()) {
        status |= kStatusError;
        sh_->out->warnings.push_back(fmt::format("empty macro name: \"{}\"", value));
        break;
      }
      status |= Callback(true, token, Shift(base, token_pos));
    }
    if (!literal.empty() && (status & kStatusError) == 0) {
      status |= Callback(false, literal, kForeignOffset);
    }
    return status;
  }

  // mac_exp_extract_curly_payload(): `pos` is at '{'; on success it moves past
  // the matching '}' and the whitespace after it.
  std::optional<std::string_view> ExtractCurly(std::string_view expr, size_t* pos) {
    size_t cp = *pos + 1;
    int level = 1;
    for (;; ++cp) {
      if (cp >= expr.size()) {
        Fail(fmt::format("unbalanced {{}} in attribute expression: \"{}\"", expr.substr(*pos)));
        return std::nullopt;
      }
      if (expr[cp] == '{') {
        ++level;
      } else if (expr[cp] == '}' && --level <= 0) {
        break;
      }
    }
    std::string_view payload = expr.substr(*pos + 1, cp - *pos - 1);
    ++cp;
    *pos = cp + SpanSpace(expr, cp);
    return payload;
  }

  // A nested mac_expand() for a relational operand.
  int Nested(std::string_view text, uint32_t base, std::string* result) {
    Expander child(sh_, result);
    return child.Run(text, base);
  }

  // mac_exp_parse_relational(). Returns non-zero (the status) on error;
  // otherwise sets *lookup to "true", "" or (scan) nullopt.
  int ParseRelational(std::string_view expr, uint32_t base, size_t* pos,
                      std::optional<std::string_view>* lookup) {
    size_t cp = *pos;
    size_t left_pos = cp + 1;
    std::optional<std::string_view> left = ExtractCurly(expr, &cp);
    if (!left) return status_;
    size_t op_pos = cp;
    size_t op_len = 0;
    while (cp + op_len < expr.size() &&
           std::string_view("<>!=?+-*/~&|%").find(expr[cp + op_len]) != std::string_view::npos) {
      ++op_len;
    }
    std::string_view op_text = expr.substr(op_pos, op_len);
    RelOp op = ParseOp(op_text);
    if (op == RelOp::kNone) {
      // The doubled quotes are in Postfix's format string.
      return Fail(fmt::format(
          "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" expected at: \"...{}}}>>>{}\"",
          *left, Max20(expr.substr(cp))));
    }
    cp += op_len;
    bool level_compare = false;
    // Only with suffixes registered (mac_exp_ext_table, Postfix 3.6 and
    // later) does an alphanumeric after the operator start one.
    const std::vector<std::string_view>* suffixes = sh_->dialect.relop_suffixes;
    if ((suffixes == nullptr || !suffixes->empty()) && cp < expr.size() && IsAsciiAlnum(expr[cp])) {
      size_t type_pos = cp;
      size_t type_len = 1;
      while (cp + type_len < expr.size() && IsAsciiAlnum(expr[cp + type_len])) ++type_len;
      cp += type_len;
      // compat_level.c registers the "level" suffix for all six operators.
      std::string_view suffix = expr.substr(type_pos, type_len);
      if (suffixes != nullptr ? std::find(suffixes->begin(), suffixes->end(), suffix) == suffixes->end()
                              : suffix != "level") {
        return Fail(fmt::format("bad operator suffix at: \"...{}>>>{}\"", op_text,
                                expr.substr(type_pos, type_len)));
      }
      level_compare = true;
    }
    size_t ws = SpanSpace(expr, cp);
    if (cp + ws >= expr.size() || expr[cp + ws] != '{') {
      return Fail(fmt::format("\"{{expression}}\" expected at: \"...{{{}}} {}>>>{}\"", *left, op_text,
                              Max20(expr.substr(cp))));
    }
    cp += ws;
    size_t right_pos = cp + 1;
    std::optional<std::string_view> right = ExtractCurly(expr, &cp);
    if (!right) return status_;

    std::string left_value;
    std::string right_value;
    status_ |= Nested(*left, Shift(base, left_pos), &left_value);
    status_ |= Nested(*right, Shift(base, right_pos), &right_value);
    if (sh_->out->fatal) return status_ |= kStatusError;
    bool result = false;
    if (!scan()) {
      Comparison c = Evaluate(op, level_compare, left_value, right_value);
      if (c.fatal) {
        sh_->out->fatal = true;
        sh_->out->fatal_message = std::move(c.fatal_message);
        return status_ |= kStatusError;
      }
      if (!c.warning.empty()) {
        sh_->out->warnings.push_back(std::move(c.warning));
        status_ |= kStatusError;
      }
      result = c.result;
    }
    if (status_ & kStatusError) return status_;
    if (scan()) {
      *lookup = std::nullopt;
    } else {
      *lookup = result ? std::string_view("true") : std::string_view("");
    }
    *pos = cp;
    return 0;
  }

  void Append(std::string_view text) {
    if (result_ == nullptr) return;
    if (result_->size() + text.size() > kMaxResultBytes) {
      Fail("macro expansion result is unreasonably large");
      return;
    }
    result_->append(text);
  }

  // mac_expand_callback().
  int Callback(bool is_expr, std::string_view token, uint32_t base) {
    if (sh_->out->fatal) return status_ |= kStatusError;
    if (++sh_->steps > kMaxSteps) {
      if (sh_->steps == kMaxSteps + 1) Fail("macro expansion takes unreasonably many steps");
      return status_ |= kStatusError;
    }
    if (level_++ > kMacroNestingLimit) {
      sh_->out->warnings.push_back(fmt::format("unreasonable macro call nesting: \"{}\"", token));
      status_ |= kStatusError;
    }
    if (status_ & kStatusError) return status_;
    if (sh_->depth >= kMaxDepth) {
      return Fail(fmt::format("unreasonable macro call nesting: \"{}\"", token));
    }
    struct DepthGuard {
      int* d;
      explicit DepthGuard(int* depth) : d(depth) { ++*d; }
      ~DepthGuard() { --*d; }
    } guard(&sh_->depth);

    if (!is_expr) {
      if (!scan()) Append(token);
      --level_;
      return status_;
    }

    const std::string_view expr = token;
    const size_t n = expr.size();
    size_t cp = 0;
    char ch = 0;
    std::optional<std::string_view> lookup;
    size_t lead = SpanSpace(expr, 0);
    if (lead < n && expr[lead] == '{') {
      cp = lead;
      if (ParseRelational(expr, base, &cp, &lookup) != 0) return status_;
      ch = cp < n ? expr[cp] : '\0';
      if (ch != '\0') {
        if (ch != '?' && ch != ':') {
          return Fail(fmt::format("\"?\" or \":\" expected at: \"...}}>>>{}\"", Max20(expr.substr(cp))));
        }
        ++cp;
      }
    } else {
      size_t start = cp = lead;
      bool test = false;
      for (;; ++cp) {
        size_t ws = SpanSpace(expr, cp);
        ch = cp + ws < n ? expr[cp + ws] : '\0';
        if (ch == '\0') break;
        if (ch == '?' || ch == ':') {
          test = true;
          break;
        }
        ch = expr[cp];
        if (!IsAsciiAlnum(ch) && ch != '_') {
          return Fail(fmt::format("attribute name syntax error at: \"...{}>>>{}\"", expr.substr(0, cp),
                                  Max20(expr.substr(cp))));
        }
      }
      std::string_view name = expr.substr(start, cp - start);
      if (test) cp += 1 + SpanSpace(expr, cp);
      if (scan()) {
        if (sh_->sink != nullptr && *sh_->sink) (*sh_->sink)(name, Shift(base, start));
        lookup = std::nullopt;
      } else {
        lookup = (*sh_->lookup)(name, test);
      }
    }

    auto operand = [&](std::string_view* text, uint32_t* text_base) -> bool {
      size_t ws = SpanSpace(expr, cp);
      if (cp + ws < n && expr[cp + ws] == '{') {
        cp += ws;
        *text_base = Shift(base, cp + 1);
        std::optional<std::string_view> payload = ExtractCurly(expr, &cp);
        if (!payload) return false;
        *text = *payload;
      } else {
        // Pre-3.0 operand: all the remaining text, leading space included.
        *text = expr.substr(cp);
        *text_base = Shift(base, cp);
        cp = n;
      }
      return true;
    };

    bool lookup_nonempty = lookup.has_value() && !lookup->empty();
    switch (ch) {
      case '?': {
        std::string_view if_true;
        uint32_t true_base = 0;
        if (!operand(&if_true, &true_base)) return status_;
        if (lookup_nonempty || scan()) status_ |= Parse(if_true, true_base);
        if (cp >= n) break;
        if (expr[cp] != ':') {
          return Fail(fmt::format("\":\" expected at: \"...{}}}>>>{}\"", if_true, Max20(expr.substr(cp))));
        }
        ++cp;
        [[fallthrough]];
      }
      case ':': {
        std::string_view if_false;
        uint32_t false_base = 0;
        if (!operand(&if_false, &false_base)) return status_;
        if (!lookup_nonempty || scan()) status_ |= Parse(if_false, false_base);
        if (cp < n) {
          return Fail(fmt::format("unexpected input at: \"...{}}}>>>{}\"", if_false, Max20(expr.substr(cp))));
        }
        break;
      }
      default:
        if (!lookup.has_value()) {
          status_ |= kStatusUndef;
        } else if (lookup->empty() || scan()) {
          // nothing
        } else {
          // Recursion: the looked-up value is parsed again.
          std::string copy(*lookup);
          status_ |= Parse(copy, kForeignOffset);
        }
        break;
    }
    --level_;
    return status_;
  }

  Shared* sh_;
  std::string* result_;
  int status_ = 0;
  int level_ = 0;
};

}  // namespace

MacroOutcome MacroExpand(std::string_view text, ExpandMode mode, const MacroLookup& lookup,
                         const MacroNameSink& sink, MacroDialect dialect) {
  MacroOutcome out;
  Shared shared{mode, &lookup, &sink, &out, dialect};
  std::string* result = mode == ExpandMode::kScan ? nullptr : &out.value;
  Expander top(&shared, result);
  int status = top.Run(text, 0);
  out.error = (status & kStatusError) != 0 || out.fatal;
  out.undefined = (status & kStatusUndef) != 0;
  return out;
}

std::vector<MacroRef> ListMacroRefs(std::string_view value) {
  std::vector<MacroRef> refs;
  MacroNameSink sink = [&](std::string_view name, uint32_t offset) {
    if (offset == kForeignOffset) return;
    refs.push_back(MacroRef{value.substr(offset, name.size()), offset,
                            offset + static_cast<uint32_t>(name.size())});
  };
  MacroLookup none = [](std::string_view, bool) -> std::optional<std::string_view> { return std::nullopt; };
  MacroExpand(value, ExpandMode::kScan, none, sink);
  return refs;
}

}  // namespace postvet
