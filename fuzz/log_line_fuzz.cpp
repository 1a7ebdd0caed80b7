// Fuzz target: the mail-log reader of `postvet tune --log`
// (src/tune/log_line.cpp, log_evidence.cpp, log_reader.cpp) and the advice
// and report built from its evidence. The first byte picks how the rest is
// read: 0 line by line into LogAnalyzer::AddLine only; 1 also through
// ReadLogFile() from a plain file (unless it starts with the magic bytes of
// gzip, xz or zstd); 2 also from a gzip file. The file and the lines agree
// unless the input holds a journald export entry (only the file reader
// reads the binary fields of one). Every syslog
// timestamp form tune accepts is in the seeds (traditional, postlogd's
// zero-padded day, RFC 3339 with fraction and offset, journal short-iso).
// Properties:
// * no crash, hang or unbounded growth;
// * ParseLogLine(): stamp, host, tag, program and message are views into the
//   line, the stamp starts it, the program ends the tag, the message ends it;
// * the evidence is consistent: syslog lines <= lines, each tag's peak <=
//   its connections, per-zone DNS list errors add up to at most the total,
//   the zone table is bounded, the span is not negative;
// * reading the same bytes from a file (plain or gzip) gives the same
//   evidence as feeding the lines directly;
// * the tune advice and report render for that evidence against a fixed
//   master.cf (postscreen in front of smtpd, a submission service).
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "fuzz/fuzz_util.hpp"
#include "src/diff/fix_in_memory.hpp"
#include "src/config/loader.hpp"
#include "src/tune/advice.hpp"
#include "src/tune/log_evidence.hpp"
#include "src/tune/tune_report.hpp"

namespace {

namespace fs = std::filesystem;
using postvet::tune::LogAnalyzer;
using postvet::tune::LogEvidence;

const std::string& ScratchFile() {
  static const std::string path = [] {
    std::string tmpl = (fs::temp_directory_path() / "postvet-log-fuzz-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    return tmpl + "/mail.log";
  }();
  return path;
}

bool Inside(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

void CheckLine(std::string_view line) {
  std::optional<postvet::tune::LogLine> p = postvet::tune::ParseLogLine(line);
  if (!p) return;
  using postvet::fuzz::Require;
  // The stamp starts the line, or follows an RFC 5424 `<PRI>1 `.
  Require(!p->stamp.empty() && Inside(p->stamp, line) && (p->stamp.data() == line.data() || line[0] == '<'));
  Require(Inside(p->host, line) && !p->host.empty());
  Require(Inside(p->tag, line) && !p->tag.empty());
  Require(Inside(p->message, line) && p->message.data() + p->message.size() == line.data() + line.size());
  Require(Inside(p->program, p->tag) && p->program.data() + p->program.size() == p->tag.data() + p->tag.size());
  Require(p->pid >= -1);
  std::string zone = postvet::tune::ZoneOfQuery(p->message);
  Require(zone.size() <= p->message.size());
}

// Everything the analyzer keeps, printed, to compare two ways of reading.
std::string Describe(const LogEvidence& ev) {
  std::string out = fmt::format("{} {} {} {} {} [{}] [{}] {} {}\n", ev.lines, ev.syslog_lines, ev.files,
                                ev.first_time.value_or(-1), ev.last_time.value_or(-1), ev.first_stamp,
                                ev.last_stamp, ev.traditional_stamps, ev.rfc3339_stamps);
  for (const auto& [name, h] : ev.limit_hits) {
    out += fmt::format("limit [{}] [{}] {} {} [{}] [{}]\n", name, h.endpoint, h.limit, h.count, h.first_stamp,
                       h.last_stamp);
  }
  for (const auto& [tag, s] : ev.sessions) {
    out += fmt::format("session [{}] {} {} {} [{}] [{}]\n", tag, s.connections, s.lost_after_connect, s.peak,
                       s.peak_stamp, s.peak_host);
  }
  out += fmt::format("{} {} {} {} {} {} {} {}\n", ev.server_ports_busy, ev.screening_ports_busy,
                     ev.postscreen_connections, ev.stress_entered, ev.stress_left, ev.stress_max_connections,
                     ev.dnsbl_error_total, ev.truncated);
  for (const auto& [zone, n] : ev.dnsbl_errors) out += fmt::format("zone [{}] {}\n", zone, n);
  return out;
}

void CheckEvidence(const LogEvidence& ev) {
  using postvet::fuzz::Require;
  Require(ev.syslog_lines <= ev.lines);
  for (const auto& [tag, s] : ev.sessions) Require(s.peak >= 0 && static_cast<size_t>(s.peak) <= s.connections);
  size_t zone_errors = 0;
  for (const auto& [zone, n] : ev.dnsbl_errors) zone_errors += n;
  Require(zone_errors <= ev.dnsbl_error_total);
  Require(ev.dnsbl_errors.size() <= 1024);
  Require(ev.SpanSeconds() >= 0);
  Require(ev.first_time.has_value() == (ev.syslog_lines > 0));
}

bool WriteGzip(const std::string& path, std::string_view bytes) {
  gzFile gz = ::gzopen(path.c_str(), "wb1");
  if (gz == nullptr) return false;
  bool ok = bytes.empty() || ::gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())) > 0;
  return ::gzclose(gz) == Z_OK && ok;
}

// A fixed configuration for the advice: postscreen on port 25 in front of
// smtpd, and a submission smtpd with its own limit.
struct TuneFixture {
  std::unique_ptr<postvet::LintContext> ctx;
  postvet::tune::TuneSettings settings;
};

const TuneFixture& Fixture() {
  static const TuneFixture fixture = [] {
    using namespace postvet;
    std::map<std::string, std::string> overlay;
    const std::string dir(kInMemoryConfigDir);
    overlay[dir + "/main.cf"] = "default_process_limit = 50\n";
    overlay[dir + "/master.cf"] =
        "smtp      inet  n       -       y       -       1       postscreen\n"
        "smtpd     pass  -       -       y       -       30      smtpd\n"
        "submission inet n       -       y       -       -       smtpd\n"
        "dnsblog   unix  -       -       y       -       0       dnsblog\n";
    LoadOptions options;
    options.overlay = &overlay;
    Result<std::unique_ptr<LintContext>> ctx = LoadConfigDir(dir, "cfg", ProjectConfig{}, options);
    if (!ctx.ok()) std::abort();
    TuneFixture f;
    f.ctx = std::move(ctx.value());
    f.settings = tune::ComputeSettings(*f.ctx);
    return f;
  }();
  return fixture;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace postvet;
  if (size == 0) return 0;
  const int mode = data[0] % 3;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  LogAnalyzer direct;
  direct.BeginFile();
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t lf = rest.find('\n');
    std::string_view line = rest.substr(0, lf);
    CheckLine(line);
    direct.AddLine(line);
    rest = lf == std::string_view::npos ? std::string_view() : rest.substr(lf + 1);
  }
  const bool none_known = !direct.EndFile("input").ok();  // flushes a journal export entry
  CheckEvidence(direct.evidence());

  // A plain file that starts like compressed data is read as such (by design).
  const bool looks_gzip = text.substr(0, 2) == "\x1f\x8b" || text.substr(0, 4) == "\x28\xb5\x2f\xfd" ||
                          text.substr(0, 6) == std::string_view("\xfd" "7zXZ\0", 6);
  const bool has_export = text.find("__CURSOR=") != std::string_view::npos ||
                          text.find("__REALTIME_TIMESTAMP=") != std::string_view::npos;
  if (mode == 2 || (mode == 1 && !looks_gzip)) {
    const std::string& path = ScratchFile();
    if (mode == 1) {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(text.data(), static_cast<std::streamsize>(text.size()));
    } else if (!WriteGzip(path, text)) {
      std::abort();
    }
    LogAnalyzer from_file;
    // A file in which no line is in a known form is refused (issue 21).
    const bool read_ok = tune::ReadLogFile(path, &from_file).ok();
    if (!has_export) {
      fuzz::Require(read_ok != none_known);
      fuzz::Require(Describe(from_file.evidence()) == Describe(direct.evidence()));
    }
  }

  const TuneFixture& f = Fixture();
  std::vector<tune::SmtpdAdvice> advice = tune::AdviseSmtpd(f.settings, direct.evidence(), 0);
  for (const tune::SmtpdAdvice& a : advice) fuzz::Require(a.recommended >= 0);
  tune::TuneReport report;
  report.config = "cfg";
  report.settings = &f.settings;
  report.evidence = &direct.evidence();
  report.advice = &advice;
  std::string rendered = tune::RenderTuneText(report);
  fuzz::Require(!rendered.empty() && rendered.back() == '\n');
  ProjectConfig exported;
  tune::ExportEvidence(advice, &exported);
  return 0;
}
