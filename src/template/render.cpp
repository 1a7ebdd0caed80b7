#include "src/template/render.hpp"

namespace postvet::tmpl {
namespace {

bool Blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IdentChar(char c) { return IdentStart(c) || (c >= '0' && c <= '9'); }

// `tag` without `open` and `close`, whitespace-control markers and blanks;
// nullopt when the tag is not closed.
std::optional<std::string_view> Inner(std::string_view tag, std::string_view open, std::string_view close) {
  if (tag.size() < open.size() + close.size() || tag.substr(0, open.size()) != open ||
      tag.substr(tag.size() - close.size()) != close) {
    return std::nullopt;
  }
  std::string_view inner = tag.substr(open.size(), tag.size() - open.size() - close.size());
  if (!inner.empty() && (inner.front() == '-' || inner.front() == '+' || inner.front() == '~')) inner.remove_prefix(1);
  if (!inner.empty() && (inner.back() == '-' || inner.back() == '+' || inner.back() == '~')) inner.remove_suffix(1);
  while (!inner.empty() && Blank(inner.front())) inner.remove_prefix(1);
  while (!inner.empty() && Blank(inner.back())) inner.remove_suffix(1);
  return inner;
}

// Whether `path` is one or more identifiers joined by dots (`dotted`) or one identifier.
bool IsPath(std::string_view path, bool dotted) {
  bool at_start = true;
  for (char c : path) {
    if (at_start) {
      if (!IdentStart(c)) return false;
      at_start = false;
    } else if (c == '.' && dotted) {
      at_start = true;
    } else if (!IdentChar(c)) {
      return false;
    }
  }
  return !at_start;
}

// The variable path `tag` names, or nullopt when it is no plain variable.
std::optional<std::string_view> VariablePath(std::string_view tag, TemplateKind kind) {
  std::optional<std::string_view> inner;
  switch (kind) {
    case TemplateKind::kJinja:
      inner = Inner(tag, "{{", "}}");
      break;
    case TemplateKind::kGo:
      inner = Inner(tag, "{{", "}}");
      if (!inner || inner->empty() || inner->front() != '.') return std::nullopt;
      inner->remove_prefix(1);
      break;
    case TemplateKind::kErb:
      inner = Inner(tag, "<%=", "%>");
      if (inner && !inner->empty() && inner->front() == '@') inner->remove_prefix(1);
      break;
    case TemplateKind::kNone:
      return std::nullopt;
  }
  if (!inner || !IsPath(*inner, kind != TemplateKind::kErb)) return std::nullopt;
  return inner;
}

// Whether `value` can stand in a configuration line: no line break, no control byte.
bool Printable(std::string_view value) {
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return false;
    if (c == '\x7f') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> RenderExpression(std::string_view tag, TemplateKind kind, const Vars& vars) {
  // A tag over several lines stays unknown: its value would take the lines
  // away, and the view keeps the template's lines.
  if (tag.find('\n') != std::string_view::npos) return std::nullopt;
  std::optional<std::string_view> path = VariablePath(tag, kind);
  if (!path) return std::nullopt;
  const VarValue* v = vars.Find(*path);
  if (v == nullptr) return std::nullopt;
  std::string out;
  switch (v->type) {
    case VarValue::Type::kString:
    case VarValue::Type::kNumber:
      out = v->text;
      break;
    case VarValue::Type::kBool:
      if (kind == TemplateKind::kJinja) out = v->boolean ? "True" : "False";
      else out = v->boolean ? "true" : "false";
      break;
    default:
      return std::nullopt;
  }
  if (!Printable(out)) return std::nullopt;
  return out;
}

}  // namespace postvet::tmpl
