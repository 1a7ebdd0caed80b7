// The sarif format: SARIF 2.1.0 (OASIS), as GitHub code scanning and other
// SARIF viewers read it. One run; tool.driver.rules lists the whole registry
// so results can point at their rule's help; each result has its location,
// its message followed by its detail notes, located notes as relatedLocations, fingerprints that survive line shifts, and its
// fix as artifactChanges. Each rule descriptor links its installed doc page
// (helpUri), carries its family and, for security rules, "security" as
// properties.tags, and security rules their properties.security-severity, as
// GitHub code scanning reads them. tests/sarif_schema_test.py validates the
// output against the official schema.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "src/report/fingerprint.hpp"
#include "src/report/formats.hpp"
#include "src/base/json_writer.hpp"
#include "src/base/utf8.hpp"

namespace postvet::report {

namespace {

constexpr std::string_view kSchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
constexpr std::string_view kSourceRoot = "%SRCROOT%";
// GitHub shows at most 1024 characters of a rule description.
constexpr size_t kMaxDescription = 1024;

// Where `cmake --install` puts the rule docs; CMakeLists.txt defines it for
// this file only, from CMAKE_INSTALL_FULL_DOCDIR.
#ifndef POSTVET_RULE_DOC_DIR
#define POSTVET_RULE_DOC_DIR "/usr/local/share/doc/postvet/rules"
#endif

// The rule docs of the installed program: BINDIR/../share/doc/postvet/rules
// beside the running binary when that directory exists (a package installs
// under /usr, `make install PREFIX=...` elsewhere than the build's prefix),
// else the build-time POSTVET_RULE_DOC_DIR. Computed once.
const std::string& InstalledRuleDocDir() {
  static const std::string dir = [] {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
      const std::filesystem::path docs = exe.parent_path().parent_path() / "share" / "doc" / "postvet" / "rules";
      if (std::filesystem::is_directory(docs, ec)) return docs.lexically_normal().string();
    }
    return std::string(POSTVET_RULE_DOC_DIR);
  }();
  return dir;
}

std::string_view Level(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "note";
  }
  return "none";
}

// RFC 3986 percent-encoding of a path: unreserved characters and '/' stay.
std::string PercentEncode(std::string_view path) {
  std::string out;
  for (char c : path) {
    const auto b = static_cast<unsigned char>(c);
    const bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
                            (b >= '0' && b <= '9') || b == '-' || b == '.' || b == '_' ||
                            b == '~' || b == '/';
    if (unreserved) {
      out.push_back(c);
    } else {
      fmt::format_to(std::back_inserter(out), "%{:02X}", static_cast<unsigned>(b));
    }
  }
  return out;
}

// At most `limit` bytes of `text`, cut at a UTF-8 unit boundary.
std::string_view Truncate(std::string_view text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t pos = 0;
  while (pos < text.size()) {
    const uint32_t length = DecodeUtf8(text, pos).length;
    if (pos + length > limit) break;
    pos += length;
  }
  return text.substr(0, pos);
}

// The first prose paragraph of a markdown doc (headings and fences skipped),
// joined into one line.
std::string FirstParagraph(std::string_view doc) {
  std::string paragraph;
  bool in_fence = false;
  while (!doc.empty()) {
    const size_t eol = doc.find('\n');
    std::string_view line = doc.substr(0, eol);
    doc = eol == std::string_view::npos ? std::string_view() : doc.substr(eol + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.substr(0, 3) == "```") {
      in_fence = !in_fence;
      if (!paragraph.empty()) break;
      continue;
    }
    if (in_fence) continue;
    if (line.empty() || line.front() == '#') {
      if (!paragraph.empty()) break;
      continue;
    }
    if (!paragraph.empty()) paragraph.push_back(' ');
    paragraph.append(line);
  }
  return paragraph;
}

void WriteText(JsonWriter& json, std::string_view key, std::string_view text) {
  json.Key(key);
  json.BeginObject();
  json.StringField("text", text);
  json.EndObject();
}

// file: URI of the rule's installed doc page.
std::string HelpUri(const RuleInfo& rule, std::string_view doc_dir) {
  std::string path(doc_dir.empty() ? std::string_view(InstalledRuleDocDir()) : doc_dir);
  if (path.empty() || path.back() != '/') path.push_back('/');
  path.append(rule.id);
  path.append(".md");
  return "file://" + PercentEncode(path);
}

void WriteRule(JsonWriter& json, const RuleInfo& rule, const ReportOptions& options) {
  const std::string_view summary = rule.summary.empty() ? rule.slug : rule.summary;
  const std::string first = FirstParagraph(rule.doc);
  json.BeginObject();
  json.StringField("id", rule.id);
  json.StringField("name", rule.slug);
  WriteText(json, "shortDescription", Truncate(summary, kMaxDescription));
  WriteText(json, "fullDescription", Truncate(first.empty() ? summary : first, kMaxDescription));
  json.StringField("helpUri", HelpUri(rule, options.rule_doc_dir));
  json.Key("help");
  json.BeginObject();
  // Viewers that show the plain text get the pointer to the full page too.
  std::string_view text = rule.doc.empty() ? summary : rule.doc;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  json.StringField("text",
                   fmt::format("{}\n\nRun `postvet explain {}` for the full description.", text, rule.id));
  if (!rule.doc.empty()) json.StringField("markdown", rule.doc);
  json.EndObject();
  json.Key("defaultConfiguration");
  json.BeginObject();
  json.StringField("level", Level(rule.severity));
  json.EndObject();
  if (!rule.family.empty() || !rule.security_severity.empty()) {
    json.Key("properties");
    json.BeginObject();
    json.Key("tags");
    json.BeginArray();
    if (!rule.family.empty()) json.String(rule.family);
    if (!rule.security_severity.empty() && rule.family != "security") json.String("security");
    json.EndArray();
    if (!rule.security_severity.empty()) json.StringField("security-severity", rule.security_severity);
    json.EndObject();
  }
  json.EndObject();
}

void WriteArtifact(JsonWriter& json, const Source& source, const ReportContext& context) {
  const std::string path = CiPath(source.display(), context.options->working_directory);
  json.Key("artifactLocation");
  json.BeginObject();
  if (!path.empty() && path.front() == '/') {
    json.StringField("uri", "file://" + PercentEncode(path));
  } else {
    json.StringField("uri", PercentEncode(path));
    json.StringField("uriBaseId", kSourceRoot);
  }
  json.EndObject();
}

// A text region in code point columns; with the byte range too when asked
// (fix regions, so that applying them is unambiguous).
// Column counters of the render in progress (RenderSarif() sets them):
// counting on from the previous finding keeps many findings on one long line
// linear (CodePointColumns).
struct Columns {
  CodePointColumns begins;
  CodePointColumns ends;
};
thread_local Columns* g_columns = nullptr;

void WriteRegion(JsonWriter& json, std::string_view key, const Span& span, bool with_bytes) {
  json.Key(key);
  json.BeginObject();
  json.UintField("startLine", span.start.line);
  json.UintField("startColumn", g_columns != nullptr ? g_columns->begins(*span.source, span.begin)
                                                    : CodePointColumn(*span.source, span.begin));
  json.UintField("endLine", span.stop.line);
  json.UintField("endColumn", g_columns != nullptr ? g_columns->ends(*span.source, span.end)
                                                  : CodePointColumn(*span.source, span.end));
  if (with_bytes) {
    json.UintField("byteOffset", span.begin);
    json.UintField("byteLength", span.end - span.begin);
  }
  json.EndObject();
}

void WritePhysicalLocation(JsonWriter& json, const Span& span, const ReportContext& context) {
  json.Key("physicalLocation");
  json.BeginObject();
  WriteArtifact(json, *span.source, context);
  WriteRegion(json, "region", span, /*with_bytes=*/false);
  json.EndObject();
}

void WriteFix(JsonWriter& json, const Diagnostic& d, const ReportContext& context) {
  const Fix& fix = *d.fix;
  json.BeginObject();
  if (!fix.description.empty()) WriteText(json, "description", fix.description);
  json.Key("artifactChanges");
  json.BeginArray();
  // One artifactChange per file, in the order the files first appear.
  std::vector<const Source*> files;
  for (const Edit& edit : fix.edits) {
    const Source* source = Resolve(edit, d).source;
    if (std::find(files.begin(), files.end(), source) == files.end()) files.push_back(source);
  }
  for (const Source* file : files) {
    json.BeginObject();
    WriteArtifact(json, *file, context);
    json.Key("replacements");
    json.BeginArray();
    for (const Edit& edit : fix.edits) {
      const Span span = Resolve(edit, d);
      if (span.source != file) continue;
      json.BeginObject();
      WriteRegion(json, "deletedRegion", span, /*with_bytes=*/true);
      json.Key("insertedContent");
      json.BeginObject();
      json.StringField("text", edit.text);
      json.EndObject();
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();
  json.Key("properties");
  json.BeginObject();
  json.StringField("applicability", ApplicabilityName(fix.applicability));
  json.EndObject();
  json.EndObject();
}

void WriteResult(JsonWriter& json, const Diagnostic& d, std::string_view fingerprint,
                 const ReportContext& context) {
  json.BeginObject();
  json.StringField("ruleId", d.rule_id);
  if (std::optional<size_t> index = context.RuleIndex(d.rule_id)) json.UintField("ruleIndex", *index);
  json.StringField("level", Level(d.severity));
  // SARIF: the first sentence of message.text is the summary; the
  // detail notes follow as further sentences.
  WriteText(json, "message", MessageWithDetails(d));
  json.Key("locations");
  json.BeginArray();
  json.BeginObject();
  WritePhysicalLocation(json, Resolve(d.location), context);
  json.EndObject();
  json.EndArray();
  const bool located = std::any_of(d.notes.begin(), d.notes.end(),
                                   [](const Note& note) { return !IsDetail(note); });
  if (located) {
    json.Key("relatedLocations");
    json.BeginArray();
    size_t id = 0;
    for (const Note& note : d.notes) {
      if (IsDetail(note)) continue;
      json.BeginObject();
      json.UintField("id", ++id);
      WritePhysicalLocation(json, Resolve(note.location), context);
      WriteText(json, "message", note.message);
      json.EndObject();
    }
    json.EndArray();
  }
  // GitHub matches alerts across runs by primaryLocationLineHash only and
  // computes a line-content hash when it is missing; ours is keyed on the
  // finding's subject instead, so it also survives edits of the line.
  json.Key("partialFingerprints");
  json.BeginObject();
  json.StringField("postvet/v1", fingerprint);
  json.StringField("primaryLocationLineHash", fingerprint);
  json.EndObject();
  if (d.fix && !d.fix->edits.empty()) {
    json.Key("fixes");
    json.BeginArray();
    WriteFix(json, d, context);
    json.EndArray();
  }
  json.EndObject();
}

}  // namespace

std::string RenderSarif(const ReportContext& context) {
  Columns columns;
  g_columns = &columns;
  struct Unset {
    ~Unset() { g_columns = nullptr; }
  } unset;
  const ReportOptions& options = *context.options;
  FingerprintCounter fingerprints(options.working_directory);
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.StringField("$schema", kSchemaUri);
  json.StringField("version", "2.1.0");
  json.Key("runs");
  json.BeginArray();
  json.BeginObject();
  json.Key("tool");
  json.BeginObject();
  json.Key("driver");
  json.BeginObject();
  json.StringField("name", "postvet");
  json.StringField("version", options.tool_version);
  if (!options.information_uri.empty()) json.StringField("informationUri", options.information_uri);
  json.Key("rules");
  json.BeginArray();
  for (const RuleInfo& rule : *context.rules) {
    WriteRule(json, rule, options);
    context.Flush(&out);
  }
  json.EndArray();
  json.EndObject();
  json.EndObject();
  if (!options.working_directory.empty() && options.working_directory.front() == '/') {
    std::string root = "file://" + PercentEncode(options.working_directory);
    if (root.back() != '/') root.push_back('/');
    json.Key("originalUriBaseIds");
    json.BeginObject();
    json.Key(kSourceRoot);
    json.BeginObject();
    json.StringField("uri", root);
    json.EndObject();
    json.EndObject();
  }
  json.StringField("columnKind", "unicodeCodePoints");
  json.Key("results");
  json.BeginArray();
  for (size_t i = 0; i < context.diagnostics.size(); ++i) {
    WriteResult(json, *context.diagnostics[i], fingerprints.Next(*context.diagnostics[i]), context);
    context.Flush(&out);
  }
  json.EndArray();
  json.EndObject();
  json.EndArray();
  json.EndObject();
  out.push_back('\n');
  return out;
}

}  // namespace postvet::report
