// The source revision this binary was built from, for `postvet --version`.
// Defined in one generated file (cmake/GitRevision.cmake, rerun at every
// build): a new commit recompiles that file only, not the tree.
#pragma once

namespace postvet {

/// `git describe --always --dirty` of the source tree at build time
/// (e.g. "464cbdf" or "v0.1.0-3-g464cbdf-dirty"), or "unknown" when the
/// tree was not a git checkout or git was not available.
const char* BuildRevision();

}  // namespace postvet
