// Data files compiled into the binary: parameter defaults, rule data and rule
// docs. The build embeds every rules/data/*.tsv and rules/*/*.md file
// (cmake/EmbedFiles.cmake), so postvet needs nothing on disk at run time.
#pragma once

#include <optional>
#include <string_view>

namespace postvet {

/// One embedded file: its path relative to the source tree, and its bytes.
struct EmbeddedFile {
  const char* path;
  std::string_view data;
};

/// The table of embedded files, terminated by an entry whose path is null.
const EmbeddedFile* EmbeddedFiles();

/// The contents of the embedded file at `path` (e.g. "rules/data/dnsbl.tsv").
inline std::optional<std::string_view> FindEmbedded(std::string_view path) {
  for (const EmbeddedFile* f = EmbeddedFiles(); f->path != nullptr; ++f) {
    if (path == f->path) return f->data;
  }
  return std::nullopt;
}

}  // namespace postvet
