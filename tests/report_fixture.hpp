// A fixed set of diagnostics over in-memory sources, shared by the reporter
// tests. It exercises what each format must get right: a range over two
// lines, notes, detail notes (no location; one listed before a located note,
// one with characters to escape), a safe and an unsafe fix, a fix made of
// two insertions, a tab before the range, non-ASCII and invalid UTF-8
// bytes, an ESC in a source line, a CRLF line, a message with % , : newline BEL and <&", paths that
// need percent-encoding, and two findings with one fingerprint key.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "src/engine/diagnostic.hpp"
#include "src/report/reporter.hpp"
#include "src/engine/rule_info.hpp"
#include "src/base/source.hpp"

namespace postvet::testing {

/// The bytes [begin, end) of the `nth` occurrence of `needle` in `source`.
inline Location Find(const Source& source, std::string_view needle, int nth = 0) {
  size_t at = source.text().find(needle);
  while (nth-- > 0 && at != std::string_view::npos) at = source.text().find(needle, at + 1);
  if (at == std::string_view::npos) return {&source, 0, 0};  // a test bug; shows in goldens
  return {&source, static_cast<uint32_t>(at), static_cast<uint32_t>(at + needle.size())};
}

/// Bytes of whole 1-based line `line`, its LF included.
inline Location Line(const Source& source, uint32_t line) {
  return {&source, source.LineStart(line), source.LineStart(line + 1)};
}

inline Edit Replace(const Location& at, std::string text) {
  return {at.source, at.begin, at.end, std::move(text)};
}

/// The fixture; not copyable because diagnostics point into its sources.
struct ReportFixture {
  ReportFixture() { Build(/*shift=*/0); }
  /// With `shift` comment lines inserted at the top of every file.
  explicit ReportFixture(int shift) { Build(shift); }
  ReportFixture(const ReportFixture&) = delete;
  ReportFixture& operator=(const ReportFixture&) = delete;

  std::unique_ptr<Source> main_cf, table, master_cf;
  std::vector<RuleInfo> rules;
  std::vector<Diagnostic> diagnostics;

  ReportOptions Options(bool color = false) const {
    ReportOptions options;
    options.color = color;
    options.tool_version = "0.0.0-test";
    options.information_uri = "https://example.invalid/postvet";
    options.working_directory = "/srv/mail/";
    options.rule_doc_dir = "/usr/share/doc/postvet/rules";
    return options;
  }

 private:
  void Build(int shift) {
    std::string top;
    for (int i = 0; i < shift; ++i) top += "# inserted line\n";
    main_cf = std::make_unique<Source>(
        "/srv/mail/main.cf", "main.cf",
        top + "# fixture main.cf\n"
              "myhostname = mail.example.com\n"
              "smtpd_client_restrictions = permit_mynetworks,\n"
              "    reject_rbl_client dnsbl.sorbs.net\n"
              "myhostname = mx.example.com\n"
              "smtpd_timeout =\t300s\n"
              "mydomain = caf\xc3\xa9.example\xff\n");
    table = std::make_unique<Source>("/srv/mail/tables/100% header checks",
                                     "/srv/mail/tables/100% header checks",
                                     top + "/^Subject: win/ REJECT\n"
                                           "/^Subject: win/ REJECT\n"
                                           "/^Subject: win/ REJEKT\r\n");
    master_cf = std::make_unique<Source>(
        "/etc/postfix/master.cf", "/etc/postfix/master.cf",
        top + "smtp      inet  n       -       y       -       0       smtpd\n"
              "  -o smtpd_banner=$myhostname ESMTP\x1b[0m\n");
    const uint32_t line = static_cast<uint32_t>(shift);

    rules = {
        {"PV102", "duplicate-parameter", Severity::kWarning, FixKind::kSafe,
         "a name is defined twice; the earlier definition is dead",
         "# PV102 duplicate-parameter\n\nA parameter is set twice in main.cf. Postfix uses\n"
         "the last definition, so the earlier one is dead.\n\n## Example\n\n```\n"
         "myhostname = a\nmyhostname = b\n```\n", "main"},
        {"PV104", "stress-override", Severity::kWarning, FixKind::kUnsafe,
         "a stress-adaptive parameter is set to a plain value", ""},
        {"PV106", "invalid-value", Severity::kError, FixKind::kNone,
         "value of the wrong type for the parameter", ""},
        {"PV203", "obsolete-dnsbl", Severity::kWarning, FixKind::kSafe,
         "the zone is known to be shut down",
         "# PV203 obsolete-dnsbl\n\n```\nreject_rbl_client dnsbl.sorbs.net\n```\n\n"
         "The blocklist zone was shut down; queries only add latency.\n"},
        {"PV207", "dnsbl-latency-budget", Severity::kInfo, FixKind::kNone,
         "smtpd restriction lists query many zones one after another", ""},
        {"PV303", "unknown-action", Severity::kError, FixKind::kNone,
         "the result is not an action the table's user understands", ""},
        {"PV305", "duplicate-pattern", Severity::kWarning, FixKind::kSafe,
         "the same pattern appears earlier in the same scope", ""},
        {"PV405", "split-option-value", Severity::kError, FixKind::kSafe,
         "an -o value with whitespace not wrapped in { }", ""},
        {"PV411", "unlimited-public-service", Severity::kWarning, FixKind::kUnsafe,
         "maxproc 0 (unlimited) on an inet service", "", "master", "5.0"},
    };

    const Source& m = *main_cf;
    const Source& t = *table;
    const Source& s = *master_cf;
    // Deliberately not in report order: Render() sorts.
    diagnostics.push_back({"PV303", Severity::kError, Find(t, "REJEKT"),
                           "REJEKT is not a header_checks action", {}, std::nullopt, "REJEKT"});
    diagnostics.push_back(
        {"PV106", Severity::kError, Find(m, "caf\xc3\xa9.example\xff"),
         "mydomain: \"caf\xc3\xa9.example\xff\" is 100% not a domain name, see: RFC 1035 <a&b>\n"
         "second line\x07",
         {}, std::nullopt, "mydomain"});
    {
      Diagnostic d{"PV102", Severity::kWarning, Find(m, "myhostname"),
                   "myhostname is defined again later, so this definition has no effect",
                   {{Find(m, "myhostname", 1), "the later definition, which wins"},
                    {Location{}, "Postfix uses only the later value (postconf: \"overriding earlier entry\")"},
                    {Location{}, "delete one of them"}},
                   Fix{Applicability::kSafe, "delete the earlier definition",
                       {Replace(Line(m, line + 2), "")}},
                   "myhostname"};
      diagnostics.push_back(std::move(d));
    }
    // A detail note before a located one: reporters print located notes first.
    diagnostics.push_back({"PV305", Severity::kWarning, Find(t, "/^Subject: win/", 2),
                           "this pattern is already matched above; this rule never fires",
                           {{Location{}, "the earlier rule always matches first"},
                            {Find(t, "/^Subject: win/"), "first used here"}},
                           std::nullopt,
                           "/^Subject: win/"});
    {
      const Location list = Find(m, "permit_mynetworks,\n    reject_rbl_client dnsbl.sorbs.net");
      diagnostics.push_back(
          {"PV203", Severity::kWarning, list,
           "dnsbl.sorbs.net has been shut down; its queries only add latency",
           {{Location{}, "100% of queries time out: a, b <c&d>\nnext line\x07."}},
           Fix{Applicability::kSafe, "remove reject_rbl_client dnsbl.sorbs.net",
               {Replace(Find(m, ",\n    reject_rbl_client dnsbl.sorbs.net"), "")}},
           "dnsbl.sorbs.net"});
    }
    diagnostics.push_back({"PV207", Severity::kInfo, Find(m, "smtpd_client_restrictions"),
                           "smtpd queries DNSBLs one after another; consider postscreen",
                           {}, std::nullopt, ""});
    diagnostics.push_back({"PV104", Severity::kWarning, Find(m, "300s"),
                           "smtpd_timeout replaces a stress-adaptive default",
                           {},
                           Fix{Applicability::kUnsafe, "keep the stress-adaptive default",
                               {Replace(Find(m, "300s"), "${stress?{10}:{300s}}")}},
                           "smtpd_timeout"});
    diagnostics.push_back({"PV305", Severity::kWarning, Find(t, "/^Subject: win/", 1),
                           "this pattern is already matched above; this rule never fires",
                           {{Find(t, "/^Subject: win/"), "first used here"}},
                           Fix{Applicability::kSafe, "", {Replace(Line(t, line + 2), "")}},
                           "/^Subject: win/"});
    {
      const Location value = Find(s, "smtpd_banner=$myhostname ESMTP\x1b[0m");
      diagnostics.push_back(
          {"PV405", Severity::kError, value,
           "the value of smtpd_banner contains a space; its later words become daemon "
           "arguments",
           {},
           Fix{Applicability::kSafe, "wrap the option in { }",
               {Edit{&s, value.begin, value.begin, "{ "}, Edit{&s, value.end, value.end, " }"}}},
           "smtpd_banner"});
    }
    {
      Location maxproc = Find(s, "0 ");
      maxproc.end = maxproc.begin + 1;
      diagnostics.push_back({"PV411", Severity::kWarning, maxproc,
                             "smtp has no process limit (maxproc 0)", {},
                             Fix{Applicability::kUnsafe, "set maxproc to 100",
                                 {Replace(maxproc, "100")}},
                             "smtp/inet"});
    }
  }
};

}  // namespace postvet::testing
