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
//
// Rendering (`--vars FILE`, src/template/render.hpp): an expression whose
// variable is known is replaced by its value instead, which may be longer or
// shorter than the tag. The view then differs in length from the template
// (never in its lines: a value holds no line break); TemplateInfo::rendered
// maps view offsets back to the template, every other offset it holds is a
// view offset, and StaticView::static_text is the view without rendering
// (the template's length), which findings are reported against.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/source.hpp"
#include "src/template/template_kind.hpp"
#include "src/template/vars.hpp"

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

/// One rendered expression: its value's bytes in the view, its tag's in the template.
struct Rendered {
  ByteRange view;
  ByteRange tmpl;
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
  uint32_t rendered_count = 0;  // expressions rendered from the variables
  std::vector<Rendered> rendered;  // in order; empty when nothing was rendered
  /// When something was rendered: the template as a Source of its own (the
  /// static text, quoting the template as written), which findings in the
  /// view are moved to before they are reported (MapTemplateLocations()).
  std::shared_ptr<const Source> reported_source;
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
  /// The template offset of view offset `offset`: a byte of a rendered
  /// value maps to its tag's first byte, or, for the end of a range
  /// (`end`), one past its tag's last byte; other bytes keep their place.
  uint32_t ToTemplate(uint32_t offset, bool end) const;
};

struct StaticView {
  std::string text;
  TemplateInfo info;
  /// When something was rendered: the view without rendering (as long as
  /// the template; its rendered tags as written). Empty otherwise.
  std::string static_text;
};

/// The static view of `text`, a template in `kind`'s syntax; with `vars`,
/// the simple expressions whose variables it defines are rendered.
StaticView MakeStaticView(std::string_view text, TemplateKind kind, const Vars* vars = nullptr);

}  // namespace postvet::tmpl
