// What `postconf -n` (and -M/-F/-P) says about the database client
// configuration files a configuration names (`mysql:/etc/postfix/x.cf`):
// reads each file KnownNames::dbms_files lists, at the path as written, as
// postconf does (no mapping into the directory: this is the postconf view),
// and collects dbms_config.hpp's warnings. Called by show_command.cpp and
// show_master_warnings.cpp.
#pragma once

#include "src/model/dbms_config.hpp"
#include "src/model/known_names.hpp"

namespace postvet {

/// The warnings of every file in order; stops at the first fatal one
/// (`fatal` set: postconf dies there).
DbmsFileReport ReadDbmsFilesLikePostconf(const KnownNames& known);

}  // namespace postvet
