// Tests of the tuning advisor's advice: effective service settings on the
// demo config, recommended limits from log evidence, the memory table, and
// PV501-PV505 through the engine. Log reading is tune_logs_test.cpp.
#include <catch2/catch.hpp>

#include "rules/registry.hpp"
#include "src/base/embedded.hpp"
#include "src/engine/engine.hpp"
#include "src/config/lint_context.hpp"
#include "src/config/loader.hpp"
#include "src/model/master_cf.hpp"
#include "src/tune/advice.hpp"
#include "src/tune/log_evidence.hpp"
#include "src/facts/tune/memory_estimate.hpp"
#include "src/facts/tune/service_settings.hpp"
#include "tests/test_util.hpp"
#include "tests/tune_fixture.hpp"

namespace postvet {
namespace {

using namespace tune;
using tune_fixture::ReadLogs;

struct Config {
  std::unique_ptr<LintContext> ctx;
  std::vector<Diagnostic> found;
};

Config Lint(const std::string& main_cf, const std::string& master_cf, ProjectConfig config = {},
            const std::string& rule = "PV5") {
  Config c;
  c.ctx = std::make_unique<LintContext>("cfg", config);
  c.ctx->AddFile(Source("cfg/main.cf", "main.cf", main_cf), FileKind::kMainCf);
  c.ctx->AddFile(Source("cfg/master.cf", "master.cf", master_cf), FileKind::kMasterCf);
  c.found = postvet::Lint(*c.ctx, RuleFilter(config, {rule}, {}));
  return c;
}

// A finding's message followed by its notes, separated by " | " (docs/messages.md:
// facts beyond the defect are in detail notes).
std::string Said(const Diagnostic& d) {
  std::string text = d.message;
  for (const Note& n : d.notes) text += " | " + n.message;
  return text;
}

size_t LocatedNotes(const Diagnostic& d) {
  size_t n = 0;
  for (const Note& note : d.notes) n += note.location.source != nullptr ? 1 : 0;
  return n;
}

size_t Count(const std::vector<Diagnostic>& found, std::string_view rule) {
  return static_cast<size_t>(
      std::count_if(found.begin(), found.end(), [&](const Diagnostic& d) { return d.rule_id == rule; }));
}

constexpr const char* kPostscreenMaster =
    "smtp      inet  n       -       y       -       1       postscreen\n"
    "smtpd     pass  -       -       y       -       30      smtpd\n"
    "dnsblog   unix  -       -       y       -       0       dnsblog\n";

// ---------------------------------------------------------------- settings

TEST_CASE("effective settings of the demo config") {
  Result<std::unique_ptr<LintContext>> ctx =
      LoadConfigDir(testing::SourceDir() + "/testdata/demo", "demo", ProjectConfig{}, LoadOptions{});
  REQUIRE(ctx.ok());
  TuneSettings s = ComputeSettings(**ctx);
  CHECK(s.default_process_limit == 50);
  REQUIRE(s.default_process_limit_location.source != nullptr);
  auto find = [&](std::string_view label) -> const ServiceSettings& {
    for (const ServiceSettings& x : s.services) {
      if (x.label == label) return x;
    }
    FAIL("no service " << label);
    return s.services.front();
  };
  const ServiceSettings& ps = find("smtp/inet");
  CHECK(ps.command == "postscreen");
  CHECK(ps.process_limit == 1);
  CHECK(ps.limit_source == LimitSource::kDaemonSolitary);
  CHECK(ps.stress_mode == StressMode::kSelfManaged);
  CHECK(ps.pre_queue_limit == 50);  // $default_process_limit
  CHECK(ps.stress_enter_at == 45);
  CHECK(ps.stress_leave_at == 35);
  const ServiceSettings& pass = find("smtpd/pass");
  CHECK(pass.public_smtpd);
  CHECK(pass.behind == ps.service);
  CHECK(ps.hands_off_to == pass.service);
  CHECK(pass.process_limit == 30);
  CHECK(pass.limit_source == LimitSource::kMaxproc);
  CHECK(pass.receives_stress_option);
  CHECK(pass.stress_mode == StressMode::kForcedOn);
  CHECK(pass.log_tag == "postfix/smtpd");
  CHECK(DescribeLimitSource(pass, s) == "maxproc 30 (demo/master.cf line 4)");
  const ServiceSettings& sub = find("submission/inet");
  CHECK_FALSE(sub.public_smtpd);
  CHECK(sub.process_limit == 50);
  CHECK(sub.limit_source == LimitSource::kDefaultProcessLimit);
  CHECK(sub.stress_mode == StressMode::kAdaptive);
  CHECK(sub.log_tag == "postfix/submission/smtpd");
  CHECK(DescribeLimitSource(sub, s).find("default_process_limit = 50 (demo/main.cf line") != std::string::npos);
  // main.cf sets smtpd_timeout = 30s plainly: no change under stress.
  bool timeout_seen = false;
  for (const StressValue& v : sub.stress_values) {
    if (v.param == "smtpd_timeout") {
      timeout_seen = true;
      CHECK(v.normal == "30s");
      CHECK(v.stress == "30s");
    }
    if (v.param == "smtpd_junk_command_limit") {
      CHECK(v.normal == "100");
      CHECK(v.stress == "1");
    }
  }
  CHECK(timeout_seen);
  CHECK(find("cleanup/unix").process_limit == 0);
  CHECK(find("smtp/unix").process_limit == 50);
}

TEST_CASE("stress option follows master(8): loopback, maxproc 0 and 1 get none") {
  Config c = Lint("inet_interfaces = all\n",
                  "127.0.0.1:smtp inet n - y - 10 smtpd\n"
                  "smtp inet n - y - 0 smtpd\n"
                  "2525 inet n - y - 1 smtpd\n"
                  "587 inet n - y - 20 smtpd\n  -o stress=\n");
  TuneSettings s = ComputeSettings(*c.ctx);
  REQUIRE(s.services.size() == 4);
  CHECK(s.services[0].stress_mode == StressMode::kNone);
  CHECK_FALSE(s.services[0].public_smtpd);  // loopback only
  CHECK(s.services[1].stress_mode == StressMode::kNone);
  CHECK(s.services[1].public_smtpd);
  CHECK(s.services[2].stress_mode == StressMode::kNone);
  CHECK(s.services[3].stress_mode == StressMode::kForcedOff);
  CHECK_FALSE(s.services[3].public_smtpd);
}

TEST_CASE("postscreen hands off to smtpd_service_name") {
  Config c = Lint("", "smtp inet n - y - 1 postscreen\n  -o smtpd_service_name=inbound\n"
                      "smtpd pass - - y - 30 smtpd\ninbound pass - - y - 40 smtpd\n");
  TuneSettings s = ComputeSettings(*c.ctx);
  CHECK_FALSE(s.services[1].public_smtpd);
  CHECK(s.services[2].public_smtpd);
  CHECK(s.services[2].behind == s.services[0].service);
}

// ---------------------------------------------------------------- advice

TEST_CASE("recommended limits: demand plus headroom, multiples of 10") {
  CHECK(RecommendedLimit(0) == 0);
  CHECK(RecommendedLimit(1) == 20);     // 1 + 10
  CHECK(RecommendedLimit(30) == 50);    // 30 + 15 = 45
  CHECK(RecommendedLimit(100) == 150);  // 100 + 50
  CHECK(RecommendedLimit(87) == 130);   // 87 + 43 = 130
  CHECK(RecommendedLimit(88) == 140);   // 88 + 44 = 132, rounded up
}

TEST_CASE("advice from the traditional log: limit reached, so demand is at least the limit") {
  Config c = Lint("", kPostscreenMaster);
  TuneSettings s = ComputeSettings(*c.ctx);
  LogEvidence ev = ReadLogs({"mx-traditional.log"});
  std::vector<SmtpdAdvice> advice = AdviseSmtpd(s, ev, 0);
  REQUIRE(advice.size() == 1);
  CHECK(advice[0].peak == 30);
  CHECK(advice[0].limit_hits == 1);
  CHECK(advice[0].server_ports_busy == 5);
  CHECK(advice[0].saturated());
  CHECK(advice[0].recommended == RecommendedLimit(30));
  ProjectConfig pc;
  ExportEvidence(advice, &pc);
  CHECK(pc.log_evidence.at("smtpd").floor == RecommendedLimit(30));
  // Without logs, --peak-clients stands in.
  std::vector<SmtpdAdvice> guess = AdviseSmtpd(s, LogEvidence{}, 400);
  CHECK(guess[0].peak_from_option);
  CHECK(guess[0].recommended == RecommendedLimit(400));
}

// ---------------------------------------------------------------- memory

TEST_CASE("daemon-memory.tsv: every data row parses") {
  std::optional<std::string_view> data = FindEmbedded("rules/data/daemon-memory.tsv");
  REQUIRE(data);
  size_t rows = 0;
  bool header = true;
  size_t pos = 0;
  while (pos < data->size()) {
    size_t lf = data->find('\n', pos);
    std::string_view line = data->substr(pos, lf - pos);
    pos = lf == std::string_view::npos ? data->size() : lf + 1;
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      CHECK(line == "daemon\tkib\tbasis");
      header = false;
      continue;
    }
    ++rows;
  }
  CHECK(DaemonMemoryTable().size() == rows);
  CHECK(MemoryFor("smtpd").daemon == "smtpd");
  CHECK(MemoryFor("my-policy-daemon").daemon == "*");
  CHECK(MemoryFor("smtpd").bytes > MemoryFor("error").bytes);
}

TEST_CASE("memory budget and sizes") {
  Config c = Lint("default_process_limit = 10\n", "smtp inet n - y - 20 smtpd\nrelay unix - - y - - smtp\n"
                                                 "cleanup unix n - y - 0 cleanup\n");
  TuneSettings s = ComputeSettings(*c.ctx);
  MemoryBudget b = ComputeBudget(s);
  CHECK(b.total == 20 * MemoryFor("smtpd").bytes + 10 * MemoryFor("smtp").bytes);
  REQUIRE(b.unlimited.size() == 1);
  CHECK(b.unlimited[0]->label == "cleanup/unix");
  CHECK(b.services.front().service->label == "smtp/inet");
  CHECK(FormatBytes(512 * 1024) == "512 KiB");
  CHECK(FormatBytes(300ull << 20) == "300 MiB");
  CHECK(FormatBytes(3ull << 29) == "1.5 GiB");
  Result<unsigned long long> mem = MachineMemory();
  REQUIRE(mem.ok());
  CHECK(*mem > (64ull << 20));
  CHECK_FALSE(MachineMemory("/nonexistent/meminfo").ok());
}

// ---------------------------------------------------------------- rules

TEST_CASE("PV501: floor from config, raised by evidence, names the source") {
  Config low = Lint("default_process_limit = 50\n", "smtp inet n - y - - smtpd\n", {}, "PV501");
  REQUIRE(Count(low.found, "PV501") == 1);
  const Diagnostic& d = low.found[0];
  CHECK(d.message == "smtpd service smtp/inet (port 25) may run at most 50 processes, below the floor of 100");
  CHECK(Said(d).find("default_process_limit = 50") != std::string::npos);
  CHECK(Said(d).find("the floor is 100") != std::string::npos);
  REQUIRE(d.fix);
  CHECK(d.fix->applicability == Applicability::kUnsafe);
  CHECK(d.fix->edits.at(0).text == "100");
  REQUIRE(LocatedNotes(d) == 1);
  CHECK(d.notes.front().location.source != nullptr);  // located notes first

  Config ok = Lint("", "smtp inet n - y - 120 smtpd\n", {}, "PV501");
  CHECK(Count(ok.found, "PV501") == 0);
  ProjectConfig raised;
  raised.log_evidence["smtp"] = ServiceEvidence{180, "a peak of 120 concurrent sessions"};
  Config ev = Lint("", "smtp inet n - y - 120 smtpd\n", raised, "PV501");
  REQUIRE(Count(ev.found, "PV501") == 1);
  CHECK(ev.found[0].message.find("180") != std::string::npos);
  CHECK(Said(ev.found[0]).find("peak of 120") != std::string::npos);
  CHECK(ev.found[0].fix->edits.at(0).text == "180");

  ProjectConfig lower;
  lower.min_smtpd_processes = 20;
  CHECK(Count(Lint("", kPostscreenMaster, lower, "PV501").found, "PV501") == 0);
  // Submission and loopback services are not the public smtpd.
  CHECK(Count(Lint("", "submission inet n - y - 5 smtpd\n127.0.0.1:25 inet n - y - 5 smtpd\n", {}, "PV501").found,
              "PV501") == 0);
}

TEST_CASE("PV502: only with a memory size") {
  const char* master = "smtp inet n - y - 300 smtpd\n";
  CHECK(Count(Lint("", master, {}, "PV502").found, "PV502") == 0);
  ProjectConfig small;
  small.memory_bytes = 256ull << 20;
  Config c = Lint("", master, small, "PV502");
  REQUIRE(Count(c.found, "PV502") == 1);
  CHECK(Said(c.found[0]).find("smtp/inet 300 x") != std::string::npos);
  ProjectConfig big;
  big.memory_bytes = 64ull << 30;
  CHECK(Count(Lint("", master, big, "PV502").found, "PV502") == 0);
}

TEST_CASE("PV503: over 1000 processes, per service or via default_process_limit") {
  CHECK(Count(Lint("", "smtp inet n - y - 1500 smtpd\n", {}, "PV503").found, "PV503") == 1);
  CHECK(Count(Lint("", "smtp inet n - y - 1000 smtpd\n", {}, "PV503").found, "PV503") == 0);
  Config viadefault = Lint("default_process_limit = 2000\n", "smtp inet n - y - - smtpd\nrelay unix - - y - - smtp\n",
                           {}, "PV503");
  REQUIRE(Count(viadefault.found, "PV503") == 1);
  CHECK(viadefault.found[0].subject == "default_process_limit");
}

TEST_CASE("PV504: hash and btree tables in smtpd access restrictions") {
  Config c = Lint("smtpd_client_restrictions = check_client_access hash:/etc/postfix/access, "
                  "check_client_access cdb:/etc/postfix/other, check_sender_access proxy:hash:/etc/postfix/s\n"
                  "smtpd_recipient_restrictions = btree:/etc/postfix/rcpt, check_client_access hash:/etc/postfix/access,"
                  " reject_unauth_destination\n",
                  "smtp inet n - y - 100 smtpd\n", {}, "PV504");
  REQUIRE(Count(c.found, "PV504") == 2);
  std::vector<std::string> subjects;
  for (const Diagnostic& d : c.found) subjects.push_back(d.subject);
  CHECK(std::find(subjects.begin(), subjects.end(), "hash:/etc/postfix/access") != subjects.end());
  CHECK(std::find(subjects.begin(), subjects.end(), "btree:/etc/postfix/rcpt") != subjects.end());
  for (const Diagnostic& d : c.found) {
    if (d.subject == "hash:/etc/postfix/access") CHECK(LocatedNotes(d) == 1);
  }
}

TEST_CASE("PV505: DNSBLs on a busy smtpd without postscreen") {
  const char* main_cf = "smtpd_client_restrictions = permit_mynetworks, reject_rbl_client zen.spamhaus.org\n";
  CHECK(Count(Lint(main_cf, "smtp inet n - y - 200 smtpd\n", {}, "PV505").found, "PV505") == 1);
  CHECK(Count(Lint(main_cf, "smtp inet n - y - 0 smtpd\n", {}, "PV505").found, "PV505") == 1);
  CHECK(Count(Lint(main_cf, "smtp inet n - y - 50 smtpd\n", {}, "PV505").found, "PV505") == 0);
  CHECK(Count(Lint("", "smtp inet n - y - 200 smtpd\n", {}, "PV505").found, "PV505") == 0);
  CHECK(Count(Lint(main_cf, "smtp inet n - y - 1 postscreen\nsmtpd pass - - y - 200 smtpd\n", {}, "PV505").found,
              "PV505") == 0);
  // A permit_dnswl_client alone asks a list but never rejects.
  CHECK(Count(Lint("smtpd_client_restrictions = permit_dnswl_client list.dnswl.org\n",
                   "smtp inet n - y - 200 smtpd\n", {}, "PV505")
                  .found,
              "PV505") == 0);
}

}  // namespace
}  // namespace postvet
