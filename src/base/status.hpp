// Status: how the tool reports that it could not do its job (unreadable
// input, bad option, bad .postvet.cf). Such errors travel up to main() as
// values and become exit code 2; findings about the configuration are
// Diagnostics, not Status. Bugs are asserts.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace postvet {

/// The outcome of an operation that can fail for reasons outside our control.
class Status {
 public:
  /// Success.
  Status() = default;
  /// Failure with a message that names the file (and line, when known).
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}
  bool failed_ = false;
  std::string message_;
};

/// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {}     // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(value_); }
  const Status& status() const { return std::get<Status>(value_); }
  T& value() { return std::get<T>(value_); }
  const T& value() const { return std::get<T>(value_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace postvet
