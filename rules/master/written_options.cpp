#include "rules/master/written_options.hpp"

#include <fmt/format.h>

namespace postvet::master_rules {

std::vector<const MasterOverride*> WrittenOptions(const MasterService& service) {
  std::vector<const MasterOverride*> out;
  out.reserve(service.overrides.size() + service.stranded_overrides.size());
  for (const MasterOverride& ov : service.overrides) out.push_back(&ov);
  for (const MasterOverride& ov : service.stranded_overrides) out.push_back(&ov);
  return out;
}

std::string StrandedNote(const MasterService& service) {
  std::string_view first = service.daemon_args.empty() ? std::string_view("--") : service.daemon_args.front().text;
  return fmt::format("the daemon never reads this option: its options already ended at `{}`, so it is a "
                     "command-line argument too",
                     first);
}

}  // namespace postvet::master_rules
