// `postvet check -`: linting standard input. `-` as the path reads the
// configuration file from stdin; --stdin-filename NAME names it in messages
// and patches and, unless --type says otherwise, decides its kind from the
// name (main.cf, master.cf, *.pcre, *_checks, ...). Without a name it is
// shown as `-`, and --type must say what it is.
//
// Contract: PlanStdin() refuses (Status, exit 2 for the caller) `-` among
// other paths, a second `-`, --fix (there is no file to write), a
// --stdin-filename without `-`, and a stdin whose kind neither --type nor
// the name gives. ReadAllBounded() reads at most kMaxInputBytes (the limit
// ReadSource() applies to files) and refuses more without reading it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/base/file_kind.hpp"
#include "src/base/status.hpp"

namespace postvet {

struct StdinPlan {
  bool used = false;  ///< `-` is the path
  std::string name;   ///< --stdin-filename, or "-"
  FileKind kind = FileKind::kMainCf;
};

/// What `paths` and the options ask of stdin (plan.used false: nothing).
Result<StdinPlan> PlanStdin(const std::vector<std::string>& paths, const std::string& stdin_filename,
                            const std::string& type, bool fix);

/// Every byte of `fd` up to EOF, refused once it passes kMaxInputBytes;
/// errors name `display`.
Result<std::string> ReadAllBounded(int fd, const std::string& display);

}  // namespace postvet
