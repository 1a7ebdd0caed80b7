// Tests of the tuning advisor: syslog line parsing in both timestamp forms,
// evidence from the synthetic logs in testdata/logs/ (plain, gzip, postlog;
// the expected numbers are those the logs were built with, see
// testdata/logs/README.md), peak computation, effective service settings on
// the demo config, the memory table, and PV501-PV505 through the engine.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <unistd.h>

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

namespace postvet {
namespace {

using namespace tune;

std::string LogPath(const std::string& name) { return testing::SourceDir() + "/testdata/logs/" + name; }

LogEvidence ReadLogs(const std::vector<std::string>& names) {
  LogAnalyzer a;
  for (const std::string& n : names) {
    Status st = ReadLogFile(LogPath(n), &a);
    INFO(st.message());
    REQUIRE(st.ok());
  }
  return a.evidence();
}

LogEvidence Analyze(const std::vector<std::string>& lines) {
  LogAnalyzer a;
  a.BeginFile();
  for (const std::string& l : lines) a.AddLine(l);
  return a.evidence();
}

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

// ---------------------------------------------------------------- lines

TEST_CASE("traditional syslog stamps, space- and zero-padded, with fractions") {
  auto a = ParseLogLine("Nov  5 10:00:01 mx1 postfix/smtpd[123]: connect from x[1.2.3.4]");
  REQUIRE(a);
  CHECK(a->form == StampForm::kTraditional);
  CHECK(a->stamp == "Nov  5 10:00:01");
  CHECK(a->host == "mx1");
  CHECK(a->tag == "postfix/smtpd");
  CHECK(a->program == "smtpd");
  CHECK(a->pid == 123);
  CHECK(a->message == "connect from x[1.2.3.4]");
  auto b = ParseLogLine("Nov 05 10:00:02.123456 mx1 postfix/submission/smtpd[9]: disconnect from x");
  REQUIRE(b);
  CHECK(b->program == "smtpd");
  CHECK(b->tag == "postfix/submission/smtpd");
  CHECK(b->time - a->time == 1);
  // Months and days count: Dec 31 is 364 days after Jan 1 (no leap year assumed).
  auto jan = ParseLogLine("Jan  1 00:00:00 h p[1]: x");
  auto dec = ParseLogLine("Dec 31 00:00:00 h p[1]: x");
  REQUIRE(jan);
  REQUIRE(dec);
  CHECK(dec->time - jan->time == 364 * 86400);
}

TEST_CASE("RFC 3339 stamps with offsets") {
  auto a = ParseLogLine("2000-01-01T00:00:00Z host postfix/master[1]: daemon started");
  REQUIRE(a);
  CHECK(a->form == StampForm::kRfc3339);
  CHECK(a->time == 946684800);  // the well-known epoch second of 2000-01-01
  auto b = ParseLogLine("2024-11-21T09:00:00.5+01:00 mx2 postfix/smtpd[7]: connect from y");
  auto c = ParseLogLine("2024-11-21T08:00:00Z mx2 postfix/smtpd[7]: connect from y");
  REQUIRE(b);
  REQUIRE(c);
  CHECK(b->time == c->time);
  auto d = ParseLogLine("2024-02-29T23:00:00-01:00 h p: no pid");
  REQUIRE(d);
  CHECK(d->pid == -1);
  CHECK(d->time == ParseLogLine("2024-03-01T00:00:00Z h p: x")->time);
}

TEST_CASE("lines that are not syslog are refused") {
  for (const char* bad : {"", "garbage", "Nov 20 10:00:01", "Nov 20 10:00:01 host", "Foo 20 10:00:01 h p[1]: x",
                          "Nov 32 10:00:01 h p[1]: x", "Nov 20 25:00:01 h p[1]: x", "2024-13-01T00:00:00Z h p: x",
                          "2024-11-01T00:00:00 h p: x", "Nov 20 10:00:01 h p[]: x", "Nov 20 10:00:01 h p[12 x"}) {
    INFO(bad);
    CHECK_FALSE(ParseLogLine(bad));
  }
}

TEST_CASE("zones of DNS list queries") {
  CHECK(ZoneOfQuery("2.0.0.127.zen.spamhaus.org") == "zen.spamhaus.org");
  CHECK(ZoneOfQuery("2.0.0.127.zen.spamhaus.org.") == "zen.spamhaus.org");
  std::string v6;
  for (int i = 0; i < 32; ++i) v6 += "a.";
  CHECK(ZoneOfQuery(v6 + "dnsbl.example") == "dnsbl.example");
  CHECK(ZoneOfQuery("spam.example.com.dbl.example") == "spam.example.com.dbl.example");
  CHECK(ZoneOfQuery("dnsbl.sorbs.net") == "dnsbl.sorbs.net");
}

// ---------------------------------------------------------------- peaks

TEST_CASE("peak concurrent sessions per tag and host") {
  LogEvidence ev = Analyze({
      "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]",
      "Nov 20 10:00:01 mx1 postfix/smtpd[2]: connect from b[192.0.2.2]",
      "Nov 20 10:00:02 mx1 postfix/smtpd[1]: disconnect from a[192.0.2.1]",
      "Nov 20 10:00:03 mx1 postfix/smtpd[3]: connect from c[192.0.2.3]",
      "Nov 20 10:00:04 mx1 postfix/smtpd[4]: connect from d[192.0.2.4]",  // 2,3,4 open: peak 3
      "Nov 20 10:00:05 mx1 postfix/smtpd[4]: connect from e[192.0.2.5]",  // same pid again: still 3
      "Nov 20 10:00:06 mx2 postfix/smtpd[1]: connect from f[192.0.2.6]",  // another host: its own count
      "Nov 20 10:00:07 mx1 postfix/master[9]: warning: process /usr/lib/postfix/sbin/smtpd pid 2 exit status 1",
      "Nov 20 10:00:08 mx1 postfix/smtpd[5]: connect from g[192.0.2.7]",  // 3,4,5: 3 again
      "Nov 20 10:00:09 mx1 postfix/submission/smtpd[6]: connect from h[192.0.2.8]",
  });
  REQUIRE(ev.sessions.count("postfix/smtpd") == 1);
  const SessionStats& s = ev.sessions.at("postfix/smtpd");
  CHECK(s.peak == 3);
  CHECK(s.peak_stamp == "Nov 20 10:00:04");
  CHECK(s.peak_host == "mx1");
  CHECK(s.connections == 7);
  CHECK(ev.sessions.at("postfix/submission/smtpd").peak == 1);
  CHECK(ev.SpanSeconds() == 9);
}

TEST_CASE("a master exit ends only that daemon's session on that host") {
  LogEvidence ev = Analyze({
      "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]",
      "Nov 20 10:00:01 mx1 postfix/master[9]: warning: process /usr/lib/postfix/sbin/smtp pid 1 exit status 1",
      "Nov 20 10:00:02 mx2 postfix/master[9]: warning: process /usr/lib/postfix/sbin/smtpd pid 1 exit status 1",
      "Nov 20 10:00:03 mx1 postfix/smtpd[2]: connect from b[192.0.2.2]",
  });
  CHECK(ev.sessions.at("postfix/smtpd").peak == 2);
}

// ---------------------------------------------------------------- files

TEST_CASE("mx-traditional.log: postscreen in front of smtpd pass") {
  LogEvidence ev = ReadLogs({"mx-traditional.log"});
  CHECK(ev.files == 1);
  CHECK(ev.traditional_stamps);
  CHECK_FALSE(ev.rfc3339_stamps);
  CHECK(ev.syslog_lines + 1 == ev.lines);  // one line is not syslog
  const SessionStats& s = ev.sessions.at("postfix/smtpd");
  CHECK(s.peak == 30);
  CHECK(s.connections == 50);
  CHECK(s.lost_after_connect == 12);
  CHECK(ev.sessions.at("postfix/submission/smtpd").peak == 3);
  REQUIRE(ev.limit_hits.count("smtpd") == 1);
  CHECK(ev.limit_hits.at("smtpd").limit == 30);
  CHECK(ev.limit_hits.at("smtpd").count == 1);
  CHECK(ev.limit_hits.at("smtpd").endpoint == "private/smtpd");
  CHECK(ev.server_ports_busy == 5);
  CHECK(ev.screening_ports_busy == 0);
  CHECK(ev.postscreen_connections == 35);
  CHECK(ev.stress_entered == 1);
  CHECK(ev.stress_left == 1);
  CHECK(ev.stress_max_connections == 90);
  CHECK(ev.dnsbl_error_total == 6);
  CHECK(ev.dnsbl_errors.at("dnsbl.sorbs.net") == 5);
  CHECK(ev.dnsbl_errors.at("zen.spamhaus.org") == 1);
  CHECK(ev.first_stamp == "Nov 20 09:59:55");
  CHECK(ev.last_stamp == "Nov 20 14:00:00");
  CHECK(ev.SpanSeconds() == 4 * 3600 + 5);
}

TEST_CASE("mx-rfc3339.log: smtpd directly on port 25") {
  LogEvidence ev = ReadLogs({"mx-rfc3339.log"});
  CHECK(ev.rfc3339_stamps);
  CHECK_FALSE(ev.traditional_stamps);
  CHECK(ev.syslog_lines == ev.lines);
  const SessionStats& s = ev.sessions.at("postfix/smtpd");
  CHECK(s.peak == 100);
  CHECK(s.connections == 200);
  CHECK(s.lost_after_connect == 40);
  CHECK(ev.limit_hits.at("smtp").count == 2);
  CHECK(ev.limit_hits.at("smtp").limit == 100);
  CHECK(ev.limit_hits.at("smtp").endpoint == "25");
  CHECK(ev.SpanSeconds() == 3600);
}

TEST_CASE("gzip log across the turn of the year") {
  LogEvidence ev = ReadLogs({"mx-rotated.log.1.gz"});
  CHECK(ev.lines == 14);
  CHECK(ev.sessions.at("postfix/smtpd").peak == 7);
  CHECK(ev.first_stamp == "Dec 31 23:59:50");
  CHECK(ev.last_stamp == "Jan  1 00:00:11");
  CHECK(ev.SpanSeconds() == 21);
}

TEST_CASE("postlogd maillog_file with zero-padded days") {
  LogEvidence ev = ReadLogs({"postlog.log"});
  CHECK(ev.syslog_lines == ev.lines);
  CHECK(ev.sessions.at("postfix/smtpd").peak == 4);
  CHECK(ev.sessions.at("postfix/smtpd").lost_after_connect == 1);
}

TEST_CASE("several files add up; peaks stay per file order") {
  LogEvidence ev = ReadLogs({"mx-rotated.log.1.gz", "postlog.log", "mx-traditional.log"});
  CHECK(ev.files == 3);
  CHECK(ev.sessions.at("postfix/smtpd").peak == 30);
  CHECK(ev.sessions.at("postfix/smtpd").connections == 7 + 4 + 50);
}

TEST_CASE("unreadable and corrupt logs are errors") {
  LogAnalyzer a;
  CHECK_FALSE(ReadLogFile(LogPath("no-such.log"), &a).ok());
  // A gzip file cut in the middle.
  std::ifstream in(LogPath("mx-rotated.log.1.gz"), std::ios::binary);
  std::string gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(gz.size() > 40);
  char tmpl[] = "/tmp/postvet-tune-XXXXXX";
  int fd = mkstemp(tmpl);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, gz.data(), gz.size() / 2) == static_cast<ssize_t>(gz.size() / 2));
  close(fd);
  Status st = ReadLogFile(tmpl, &a);
  unlink(tmpl);
  CHECK_FALSE(st.ok());
}

TEST_CASE("random bytes and mangled Postfix lines never crash the analyzer") {
  std::mt19937 rng(12345);
  std::vector<std::string> seeds = {
      "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]",
      "Nov 20 10:00:01 mx1 postfix/master[9]: warning: service \"smtp\" (25) has reached its process limit \"100\": x",
      "Nov 20 10:00:02 mx1 postfix/master[9]: warning: process /x/smtpd pid 1 exit status 1",
      "2024-11-21T09:00:00Z mx2 postfix/postscreen[5]: entering STRESS mode with 90 connections",
      "2024-11-21T09:00:00Z mx2 postfix/dnsblog[5]: warning: dnsblog_query: lookup error for DNS query 1.2.3.4.z.example: x",
      "Nov 20 10:00:03 mx1 postfix/smtpd[1]: warning: 1.2.3.4.zen.example: RBL lookup error: x",
  };
  LogAnalyzer a;
  a.BeginFile();
  size_t fed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string line = seeds[rng() % seeds.size()];
    // Cut, flip or splice bytes.
    switch (rng() % 4) {
      case 0: line = line.substr(0, rng() % (line.size() + 1)); break;
      case 1: line[rng() % line.size()] = static_cast<char>(rng() % 256); break;
      case 2: line.insert(rng() % line.size(), std::string(rng() % 8, static_cast<char>(rng() % 256))); break;
      default: break;
    }
    a.AddLine(line);
    ++fed;
  }
  CHECK(a.evidence().lines == fed);
  CHECK(a.evidence().syslog_lines <= fed);
}

TEST_CASE("overlong lines are cut, not kept whole") {
  LogAnalyzer a;
  a.BeginFile();
  std::string line = "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from " + std::string(kMaxLineBytes * 2, 'a');
  a.AddLine(line);
  CHECK(a.evidence().sessions.at("postfix/smtpd").peak == 1);
}

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
