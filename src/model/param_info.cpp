// Loader and lookups for the parameter knowledge tables (param_info.hpp).
#include "src/model/param_info.hpp"

#include <algorithm>
#include <charconv>
#include <functional>

#include "src/base/embedded.hpp"

namespace postvet {
namespace {

constexpr std::string_view kParamsPath = "rules/data/postfix-params.tsv";
constexpr std::string_view kObsoletePath = "rules/data/postfix-obsolete.tsv";

constexpr std::string_view kParamsHeader =
    "name\ttype\tunit\tmin\tmax\tenum\tsince\tremoved\tdeprecated\trenamed_to\t"
    "stress_default\tnotes";
constexpr std::string_view kObsoleteHeader =
    "name\tkind\tdeprecated\tremoved\treplacement\tfix\tnotes";

struct TypeName {
  ParamType type;
  std::string_view name;
};

constexpr TypeName kTypeNames[] = {
    {ParamType::kInt, "int"},       {ParamType::kSize, "size"},
    {ParamType::kBool, "bool"},     {ParamType::kTime, "time"},
    {ParamType::kNint, "nint"},     {ParamType::kNbool, "nbool"},
    {ParamType::kString, "string"}, {ParamType::kRaw, "raw"},
    {ParamType::kList, "list"},     {ParamType::kMaps, "maps"},
    {ParamType::kEnum, "enum"},     {ParamType::kLevel, "level"},
};

std::vector<std::string_view> Split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t pos = line.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(line.substr(start));
      return out;
    }
    out.push_back(line.substr(start, pos - start));
    start = pos + 1;
  }
}

// Parameter names as Postfix writes them: letters, digits, underscores.
bool IsParamName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
  });
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Reads the rows of a TSV with the given header, calling `row` for each.
Status ForEachRow(std::string_view text, std::string_view file, std::string_view header,
                  std::size_t columns,
                  const std::function<Status(const std::vector<std::string_view>&,
                                             const std::string& where)>& row) {
  std::size_t line_no = 0;
  std::size_t pos = 0;
  bool saw_header = false;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    std::string where = std::string(file) + ":" + std::to_string(line_no);
    if (!saw_header) {
      if (line != header) return Status::Error(where + ": unexpected header row");
      saw_header = true;
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::string_view> fields = Split(line, '\t');
    if (fields.size() != columns) {
      return Status::Error(where + ": expected " + std::to_string(columns) + " fields, found " +
                           std::to_string(fields.size()));
    }
    if (Status s = row(fields, where); !s.ok()) return s;
  }
  if (!saw_header) return Status::Error(std::string(file) + ": empty file");
  return Status();
}

// "-" or a version; anything else is an error.
bool ParseOptionalVersion(std::string_view field, std::optional<PostfixVersion>* out) {
  if (field == "-") {
    out->reset();
    return true;
  }
  *out = PostfixVersion::Parse(field);
  return out->has_value();
}

bool ParseOptionalNumber(std::string_view field, std::optional<int64_t>* out) {
  if (field == "-") {
    out->reset();
    return true;
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || end != field.data() + field.size()) return false;
  *out = value;
  return true;
}

Status ParseParamRow(const std::vector<std::string_view>& f, const std::string& where,
                     ParamInfo* p) {
  auto bad = [&](std::string_view what, std::string_view value) {
    return Status::Error(where + ": bad " + std::string(what) + " \"" + std::string(value) + "\"");
  };
  if (!IsParamName(f[0])) return bad("name", f[0]);
  p->name = std::string(f[0]);
  const TypeName* type = std::find_if(std::begin(kTypeNames), std::end(kTypeNames),
                                      [&](const TypeName& t) { return t.name == f[1]; });
  if (type == std::end(kTypeNames)) return bad("type", f[1]);
  p->type = type->type;
  if (p->type == ParamType::kTime) {
    if (f[2].size() != 1 || std::string_view("smhdw").find(f[2][0]) == std::string_view::npos) {
      return bad("time unit", f[2]);
    }
    p->time_unit = f[2][0];
  } else if (f[2] != "-") {
    return bad("unit (only time parameters have one)", f[2]);
  }
  if (!ParseOptionalNumber(f[3], &p->min)) return bad("min", f[3]);
  if (!ParseOptionalNumber(f[4], &p->max)) return bad("max", f[4]);
  if (p->type == ParamType::kBool || p->type == ParamType::kNbool) {
    if (p->min || p->max) return bad("bound (booleans have none)", f[3]);
  }
  if (p->min && p->max && *p->min > *p->max) return bad("bounds", f[3]);
  std::string_view enums = f[5];
  if (p->type == ParamType::kEnum) {
    if (enums.substr(0, 5) == "mask:") {
      p->enum_is_mask = true;
      enums.remove_prefix(5);
    }
    for (std::string_view word : Split(enums, '|')) {
      if (word.find_first_of(" \t,") != std::string_view::npos) return bad("enum word", word);
      p->enum_values.emplace_back(word);
    }
    if (p->enum_values.size() < 2 && !p->enum_is_mask) return bad("enum (too few words)", f[5]);
  } else if (p->type == ParamType::kLevel) {
    if (enums != "level") return bad("enum of a level parameter", enums);
  } else if (enums != "-") {
    return bad("enum (type is not enum)", enums);
  }
  if (!ParseOptionalVersion(f[6], &p->since)) return bad("since", f[6]);
  if (!ParseOptionalVersion(f[7], &p->removed)) return bad("removed", f[7]);
  if (!ParseOptionalVersion(f[8], &p->deprecated)) return bad("deprecated", f[8]);
  if (p->since && p->removed && *p->removed <= *p->since) return bad("removed", f[7]);
  if (f[9] != "-") {
    if (!IsParamName(f[9]) || f[9] == f[0]) return bad("renamed_to", f[9]);
    if (!p->deprecated) return bad("renamed_to without deprecated", f[9]);
    p->renamed_to = std::string(f[9]);
  }
  if (f[10] == "yes") {
    p->stress_default = true;
  } else if (f[10] != "-") {
    return bad("stress_default", f[10]);
  }
  if (f[11] != "-") p->notes = std::string(f[11]);
  return Status();
}

Status ParseObsoleteRow(const std::vector<std::string_view>& f, const std::string& where,
                        ObsoleteInfo* o) {
  auto bad = [&](std::string_view what, std::string_view value) {
    return Status::Error(where + ": bad " + std::string(what) + " \"" + std::string(value) + "\"");
  };
  if (!IsParamName(f[0])) return bad("name", f[0]);
  o->name = std::string(f[0]);
  if (f[1] == "parameter") {
    o->kind = ObsoleteInfo::Kind::kParameter;
  } else if (f[1] == "restriction") {
    o->kind = ObsoleteInfo::Kind::kRestriction;
  } else {
    return bad("kind", f[1]);
  }
  if (!ParseOptionalVersion(f[2], &o->deprecated) || !o->deprecated) return bad("deprecated", f[2]);
  if (!ParseOptionalVersion(f[3], &o->removed)) return bad("removed", f[3]);
  if (o->removed && *o->removed < *o->deprecated) return bad("removed", f[3]);
  if (f[4] != "-") o->replacement = std::string(f[4]);
  if (f[5] == "rename") {
    o->rename_fix = true;
    if (!IsParamName(f[4])) return bad("replacement of a rename", f[4]);
  } else if (f[5] != "none") {
    return bad("fix", f[5]);
  }
  if (f[6] != "-") o->notes = std::string(f[6]);
  return Status();
}

}  // namespace

std::optional<PostfixVersion> PostfixVersion::Parse(std::string_view text) {
  PostfixVersion v;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [p1, ec1] = std::from_chars(begin, end, v.major);
  if (ec1 != std::errc() || p1 == end || *p1 != '.' || v.major < 0) return std::nullopt;
  auto [p2, ec2] = std::from_chars(p1 + 1, end, v.minor);
  if (ec2 != std::errc() || v.minor < 0) return std::nullopt;
  if (p2 != end) {
    // An optional ".patch" (all digits); anything else is not a version.
    int patch = 0;
    if (*p2 != '.') return std::nullopt;
    auto [p3, ec3] = std::from_chars(p2 + 1, end, patch);
    if (ec3 != std::errc() || p3 != end) return std::nullopt;
  }
  return v;
}

std::string PostfixVersion::ToString() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string_view ParamTypeName(ParamType type) {
  for (const TypeName& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "?";
}

bool ParamInfo::KnownIn(PostfixVersion v) const {
  if (!since || v < *since) return false;
  return !removed || v < *removed;
}

bool ParamInfo::IsNumeric() const {
  return type == ParamType::kInt || type == ParamType::kSize || type == ParamType::kNint;
}

bool ObsoleteInfo::ObsoleteIn(PostfixVersion v) const {
  return (deprecated && *deprecated <= v) || RemovedIn(v);
}

bool ObsoleteInfo::RemovedIn(PostfixVersion v) const { return removed && *removed <= v; }

Result<ParamTable> ParamTable::Parse(std::string_view params_tsv, std::string_view params_file,
                                     std::string_view obsolete_tsv,
                                     std::string_view obsolete_file) {
  ParamTable table;
  Status s = ForEachRow(params_tsv, params_file, kParamsHeader, 12,
                        [&](const std::vector<std::string_view>& f, const std::string& where) {
                          ParamInfo p;
                          if (Status r = ParseParamRow(f, where, &p); !r.ok()) return r;
                          if (!table.params_.empty() && table.params_.back().name >= p.name) {
                            return Status::Error(where + ": names not sorted or repeated: " +
                                                 p.name);
                          }
                          table.by_name_.emplace(p.name, table.params_.size());
                          table.params_.push_back(std::move(p));
                          return Status();
                        });
  if (!s.ok()) return s;
  for (const ParamInfo& p : table.params_) {
    if (!p.renamed_to.empty() && table.Find(p.renamed_to) == nullptr) {
      return Status::Error(std::string(params_file) + ": " + p.name + " is renamed to " +
                           p.renamed_to + ", which is not in the table");
    }
  }
  s = ForEachRow(obsolete_tsv, obsolete_file, kObsoleteHeader, 7,
                 [&](const std::vector<std::string_view>& f, const std::string& where) {
                   ObsoleteInfo o;
                   if (Status r = ParseObsoleteRow(f, where, &o); !r.ok()) return r;
                   std::size_t index = table.obsolete_.size();
                   bool fresh = o.kind == ObsoleteInfo::Kind::kParameter
                                    ? table.obsolete_params_.emplace(o.name, index).second
                                    : table.obsolete_restrictions_.emplace(Lower(o.name), index)
                                          .second;
                   if (!fresh) return Status::Error(where + ": repeated name " + o.name);
                   if (o.kind == ObsoleteInfo::Kind::kParameter && table.Find(o.name) == nullptr) {
                     return Status::Error(where + ": " + o.name +
                                          " is not in the parameter table");
                   }
                   table.obsolete_.push_back(std::move(o));
                   return Status();
                 });
  if (!s.ok()) return s;
  return table;
}

const ParamInfo* ParamTable::Find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &params_[it->second];
}

Availability ParamTable::AvailabilityIn(std::string_view name, PostfixVersion v) const {
  const ParamInfo* p = Find(name);
  if (p == nullptr || !p->since) return Availability::kUnknown;
  if (v < *p->since) return Availability::kTooNew;
  if (p->removed && *p->removed <= v) return Availability::kRemoved;
  return Availability::kKnown;
}

bool ParamTable::IsKnownIn(std::string_view name, PostfixVersion v) const {
  return AvailabilityIn(name, v) == Availability::kKnown;
}

const ObsoleteInfo* ParamTable::FindObsoleteParameter(std::string_view name) const {
  auto it = obsolete_params_.find(name);
  return it == obsolete_params_.end() ? nullptr : &obsolete_[it->second];
}

const ObsoleteInfo* ParamTable::FindObsoleteRestriction(std::string_view name) const {
  auto it = obsolete_restrictions_.find(Lower(name));
  return it == obsolete_restrictions_.end() ? nullptr : &obsolete_[it->second];
}

std::vector<const ParamInfo*> ParamTable::StressDependent() const {
  std::vector<const ParamInfo*> out;
  for (const ParamInfo& p : params_) {
    if (p.stress_default) out.push_back(&p);
  }
  return out;
}

std::vector<std::string_view> ParamTable::NamesKnownIn(PostfixVersion v) const {
  std::vector<std::string_view> out;
  for (const ParamInfo& p : params_) {
    if (p.KnownIn(v)) out.push_back(p.name);
  }
  return out;
}

const Result<ParamTable>& BuiltinParamTable() {
  static const Result<ParamTable> table = []() -> Result<ParamTable> {
    std::optional<std::string_view> params = FindEmbedded(kParamsPath);
    if (!params) return Status::Error(std::string(kParamsPath) + ": not embedded in this build");
    std::optional<std::string_view> obsolete = FindEmbedded(kObsoletePath);
    if (!obsolete) {
      return Status::Error(std::string(kObsoletePath) + ": not embedded in this build");
    }
    return ParamTable::Parse(*params, kParamsPath, *obsolete, kObsoletePath);
  }();
  return table;
}

}  // namespace postvet
