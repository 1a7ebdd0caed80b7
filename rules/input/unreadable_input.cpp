// PV002 unreadable-input: a file the configuration needs that cannot be
// read as Postfix would read it: a table that main.cf or master.cf names but
// that is missing, unreadable or a directory (the daemon using it fails at
// run time), a file that starts like a known binary format (a postmap
// .db, an archive), a file with NUL bytes (Postfix reads each line as a C
// string, so everything after the NUL is silently lost), or a control
// byte outside a comment (kept in the value, invisible in an editor). At
// most one finding of each kind per file, at the first such byte (a binary
// file gets only the first kind). The verdicts are facts about the bytes,
// independent of each other, so no fix can make one appear by deleting
// other text.
// Files named on the command line that cannot be read are tool errors
// (exit 2), not findings.
#include <cstring>

#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

// Formats a table or configuration file is mistaken for: a compiled
// indexed map (`postmap` output), an archive or an executable. Matched on
// the leading bytes, so the verdict is a fact about the file, not a guess.
struct Signature {
  size_t offset;
  std::string_view bytes;
  std::string_view kind;
};
constexpr std::string_view kSig(const char* s, size_t n) { return {s, n}; }
const Signature kSignatures[] = {
    {0, kSig("\x7f" "ELF", 4), "ELF executable"},
    {0, kSig("\x1f\x8b", 2), "gzip"},
    {4, kSig("1AY&SY", 6), "bzip2"},
    {0, kSig("\xfd" "7zXZ\0", 6), "xz"},
    {0, kSig("\x28\xb5\x2f\xfd", 4), "zstd"},
    {0, kSig("PK\x03\x04", 4), "zip"},
    {0, kSig("\x89PNG", 4), "PNG"},
    {0, kSig("%PDF-", 5), "PDF"},
    {0, kSig("SQLite format 3\0", 16), "SQLite database"},
    // Berkeley DB (postmap's hash: and btree: output): the magic number at
    // offset 12, in the byte order of the machine that wrote it.
    {12, kSig("\x61\x15\x06\x00", 4), "Berkeley DB hash"},
    {12, kSig("\x00\x06\x15\x61", 4), "Berkeley DB hash"},
    {12, kSig("\x62\x31\x05\x00", 4), "Berkeley DB btree"},
    {12, kSig("\x00\x05\x31\x62", 4), "Berkeley DB btree"},
};

// The kind of binary file `text` starts like, or empty.
std::string_view BinaryKind(std::string_view text) {
  for (const Signature& s : kSignatures) {
    if (text.size() >= s.offset + s.bytes.size() && text.substr(s.offset, s.bytes.size()) == s.bytes) return s.kind;
  }
  return {};
}

// A control byte Postfix keeps as part of a value (not NUL, not the
// whitespace it skips or splits at).
bool IsStrayControl(unsigned char u) {
  return u != 0 && u < 0x20 && u != '\n' && u != '\t' && u != '\r' && u != '\v' && u != '\f';
}

// The offset of the first stray control byte on a line that is not a
// comment, or npos. Deleting text cannot create one, so fixes cannot
// make this finding appear (unlike a share of control bytes, which
// grows when ordinary text is deleted).
size_t FirstStrayControl(std::string_view text) {
  size_t line = 0;
  while (line < text.size()) {
    size_t end = text.find('\n', line);
    if (end == std::string_view::npos) end = text.size();
    size_t first = text.find_first_not_of(" \t\r\v\f", line);
    if (first < end && text[first] != '#') {
      for (size_t i = line; i < end; ++i) {
        if (IsStrayControl(static_cast<unsigned char>(text[i]))) return i;
      }
    }
    line = end + 1;
  }
  return std::string_view::npos;
}

class UnreadableInput : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV002",
            .slug = "unreadable-input",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "file missing, unreadable, a directory, binary, or with NUL or control bytes",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kMainCf, FileKind::kMasterCf, FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, true};
  }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    for (const LoadProblem& p : ctx.problems()) {
      if (p.where.source == nullptr) continue;  // command-line paths are tool errors
      sink.Report(p.where, fmt::format("{}: {}", p.path, p.message), p.path);
    }
  }

  void CheckFile(const LintContext& /*ctx*/, const InputFile& file, Sink& sink) const override {
    std::string_view text = file.source->text();
    if (std::string_view kind = BinaryKind(text); !kind.empty()) {
      Diagnostic& d = sink.Report({file.source.get(), 0, 0}, "this is not a text file", "binary");
      d.notes.push_back({{}, fmt::format("it starts like a {} file; Postfix would read garbage from it", kind)});
      return;
    }
    const void* nul = std::memchr(text.data(), '\0', text.size());
    if (nul != nullptr) {
      auto at = static_cast<uint32_t>(static_cast<const char*>(nul) - text.data());
      Diagnostic& d = sink.Report({file.source.get(), at, at + 1}, "this line contains a NUL byte", "nul");
      d.notes.push_back({{}, "Postfix reads each line as a C string and ignores the rest of this logical line"});
    }
    if (size_t at = FirstStrayControl(text); at != std::string_view::npos) {
      auto pos = static_cast<uint32_t>(at);
      Diagnostic& d = sink.Report({file.source.get(), pos, pos + 1},
                                  fmt::format("this line contains the control character 0x{:02X}",
                                              static_cast<unsigned char>(text[at])),
                                  "control");
      d.notes.push_back({{}, "Postfix keeps it as part of the text; an editor may not show it"});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewUnreadableInputRule() { return std::make_unique<UnreadableInput>(); }

}  // namespace postvet
