// CheckMessageShape(): the wording convention of docs/messages.md, as Catch2
// checks on one finding: the message is one sentence without a final period,
// at most 160 characters; detail notes (no place) come after the located
// notes and end without a period too.
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "src/engine/diagnostic.hpp"

inline void CheckMessageShape(const postvet::Diagnostic& d) {
  INFO(d.message);
  CHECK(!d.message.empty());
  CHECK(d.message.size() <= 160);
  CHECK(d.message.back() != '.');
  CHECK(d.message.find(". ") == std::string::npos);
  bool detail_seen = false;
  for (const postvet::Note& n : d.notes) {
    if (n.location.source == nullptr) {
      detail_seen = true;
      CHECK(!n.message.empty());
      CHECK(n.message.back() != '.');
    } else {
      CHECK(!detail_seen);
    }
  }
}
