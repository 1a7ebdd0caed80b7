#include "src/run/diff_report.hpp"

#include <fmt/core.h>

#include "rules/registry.hpp"
#include "src/base/json_writer.hpp"
#include "src/base/printable.hpp"
#include "src/report/reporter.hpp"

namespace postvet::run {
namespace {

std::string Where(const Location& l) {
  if (l.source == nullptr) return "";
  LineCol lc = l.source->Locate(l.begin);
  return fmt::format("{}:{}", l.source->display(), lc.line);
}

std::string RenderJson(const DiffResult& r) {
  std::string out;
  report::JsonWriter w(&out);
  w.BeginObject();
  w.UintField("version", 1);
  w.Key("changes");
  w.BeginArray();
  for (const ConfigChange& c : r.changes) {
    w.BeginObject();
    w.StringField("level", ChangeLevelName(c.level));
    w.StringField("subject", c.subject);
    w.StringField("message", c.message);
    w.StringField("where", Where(c.where));
    w.Key("acknowledged");
    w.Bool(r.acks.count(c.subject) != 0);
    w.EndObject();
  }
  w.EndArray();
  w.Key("new_findings");
  std::string findings = Render(Format::kJson, r.introduced, AllRuleInfos(), ReportOptions{});
  w.BeginArray();
  w.EndArray();
  w.EndObject();
  // Splice the reporter's diagnostics array in place of the empty one.
  size_t at = out.rfind("[]");
  size_t b = findings.find("\"diagnostics\"");
  if (at != std::string::npos && b != std::string::npos) {
    size_t open = findings.find('[', b);
    size_t close = findings.rfind(']');
    out.replace(at, 2, findings.substr(open, close - open + 1));
  }
  out += '\n';
  return out;
}

// Messages quote values, names and paths from the files: escaped.
std::string RenderText(const DiffResult& r) {
  std::string lines;
  if (r.changes.empty()) lines += "no changes in the effective configuration\n";
  for (const ConfigChange& c : r.changes) {
    bool ack = r.acks.count(c.subject) != 0;
    std::string note;
    if (c.level == ConfigChange::Level::kRisky) {
      note = ack ? "  (acknowledged)" : "  (not acknowledged: add # postvet: expect-change=" + c.subject + ")";
    } else if (c.level == ConfigChange::Level::kSafeFix) {
      note = "  (postvet's safe fix)";
    }
    lines += fmt::format("{:<8} {}{}{}\n", ChangeLevelName(c.level), c.message,
                         c.where.source ? "  [" + Where(c.where) + "]" : "", note);
  }
  if (!r.introduced.empty()) lines += fmt::format("\n{} new finding(s) in {}:\n\n", r.introduced.size(), r.new_path);
  std::string out = report::TerminalSafeLines(lines);
  if (!r.introduced.empty()) out += Render(Format::kText, r.introduced, AllRuleInfos(), ReportOptions{});
  return out;
}

}  // namespace

Result<std::string> RenderDiff(const DiffResult& result, const std::string& format) {
  if (format == "json") return RenderJson(result);
  if (format == "text") return RenderText(result);
  std::optional<Format> f = FormatFromName(format);
  if (!f) return Status::Error(fmt::format("unknown --format \"{}\"", format));
  return Render(*f, result.introduced, AllRuleInfos(), ReportOptions{});
}

}  // namespace postvet::run
