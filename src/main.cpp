// postvet entry point: tunes the allocator, then hands the command line to
// the CLI layer.
#include <malloc.h>

#include "src/cli/cli.hpp"

int main(int argc, char** argv) {
  // postvet is a short-lived process that may build and drop big models (a
  // 100,000-rule table is ~600 MB of regcomp() trees, built once by the
  // pattern collector and once for real). Keeping freed memory instead of
  // returning it to the OS saves faulting the same pages in again: that
  // table's check went from 0.75 s to 0.71 s. (A larger M_TOP_PAD was
  // faster still but added 7 MB to the peak RSS of `show`; bench/README.md.)
  // Under ASan the call is ignored.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  return postvet::RunCli(argc, argv);
}
