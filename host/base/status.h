// Status and Result: errors as values, with a code the wire understands, a message a person can read, and
// the field at fault when there is one. Library exceptions (SQLiteCpp, nlohmann) are caught at the layer
// boundary and turned into a Status there; nothing above the store throws.
#ifndef TEMOIN_BASE_STATUS_H_
#define TEMOIN_BASE_STATUS_H_

#include <cassert>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace temoin {

// The wire error codes of contract v1 (docs/protocol.md), plus the internal ones that never reach the wire
// as such (kNotFound, kInternal become `storage` or a CLI message).
enum class Code {
  kOk,
  kFrameTooLarge,       // frame_too_large
  kBadJson,             // bad_json
  kBadMessage,          // bad_message
  kUnsupportedVersion,  // unsupported_version
  kUnknownType,         // unknown_type
  kForbidden,           // forbidden
  kStorage,             // storage: nothing was stored; the sender may retry
  kNotFound,            // a lookup found nothing (an alert id, an account)
  kInvalidArgument,     // a CLI argument or a configuration value is wrong
  kIo,                  // a file could not be read or written
  kInternal,            // a bug: should never happen
};

// The wire name of a code ("bad_message"). Codes that have no wire name map to "storage" or "bad_message".
std::string_view WireName(Code code);

class Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // The field at fault ("amount", "rate.currency"), or empty.
  const std::string& field() const { return field_; }

  // "bad_message: amount: ..." for logs and the CLI.
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string field_;
};

// The longest field name an error carries, in bytes. The contract's names are short ("rate.currency"); a longer
// one is a key the sender made up, and echoing it whole would let one frame make every error reply as large as
// the frame itself. Longer names are cut at a character boundary and end in "…".
inline constexpr std::size_t kMaxFieldNameBytes = 64;

// Shorthands for the common errors. `field` is bounded to kMaxFieldNameBytes, in the message and in field().
Status BadMessage(std::string field, std::string message);
inline Status StorageError(std::string message) { return Status(Code::kStorage, std::move(message)); }

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit on purpose
  Result(Status status) : v_(std::move(status)) {      // NOLINT
    assert(!std::get<Status>(v_).ok() && "a Result holds an error Status, never an OK one");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace temoin

// Returns early with the Status of an expression that failed.
#define TEMOIN_RETURN_IF_ERROR(expr)            \
  do {                                          \
    ::temoin::Status _temoin_status = (expr);   \
    if (!_temoin_status.ok()) return _temoin_status; \
  } while (0)

#endif  // TEMOIN_BASE_STATUS_H_
