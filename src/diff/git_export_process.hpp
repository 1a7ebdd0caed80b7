// Running git (or any program) without a shell and reading what it prints,
// for `postvet diff --git` (src/diff/git_export.hpp) and for finding the
// files of a git work tree (src/diff/git_export_worktree.hpp).
//
// Contract: CaptureOutput() forks and execs argv[0] from $PATH with stdin
// `input_fd` (else /dev/null) and stderr /dev/null; it returns stdout when
// the program exits 0 having printed at most `limit` bytes, else nullopt
// (also when it cannot be started). The child gets TerminatingSignals()
// unblocked, whatever the parent holds.
#pragma once

#include <signal.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace postvet {

/// SIGINT, SIGTERM, SIGHUP and SIGQUIT: what ends a run from a terminal or
/// a supervisor (held while a ScratchDir exists).
sigset_t TerminatingSignals();

/// The standard output of `argv`, run to its end; see the contract above.
std::optional<std::string> CaptureOutput(const std::vector<std::string>& argv, size_t limit, int input_fd = -1);

}  // namespace postvet
