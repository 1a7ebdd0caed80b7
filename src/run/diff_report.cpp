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

// Passes on the diagnostics array of the json reporter's document as it
// streams by: what comes before the array and after its last ']' is
// dropped. "[]" when no array came (not expected).
class DiagnosticsArray {
 public:
  explicit DiagnosticsArray(const DiffWriteFn& write) : write_(write) {}

  void Take(std::string_view text) {
    if (!in_array_) {
      head_.append(text);
      const size_t key = head_.find("\"diagnostics\"");
      const size_t open = key == std::string::npos ? key : head_.find('[', key);
      if (open == std::string::npos) return;
      in_array_ = true;
      text = std::string_view(head_).substr(open);
      Pass(text);
      head_.clear();
      return;
    }
    Pass(text);
  }
  void Finish() {
    if (!in_array_) write_("[]");
  }

 private:
  // Everything up to the last ']' seen so far goes on; the rest waits.
  void Pass(std::string_view text) {
    const size_t close = text.rfind(']');
    if (close == std::string_view::npos) {
      held_.append(text);
      return;
    }
    if (!held_.empty()) write_(held_), held_.clear();
    write_(text.substr(0, close + 1));
    held_.assign(text.substr(close + 1));
  }

  const DiffWriteFn& write_;
  bool in_array_ = false;
  std::string head_;
  std::string held_;
};

void RenderJson(const DiffResult& r, const DiffWriteFn& write) {
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
  write(out);
  // The reporter's diagnostics array, at the same depth as here.
  DiagnosticsArray array(write);
  RenderTo(Format::kJson, r.introduced, AllRuleInfos(), ReportOptions{},
           [&array](std::string_view text) { array.Take(text); });
  array.Finish();
  write("\n}\n");
}

// Messages quote values, names and paths from the files: escaped.
void RenderText(const DiffResult& r, const DiffWriteFn& write) {
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
  write(report::TerminalSafeLines(lines));
  if (!r.introduced.empty()) RenderTo(Format::kText, r.introduced, AllRuleInfos(), ReportOptions{}, write);
}

}  // namespace

Status RenderDiffTo(const DiffResult& result, const std::string& format, const DiffWriteFn& write) {
  if (format == "json") {
    RenderJson(result, write);
  } else if (format == "text") {
    RenderText(result, write);
  } else if (std::optional<Format> f = FormatFromName(format)) {
    RenderTo(*f, result.introduced, AllRuleInfos(), ReportOptions{}, write);
  } else {
    return Status::Error(fmt::format("unknown --format \"{}\"", format));
  }
  return Status();
}

Result<std::string> RenderDiff(const DiffResult& result, const std::string& format) {
  std::string out;
  Status st = RenderDiffTo(result, format, [&out](std::string_view text) { out.append(text); });
  if (!st.ok()) return st;
  return out;
}

}  // namespace postvet::run
