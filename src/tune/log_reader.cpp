// ReadLogFiles() and ReadLogFile() (see log_evidence.hpp). Three stages:
// LineReader cuts the bytes of a LogInput (log_input.hpp: the file,
// decompressed) into lines, in a fixed buffer with memchr for the line ends,
// handing out views into it (no copy per line); LogStream reads the files of
// one rotated set one after the other through its own LineDecoder
// (line_decoder.hpp) into records, and reads the binary fields of journald's
// export format, which are not lines; ReadLogFiles() merges the streams by
// the time of their next records through a heap.
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "src/tune/line_decoder.hpp"
#include "src/tune/log_evidence.hpp"
#include "src/tune/log_input.hpp"

namespace postvet::tune {
namespace {

// Bytes read at a time; a line longer than kMaxLineBytes is cut, so one
// always fits.
constexpr size_t kBufferBytes = size_t{1} << 20;
static_assert(kBufferBytes > 2 * kMaxLineBytes);
// journald refuses fields larger than this (DATA_SIZE_MAX in its sources);
// a larger length in an export file is not journald's.
constexpr uint64_t kMaxExportField = uint64_t{768} << 20;

// Slack after a LineReader's buffer, so FindLf() may read whole 16-byte
// chunks past the bytes it was given.
constexpr size_t kSlackBytes = 16;

// The first LF in [p, p + n), or nullptr; up to kSlackBytes past p + n may
// be read (not used). memchr, or where SSE2 is there a loop of 16-byte
// compares, cheaper for lines of a hundred-odd bytes (glibc's memchr spends
// more setting up than scanning such short spans).
const char* FindLf(const char* p, size_t n) {
#if defined(__SSE2__)
  const __m128i lf = _mm_set1_epi8('\n');
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {  // two at a time while whole
    __m128i a = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), lf);
    __m128i b = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16)), lf);
    auto bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(a, b)));
    if (bits == 0) continue;
    bits = static_cast<unsigned>(_mm_movemask_epi8(a)) | (static_cast<unsigned>(_mm_movemask_epi8(b)) << 16);
    return p + i + static_cast<size_t>(__builtin_ctz(bits));
  }
  for (; i < n; i += 16) {
    __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    auto bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, lf)));
    if (n - i < 16) bits &= (1u << (n - i)) - 1;
    if (bits != 0) return p + i + static_cast<size_t>(__builtin_ctz(bits));
  }
  return nullptr;
#else
  return static_cast<const char*>(std::memchr(p, '\n', n));
#endif
}

class LineReader {
 public:
  LineReader() : buf_(kBufferBytes + kSlackBytes) {}

  void Reset(LogInput* in) {
    in_ = in;
    begin_ = end_ = 0;
    eof_ = skip_ = false;
    status_ = Status();
  }

  // The next line, without its LF; false at the end or on an error.
  bool Next(std::string_view* line) {
    for (;;) {
      const char* base = buf_.data();
      if (skip_) {  // the rest of a line cut at kMaxLineBytes
        const void* lf = std::memchr(base + begin_, '\n', end_ - begin_);
        if (lf == nullptr) {
          begin_ = end_;
          if (!Fill()) return false;
          continue;
        }
        begin_ = static_cast<size_t>(static_cast<const char*>(lf) - base) + 1;
        skip_ = false;
      }
      const char* p = base + begin_;
      size_t avail = end_ - begin_;
      const char* lf = FindLf(p, avail);
      if (lf != nullptr) {
        size_t len = static_cast<size_t>(lf - p);
        *line = std::string_view(p, std::min(len, kMaxLineBytes));
        begin_ += len + 1;
        return true;
      }
      if (avail >= kMaxLineBytes) {
        *line = std::string_view(p, kMaxLineBytes);
        begin_ += kMaxLineBytes;
        skip_ = true;
        return true;
      }
      if (!Fill()) {
        if (!status_.ok() || avail == 0) return false;
        // The last line, without LF; Fill() may have moved it to the front.
        *line = std::string_view(buf_.data() + begin_, avail);
        begin_ = end_;
        return true;
      }
    }
  }

  // `n` raw bytes, the first `keep` of them into *out; false when the input
  // ends first or fails.
  bool Raw(uint64_t n, size_t keep, std::string* out) {
    out->clear();
    while (n > 0) {
      if (begin_ == end_ && !Fill()) return false;
      size_t k = static_cast<size_t>(std::min<uint64_t>(n, end_ - begin_));
      if (out->size() < keep) out->append(buf_.data() + begin_, std::min(k, keep - out->size()));
      begin_ += k;
      n -= k;
    }
    return true;
  }

  const Status& status() const { return status_; }

 private:
  // Moves the unread bytes to the front and reads more; false at the end.
  bool Fill() {
    if (eof_) return false;
    if (begin_ > 0) {
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    Result<size_t> n = in_->Read(buf_.data() + end_, kBufferBytes - end_);
    if (!n.ok()) {
      status_ = n.status();
      eof_ = true;
      return false;
    }
    if (*n == 0) {
      eof_ = true;
      return false;
    }
    end_ += *n;
    return true;
  }

  LogInput* in_ = nullptr;
  std::vector<char> buf_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool skip_ = false;
  Status status_;
};

}  // namespace

// The files of one rotated set, oldest first, as one run of records.
class LogStream {
 public:
  LogStream(std::vector<std::string> files, LogAnalyzer* analyzer)
      : files_(std::move(files)), decoder_(&analyzer->evidence_) {}

  // The next record; false at the end of the last file or on an error (status()).
  bool Next(LogLine* out) {
    for (;;) {
      if (input_ == nullptr && !OpenNext()) return false;
      std::string_view text;
      if (reader_.Next(&text)) {
        LineDecoder::Kind kind = decoder_.Decode(text, out);
        if (kind == LineDecoder::Kind::kRecord) return true;
        if (kind == LineDecoder::Kind::kBinaryField && !BinaryField(text)) return false;
        continue;
      }
      if (!reader_.status().ok()) {
        status_ = reader_.status();
        return false;
      }
      bool flushed = decoder_.FlushFile(out);
      status_ = decoder_.CheckFile(input_->shown());
      input_.reset();
      if (!status_.ok()) return false;
      if (flushed) return true;
    }
  }

  const Status& status() const { return status_; }

 private:
  bool OpenNext() {
    if (next_ >= files_.size()) return false;
    Result<std::unique_ptr<LogInput>> opened = LogInput::Open(files_[next_++]);
    if (!opened.ok()) {
      status_ = opened.status();
      return false;
    }
    input_ = std::move(opened.value());
    reader_.Reset(input_.get());
    decoder_.BeginFile();
    return true;
  }

  // An export field in binary form: after its name line, a 64-bit
  // little-endian length, that many bytes, and a newline.
  bool BinaryField(std::string_view name_line) {
    std::string name(name_line.substr(0, 64));
    std::string where = input_->shown() + ": journal export field " + name + " (after line " +
                        std::to_string(decoder_.file_lines()) + ")";
    std::string raw;
    if (!reader_.Raw(8, 8, &raw)) return Fail(where + ": cut short");
    uint64_t size = 0;
    for (size_t i = 0; i < 8; ++i) size |= uint64_t{static_cast<unsigned char>(raw[i])} << (8 * i);
    if (size > kMaxExportField) {
      return Fail(where + ": length " + std::to_string(size) + " is larger than journald writes");
    }
    if (!reader_.Raw(size, kMaxLineBytes, &value_)) return Fail(where + ": cut short");
    if (!reader_.Raw(1, 1, &raw)) return Fail(where + ": cut short");
    if (raw != "\n") return Fail(where + ": no newline after its " + std::to_string(size) + " bytes");
    decoder_.SetBinaryField(name, value_);
    return true;
  }

  bool Fail(const std::string& message) {
    status_ = reader_.status().ok() ? Status::Error(message) : reader_.status();
    return false;
  }

  std::vector<std::string> files_;
  size_t next_ = 0;
  std::unique_ptr<LogInput> input_;
  LineReader reader_;
  LineDecoder decoder_;
  std::string value_;
  Status status_;
};

Status ReadLogFiles(const std::vector<std::string>& paths, LogAnalyzer* analyzer) {
  std::vector<std::unique_ptr<LogStream>> streams;
  for (std::vector<std::string>& set : GroupLogFiles(paths)) {
    streams.push_back(std::make_unique<LogStream>(std::move(set), analyzer));
  }
  std::vector<LogLine> heads(streams.size());
  if (streams.size() == 1) {
    LogStream& s = *streams[0];
    while (s.Next(&heads[0])) analyzer->AddRecord(heads[0]);
    return s.status();
  }
  // A min-heap of the streams by their next record's time; equal times in
  // the order the sets were given.
  auto later = [&heads](size_t a, size_t b) {
    const LogLine& x = heads[a];
    const LogLine& y = heads[b];
    if (x.time != y.time) return x.time > y.time;
    if (x.micros != y.micros) return x.micros > y.micros;
    return a > b;
  };
  std::vector<size_t> heap;
  for (size_t i = 0; i < streams.size(); ++i) {
    if (streams[i]->Next(&heads[i])) {
      heap.push_back(i);
    } else if (!streams[i]->status().ok()) {
      return streams[i]->status();
    }
  }
  std::make_heap(heap.begin(), heap.end(), later);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    size_t i = heap.back();
    analyzer->AddRecord(heads[i]);
    if (streams[i]->Next(&heads[i])) {
      std::push_heap(heap.begin(), heap.end(), later);
    } else {
      heap.pop_back();
      if (!streams[i]->status().ok()) return streams[i]->status();
    }
  }
  return Status();
}

Status ReadLogFile(const std::string& path, LogAnalyzer* analyzer) { return ReadLogFiles({path}, analyzer); }

}  // namespace postvet::tune
