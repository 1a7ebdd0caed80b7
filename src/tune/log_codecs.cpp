// The decoders of LogInput (see log_input.hpp): gzip through zlib's inflate,
// xz through liblzma, zstd through libzstd. Each reads the raw bytes in
// kRawBytes pieces and keeps only its own state (windows capped at
// kMaxWindowBytes). Data cut short, corrupt data and a stream that needs a
// larger window are errors naming the file.
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <string>
#include <vector>

#include "src/tune/log_input.hpp"

namespace postvet::tune {
namespace {

constexpr size_t kRawBytes = size_t{1} << 17;

// The compressed bytes not yet decoded.
struct RawBuffer {
  std::vector<char> data = std::vector<char>(kRawBytes);
  size_t begin = 0;
  size_t end = 0;
  bool eof = false;

  size_t size() const { return end - begin; }
  // More raw bytes when all are used; false on a read error (in *status).
  bool Refill(LogInput& in, Status* status) {
    if (begin < end || eof) return true;
    Result<size_t> n = in.ReadRaw(data.data(), data.size());
    if (!n.ok()) {
      *status = n.status();
      return false;
    }
    begin = 0;
    end = *n;
    eof = *n == 0;
    return true;
  }
};

class GzipDecoder : public LogInput::Decoder {
 public:
  GzipDecoder() { ok_ = ::inflateInit2(&zs_, 15 + 16) == Z_OK; }
  ~GzipDecoder() override { ::inflateEnd(&zs_); }

  Result<size_t> Decode(LogInput& in, char* buf, size_t n) override {
    if (!ok_) return in.Error("out of memory");
    for (;;) {
      if (done_) return size_t{0};
      Status st;
      if (!raw_.Refill(in, &st)) return st;
      if (raw_.size() == 0) return in.Error("gzip data cut short");
      zs_.next_in = reinterpret_cast<Bytef*>(raw_.data.data() + raw_.begin);
      zs_.avail_in = static_cast<uInt>(raw_.size());
      zs_.next_out = reinterpret_cast<Bytef*>(buf);
      zs_.avail_out = static_cast<uInt>(n);
      int ret = ::inflate(&zs_, Z_NO_FLUSH);
      raw_.begin = raw_.end - zs_.avail_in;
      size_t produced = n - zs_.avail_out;
      if (ret == Z_STREAM_END) {
        // Another member may follow; anything else after a member is ignored.
        if (!raw_.Refill(in, &st)) return st;
        if (raw_.size() > 0 && raw_.data[raw_.begin] == '\x1f') {
          ::inflateReset(&zs_);
        } else {
          done_ = true;
        }
      } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
        return in.Error(std::string("corrupt gzip data") + (zs_.msg != nullptr ? std::string(": ") + zs_.msg : ""));
      }
      if (produced > 0) return produced;
    }
  }

 private:
  z_stream zs_{};
  RawBuffer raw_;
  bool ok_ = false;
  bool done_ = false;
};

class XzDecoder : public LogInput::Decoder {
 public:
  XzDecoder() { ret_ = ::lzma_stream_decoder(&ls_, kMaxWindowBytes + (size_t{1} << 24), LZMA_CONCATENATED); }
  ~XzDecoder() override { ::lzma_end(&ls_); }

  Result<size_t> Decode(LogInput& in, char* buf, size_t n) override {
    if (ret_ != LZMA_OK) return in.Error("out of memory");
    for (;;) {
      if (done_) return size_t{0};
      Status st;
      if (!raw_.Refill(in, &st)) return st;
      ls_.next_in = reinterpret_cast<const uint8_t*>(raw_.data.data() + raw_.begin);
      ls_.avail_in = raw_.size();
      ls_.next_out = reinterpret_cast<uint8_t*>(buf);
      ls_.avail_out = n;
      lzma_ret ret = ::lzma_code(&ls_, raw_.eof ? LZMA_FINISH : LZMA_RUN);
      raw_.begin = raw_.end - ls_.avail_in;
      size_t produced = n - ls_.avail_out;
      if (ret == LZMA_STREAM_END) {
        done_ = true;
      } else if (ret != LZMA_OK) {
        switch (ret) {
          case LZMA_MEMLIMIT_ERROR: return in.Error("xz data needs a dictionary larger than 128 MiB");
          case LZMA_BUF_ERROR: return in.Error("xz data cut short");
          case LZMA_MEM_ERROR: return in.Error("out of memory");
          default: return in.Error("corrupt xz data");
        }
      }
      if (produced > 0) return produced;
    }
  }

 private:
  lzma_stream ls_ = LZMA_STREAM_INIT;
  lzma_ret ret_ = LZMA_OK;
  RawBuffer raw_;
  bool done_ = false;
};

class ZstdDecoder : public LogInput::Decoder {
 public:
  ZstdDecoder() : ds_(::ZSTD_createDStream()) {
    if (ds_ != nullptr) ::ZSTD_DCtx_setParameter(ds_, ZSTD_d_windowLogMax, 27);
  }
  ~ZstdDecoder() override { ::ZSTD_freeDStream(ds_); }

  Result<size_t> Decode(LogInput& in, char* buf, size_t n) override {
    if (ds_ == nullptr) return in.Error("out of memory");
    ZSTD_outBuffer out{buf, n, 0};
    for (;;) {
      Status st;
      if (!raw_.Refill(in, &st)) return st;
      ZSTD_inBuffer input{raw_.data.data() + raw_.begin, raw_.size(), 0};
      size_t ret = ::ZSTD_decompressStream(ds_, &out, &input);
      raw_.begin += input.pos;
      if (::ZSTD_isError(ret) != 0) return in.Error(std::string("corrupt zstd data: ") + ::ZSTD_getErrorName(ret));
      bool progress = input.pos > 0 || out.pos > 0;
      if (progress) frame_open_ = ret != 0;  // 0: a frame ended, all of it written
      if (out.pos > 0) return out.pos;
      if (!progress && raw_.eof) {
        // The end of the file: fine after a whole frame, not inside one.
        if (frame_open_) return in.Error("zstd data cut short");
        return size_t{0};
      }
    }
  }

 private:
  ZSTD_DStream* ds_;
  RawBuffer raw_;
  bool frame_open_ = false;
};

}  // namespace

std::unique_ptr<LogInput::Decoder> MakeGzipDecoder() { return std::make_unique<GzipDecoder>(); }
std::unique_ptr<LogInput::Decoder> MakeXzDecoder() { return std::make_unique<XzDecoder>(); }
std::unique_ptr<LogInput::Decoder> MakeZstdDecoder() { return std::make_unique<ZstdDecoder>(); }

}  // namespace postvet::tune
