// PV408 bad-service-field: a master.cf field that postconf or master(8)
// rejects, or a process limit the service's daemon refuses to start with.
// Field checks come from the model (format spec 5.2) with Postfix's own
// wording: a type other than inet/unix/unix-dgram/fifo/pass; private,
// unprivileged or chroot not y/n/-; a malformed wakeup or maxproc (the two
// readers differ: postconf rejects `60x` and `1k`, which master(8) reads as
// 60 and 1; master(8) rejects `-?`, which postconf accepts); an inet
// service marked private (`-` means y, and master(8) refuses it); a
// malformed inet address. Process limits (spec 9): postscreen, qmgr,
// oqmgr, pickup, tlsmgr, anvil, scache, verify and postlogd stop with
// "requires a process limit of 1" unless maxproc is 1, and dnsblog,
// tlsproxy, bounce, cleanup and flush with "requires a process limit of 0"
// unless it is 0; `-` means default_process_limit. Also a type the target
// Postfix version does not have (pass before 2.5, unix-dgram before 3.4).
// No fix: the right value is the author's call.
#include <fmt/format.h>

#include <map>

#include "src/facts/master/master_common.hpp"
#include "src/engine/rule.hpp"
#include "src/model/param_info.hpp"

namespace postvet {
namespace {

using master_rules::CommandName;
using master_rules::Label;

class BadServiceField : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV408",
            .slug = "bad-service-field",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "type not inet/unix/unix-dgram/fifo/pass; private/unpriv/chroot not y/n/-; wakeup or maxproc "
                       "malformed",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, true, false}; }

  void CheckService(const LintContext& ctx, size_t index, Sink& sink) const override {
    const MasterService& svc = ctx.master_cf().services[index];
    if (master_rules::IsArgumentLine(svc)) return;
    const Source* src = ctx.master_cf().source;
    ReportFieldProblems(svc, src, sink);
    ReportVersion(ctx, svc, src, sink);
    ReportProcessLimit(ctx, svc, src, sink);
  }

 private:
  static void ReportFieldProblems(const MasterService& svc, const Source* src, Sink& sink) {
    std::map<int, std::vector<const MasterProblem*>> by_field;
    for (const MasterProblem& p : svc.problems) {
      if (p.field >= 0 && p.fatal && p.checker != MasterChecker::kDaemon) by_field[p.field].push_back(&p);
    }
    for (const auto& [field, problems] : by_field) {
      const MasterWord& word = svc.fields[static_cast<size_t>(field)];
      std::string says;
      bool postconf = false;
      bool master = false;
      for (const MasterProblem* p : problems) {
        bool by_postconf = p->checker == MasterChecker::kPostconf;
        if ((by_postconf && postconf) || (!by_postconf && master)) continue;
        (by_postconf ? postconf : master) = true;
        if (!says.empty()) says += "; ";
        says += fmt::format("{} stops: \"{}\"", by_postconf ? "postconf" : "master(8)", p->message);
      }
      std::string who = postconf && master ? "postconf and master(8) refuse it"
                        : postconf         ? "postconf refuses it (master(8) would read it differently)"
                                           : "master(8) refuses it (postconf lets it pass)";
      std::string_view field_name = MasterFieldName(static_cast<MasterField>(field));
      Diagnostic& d = sink.Report({src, word.begin, word.end},
                                  fmt::format("field {} of service {} is `{}`, which {}", field_name, Label(svc),
                                              word.text, postconf && master ? "postconf and master(8) refuse"
                                                         : postconf         ? "postconf refuses"
                                                                            : "master(8) refuses"),
                                  Label(svc) + "/" + std::string(field_name));
      d.notes.push_back({Location{}, fmt::format("{}, so Postfix does not start: {}", who, says)});
    }
  }

  static void ReportVersion(const LintContext& ctx, const MasterService& svc, const Source* src, Sink& sink) {
    std::optional<PostfixVersion> version = ctx.target().version();
    if (!version) return;
    PostfixVersion since;
    if (svc.type == ServiceType::kPass) {
      since = {2, 5};
    } else if (svc.type == ServiceType::kUnixDgram) {
      since = {3, 4};
    } else {
      return;
    }
    if (*version >= since) return;
    const MasterWord& word = svc.field(MasterField::kType);
    Diagnostic& d = sink.Report({src, word.begin, word.end},
                                fmt::format("service {} has type {}, which Postfix {} does not know (new in {})",
                                            Label(svc), word.text, version->ToString(), since.ToString()),
                                Label(svc) + "/type");
    d.notes.push_back({Location{}, fmt::format("master(8) stops with \"bad transport type: {}\"", word.text)});
  }

  static void ReportProcessLimit(const LintContext& ctx, const MasterService& svc, const Source* src, Sink& sink) {
    std::string_view command = CommandName(svc);
    int required = master_rules::RequiredProcessLimit(command);
    if (required < 0) return;
    std::optional<long> limit = master_rules::ProcessLimit(ctx, svc);
    if (!limit || *limit == required) return;
    const MasterWord& word = svc.field(MasterField::kProcessLimit);
    std::string have = word.text == "-" ? fmt::format("`-` (default_process_limit, {})", *limit)
                                        : fmt::format("`{}`", word.text);
    std::string why = required == 1
                          ? "it keeps state for the whole system in one process"
                          : "its clients must never wait for a free process";
    Diagnostic& d = sink.Report({src, word.begin, word.end},
                                fmt::format("service {} runs {}, which requires a process limit of {}, but maxproc "
                                            "is {}",
                                            Label(svc), command, required, have),
                                Label(svc) + "/process_limit");
    d.notes.push_back({Location{}, fmt::format("{} stops at start with \"fatal: service {} requires a process limit "
                                               "of {}\" ({})",
                                               command, svc.name(), required, why)});
  }
};

}  // namespace

std::unique_ptr<Rule> NewBadServiceFieldRule() { return std::make_unique<BadServiceField>(); }

}  // namespace postvet
