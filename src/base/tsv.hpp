// TsvRows(): the data rows of a tab-separated table, as the data files in
// rules/data/ (embedded.hpp) are written: lines that are empty or start with
// '#' are comments, the first other line is the header; every later line is
// a row.
//
// Contract: each row is split at its first `fields - 1` tabs into exactly
// `fields` views into `text` (the last field keeps any further tabs); a row
// with fewer tabs is left out. `text` must outlive the views.
#pragma once

#include <string_view>
#include <vector>

namespace postvet {

std::vector<std::vector<std::string_view>> TsvRows(std::string_view text, size_t fields);

}  // namespace postvet
