// PV403 unindented-option: an `-o` line (or another argument line) of a
// master.cf service starts at column 0. Postfix's reader (readllines())
// continues a logical line only with lines that start with whitespace, so
// this line becomes an entry of its own: with fewer than 8 words postconf
// and master(8) refuse the whole file ("bad field count"), with 8 or more
// the "service" `-o` has an invalid type field. Either way the option never
// reaches the service above it. Fires on an entry whose first word starts
// with `-`, or, after a pipe(8)/spawn(8) service, on a short entry whose
// first word is an `attribute=value` argument (flags=, user=, argv=).
// Fix (safe): indent the line like the service's other continuation lines
// (two spaces when it has none), which joins it to the service as meant.
// Offered only when a service precedes it and, for an `-o` line, that
// service's options are not followed by plain arguments (after which the
// daemon would no longer read `-o` as an option).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "src/facts/master/master_common.hpp"
#include "src/engine/rule.hpp"
#include "grammar/cst.hpp"

namespace postvet {
namespace {

using master_rules::CommandName;
using master_rules::Label;

// One logical line of master.cf: a service or a line Postfix rejects.
struct Entry {
  uint32_t begin = 0;
  uint32_t end = 0;
  const MasterService* service = nullptr;  // null for a bad line
  const MasterBadLine* bad = nullptr;
};

std::string_view FirstWord(std::string_view text, uint32_t begin, uint32_t end) {
  uint32_t e = begin;
  while (e < end && text[e] != ' ' && text[e] != '\t' && text[e] != '\r' && text[e] != '\n') ++e;
  return text.substr(begin, e - begin);
}

bool IsAttributeWord(std::string_view word) {
  size_t i = 0;
  while (i < word.size() && (std::isalnum(static_cast<unsigned char>(word[i])) || word[i] == '_')) ++i;
  return i > 0 && i < word.size() && word[i] == '=';
}

bool TakesArguments(const MasterService& svc) {
  std::string_view cmd = CommandName(svc);
  return cmd == "pipe" || cmd == "spawn";
}

// The indentation of the service's last continuation line, or two spaces.
std::string IndentOf(std::string_view text, const MasterService& svc) {
  std::string indent = "  ";
  for (uint32_t p = svc.begin; p < svc.end; ++p) {
    if (text[p] != '\n') continue;
    uint32_t q = p + 1;
    while (q < svc.end && (text[q] == ' ' || text[q] == '\t')) ++q;
    // Comment and blank lines inside the entry do not count.
    if (q > p + 1 && q < svc.end && text[q] != '#' && text[q] != '\n' && text[q] != '\r') {
      indent = std::string(text.substr(p + 1, q - p - 1));
    }
  }
  return indent;
}

class UnindentedOption : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV403",
            .slug = "unindented-option",
            .severity = Severity::kError,
            .fix = FixKind::kSafe,
            .summary = "an -o line (or other argument line) starts at column 0, so Postfix reads it as a new service",
            .doc = {}};
  }
  Subscription subscription() const override { return {{FileKind::kMasterCf}, {}, false, false}; }
  // The line is also a master.cf entry with too few fields (PV001): this
  // rule says why and how to fix it, so it alone reports the line.
  std::vector<std::string_view> subsumes() const override { return {"PV001"}; }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    const MasterCf& master = ctx.master_cf();
    if (master.source != file.source.get()) return;
    std::string_view text = file.source->text();

    std::vector<Entry> entries;
    for (const MasterService& s : master.services) entries.push_back({s.begin, s.end, &s, nullptr});
    for (const MasterBadLine& b : master.bad_lines) {
      if (!b.leading_whitespace) entries.push_back({b.begin, b.end, nullptr, &b});
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.begin < b.begin; });

    // The service the current run of argument lines follows, and whether
    // all lines since it were options.
    const MasterService* owner = nullptr;
    bool only_options = true;
    const MasterService* indent_of = nullptr;
    std::string indent;
    for (const Entry& e : entries) {
      std::string_view word = FirstWord(text, e.begin, e.end);
      bool option_line = !word.empty() && word[0] == '-';
      bool attribute_line = e.bad != nullptr && owner != nullptr && TakesArguments(*owner) && IsAttributeWord(word);
      if (!option_line && !attribute_line) {
        owner = e.service;  // null after a broken entry: nothing to join to
        only_options = true;
        continue;
      }
      if (owner != nullptr && owner != indent_of) {
        indent_of = owner;  // once per service: its entry may be long
        indent = IndentOf(text, *owner);
      }
      Report(ctx, e, word, owner, indent, option_line && only_options, sink);
      only_options = only_options && option_line;
    }
  }

 private:
  static void Report(const LintContext& ctx, const Entry& e, std::string_view word, const MasterService* owner,
                     const std::string& indent, bool options_so_far, Sink& sink) {
    const Source* src = ctx.master_cf().source;
    std::string why;
    if (e.bad != nullptr) {
      why = fmt::format("postconf and master(8) refuse the whole master.cf (\"{}\")", e.bad->postconf_message);
    } else {
      const MasterProblem* p = e.service->FirstFatal(MasterChecker::kPostconf);
      why = p != nullptr ? fmt::format("postconf and master(8) refuse the whole master.cf (\"{}\")", p->message)
                         : std::string("Postfix takes it for a service of its own");
    }
    std::string line(src->LineAt(e.begin));
    while (!line.empty() && IsSpace(line.back())) line.pop_back();
    std::string shown = line.size() > 60 ? line.substr(0, 57) + "..." : line;
    std::string message =
        owner != nullptr ? fmt::format("`{}` starts at column 0 instead of continuing service {}", shown, Label(*owner))
                         : fmt::format("`{}` starts at column 0", shown);
    Diagnostic& d = sink.Report({src, e.begin, e.begin + static_cast<uint32_t>(word.size())}, std::move(message),
                                line);
    if (owner == nullptr) {
      d.notes.push_back({Location{}, fmt::format("Postfix reads it as a new master.cf entry: {}", why)});
      d.notes.push_back({Location{}, "no service precedes it to continue"});
      return;
    }
    d.notes.push_back({{src, owner->begin, owner->begin + static_cast<uint32_t>(owner->name().size())},
                       fmt::format("service {} starts here", Label(*owner))});
    bool option_line = word[0] == '-';
    const bool fixable = !option_line || (options_so_far && owner->daemon_args.empty());
    if (!fixable) {
      // Joined after plain arguments, `-o` would be an argument too.
      d.notes.push_back({{src, e.begin, e.begin}, "not fixed automatically: the service's options are followed by "
                                                   "arguments, so move the option before them"});
    }
    d.notes.push_back({Location{}, fmt::format("Postfix reads it as a new master.cf entry, not as {} of service {} "
                                               "above: {}",
                                               option_line ? "an option" : "an argument", Label(*owner), why)});
    d.notes.push_back({Location{}, "indent it to continue that service"});
    if (!fixable) return;
    d.fix = Fix{Applicability::kSafe, "indent the line so that it continues the service above",
                {Edit{src, e.begin, e.begin, indent}}};
  }
};

}  // namespace

std::unique_ptr<Rule> NewUnindentedOptionRule() { return std::make_unique<UnindentedOption>(); }

}  // namespace postvet
