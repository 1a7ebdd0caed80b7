// Static view of a template: the text postvet lints in place of a template
// file, and what it knows about the template syntax it replaced.
//
// The view has exactly the template's length and its newlines at the same
// offsets, so every offset, line and column in it is the template's own: a
// finding in the view maps back with no table. In the view
//  - a line that holds only control tags or comments (`{% if x %}`,
//    `{{ end }}`, `<% end %>`, `{# … #}`), or only expressions and starts
//    with one (a `{{ extra_settings }}` line that may expand to whole lines
//    of configuration), is a comment line: Postfix skips those, even
//    inside a continued value, so the region reads as what it holds;
//  - an expression elsewhere (`relayhost = [{{ relay }}]`) becomes as many
//    kOpaqueByte bytes: one opaque word of unknown content (a line it
//    continues onto starts with a blank, so it stays a continuation);
//  - a control tag or comment inside a line becomes blanks (a separator),
//    or opaque bytes when it starts the line.
// TemplateInfo keeps where the template syntax was (spans), which logical
// entries (main.cf parameter, master.cf service, table line, with their
// continuation lines) contain some, and the branches of each control block,
// so that findings the template syntax alone caused can be told from
// findings about the static text (src/engine/template_filter.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "src/template/template_kind.hpp"

namespace postvet::tmpl {

/// Stands for the bytes of a template expression in the view (ASCII SUB,
/// which no Postfix configuration holds).
inline constexpr char kOpaqueByte = '\x1a';

/// Whether `text` holds an opaque byte (text derived from a template expression).
inline bool HasOpaque(std::string_view text) { return text.find(kOpaqueByte) != std::string_view::npos; }

struct ByteRange {
  uint32_t begin = 0;
  uint32_t end = 0;
};

/// One branch of a control block: `{% if %}` to `{% else %}` is branch 0
/// of its block, `{% else %}` to `{% endif %}` branch 1.
struct Branch {
  ByteRange range;
  uint32_t block = 0;
  uint32_t index = 0;
};

class TemplateInfo {
 public:
  TemplateKind kind = TemplateKind::kNone;
  uint32_t expressions = 0;   // expression tags
  uint32_t blocks = 0;        // control blocks (if, for, ...)
  uint32_t opaque_lines = 0;  // lines that are only an expression (may expand to any lines)
  std::vector<ByteRange> spans;    // every tag, in order
  std::vector<ByteRange> entries;  // logical entries holding template syntax, in order
  std::vector<Branch> branches;

  /// Whether [begin, end) overlaps template syntax (an empty range counts
  /// as the byte it points at).
  bool Touches(uint32_t begin, uint32_t end) const;
  /// Whether `offset` is the first byte of a logical entry that holds
  /// template syntax (where findings about the whole entry point).
  bool StartsDependentEntry(uint32_t offset) const;
  /// Whether offsets `a` and `b` lie in different branches of one control
  /// block (`{% if %}` and its `{% else %}`): they never render together.
  bool Exclusive(uint32_t a, uint32_t b) const;
  /// Whether `offset` lies inside some control block.
  bool Conditional(uint32_t offset) const;
};

struct StaticView {
  std::string text;
  TemplateInfo info;
};

/// The static view of `text`, a template in `kind`'s syntax.
StaticView MakeStaticView(std::string_view text, TemplateKind kind);

}  // namespace postvet::tmpl
