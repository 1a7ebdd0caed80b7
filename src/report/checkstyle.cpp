// The checkstyle format: Checkstyle 4.3 XML as ShellCheck and hadolint write
// it, for Jenkins warnings-ng, reviewdog and similar consumers. Findings are
// grouped in one <file> element per file, in report order; an <error>
// carries the message only (no notes). Text is escaped
// for XML attributes, and what XML 1.0 cannot carry at all (most control
// characters, U+FFFE/U+FFFF) is dropped; invalid UTF-8 becomes U+FFFD.
#include <fmt/format.h>

#include "src/report/formats.hpp"
#include "src/base/utf8.hpp"

namespace postvet::report {

namespace {

// XML 1.0 production [2] Char.
bool IsXmlChar(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// Escaped for a double-quoted attribute value. Tab, LF and CR are written as
// character references: a parser would otherwise normalise them to spaces.
std::string XmlAttribute(std::string_view text) {
  std::string out;
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Unit unit = DecodeUtf8(text, pos);
    const char32_t cp = unit.code_point;
    if (!unit.valid) {
      AppendUtf8(&out, 0xFFFD);
    } else if (!IsXmlChar(cp)) {
      // Not representable in XML 1.0, not even as a reference: dropped.
    } else if (cp == '&') {
      out.append("&amp;");
    } else if (cp == '<') {
      out.append("&lt;");
    } else if (cp == '>') {
      out.append("&gt;");
    } else if (cp == '"') {
      out.append("&quot;");
    } else if (cp == '\'') {
      out.append("&apos;");
    } else if (cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x7F && cp <= 0x9F)) {
      // Also DEL and the C1 controls: allowed but "discouraged" by XML 1.0,
      // and invisible; a reference keeps them and shows them.
      fmt::format_to(std::back_inserter(out), "&#{};", static_cast<unsigned>(cp));
    } else {
      out.append(text.substr(pos, unit.length));
    }
    pos += unit.length;
  }
  return out;
}

}  // namespace

std::string RenderCheckstyle(const ReportContext& context) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
  const Source* open_file = nullptr;
  for (const Diagnostic* d : context.diagnostics) {
    const Span span = Resolve(d->location);
    // Report order groups a file's findings together (equal display names
    // of distinct sources stay apart only if their paths differ).
    if (open_file == nullptr || open_file->display() != span.source->display()) {
      if (open_file != nullptr) out.append("  </file>\n");
      fmt::format_to(std::back_inserter(out), "  <file name=\"{}\">\n",
                     XmlAttribute(span.source->display()));
      open_file = span.source;
    }
    fmt::format_to(std::back_inserter(out),
                   "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" "
                   "source=\"postvet.{}\"/>\n",
                   span.start.line, span.start.column, SeverityName(d->severity),
                   XmlAttribute(d->message), XmlAttribute(d->rule_id));
    context.Flush(&out);
  }
  if (open_file != nullptr) out.append("  </file>\n");
  out.append("</checkstyle>\n");
  return out;
}

}  // namespace postvet::report
