// Scaffolding, replaced by the master.cf model work.
#include "src/cli/show_master.hpp"

#include <cstdio>

namespace postvet {

int ShowMasterFields(const std::string&) {
  std::fputs("postvet: show --fields: not implemented yet\n", stderr);
  return 2;
}
int ShowMasterParams(const std::string&) {
  std::fputs("postvet: show --params: not implemented yet\n", stderr);
  return 2;
}

}  // namespace postvet
