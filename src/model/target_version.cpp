#include "src/model/target_version.hpp"

namespace postvet {

TargetVersion TargetVersion::For(std::string_view postfix_version) {
  std::optional<PostfixVersion> v = PostfixVersion::Parse(postfix_version);
  return TargetVersion(v ? *v : kDefault);
}

TargetVersion TargetVersion::FromCompatibilityLevel(std::optional<std::string_view> level) {
  std::optional<PostfixVersion> v = level ? PostfixVersion::Parse(*level) : std::nullopt;
  if (!v || *v <= kDefault) return TargetVersion(kDefault);
  // A level names the release whose defaults the configuration accepts, so
  // Postfix is at least that release; postvet knows none past its tables.
  TargetVersion t(Defaults::TableSeries(*v));
  t.guessed_from_ = std::string(*level);
  return t;
}

TargetVersion TargetVersion::Choose(std::string_view given, std::optional<std::string_view> level) {
  return given.empty() ? FromCompatibilityLevel(level) : For(given);
}

std::string TargetVersion::GuessSentence() const {
  std::optional<PostfixVersion> level = PostfixVersion::Parse(guessed_from_);
  std::string implied = (level ? *level : version_).ToString();
  std::string newest = level && *level != version_ ? ", the newest release postvet knows," : "";
  return "judged against Postfix " + version_.ToString() + (newest.empty() ? "," : newest) + " as compatibility_level = " + guessed_from_ +
         " implies Postfix " + implied + " or later";
}

std::string TargetVersion::GuessNote() const {
  return GuessSentence() + "; --postfix-version sets another";
}

}  // namespace postvet
