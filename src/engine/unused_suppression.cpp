// PV004 unused-suppression, the engine's part: the directives that silenced
// nothing. Stale directives hide future findings on lines that have since
// changed, so they should go. Fix (safe): delete the directive line, or only
// the unused IDs when others in the list are still in use. The rule's
// registration (ID, slug, doc) is rules/input/unused_suppression_rule.cpp.
#include "src/engine/unused_suppression.hpp"

#include <fmt/format.h>

namespace postvet {
namespace {

std::string_view KindWord(SuppressionDirective::Kind kind) {
  switch (kind) {
    case SuppressionDirective::Kind::kDisable: return "disable";
    case SuppressionDirective::Kind::kDisableFile: return "disable-file";
    case SuppressionDirective::Kind::kEnable: return "enable";
    case SuppressionDirective::Kind::kExpectChange: return "expect-change";
    case SuppressionDirective::Kind::kMalformed: break;
  }
  return "?";
}

}  // namespace

void ReportUnusedSuppressions(const Source& source, const Suppressions& sup,
                              const std::function<DirectiveTarget(std::string_view)>& target, Sink& sink) {
  for (const SuppressionDirective& d : sup.directives()) {
    if (d.kind == SuppressionDirective::Kind::kMalformed) {
      Diagnostic& diag =
          sink.Report({&source, d.line_begin, d.line_end - (source.text()[d.line_end - 1] == '\n' ? 1 : 0)},
                      fmt::format("malformed postvet directive: {}", d.problem), "malformed");
      diag.notes.push_back({{}, "it silences nothing"});
      continue;
    }
    if (d.kind == SuppressionDirective::Kind::kExpectChange) continue;  // postvet diff reads these
    std::vector<size_t> unused;
    std::vector<std::string> messages;
    for (size_t i = 0; i < d.ids.size(); ++i) {
      DirectiveTarget t = target(d.ids[i]);
      if (t == DirectiveTarget::kRuleNotRun || d.used[i]) continue;
      unused.push_back(i);
      messages.push_back(t == DirectiveTarget::kUnknownRule
                             ? fmt::format("`{}` names no postvet rule", d.ids[i])
                         : d.kind == SuppressionDirective::Kind::kEnable
                             ? fmt::format("`enable={}` closes no `disable={}` range", d.ids[i], d.ids[i])
                             : fmt::format("`{}={}` silenced nothing", KindWord(d.kind), d.ids[i]));
    }
    if (unused.empty()) continue;
    // Fix: drop the whole line when no ID is left, else just the unused IDs.
    Fix fix;
    fix.applicability = Applicability::kSafe;
    if (unused.size() == d.ids.size()) {
      fix.description = "delete the directive";
      fix.edits.push_back({&source, d.line_begin, d.line_end, ""});
    } else {
      std::string kept;
      for (size_t i = 0; i < d.ids.size(); ++i) {
        if (std::find(unused.begin(), unused.end(), i) != unused.end()) continue;
        if (!kept.empty()) kept += ',';
        kept += d.ids[i];
      }
      fix.description = "remove the unused IDs from the directive";
      fix.edits.push_back({&source, d.ids_begin, d.ids_end, kept});
    }
    for (size_t k = 0; k < unused.size(); ++k) {
      size_t i = unused[k];
      uint32_t b = d.id_begins[i];
      Diagnostic& diag = sink.Report({&source, b, b + static_cast<uint32_t>(d.ids[i].size())}, messages[k],
                                     std::string(d.ids[i]));
      if (k == 0) diag.fix = fix;  // one fix for the whole directive
    }
  }
}

}  // namespace postvet
