// Writing a report, statistics or baseline to the file the user named
// (--output, --generate-baseline), piece by piece, so that a big report is
// never held whole in memory (issue 20).
//
// Contract: an existing regular file is replaced atomically, as
// WriteFileAtomically() (src/fix/edits.hpp) does it: a temporary file beside
// it, its owner (when root) and mode, fsync, rename. Anything else is
// opened and written in place: a new file is created, and a device (such as
// /dev/null), a FIFO or a link to one is written to, never replaced by a
// regular file. When the atomic replacement fails (say the directory is not
// writable), the file is written in place instead, so `render` may be called
// twice; it must produce the same bytes each time.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace postvet::run {

/// Takes output as it is produced.
using WriteFn = std::function<void(std::string_view)>;

/// Writes what `render` hands its WriteFn to `path` (see above). False, with
/// "postvet: PATH: cannot write" on stderr, when the file cannot be written.
bool WriteReportFile(const std::string& path, const std::function<void(const WriteFn&)>& render);

}  // namespace postvet::run
