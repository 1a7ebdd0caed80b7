// MakeConfig(): a configuration held in memory for rule and facts tests, as
// the loader would build it for directory "d": main.cf, and master.cf when
// given, parsed into a LintContext with `config` as its .postvet.cf.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "src/base/file_kind.hpp"
#include "src/base/source.hpp"
#include "src/config/lint_context.hpp"
#include "src/config/project_config.hpp"

inline std::unique_ptr<postvet::LintContext> MakeConfig(const std::string& main_cf,
                                                        const std::string& master_cf = "",
                                                        postvet::ProjectConfig config = {}) {
  using postvet::FileKind;
  using postvet::Source;
  auto ctx = std::make_unique<postvet::LintContext>("d", std::move(config));
  ctx->AddFile(Source("d/main.cf", "d/main.cf", main_cf), FileKind::kMainCf);
  if (!master_cf.empty()) ctx->AddFile(Source("d/master.cf", "d/master.cf", master_cf), FileKind::kMasterCf);
  return ctx;
}
