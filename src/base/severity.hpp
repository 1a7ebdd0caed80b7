// Severity: how serious a finding is (info < warning < error), with its
// user-facing names. Shared by the diagnostics, the project config
// (severity_<ID>, fail_on) and the reporters.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace postvet {

enum class Severity : uint8_t { kInfo, kWarning, kError };

/// "info", "warning", "error".
std::string_view SeverityName(Severity s);
/// Parses "info", "warning", "error".
std::optional<Severity> SeverityFromName(std::string_view name);

}  // namespace postvet
