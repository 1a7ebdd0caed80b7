// PV504 indexed-table-memory: an smtpd access restriction looks clients up
// in a hash: or btree: table (a check_*_access argument, or a table used as
// a restriction of its own). Every smtpd process opens such a table itself,
// and Berkeley DB gives each open table a read buffer of
// berkeley_db_read_buffer_size (128 KiB by default) plus its own cache, so
// the cost grows with the number of smtpd processes. A cdb: table is
// memory-mapped: its pages sit once in the page cache and are shared by all
// processes (DATABASE_README, CDB_README; postconf(5)
// berkeley_db_read_buffer_size). Tables behind proxy: are opened by
// proxymap, not by each smtpd, and are left alone. Advice only (info), no
// fix: switching needs `postmap cdb:FILE` and Postfix built with cdb.
#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "src/facts/facts.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/param_context.hpp"
#include "src/facts/tune/service_settings.hpp"

namespace postvet {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsAccessCheck(std::string_view lower) {
  return lower.size() > 13 && lower.substr(0, 6) == "check_" && lower.substr(lower.size() - 7) == "_access";
}

bool IsIndexed(std::string_view table) {
  std::string lower = Lower(table.substr(0, 6));
  return lower.rfind("hash:", 0) == 0 || lower.rfind("btree:", 0) == 0;
}

class IndexedTableMemory : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV504",
            .slug = "indexed-table-memory",
            .severity = Severity::kInfo,
            .fix = FixKind::kNone,
            .summary = "hash:/btree: tables in smtpd access restrictions; cdb: uses less memory per process",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    // How many smtpd processes may each hold the table open.
    long smtpd_processes = 0;
    if (ctx.master_file() != nullptr) {
      const tune::TuneSettings& settings = FactsOf(ctx).Settings();
      for (const tune::ServiceSettings& s : settings.services) {
        if (s.command == "smtpd" && s.process_limit) smtpd_processes += *s.process_limit;
      }
    }
    ParamContext pc = ctx.Params();
    Result<std::string> buffer = pc.ExpandParam("berkeley_db_read_buffer_size");
    std::string buffer_text = buffer.ok() ? *buffer : std::string("131072");

    // Collected first and reported after: one finding per table, at its
    // first use, with the other uses as notes.
    struct Use {
      Location where;
      std::string param;
      std::string how;
      std::vector<Note> notes;
    };
    std::vector<std::pair<std::string, Use>> tables;
    for (const dnsbl::DnsblList& list : FactsOf(ctx).DnsblLists()) {
      if (list.kind == dnsbl::ListKind::kPostscreenSites) continue;
      for (size_t i = 0; i < list.entries.size(); ++i) {
        const ListEntry& entry = list.entries[i];
        std::string how;
        if (list.roles[i] == dnsbl::TokenRole::kArgument && i > 0 && IsAccessCheck(Lower(list.entries[i - 1].text))) {
          how = "argument of " + list.entries[i - 1].text;
        } else if (list.roles[i] == dnsbl::TokenRole::kRestriction) {
          how = "used as a restriction";
        } else {
          continue;
        }
        if (!IsIndexed(entry.text) || entry.where.source == nullptr) continue;
        auto it = std::find_if(tables.begin(), tables.end(), [&](const auto& t) { return t.first == entry.text; });
        if (it == tables.end()) {
          tables.push_back({entry.text, Use{entry.where, list.param, how, {}}});
        } else if (it->second.notes.size() < 8 &&
                   (it->second.where.source != entry.where.source || it->second.where.begin != entry.where.begin)) {
          it->second.notes.push_back(
              {entry.where, fmt::format("also used in {} ({})", list.param, dnsbl::ScopeName(list.service))});
        }
      }
    }
    for (auto& [table, use] : tables) {
      std::string scale = smtpd_processes > 0
                              ? fmt::format("; with up to {} smtpd processes that is up to {} copies", smtpd_processes,
                                            smtpd_processes)
                              : std::string();
      Diagnostic& d =
          sink.Report(use.where, fmt::format("{} uses the Berkeley DB table {} ({})", use.param, table, use.how), table);
      d.notes = std::move(use.notes);
      d.notes.push_back({{}, fmt::format("every smtpd process opens a Berkeley DB table itself, with a read buffer "
                                         "of berkeley_db_read_buffer_size = {} bytes and its own cache{}",
                                         buffer_text, scale)});
      d.notes.push_back({{}, "a cdb: table is memory-mapped and shared between processes (postmap cdb:FILE)"});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewIndexedTableMemoryRule() { return std::make_unique<IndexedTableMemory>(); }

}  // namespace postvet
