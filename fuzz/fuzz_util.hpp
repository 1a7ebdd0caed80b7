// Shared checks for the libFuzzer targets: the properties every grammar must
// keep on any input. A violated property calls __builtin_trap() so libFuzzer
// records the input as a crash (with -fsanitize=fuzzer there is no other
// channel; exceptions and return codes are ignored).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "grammar/cst.hpp"
#include "src/base/source.hpp"

namespace postvet::fuzz {

/// Traps when `ok` is false: the fuzzer's notion of a failed property.
inline void Require(bool ok) {
  if (!ok) __builtin_trap();
}

/// The CST contract (grammar/cst.hpp): the root spans the file, every child lies
/// inside its parent, siblings are in order without overlap, subtree sizes
/// add up, and echoing the leaves gives the input back byte for byte.
inline void CheckCst(const Cst& cst, std::string_view input) {
  const auto& nodes = cst.nodes();
  Require(!nodes.empty());
  Require(nodes[0].begin == 0 && nodes[0].end == input.size());
  Require(nodes[0].subtree_size == nodes.size());
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    const Node& n = nodes[i];
    Require(n.begin <= n.end && n.end <= input.size());
    Require(n.subtree_size >= 1 && i + n.subtree_size <= nodes.size());
    uint32_t child = i + 1;
    uint32_t pos = n.begin;
    while (child < i + n.subtree_size) {
      const Node& c = nodes[child];
      Require(c.begin >= pos && c.end <= n.end);
      pos = c.end;
      child += c.subtree_size;
    }
    Require(child == i + n.subtree_size);
  }
  Require(cst.Echo() == input);
}

/// The fuzz input as a Source named like a real file.
inline Source MakeSource(const uint8_t* data, size_t size, const char* name) {
  return Source(name, name, std::string(reinterpret_cast<const char*>(data), size));
}

}  // namespace postvet::fuzz
