#include "src/base/display_path.hpp"

#include <filesystem>

namespace postvet {

namespace fs = std::filesystem;

std::string DisplayPath(std::string_view path, std::string_view cwd) {
  if (path.empty()) return std::string();
  fs::path normal = fs::path(path).lexically_normal();
  if (normal.is_absolute() && !cwd.empty()) {
    const fs::path base = fs::path(cwd).lexically_normal();
    const fs::path relative = normal.lexically_relative(base);
    // Below (or at) cwd: the relative form starts with neither ".." nor is empty.
    if (!relative.empty() && *relative.begin() != "..") normal = relative;
  }
  std::string out = normal.generic_string();
  // lexically_normal keeps a trailing separator ("a/b/" -> "a/b/"), and the
  // current directory comes out as ".".
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  if (out == ".") out.clear();
  return out;
}

}  // namespace postvet
