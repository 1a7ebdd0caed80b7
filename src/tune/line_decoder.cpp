// LineDecoder (see line_decoder.hpp).
#include "src/tune/line_decoder.hpp"

namespace postvet::tune {

void LineDecoder::BeginFile() {
  ++counts_->files;
  file_lines_ = 0;
  file_known_ = 0;
  first_unknown_line_ = 0;
  first_unknown_.clear();
  in_export_ = false;
  record_.Clear();
}

LineDecoder::Kind LineDecoder::DecodeOther(std::string_view text, LogLine* out) {
  ++counts_->lines;
  ++file_lines_;
  if (text.size() > kMaxLineBytes) text = text.substr(0, kMaxLineBytes);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  // journalctl -o export: KEY=value lines, a blank line after each entry.
  if (in_export_ || (!text.empty() && text[0] == '_' && StartsExportEntry(text))) {
    ++file_known_;
    if (text.empty()) {
      in_export_ = false;
      std::optional<LogLine> line = record_.View();
      if (!line) return Kind::kNone;
      *out = *line;
      return Kind::kRecord;
    }
    if (!in_export_) {
      record_.Clear();
      in_export_ = true;
    }
    size_t eq = text.find('=');
    if (eq != std::string_view::npos) {
      record_.SetField(text.substr(0, eq), text.substr(eq + 1));
      return Kind::kNone;
    }
    return Kind::kBinaryField;
  }
  bool parsed = false;
  if (!text.empty() && text[0] == '{') {
    if (ParseJournalJson(text, &record_)) {
      ++file_known_;
      std::optional<LogLine> line = record_.View();
      if (!line) return Kind::kNone;
      *out = *line;
      return Kind::kRecord;
    }
  } else {
    parsed = ParseLogLine(text, out, &stamps_);
  }
  if (!parsed) {
    if (first_unknown_line_ == 0 && !text.empty()) {
      first_unknown_line_ = file_lines_;
      constexpr size_t kShown = 200;
      first_unknown_ = std::string(text.substr(0, kShown));
      if (text.size() > kShown) first_unknown_ += "...";
    }
    return Kind::kNone;
  }
  ++file_known_;
  Normalize(out);
  return Kind::kRecord;
}

void LineDecoder::SetBinaryField(std::string_view name, std::string_view value) {
  if (in_export_) record_.SetField(name, value);
}

bool LineDecoder::FlushFile(LogLine* out) {
  if (!in_export_) return false;
  in_export_ = false;
  std::optional<LogLine> line = record_.View();
  if (!line) return false;
  *out = *line;
  return true;
}

Status LineDecoder::CheckFile(std::string_view shown) const {
  if (file_known_ > 0 || first_unknown_line_ == 0) return Status();
  return Status::Error(std::string(shown) + ":" + std::to_string(first_unknown_line_) +
                       ": not a mail log in a known form (syslog, RFC 3339, RFC 5424, journalctl -o "
                       "short/short-iso/short-precise/json/export, postlog): " + first_unknown_);
}

}  // namespace postvet::tune
