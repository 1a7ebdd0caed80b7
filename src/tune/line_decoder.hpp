// LineDecoder: turns the lines of one log stream (a file, or the files of
// one rotated set read oldest first) into LogLine records for LogAnalyzer,
// whatever their form: syslog (traditional, RFC 3339, RFC 5424, postlog) or
// journald's `-o json` (one entry per line) and `-o export` (an entry spans
// lines, a blank line ends it). It keeps what a stream needs across lines:
// the year of traditional stamps (they have none: seconds in an assumed
// year, bumped when the month goes backwards), the export entry being read,
// and, per file, the first line in no known form (EndFile()).
//
// Contract: Decode() returns kRecord with `*out` filled when a line (or the
// blank line ending an export entry) completes a record; its views stay
// valid until the next call on this decoder or on the line's buffer. A line
// that is an export field in binary form (its name alone on a line) returns
// kBinaryField: the caller reads the length and bytes that follow (they are
// not lines) and hands the value to SetBinaryField(). Each decoded line is
// counted in the analyzer's LogEvidence::lines, each file in files.
// Internal to src/tune.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "src/base/status.hpp"
#include "src/tune/journal_record.hpp"
#include "src/tune/log_evidence.hpp"

namespace postvet::tune {

class LineDecoder {
 public:
  enum class Kind : uint8_t { kNone, kRecord, kBinaryField };

  explicit LineDecoder(LogEvidence* counts) : counts_(counts) {}

  /// Starts a file: per-file counts restart; the year does not (a rotated
  /// set crosses the turn of the year from one file to the next).
  void BeginFile();
  /// One line without its LF.
  Kind Decode(std::string_view text, LogLine* out) {
    // Inline, the syslog line that parses (nearly all of a big log): no
    // export entry open, not JSON, not RFC 5424, no CR, not too long.
    if (!in_export_ && !text.empty() && text.size() <= kMaxLineBytes && text.back() != '\r') {
      char c = text[0];
      if (c != '_' && c != '{' && c != '<' && ParseLogLine(text, out, &stamps_)) {
        ++counts_->lines;
        ++file_lines_;
        ++file_known_;
        Normalize(out);
        return Kind::kRecord;
      }
    }
    return DecodeOther(text, out);
  }
  /// The value of the binary export field `name` Decode() announced.
  void SetBinaryField(std::string_view name, std::string_view value);
  /// Ends the file: the export entry still open, if any, into `*out`
  /// (true then).
  bool FlushFile(LogLine* out);
  /// An error naming `shown` and the file's first line in no known form
  /// when not one line of the file was in a known one.
  Status CheckFile(std::string_view shown) const;
  /// Lines of the current file so far.
  size_t file_lines() const { return file_lines_; }

 private:
  // Decode() of the other lines.
  Kind DecodeOther(std::string_view text, LogLine* out);
  // Years for traditional stamps; every record passes here.
  void Normalize(LogLine* line) {
    if (line->form != StampForm::kTraditional) return;
    constexpr int64_t kHalfYear = 182 * 86400;
    constexpr int64_t kYear = 365 * 86400;
    int64_t t = line->time + year_offset_;
    // No year in the stamp: a jump back by more than half a year is the
    // turn of the year (Dec 31 -> Jan 1).
    if (has_last_traditional_ && t + kHalfYear < last_traditional_) {
      year_offset_ += kYear;
      t += kYear;
    }
    has_last_traditional_ = true;
    last_traditional_ = t;
    line->time = t;
  }

  LogEvidence* counts_;
  int64_t year_offset_ = 0;
  bool has_last_traditional_ = false;
  int64_t last_traditional_ = 0;
  StampCache stamps_;
  JournalRecord record_;
  bool in_export_ = false;
  size_t file_lines_ = 0;
  size_t file_known_ = 0;
  size_t first_unknown_line_ = 0;
  std::string first_unknown_;
};

}  // namespace postvet::tune
