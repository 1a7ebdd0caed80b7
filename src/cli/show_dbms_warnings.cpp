#include "src/cli/show_dbms_warnings.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "grammar/cst_builder.hpp"
#include "src/base/source.hpp"

namespace postvet {
namespace {

// pcf_check_dbms_client(): open, refuse what is not a regular file, read.
DbmsFileReport ReadOne(const std::string& type, const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return DbmsOpenFailure(type, path, errno);
  struct stat st;
  if (::fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
    ::close(fd);
    return DbmsOpenFailure(type, path, 0);
  }
  std::string text;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      DbmsFileReport out = DbmsOpenFailure(type, path, error);
      return out;
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  Source source(path, path, std::move(text));
  Cst cst = ParseMainCf(source);
  MainCf settings = MainCf::Build(cst);
  return DbmsFileWarnings(type, path, settings);
}

}  // namespace

DbmsFileReport ReadDbmsFilesLikePostconf(const KnownNames& known) {
  DbmsFileReport out;
  for (const auto& [type, path] : known.dbms_files) {
    DbmsFileReport one = ReadOne(type, path);
    for (std::string& w : one.warnings) out.warnings.push_back(std::move(w));
    if (one.fatal) {
      out.fatal = std::move(one.fatal);
      break;
    }
  }
  return out;
}

}  // namespace postvet
