// Tag scanner: finds the template tags of one file (`{{ }}`, `{% %}`,
// `{# #}` in Jinja2; `{{ }}` in Go templates; `<%= %>`, `<% %>`, `<%# %>` in
// ERB) and says what each does: an expression (some text we cannot know), a
// comment, or a control statement that opens, branches or closes a block
// (`{% if %}`, `{% else %}`, `{% endif %}`; `{{ range }}`, `{{ end }}`;
// `<% if %>`, `<% end %>`) or does something else (`{% set x = 1 %}`).
// Quoted strings inside tags are skipped, so `{{ "}}" }}` is one tag.
// Jinja's `{% raw %}…{% endraw %}` body is static text. A tag may span
// lines; an opener not closed within 200 lines (or 64 KiB) ends there.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "src/template/template_kind.hpp"

namespace postvet::tmpl {

enum class TagRole : uint8_t { kExpression, kComment, kOpen, kBranch, kClose, kOther };

struct Tag {
  uint32_t begin = 0;  // first byte of the opener
  uint32_t end = 0;    // one past the closer
  TagRole role = TagRole::kExpression;
};

/// The tags of `text` in `kind`'s syntax, in file order, never overlapping.
std::vector<Tag> ScanTags(std::string_view text, TemplateKind kind);

}  // namespace postvet::tmpl
