// The json format: DESIGN.md's version-1 contract, member for member. Lines
// and columns are 1-based, columns count bytes, ends are exclusive, paths are
// Source::display() as the user gave them. A note without a place (a detail
// note: why it matters, what to do) has only "message", no file, line or
// column; located notes come first. A fix has its "description" (what the
// text format prints after "fix (safe): "). Consumers may rely on the member
// names and types; new members may be added, none removed, under version 1.
#include "src/report/formats.hpp"
#include "src/base/json_writer.hpp"

namespace postvet::report {

namespace {

void WritePosition(JsonWriter& json, std::string_view key, LineCol at) {
  json.Key(key);
  json.BeginObject();
  json.UintField("line", at.line);
  json.UintField("column", at.column);
  json.EndObject();
}

void WriteFix(JsonWriter& json, const Diagnostic& d) {
  json.Key("fix");
  if (!d.fix) {
    json.Null();
    return;
  }
  json.BeginObject();
  json.StringField("applicability", ApplicabilityName(d.fix->applicability));
  json.StringField("description", d.fix->description);
  json.Key("edits");
  json.BeginArray();
  for (const Edit& edit : d.fix->edits) {
    const Span span = Resolve(edit, d);
    json.BeginObject();
    json.StringField("file", span.source->display());
    WritePosition(json, "start", span.start);
    WritePosition(json, "end", span.stop);
    json.StringField("text", edit.text);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
}

// A detail note has no place: only its message.
void WriteNote(JsonWriter& json, const Note& note) {
  json.BeginObject();
  if (!IsDetail(note)) {
    const Span at = Resolve(note.location);
    json.StringField("file", at.source->display());
    json.UintField("line", at.start.line);
    json.UintField("column", at.start.column);
  }
  json.StringField("message", note.message);
  json.EndObject();
}

void WriteDiagnostic(JsonWriter& json, const ReportContext& context, const Diagnostic& d) {
  const Span span = Resolve(d.location);
  const std::optional<size_t> rule = context.RuleIndex(d.rule_id);
  json.BeginObject();
  json.StringField("rule", d.rule_id);
  json.StringField("slug", rule ? (*context.rules)[*rule].slug : std::string_view());
  json.StringField("severity", SeverityName(d.severity));
  json.StringField("file", span.source->display());
  json.UintField("line", span.start.line);
  json.UintField("column", span.start.column);
  json.UintField("end_line", span.stop.line);
  json.UintField("end_column", span.stop.column);
  json.StringField("message", d.message);
  json.Key("notes");
  json.BeginArray();
  // Located notes, then detail notes.
  for (const Note& note : d.notes) {
    if (!IsDetail(note)) WriteNote(json, note);
  }
  for (const Note& note : d.notes) {
    if (IsDetail(note)) WriteNote(json, note);
  }
  json.EndArray();
  WriteFix(json, d);
  json.EndObject();
}

}  // namespace

std::string RenderJson(const ReportContext& context) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.UintField("version", 1);
  json.Key("tool");
  json.BeginObject();
  json.StringField("name", "postvet");
  json.StringField("version", context.options->tool_version);
  json.EndObject();
  json.Key("diagnostics");
  json.BeginArray();
  for (const Diagnostic* d : context.diagnostics) {
    WriteDiagnostic(json, context, *d);
    context.Flush(&out);
  }
  json.EndArray();
  json.EndObject();
  out.push_back('\n');
  return out;
}

}  // namespace postvet::report
