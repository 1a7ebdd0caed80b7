// The daemon's view of a master.cf entry's arguments. master(8) splits the
// words after its 8 fields with `{}` grouping and strips the braces of every
// word that starts with `{` (an extpar() error is fatal: master_ent.c). The
// service's daemon then reads them with getopt("+cdDi:lm:n:o:r:s:St:uvVz")
// (master/*_server.c): options end at the first non-option word or `--`;
// `-o` takes the rest of its word or the next word, which split_nameval()
// must accept, or the daemon dies with `invalid "-o X" option value: ...`.
// Format spec 5.3.
#include "src/model/master_detail.hpp"

namespace postvet::master_detail {
namespace {

// What master(8) hands the daemon for one word.
struct DaemonWord {
  TextSpan word;  // the word as split
  TextSpan text;  // what the daemon gets: braces stripped when it starts with '{'
  bool braced = false;
};

constexpr std::string_view kFlagLetters = "cdDlSuvVz";
constexpr std::string_view kValueLetters = "imnorst";

bool IsNonOption(std::string_view w) { return w.size() < 2 || w[0] != '-'; }

class DaemonArgsReader {
 public:
  DaemonArgsReader(const LogicalLine& line, MasterService* service)
      : line_(line), text_(line.text), service_(service) {}

  void Run(size_t pos) {
    while (auto w = NextGroupedWord(text_, &pos)) {
      DaemonWord dw{*w, *w, false};
      if (text_[w->begin] == '{') {
        Extracted ex = ExtractBraces(text_, *w);
        dw.text = ex.inner;
        dw.braced = true;
        if (!ex.error.empty()) AddProblem(MasterChecker::kMaster, ex.error, *w);
        brace_errors_.push_back(ex.error);
      } else {
        brace_errors_.emplace_back();
      }
      words_.push_back(dw);
    }
    size_t i = 0;
    while (i < words_.size()) {
      std::string_view w = Text(i);
      if (w == "--") {
        ++i;
        break;
      }
      if (IsNonOption(w)) break;
      size_t next = ReadOptionWord(i);
      if (next == kDied) return;
      i = next;
    }
    const size_t stop = i;
    const bool stopped_at_argument = i < words_.size() && (i == 0 || Text(i - 1) != "--");
    for (; i < words_.size(); ++i) service_->daemon_args.push_back(MakeWord(line_, words_[i].text));
    if (stopped_at_argument) ReadStrandedOptions(stop);
  }

 private:
  static constexpr size_t kDied = SIZE_MAX;

  std::string_view Text(size_t i) const { return words_[i].text.In(text_); }
  ByteRange WordRange(size_t i) const { return line_.Range(words_[i].word.begin, words_[i].word.end); }

  void AddProblem(MasterChecker checker, std::string message, TextSpan span) {
    if (stranded_) return;  // the daemon never reads these words as options
    ByteRange r = line_.Range(span.begin, span.end);
    service_->problems.push_back(MasterProblem{checker, true, -1, std::move(message), r.begin, r.end});
  }

  // `-o` words after the first argument: the daemon never reads them as
  // options, but their author meant them as options, so they are parsed the
  // same way (into stranded_overrides, without problems) for the rules to
  // describe. An `argv=` word ends the search: what follows it is a pipe(8)
  // or spawn(8) command line, whose `-o` words are the command's own.
  void ReadStrandedOptions(size_t from) {
    stranded_ = true;
    size_t j = from;
    while (j < words_.size()) {
      std::string_view w = Text(j);
      if (w.substr(0, 5) == "argv=") break;
      if (w.size() >= 2 && w[0] == '-' && w[1] == 'o') {
        j = ReadOverride(j, 1);
        if (j == kDied) break;
      } else {
        ++j;
      }
    }
    stranded_ = false;
  }

  // Reads the option letters of word i; returns the next word to read, or
  // kDied when getopt() fails (the daemon exits there).
  size_t ReadOptionWord(size_t i) {
    std::string_view w = Text(i);
    for (size_t j = 1; j < w.size(); ++j) {
      char c = w[j];
      if (kFlagLetters.find(c) != std::string_view::npos) continue;
      if (kValueLetters.find(c) != std::string_view::npos) {
        if (c == 'o') return ReadOverride(i, j);
        if (j + 1 < w.size()) return i + 1;
        if (i + 1 < words_.size()) return i + 2;
        AddProblem(MasterChecker::kDaemon, std::string("option requires an argument -- '") + c + "'",
                   words_[i].word);
        return kDied;
      }
      AddProblem(MasterChecker::kDaemon, std::string("invalid option: ") + c, words_[i].word);
      return kDied;
    }
    return i + 1;
  }

  size_t ReadOverride(size_t i, size_t j) {
    MasterOverride ov;
    TextSpan w = words_[i].text;
    size_t last = i;  // last word that belongs to the option
    TextSpan value;
    bool attached = w.begin + j + 1 < w.end;
    if (attached) {
      value = TextSpan{w.begin + j + 1, w.end};
      ov.form = j > 1 ? OverrideForm::kCombined
                : text_[value.begin] == '{' ? OverrideForm::kAttachedBrace
                                            : OverrideForm::kAttached;
      // postconf splits at every 'o' after the option letter (spec 5.3).
      ov.postconf_mangles = value.In(text_).find('o') != std::string_view::npos;
    } else if (i + 1 < words_.size()) {
      last = i + 1;
      value = words_[last].text;
      ov.form = j > 1 ? OverrideForm::kCombined
                : words_[last].braced ? OverrideForm::kBraced
                                      : OverrideForm::kSeparate;
      if (!brace_errors_[last].empty()) ov.error = brace_errors_[last];
    } else {
      ov.form = OverrideForm::kMissingValue;
      ov.error = "option requires an argument -- 'o'";
      ByteRange r = WordRange(i);
      ov.begin = r.begin;
      ov.end = r.end;
      ov.name_begin = ov.name_end = ov.value_begin = ov.value_end = r.end;
      AddProblem(MasterChecker::kDaemon, ov.error, words_[i].word);
      Keep(std::move(ov));
      return kDied;
    }
    NameValueSpans nv = SplitNameValue(text_, value);
    TextSpan name_span = nv.name;
    TextSpan value_span = nv.value;
    if (nv.error != nullptr) {
      std::string message = "invalid \"-o " + std::string(value.In(text_)) + "\" option value: " + nv.error;
      if (ov.error.empty()) ov.error = message;
      AddProblem(MasterChecker::kDaemon, std::move(message), value);
      // Describe what was meant, for the rules and their fixes.
      TextSpan trimmed = TrimSpan(text_, value);
      if (std::string_view(nv.error) == "missing attribute name") {
        ov.form = OverrideForm::kMissingName;
        name_span = TextSpan{trimmed.begin, trimmed.begin};
        value_span = trimmed;
      } else if (last + 1 < words_.size() && !Text(last + 1).empty() && Text(last + 1)[0] == '=') {
        // "-o name = value" or "-o name =value": the '=' went into later words.
        ov.form = OverrideForm::kSpaced;
        name_span = trimmed;
        size_t eq = ++last;
        TextSpan eq_text = words_[eq].text;
        if (eq_text.size() == 1 && eq + 1 < words_.size() && IsNonOption(Text(eq + 1))) {
          last = eq + 1;
          value_span = words_[last].text;
        } else {
          value_span = TextSpan{eq_text.begin + 1, eq_text.end};
        }
      } else {
        ov.form = OverrideForm::kNoEquals;
        name_span = trimmed;
        value_span = TextSpan{trimmed.end, trimmed.end};
      }
    }
    ov.name = std::string(name_span.In(text_));
    ov.value = std::string(value_span.In(text_));
    ByteRange whole{WordRange(i).begin, WordRange(last).end};
    ByteRange name_range = line_.Range(name_span.begin, name_span.end);
    ByteRange value_range = line_.Range(value_span.begin, value_span.end);
    ov.begin = whole.begin;
    ov.end = whole.end;
    ov.name_begin = name_range.begin;
    ov.name_end = name_range.end;
    ov.value_begin = value_range.begin;
    ov.value_end = value_range.end;
    size_t next = last + 1;
    ov.followed_by_argument = next < words_.size() && Text(next) != "--" && IsNonOption(Text(next));
    // The daemon would stop at the first malformed option; reading on lets
    // the rules report every one.
    Keep(std::move(ov));
    return next;
  }

  void Keep(MasterOverride ov) {
    ov.stranded = stranded_;
    (stranded_ ? service_->stranded_overrides : service_->overrides).push_back(std::move(ov));
  }

  const LogicalLine& line_;
  bool stranded_ = false;
  std::string_view text_;
  MasterService* service_;
  std::vector<DaemonWord> words_;
  std::vector<std::string> brace_errors_;  // per word; empty when none
};

}  // namespace

void ReadDaemonArgs(const LogicalLine& line, size_t pos, MasterService* service) {
  DaemonArgsReader(line, service).Run(pos);
}

}  // namespace postvet::master_detail
