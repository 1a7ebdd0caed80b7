// PV002 unreadable-input: a file the configuration needs that cannot be
// read as Postfix would read it: a table that main.cf or master.cf names but
// that is missing, unreadable or a directory (the daemon using it fails at
// run time), or a file with NUL bytes (Postfix reads each line as a C
// string, so everything after the NUL is silently lost) or binary content.
// Files named on the command line that cannot be read are tool errors
// (exit 2), not findings.
#include <cstring>

#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

// Control bytes other than the whitespace Postfix accepts, in the first 4 KiB.
bool LooksBinary(std::string_view text) {
  std::string_view head = text.substr(0, 4096);
  size_t odd = 0;
  for (char c : head) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\t' && c != '\r' && c != '\v' && c != '\f') ++odd;
  }
  return !head.empty() && odd * 10 > head.size();
}

class UnreadableInput : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV002",
            .slug = "unreadable-input",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "file missing, unreadable, a directory, contains NUL bytes, or is not text",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kMainCf, FileKind::kMasterCf, FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, true};
  }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    for (const LoadProblem& p : ctx.problems()) {
      if (p.where.source == nullptr) continue;  // command-line paths are tool errors
      sink.Report(p.where, fmt::format("{}: {}", p.path, p.message), p.path);
    }
  }

  void CheckFile(const LintContext& /*ctx*/, const InputFile& file, Sink& sink) const override {
    std::string_view text = file.source->text();
    if (LooksBinary(text)) {
      Diagnostic& d = sink.Report({file.source.get(), 0, 0}, "this is not a text file", "binary");
      d.notes.push_back({{}, "Postfix would read garbage from it"});
      return;
    }
    const void* nul = std::memchr(text.data(), '\0', text.size());
    if (nul != nullptr) {
      auto at = static_cast<uint32_t>(static_cast<const char*>(nul) - text.data());
      Diagnostic& d = sink.Report({file.source.get(), at, at + 1}, "this line contains a NUL byte", "nul");
      d.notes.push_back({{}, "Postfix reads each line as a C string and ignores the rest of this logical line"});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewUnreadableInputRule() { return std::make_unique<UnreadableInput>(); }

}  // namespace postvet
