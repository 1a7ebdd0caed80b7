#include "src/template/vars.hpp"

#include <yaml.h>

#include <cmath>

#include <fmt/format.h>

#include "src/base/json_reader.hpp"
#include "src/base/source.hpp"

namespace postvet::tmpl {
namespace {

bool EndsWith(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

// --- JSON -------------------------------------------------------------------

VarValue FromJson(const JsonValue& j) {
  VarValue v;
  switch (j.type) {
    case JsonValue::Type::kString:
      v.type = VarValue::Type::kString;
      v.text = j.string;
      break;
    case JsonValue::Type::kNumber:
      v.type = VarValue::Type::kNumber;
      if (j.unsigned_integer) {
        v.text = std::to_string(*j.unsigned_integer);
      } else if (std::trunc(j.number) == j.number && std::fabs(j.number) < 1e15) {
        v.text = fmt::format("{}", static_cast<long long>(j.number));
      } else {
        v.text = fmt::format("{}", j.number);
      }
      break;
    case JsonValue::Type::kBool:
      v.type = VarValue::Type::kBool;
      v.boolean = j.boolean;
      break;
    case JsonValue::Type::kObject:
      v.type = VarValue::Type::kMap;
      for (const JsonMember& m : j.members) v.members[m.name] = FromJson(m.value);  // the last one wins
      break;
    default:
      break;  // null, arrays: never rendered
  }
  return v;
}

// --- YAML -------------------------------------------------------------------

bool OneOf(std::string_view word, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (word == w) return true;
  }
  return false;
}

// A plain (unquoted) scalar resolved as YAML 1.1 does (PyYAML, which Ansible
// and Salt use): null, boolean, number or string.
VarValue PlainScalar(std::string_view s) {
  VarValue v;
  if (OneOf(s, {"", "~", "null", "Null", "NULL"})) return v;  // kOther
  if (OneOf(s, {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) {
    v.type = VarValue::Type::kBool;
    v.boolean = true;
    return v;
  }
  if (OneOf(s, {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) {
    v.type = VarValue::Type::kBool;
    return v;
  }
  v.text = std::string(s);
  size_t i = (s.front() == '-' || s.front() == '+') ? 1 : 0;
  bool digits = i < s.size();
  for (; i < s.size(); ++i) digits = digits && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_');
  v.type = digits ? VarValue::Type::kNumber : VarValue::Type::kString;
  return v;
}

class YamlTree {
 public:
  YamlTree(yaml_document_t* doc, std::string name) : doc_(doc), name_(std::move(name)) {}

  Status Convert(int id, int depth, VarValue* out) {
    yaml_node_t* node = yaml_document_get_node(doc_, id);
    if (node == nullptr) return Status();
    if (depth > kMaxVarsDepth || ++nodes_ > kMaxVarsNodes) {
      return Status::Error(fmt::format("{}:{}: the variables nest deeper than {} levels or hold more than {} values",
                                       name_, node->start_mark.line + 1, kMaxVarsDepth, kMaxVarsNodes));
    }
    switch (node->type) {
      case YAML_SCALAR_NODE: {
        std::string_view s(reinterpret_cast<const char*>(node->data.scalar.value), node->data.scalar.length);
        if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
          *out = PlainScalar(s);
        } else {
          out->type = VarValue::Type::kString;
          out->text = std::string(s);
        }
        break;
      }
      case YAML_MAPPING_NODE:
        out->type = VarValue::Type::kMap;
        for (yaml_node_pair_t* p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; ++p) {
          yaml_node_t* key = yaml_document_get_node(doc_, p->key);
          if (key == nullptr || key->type != YAML_SCALAR_NODE) continue;  // complex keys: never a variable name
          std::string k(reinterpret_cast<const char*>(key->data.scalar.value), key->data.scalar.length);
          VarValue v;
          if (Status st = Convert(p->value, depth + 1, &v); !st.ok()) return st;
          out->members[std::move(k)] = std::move(v);
        }
        break;
      case YAML_SEQUENCE_NODE:  // kept as kOther, its items are not looked at
      default:
        break;
    }
    return Status();
  }

 private:
  yaml_document_t* doc_;
  std::string name_;
  uint32_t nodes_ = 0;
};

Result<VarValue> ParseYaml(std::string_view text, const std::string& name) {
  yaml_parser_t parser;
  if (yaml_parser_initialize(&parser) == 0) return Status::Error(name + ": cannot start the YAML parser");
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  yaml_document_t doc;
  if (yaml_parser_load(&parser, &doc) == 0) {
    // "vars.yml:4:1: did not find expected ',' or ']' (while parsing a flow sequence started on line 3)"
    const yaml_mark_t& at = parser.problem_mark;
    std::string context;
    if (parser.context != nullptr) {
      context = fmt::format(" ({} started on line {})", parser.context, parser.context_mark.line + 1);
    }
    Status st = Status::Error(fmt::format("{}:{}:{}: {}{}", name, at.line + 1, at.column + 1,
                                          parser.problem != nullptr ? parser.problem : "invalid YAML", context));
    yaml_parser_delete(&parser);
    return st;
  }
  VarValue root;
  yaml_node_t* top = yaml_document_get_root_node(&doc);
  Status st;
  if (top != nullptr && top->type != YAML_MAPPING_NODE) {
    st = Status::Error(fmt::format("{}:{}: expected a mapping of variable names at the top level", name,
                                   top->start_mark.line + 1));
  } else if (top != nullptr) {
    st = YamlTree(&doc, name).Convert(1, 0, &root);  // the root node is node 1
  } else {
    root.type = VarValue::Type::kMap;  // an empty file defines nothing
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  if (!st.ok()) return st;
  return root;
}

}  // namespace

const VarValue* Vars::Find(std::string_view dotted) const {
  const VarValue* v = &root;
  while (true) {
    size_t dot = dotted.find('.');
    std::string_view part = dotted.substr(0, dot);
    if (v->type != VarValue::Type::kMap) return nullptr;
    auto it = v->members.find(part);
    if (it == v->members.end()) return nullptr;
    v = &it->second;
    if (dot == std::string_view::npos) return v;
    dotted.remove_prefix(dot + 1);
  }
}

Result<Vars> ParseVars(std::string_view text, const std::string& name, bool yaml) {
  Vars vars;
  vars.display = name;
  if (yaml) {
    Result<VarValue> root = ParseYaml(text, name);
    if (!root.ok()) return root.status();
    vars.root = std::move(root.value());
    return vars;
  }
  Result<JsonValue> json = ParseJson(text, name);
  if (!json.ok()) return json.status();
  if (json->type != JsonValue::Type::kObject) {
    return Status::Error(fmt::format("{}:1: expected an object of variable names at the top level", name));
  }
  vars.root = FromJson(json.value());
  return vars;
}

Result<std::shared_ptr<const Vars>> ReadVars(const std::string& path, const std::string& display) {
  Result<Source> src = ReadSource(path, display);
  if (!src.ok()) return src.status();
  std::string_view text = src->text();
  bool yaml = !EndsWith(path, ".json");
  if (!EndsWith(path, ".yml") && !EndsWith(path, ".yaml") && yaml) {
    size_t first = text.find_first_not_of(" \t\r\n");
    yaml = first == std::string_view::npos || text[first] != '{';
  }
  Result<Vars> vars = ParseVars(text, display, yaml);
  if (!vars.ok()) return vars.status();
  return std::shared_ptr<const Vars>(std::make_shared<Vars>(std::move(vars.value())));
}

}  // namespace postvet::tmpl
