// TemplateKind: which template language a configuration file is written in
// (Jinja2 as Ansible and Salt use it, ERB as Puppet and Chef use it, Go's
// text/template), and how postvet tells: the `template` setting, then the
// file name's suffix (*.j2, *.jinja, *.jinja2, *.erb, *.tmpl, *.tpl), then
// the content (tags such as `{{ x }}`, `{% if %}`, `<%= x %>` on one line;
// not Postfix's inline tables, `pcre:{{/x/ REJECT}}`).
// Contract: detection only reads; a file that is no template is kNone and
// is linted exactly as before.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace postvet::tmpl {

enum class TemplateKind : uint8_t { kNone, kJinja, kErb, kGo };

/// What the user asked for: auto (name, then content), or one kind for
/// every file (none: never a template).
enum class TemplateSetting : uint8_t { kAuto, kNone, kJinja, kErb, kGo };

/// Parses "auto", "none", "jinja" (also "jinja2", "ansible", "salt"),
/// "erb", "go"; nullopt otherwise.
std::optional<TemplateSetting> ParseTemplateSetting(std::string_view text);
/// The name of `setting` as ParseTemplateSetting() reads it ("auto", "jinja", ...).
std::string_view TemplateSettingName(TemplateSetting setting);
/// The values ParseTemplateSetting() accepts, for messages and --help.
inline constexpr std::string_view kTemplateSettingValues = "auto, none, jinja, erb, go";

/// "Jinja2", "ERB", "Go template" (empty for kNone).
std::string_view TemplateKindName(TemplateKind kind);

/// The template suffix that ends `path`'s file name (".j2", ".erb", ...), or
/// "" when it has none.
std::string_view TemplateSuffix(std::string_view path);
/// `path` without its template suffix ("x/main.cf.j2" -> "x/main.cf").
std::string_view WithoutTemplateSuffix(std::string_view path);
/// Every suffix TemplateSuffix() knows, in the order a directory is
/// searched for `main.cf<suffix>` when main.cf itself is absent.
inline constexpr std::string_view kTemplateSuffixes[] = {".j2", ".jinja", ".jinja2", ".erb", ".tmpl", ".tpl"};

/// The kind of the file `path` holding `text`, as `setting` asks.
TemplateKind DetectTemplateKind(std::string_view path, std::string_view text, TemplateSetting setting);

}  // namespace postvet::tmpl
