// Which regexp:/pcre: tables and map configuration files (mysql:/..., ldap:/...,
// src/model/dbms_config.hpp) a configuration names, and who names them:
// every main.cf parameter in effect and every master.cf `-o` option whose
// $-expanded value lists a `regexp:PATH` or `pcre:PATH` (behind `proxy:` or
// not; inline `{...}` tables are no files). The loader reads the tables from
// this list; Facts::TableReferences() (src/facts/facts.hpp) hands the same
// list to rules and commands.
//
// Contract: TableReferencesOf() computes the list once per context, from its
// main.cf and master.cf (tables added later change nothing), in file order:
// main.cf's definitions in effect, then master.cf's services and options.
// Paths are as written after expansion, not yet mapped into the directory.
#pragma once

#include <string>
#include <vector>

#include "src/base/file_kind.hpp"
#include "src/base/location.hpp"

namespace postvet {

class LintContext;

/// One naming of a table file.
struct TableReference {
  FileKind kind = FileKind::kRegexpTable;  ///< kRegexpTable, kPcreTable or kDbmsConfig
  std::string path;   ///< as written, after expansion ("/etc/postfix/header_checks")
  std::string param;  ///< "header_checks", or "service/type/param" for a master.cf option
  Location where;     ///< the path in the raw value when written there literally, else the value
  std::string restriction;  ///< the check_*_access restriction just before it, or ""
  std::string type;         ///< kDbmsConfig: the map type (ldap, mysql, ...)
};

/// Every table reference of `ctx`, computed now.
std::vector<TableReference> FindTableReferences(const LintContext& ctx);

/// FindTableReferences(ctx), computed on the first call and kept in the context.
const std::vector<TableReference>& TableReferencesOf(const LintContext& ctx);

}  // namespace postvet
