#include "src/report/fingerprint.hpp"

#include <map>

#include "src/report/formats.hpp"

namespace postvet::report {

namespace {

// GCC and Clang's 128-bit integer; __extension__ keeps -Wpedantic quiet.
__extension__ using Uint128 = unsigned __int128;

// Appends `field` length-prefixed, so that no two field lists share a key.
void AppendField(std::string* key, std::string_view field) {
  key->append(std::to_string(field.size()));
  key->push_back(':');
  key->append(field);
}

}  // namespace

std::string Fnv1a128Hex(std::string_view bytes) {
  // Parameters of FNV-1a 128 (Fowler/Noll/Vo): offset basis and prime.
  const Uint128 kOffsetBasis =
      (Uint128{0x6c62272e07bb0142u} << 64) | Uint128{0x62b821756295c58du};
  const Uint128 kPrime = (Uint128{0x0000000001000000u} << 64) | Uint128{0x000000000000013Bu};
  Uint128 hash = kOffsetBasis;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kPrime;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(32, '0');
  for (size_t i = 0; i < 32; ++i) {
    hex[31 - i] = kHex[static_cast<unsigned>(hash & 0xF)];
    hash >>= 4;
  }
  return hex;
}

std::string FingerprintCounter::Next(const Diagnostic& d) {
  const Span span = Resolve(d.location);
  std::string key;
  AppendField(&key, d.rule_id);
  AppendField(&key, CiPath(span.source->display(), working_directory_));
  AppendField(&key, d.subject.empty() ? span.source->Slice(span.begin, span.end) : std::string_view(d.subject));
  const size_t occurrence = occurrences_[key]++;
  AppendField(&key, std::to_string(occurrence));
  return Fnv1a128Hex(key);
}

std::vector<std::string> Fingerprints(const std::vector<const Diagnostic*>& diagnostics,
                                      std::string_view working_directory) {
  std::vector<std::string> result;
  result.reserve(diagnostics.size());
  FingerprintCounter counter(working_directory);
  for (const Diagnostic* d : diagnostics) result.push_back(counter.Next(*d));
  return result;
}

}  // namespace postvet::report
