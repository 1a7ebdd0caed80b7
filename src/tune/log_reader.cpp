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
#include <array>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "src/tune/line_decoder.hpp"
#include "src/tune/log_evidence.hpp"
#include "src/tune/log_input.hpp"

namespace postvet::tune {
namespace {

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

// A chunk: room in front for the unread end of the chunk before (a line
// cut by the read, shorter than kMaxLineBytes: longer lines are cut first),
// the bytes read, and slack for FindLf().
constexpr size_t kChunkFront = kMaxLineBytes;
constexpr size_t kChunkBytes = size_t{1} << 20;
constexpr size_t kChunkSize = kChunkFront + kChunkBytes + kSlackBytes;

// Where a LineReader's chunks come from. The views a reader hands out point
// into its current chunk; Retire() says it has moved on to another one, so
// the old one may be reused once the records decoded from it are used.
class ChunkPool {
 public:
  virtual ~ChunkPool() = default;
  virtual char* Acquire() = 0;
  virtual void GiveBack(char* chunk) = 0;  // acquired, not used
  virtual void Retire(char* chunk) = 0;
};

// Two chunks taking turns, for a reader whose records are used before it
// is asked for the next line.
class TwoChunks final : public ChunkPool {
 public:
  TwoChunks() : a_(kChunkSize), b_(kChunkSize), free_{a_.data(), b_.data()}, count_(2) {}
  char* Acquire() override { return free_[--count_]; }
  void GiveBack(char* chunk) override { free_[count_++] = chunk; }
  void Retire(char* chunk) override { free_[count_++] = chunk; }

 private:
  std::vector<char> a_, b_;
  char* free_[2];
  size_t count_;
};

class LineReader {
 public:
  explicit LineReader(ChunkPool* pool) : pool_(pool) {}

  void Reset(LogInput* in) {
    if (chunk_ != nullptr) pool_->Retire(chunk_);
    chunk_ = pool_->Acquire();
    in_ = in;
    begin_ = end_ = kChunkFront;
    eof_ = skip_ = false;
    status_ = Status();
  }

  // The next line, without its LF; false at the end or on an error.
  bool Next(std::string_view* line) {
    for (;;) {
      const char* base = chunk_;
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
        // The last line, without LF (a failed Fill() keeps the chunk).
        *line = std::string_view(chunk_ + begin_, avail);
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
      if (out->size() < keep) out->append(chunk_ + begin_, std::min(k, keep - out->size()));
      begin_ += k;
      n -= k;
    }
    return true;
  }

  const Status& status() const { return status_; }
  // The chunk the views handed out since the last Fill() point into.
  const char* chunk() const { return chunk_; }

 private:
  // Reads into a fresh chunk, behind the unread bytes (fewer than
  // kChunkFront: a line is cut at kMaxLineBytes before this is called);
  // false at the end, the current chunk kept then.
  bool Fill() {
    if (eof_) return false;
    char* fresh = pool_->Acquire();
    Result<size_t> n = in_->Read(fresh + kChunkFront, kChunkBytes);
    if (!n.ok() || *n == 0) {
      pool_->GiveBack(fresh);
      if (!n.ok()) status_ = n.status();
      eof_ = true;
      return false;
    }
    size_t rest = end_ - begin_;
    std::memcpy(fresh + kChunkFront - rest, chunk_ + begin_, rest);
    pool_->Retire(chunk_);
    chunk_ = fresh;
    begin_ = kChunkFront - rest;
    end_ = kChunkFront + *n;
    return true;
  }

  ChunkPool* pool_;
  LogInput* in_ = nullptr;
  char* chunk_ = nullptr;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool skip_ = false;
  Status status_;
};

}  // namespace

// The files of one rotated set, oldest first, as one run of records; the
// lines and files read are counted in `counts`.
class LogStream {
 public:
  LogStream(std::vector<std::string> files, ChunkPool* pool, LogEvidence* counts)
      : files_(std::move(files)), reader_(pool), decoder_(counts) {}

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
  const char* chunk() const { return reader_.chunk(); }

  // The line and file counts of a finished stream, into the analyzer's.
  static void AddCounts(const LogEvidence& counts, LogAnalyzer* analyzer) {
    analyzer->evidence_.lines += counts.lines;
    analyzer->evidence_.files += counts.files;
  }

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

namespace {

// The records of one stream, for the merge.
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  virtual bool Next(LogLine* out) = 0;
  virtual const Status& status() const = 0;
  // Stops reading (a thread is joined); the line and file counts.
  virtual const LogEvidence& Finish() = 0;
};

// A stream read in the caller's thread.
class DirectSource final : public RecordSource {
 public:
  explicit DirectSource(std::vector<std::string> files) : stream_(std::move(files), &pool_, &counts_) {}
  bool Next(LogLine* out) override { return stream_.Next(out); }
  const Status& status() const override { return stream_.status(); }
  const LogEvidence& Finish() override { return counts_; }

 private:
  TwoChunks pool_;
  LogEvidence counts_;
  LogStream stream_;
};

// A stream read and decoded in a thread of its own, ahead of the caller:
// the thread hands over batches of records in order, each with the chunk
// (if any) that may be reused once the batch is used. Memory: kThreadChunks
// chunks and the batches of records decoded from them. The records and
// their order are those of DirectSource.
class ThreadedSource final : public RecordSource, private ChunkPool {
 public:
  explicit ThreadedSource(std::vector<std::string> files) : stream_(std::move(files), this, &counts_) {
    for (auto& c : chunks_) {
      c.resize(kChunkSize);
      free_.push_back(c.data());
    }
    filling_ = std::make_unique<Batch>();
    thread_ = std::thread([this] { Produce(); });
  }
  ~ThreadedSource() override { Finish(); }

  bool Next(LogLine* out) override {
    while (current_ == nullptr || pos_ >= current_->lines.size()) {
      if (current_ != nullptr && current_->end) {
        status_ = current_->status;
        return false;
      }
      std::unique_lock<std::mutex> lock(mu_);
      if (current_ != nullptr) {
        if (current_->release != nullptr) {
          free_.push_back(current_->release);
          space_.notify_one();
        }
        spare_.push_back(std::move(current_));
      }
      ready_.wait(lock, [this] { return !full_.empty(); });
      current_ = std::move(full_.front());
      full_.pop_front();
      pos_ = 0;
    }
    *out = current_->lines[pos_++];
    return true;
  }

  const Status& status() const override { return status_; }

  const LogEvidence& Finish() override {
    if (thread_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        stop_ = true;
      }
      space_.notify_all();
      thread_.join();
    }
    return counts_;
  }

 private:
  static constexpr size_t kThreadChunks = 4;
  static constexpr size_t kBatchLines = 4096;

  struct Stopped {};  // thrown in the thread when the reader is gone

  struct Batch {
    std::vector<LogLine> lines;
    // Records whose views are not in a chunk (journal entries, kept in the
    // decoder's own strings): their fields copied here, fixed at Publish().
    std::string arena;
    std::vector<std::pair<size_t, std::array<size_t, 5>>> copied;
    char* release = nullptr;
    bool end = false;
    Status status;
  };

  void Produce() {
    try {
      LogLine line;
      while (stream_.Next(&line)) Add(line);
    } catch (const Stopped&) {
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    filling_->end = true;
    filling_->status = stream_.status();
    Fixup(*filling_);
    full_.push_back(std::move(filling_));
    ready_.notify_one();
  }

  void Add(const LogLine& line) {
    Batch& b = *filling_;
    b.lines.push_back(line);
    auto lo = reinterpret_cast<uintptr_t>(stream_.chunk());
    auto inside = [lo](std::string_view v) {
      auto p = reinterpret_cast<uintptr_t>(v.data());
      return v.empty() || (p >= lo && p + v.size() <= lo + kChunkSize);
    };
    if (!(inside(line.stamp) && inside(line.host) && inside(line.tag) && inside(line.program) &&
          inside(line.message))) {
      std::array<size_t, 5> at{};
      const std::string_view fields[5] = {line.stamp, line.host, line.tag, line.program, line.message};
      for (size_t i = 0; i < 5; ++i) {
        at[i] = b.arena.size();
        b.arena.append(fields[i]);
      }
      b.copied.emplace_back(b.lines.size() - 1, at);
    }
    if (b.lines.size() >= kBatchLines) Publish(nullptr);
  }

  static void Fixup(Batch& b) {
    for (const auto& [index, at] : b.copied) {
      LogLine& l = b.lines[index];
      std::string_view* fields[5] = {&l.stamp, &l.host, &l.tag, &l.program, &l.message};
      for (size_t i = 0; i < 5; ++i) *fields[i] = std::string_view(b.arena.data() + at[i], fields[i]->size());
    }
  }

  void Publish(char* release) {
    Fixup(*filling_);
    filling_->release = release;
    std::unique_ptr<Batch> next;
    {
      std::lock_guard<std::mutex> lock(mu_);
      full_.push_back(std::move(filling_));
      if (!spare_.empty()) {
        next = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    ready_.notify_one();
    if (next == nullptr) next = std::make_unique<Batch>();
    next->lines.clear();
    next->arena.clear();
    next->copied.clear();
    next->release = nullptr;
    filling_ = std::move(next);
  }

  // ChunkPool, called in the thread.
  char* Acquire() override {
    std::unique_lock<std::mutex> lock(mu_);
    space_.wait(lock, [this] { return stop_ || !free_.empty(); });
    if (stop_) throw Stopped();
    char* c = free_.back();
    free_.pop_back();
    return c;
  }
  void GiveBack(char* chunk) override {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(chunk);
  }
  void Retire(char* chunk) override { Publish(chunk); }

  std::array<std::vector<char>, kThreadChunks> chunks_;
  LogEvidence counts_;  // written by the thread, read after it ends
  LogStream stream_;    // used by the thread only
  std::unique_ptr<Batch> filling_;  // the thread's
  std::unique_ptr<Batch> current_;  // the reader's
  size_t pos_ = 0;
  Status status_;
  std::mutex mu_;
  std::condition_variable space_;  // a chunk was freed, or stop_
  std::condition_variable ready_;  // a batch was handed over
  std::vector<char*> free_;
  std::deque<std::unique_ptr<Batch>> full_;
  std::vector<std::unique_ptr<Batch>> spare_;
  bool stop_ = false;
  std::thread thread_;
};

// Streams read ahead in threads of their own (more would not help on the
// machines this runs on); the rest, and standard input (a thread blocked on
// a pipe could not be stopped), are read directly.
constexpr size_t kMaxThreadedStreams = 4;

Status MergeSources(std::vector<std::unique_ptr<RecordSource>>& streams, LogAnalyzer* analyzer) {
  std::vector<LogLine> heads(streams.size());
  if (streams.size() == 1) {
    RecordSource& s = *streams[0];
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

}  // namespace

Status ReadLogFiles(const std::vector<std::string>& paths, LogAnalyzer* analyzer) {
  std::vector<std::unique_ptr<RecordSource>> streams;
  size_t threaded = 0;
  bool threads = std::thread::hardware_concurrency() >= 2;
  for (std::vector<std::string>& set : GroupLogFiles(paths)) {
    bool stdin_in_it = std::find(set.begin(), set.end(), "-") != set.end();
    if (threads && !stdin_in_it && threaded < kMaxThreadedStreams) {
      ++threaded;
      streams.push_back(std::make_unique<ThreadedSource>(std::move(set)));
    } else {
      streams.push_back(std::make_unique<DirectSource>(std::move(set)));
    }
  }
  Status st = MergeSources(streams, analyzer);
  for (auto& s : streams) LogStream::AddCounts(s->Finish(), analyzer);
  return st;
}

Status ReadLogFile(const std::string& path, LogAnalyzer* analyzer) { return ReadLogFiles({path}, analyzer); }

}  // namespace postvet::tune
