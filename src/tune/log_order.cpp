// OrderLogFiles() (see log_evidence.hpp): logrotate names the files of one
// log `mail.log`, `mail.log.1`, `mail.log.2.gz`, ...: the higher the
// number, the older the file, and the file without a number is the newest.
// GroupLogFiles() makes each such set one stream of ReadLogFiles().
#include <algorithm>
#include <map>

#include "src/tune/log_evidence.hpp"

namespace postvet::tune {
namespace {

struct RotatedName {
  std::string base;   ///< "mail.log"
  long number = -1;   ///< 2 for mail.log.2.gz; -1: none (the newest)
};

RotatedName Split(std::string_view path) {
  for (std::string_view ext : {".gz", ".xz", ".zst", ".bz2"}) {
    if (path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext) {
      path.remove_suffix(ext.size());
      break;
    }
  }
  RotatedName out;
  size_t dot = path.rfind('.');
  if (dot != std::string_view::npos && dot + 1 < path.size() && path.size() - dot - 1 <= 6) {
    std::string_view digits = path.substr(dot + 1);
    if (std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      out.number = std::stol(std::string(digits));
      path = path.substr(0, dot);
    }
  }
  out.base = std::string(path);
  return out;
}

}  // namespace

std::vector<std::vector<std::string>> GroupLogFiles(const std::vector<std::string>& paths) {
  // Sets in the order their first file was given; within a set, oldest first.
  std::map<std::string, size_t> set_rank;
  std::vector<std::pair<std::pair<size_t, long>, size_t>> keys;
  for (size_t i = 0; i < paths.size(); ++i) {
    RotatedName n = Split(paths[i]);
    size_t rank = set_rank.emplace(n.base, set_rank.size()).first->second;
    // Newest (no number) last: a larger key is read later.
    long age = n.number < 0 ? -1 : n.number;
    keys.push_back({{rank, -age}, i});
  }
  std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::vector<std::string>> out(set_rank.size());
  for (const auto& k : keys) out[k.first.first].push_back(paths[k.second]);
  return out;
}

std::vector<std::string> OrderLogFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (std::vector<std::string>& set : GroupLogFiles(paths)) {
    for (std::string& p : set) out.push_back(std::move(p));
  }
  return out;
}

}  // namespace postvet::tune
