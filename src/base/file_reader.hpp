// FileReader: where the loader gets the bytes of the files it lints. The
// product reads the disk (DiskReader, over ReadSource: regular files only,
// opened without blocking, capped at kMaxInputBytes); tests hand in files
// from memory (MemoryReader) and need no temporary directory. Paths are
// whatever the caller names (the loader joins and normalises them first);
// a reader only answers "is it there" and "what does it hold".
#pragma once

#include <map>
#include <string>

#include "src/base/source.hpp"
#include "src/base/status.hpp"

namespace postvet {

class FileReader {
 public:
  virtual ~FileReader() = default;
  /// The file at `path` as a Source shown as `display`, or an error whose
  /// message starts with `display` ("main.cf: cannot open: ...").
  virtual Result<Source> Read(const std::string& path, const std::string& display) const = 0;
  /// Whether anything is at `path` (it may still fail to read).
  virtual bool Exists(const std::string& path) const = 0;
};

/// The files on disk, read with ReadSource().
class DiskReader : public FileReader {
 public:
  Result<Source> Read(const std::string& path, const std::string& display) const override;
  bool Exists(const std::string& path) const override;
};

/// The process's disk reader (what the loader uses unless given another).
const FileReader& Disk();

/// Files held in memory, by path. A path it does not hold reads as a missing
/// file does on disk ("cannot open: No such file or directory").
class MemoryReader : public FileReader {
 public:
  explicit MemoryReader(std::map<std::string, std::string> files) : files_(std::move(files)) {}
  Result<Source> Read(const std::string& path, const std::string& display) const override;
  bool Exists(const std::string& path) const override { return files_.count(path) != 0; }

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace postvet
