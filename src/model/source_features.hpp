// SourceFeatures: what a Postfix release's postconf and postmap do
// differently because of their code rather than their parameter table,
// from the generated rules/data/postfix-source-features.tsv
// (gen-source-features.py reads it out of each release's sources):
// the relational-operator suffixes of mac_expand() (`<level`, from 3.6),
// which PCRE API dict_pcre.c uses, and the pcre_exec() error texts of the
// PCRE1 releases.
//
// Contract: For(series) is the row set of that series; a series older than
// the table's oldest uses the oldest, a newer one the newest, a missing one
// in between the nearest older. ForDefaults() finds the series from a
// defaults table's mail_version (3.7 when it has none). Never fails: a
// build without the table behaves as 3.7 does.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/model/defaults.hpp"
#include "src/model/param_info.hpp"

namespace postvet {

class SourceFeatures {
 public:
  static const SourceFeatures& For(PostfixVersion series);
  static const SourceFeatures& ForDefaults(const Defaults& defaults);

  /// The operator suffixes postconf registers ("level"); empty before 3.6.
  const std::vector<std::string_view>& relop_suffixes() const { return relop_suffixes_; }
  /// dict_pcre.c uses the PCRE1 API (no PCRE2 support in the release).
  bool pcre1() const { return pcre1_; }
  /// PCRE1 releases: dict_pcre_exec_error()'s text for the pcre_exec()
  /// error `pcre1_name` (a PCRE_ERROR_* name) with number `pcre1_code`.
  std::string Pcre1ExecError(std::string_view pcre1_name, int pcre1_code) const;

 private:
  std::vector<std::string_view> relop_suffixes_;
  bool pcre1_ = false;
  std::map<std::string_view, std::string_view, std::less<>> pcre1_exec_errors_;
};

}  // namespace postvet
