// Applying fix edits to a file's bytes. An edit owns exactly the bytes
// [begin, end) it replaces; nothing else in the file changes. Fixes whose
// edits overlap an already accepted fix are refused whole, so two rules can
// never interleave their changes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "src/engine/diagnostic.hpp"
#include "src/base/status.hpp"

namespace postvet {

/// Which fixes to apply.
struct FixPolicy {
  bool unsafe = false;  // --unsafe-fixes
};

/// The fixes chosen for one file, and what they did.
struct FileFix {
  const Source* source = nullptr;
  std::vector<Edit> edits;          // sorted, non-overlapping
  std::vector<const Diagnostic*> applied;
  std::vector<const Diagnostic*> refused;  // overlapped an earlier fix
};

/// Groups the applicable fixes of `diagnostics` by file, refusing any fix
/// that overlaps one accepted before it (diagnostics are taken in order).
std::vector<FileFix> PlanFixes(const std::vector<Diagnostic>& diagnostics, const FixPolicy& policy);

/// `text` with `edits` (sorted, non-overlapping, offsets into `text`) applied.
std::string ApplyEdits(std::string_view text, const std::vector<Edit>& edits);

/// Replaces the file at `path` with `contents` atomically: a temporary file in
/// the same directory, same (when permitted) owner and mode, fsync, rename.
/// For report and baseline files; `check --fix` writes through
/// FixTransaction (src/fix/transaction.hpp), which guards far more.
Status WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace postvet
