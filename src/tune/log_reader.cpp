// ReadLogFile() (see log_evidence.hpp). zlib's gz* functions read gzip data
// and pass anything else through unchanged, so rotated `mail.log.2.gz` and
// plain `mail.log` take the same path, whatever their names. A named log
// must be a regular file (OpenRegularFile(): a FIFO or /dev/zero would block
// or never end); "-" reads standard input, whatever it is, as asked.
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "src/base/source.hpp"
#include "src/tune/log_evidence.hpp"

namespace postvet::tune {

Status ReadLogFile(const std::string& path, LogAnalyzer* analyzer) {
  std::string shown = path == "-" ? std::string("standard input") : path;
  int fd = -1;
  if (path == "-") {
    fd = ::dup(STDIN_FILENO);
    if (fd < 0) return Status::Error(shown + ": cannot open: " + std::strerror(errno));
  } else {
    Result<int> opened = OpenRegularFile(path, shown);
    if (!opened.ok()) return opened.status();
    fd = opened.value();
  }
  gzFile gz = ::gzdopen(fd, "rb");
  if (gz == nullptr) {
    ::close(fd);
    return Status::Error(shown + ": cannot read: out of memory");
  }
  analyzer->BeginFile();
  std::vector<char> buf(1 << 16);
  std::string line;
  bool overlong = false;  // the rest of the current line is past kMaxLineBytes
  Status status;
  for (;;) {
    int n = ::gzread(gz, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      int err = 0;
      const char* msg = ::gzerror(gz, &err);
      status = Status::Error(shown + ": cannot read: " + (err == Z_ERRNO ? std::strerror(errno) : msg));
      break;
    }
    if (n == 0) {
      int err = 0;
      const char* msg = ::gzerror(gz, &err);
      // A gzip stream cut short reads as EOF with Z_BUF_ERROR set.
      if (err != Z_OK && err != Z_STREAM_END) status = Status::Error(shown + ": cannot read: " + msg);
      break;
    }
    std::string_view chunk(buf.data(), static_cast<size_t>(n));
    while (!chunk.empty()) {
      size_t lf = chunk.find('\n');
      std::string_view piece = chunk.substr(0, lf);
      if (!overlong) {
        size_t room = kMaxLineBytes - line.size();
        if (piece.size() > room) {
          line.append(piece.substr(0, room));
          overlong = true;
        } else {
          line.append(piece);
        }
      }
      if (lf == std::string_view::npos) break;
      analyzer->AddLine(line);
      line.clear();
      overlong = false;
      chunk.remove_prefix(lf + 1);
    }
  }
  if (status.ok() && !line.empty()) analyzer->AddLine(line);
  ::gzclose(gz);
  if (status.ok()) status = analyzer->EndFile(shown);
  return status;
}

}  // namespace postvet::tune
