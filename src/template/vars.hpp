// Template variables: the values a `--vars FILE` (or the `vars` key of
// .postvet.cf) gives a template's variables, read from JSON
// (src/base/json_reader) or YAML (libyaml), so that simple expressions
// (`{{ relay }}`, `{{ tls.level }}`, `{{ .relay }}`, `<%= @relay %>`) can be
// rendered with their real value (src/template/render.hpp).
// Contract: the file's top level is a mapping of names; values are kept as a
// tree of mappings and scalars (strings, numbers, booleans); lists and nulls
// are kept as "other" (never rendered). A file that cannot be read or parsed
// is a Status naming the file and the line. Reading is bounded: nesting is at
// most kMaxVarsDepth deep and a YAML file (whose aliases could multiply
// nodes) yields at most kMaxVarsNodes values.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "src/base/status.hpp"

namespace postvet::tmpl {

inline constexpr int kMaxVarsDepth = 64;
inline constexpr uint32_t kMaxVarsNodes = 1'000'000;

struct VarValue {
  enum class Type : uint8_t { kString, kNumber, kBool, kMap, kOther };
  Type type = Type::kOther;
  std::string text;  // kString: the string; kNumber: the number as written (YAML) or printed (JSON)
  bool boolean = false;
  std::map<std::string, VarValue, std::less<>> members;  // kMap
};

class Vars {
 public:
  std::string display;  // the file, as named to the user
  VarValue root;        // a kMap

  /// The value at `dotted` ("relay", "tls.level"), or null when undefined.
  const VarValue* Find(std::string_view dotted) const;
};

/// Parses `text` (the file `name`) as JSON when `yaml` is false, else YAML.
Result<Vars> ParseVars(std::string_view text, const std::string& name, bool yaml);

/// Reads the vars file `path` (shown as `display`): YAML when its name ends
/// in .yml or .yaml, JSON when it ends in .json, else YAML unless its first
/// non-blank byte is '{' (YAML reads most JSON too).
Result<std::shared_ptr<const Vars>> ReadVars(const std::string& path, const std::string& display);

}  // namespace postvet::tmpl
