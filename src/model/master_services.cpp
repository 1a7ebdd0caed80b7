#include "src/model/master_services.hpp"

#include <fmt/format.h>

#include "src/model/main_cf.hpp"
#include "src/model/postfix_strings.hpp"

namespace postvet {
namespace {

// postconf's pcf_normalize_daemon_args(); `args` are the words after field 8.
void NormalizeDaemonArgs(std::vector<std::string>& args, MasterServiceInfo& info) {
  size_t f = 0;
  for (; f < args.size(); ++f) {
    if (args[f].empty() || args[f][0] != '-' || args[f] == "--") break;
    for (size_t k = 2; k < args[f].size(); ++k) {
      if (args[f][k] == 'o') {  // split "-stuffozz" into "-stuff" and "-ozz"
        std::string tail = "-" + args[f].substr(k);
        args[f].resize(k);
        args.insert(args.begin() + static_cast<std::ptrdiff_t>(f) + 1, std::move(tail));
        break;
      }
    }
    // A lone "-" looks like an option that takes a value to postconf
    // (strchr() finds the NUL); it then takes the next word.
    if (args[f].size() >= 2 && args[f][1] != 'o') continue;
    bool extract = false;
    if (args[f].size() > 2) {
      std::string value = args[f].substr(2);
      args[f].resize(2);
      args.insert(args.begin() + static_cast<std::ptrdiff_t>(f) + 1, std::move(value));
      ++f;
      extract = !args[f].empty() && args[f][0] == '{';
    } else if (f + 1 < args.size()) {
      ++f;
      extract = !args[f].empty() && args[f][0] == '{';
    }
    if (extract) {
      ExtparResult ex = Extpar(args[f], /*strip=*/true);
      if (!ex.error.empty()) info.warnings.push_back("master.cf: " + ex.error);
      args[f] = ex.text;
      if (args[f - 1].size() >= 2 && args[f - 1][1] == 'o') {
        std::optional<std::string_view> err = SplitNameValueError(args[f]);
        if (err) {
          info.warnings.push_back(fmt::format("master.cf: {}: \"{}\"", *err, args[f]));
        } else {
          NameValue nv = SplitNameValue(args[f]);
          args[f] = nv.name + "=" + nv.value;
        }
      }
    }
  }
}

}  // namespace

std::vector<MasterServiceInfo> ReadMasterServices(const Cst& cst) {
  std::vector<MasterServiceInfo> out;
  for (uint32_t i : cst.Children(cst.root())) {
    if (cst.node(i).kind != NodeKind::kService) continue;
    std::vector<std::string> words;
    for (uint32_t c : cst.Children(i)) {
      NodeKind k = cst.node(c).kind;
      if (k != NodeKind::kField && k != NodeKind::kArgument) continue;
      std::string text = cst.Text(c);
      size_t nul = text.find('\0');
      // Postfix reads the logical line as a C string: a NUL ends it.
      if (nul != std::string::npos) {
        text.resize(nul);
        if (!text.empty()) words.push_back(std::move(text));
        break;
      }
      words.push_back(std::move(text));
    }
    if (words.size() < 8) continue;
    MasterServiceInfo info;
    info.node = i;
    info.service = words[0];
    info.type = words[1];
    info.command = words[7];
    std::vector<std::string> args(words.begin() + 8, words.end());
    NormalizeDaemonArgs(args, info);
    // pcf_register_user_parameters(): options end at the first non-option.
    for (size_t f = 0; f < args.size(); ++f) {
      const std::string& arg = args[f];
      if (arg.empty() || arg[0] != '-' || arg == "--") break;
      if ((arg.size() >= 2 && arg[1] != 'o') || f + 1 >= args.size()) continue;
      if (arg == "-o" && !SplitNameValueError(args[f + 1])) {
        NameValue nv = SplitNameValue(args[f + 1]);
        info.overrides.emplace_back(nv.name, nv.value);
      }
      ++f;
    }
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace postvet
