// BuiltinShapes: a filter over the built-in parameter names of a Defaults
// table by their length and last two bytes, so that most names that are
// not built in skip the table lookup (ComputeKnownNames() looks up every
// main.cf name; on big generated files, whose names end in digits no
// built-in name ends in, the lookups were a tenth of `show`).
//
// Contract: MayHold(name) is false only when Defaults::Find(name) is null.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "src/model/defaults.hpp"

namespace postvet {

class BuiltinShapes {
 public:
  explicit BuiltinShapes(const Defaults& defaults) {
    for (const DefaultEntry& e : defaults.entries()) bits_[Key(e.name)] = true;
  }
  bool MayHold(std::string_view name) const { return bits_[Key(name)]; }

 private:
  static constexpr size_t kBits = 4096;
  static size_t Key(std::string_view name) {
    if (name.size() < 2) return name.size();
    auto last = static_cast<unsigned char>(name.back());
    auto before = static_cast<unsigned char>(name[name.size() - 2]);
    return (name.size() * 131 + last * 31U + before) % kBits;
  }
  std::array<bool, kBits> bits_{};
};

}  // namespace postvet
