#include "src/base/file_reader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace postvet {

Result<Source> DiskReader::Read(const std::string& path, const std::string& display) const {
  return ReadSource(path, display);
}

bool DiskReader::Exists(const std::string& path) const {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

const FileReader& Disk() {
  static const DiskReader reader;
  return reader;
}

Result<Source> MemoryReader::Read(const std::string& path, const std::string& display) const {
  auto it = files_.find(path);
  if (it == files_.end()) return Status::Error(fmt::format("{}: cannot open: {}", display, std::strerror(ENOENT)));
  return Source(path, display, it->second);
}

}  // namespace postvet
