// Rendering `postvet diff`'s result (src/run/diff_run.hpp): the changes of
// the effective configuration and the findings the change introduces, as
// text (input-derived text escaped for the terminal), as one JSON document
// ({"version", "changes", "new_findings"}), or, for the CI formats, the new
// findings alone in that format.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/status.hpp"
#include "src/diff/config_diff.hpp"
#include "src/engine/diagnostic.hpp"

namespace postvet::run {

/// What a diff found, ready to render.
struct DiffResult {
  std::vector<ConfigChange> changes;
  std::vector<Diagnostic> introduced;  // findings of NEW that OLD does not have
  std::set<std::string> acks;          // subjects NEW acknowledges (expect-change)
  std::string new_path;                // NEW as given
};

/// Takes output as it is produced.
using DiffWriteFn = std::function<void(std::string_view)>;

/// The report in `format` (text, json, or a reporter's format name); an
/// error for an unknown format.
Result<std::string> RenderDiff(const DiffResult& result, const std::string& format);
/// RenderDiff(), handed to `write` in pieces as it is produced (the findings
/// stream as RenderTo() streams them); nothing is written for an unknown
/// format.
Status RenderDiffTo(const DiffResult& result, const std::string& format, const DiffWriteFn& write);

}  // namespace postvet::run
