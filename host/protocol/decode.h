// Decoding one request frame: bytes -> strict JSON -> a typed, validated Request, or the error the host
// answers with. Checks run in the order of docs/protocol.md (JSON, object, v, id, type, fields) and the first
// failure is the answer. `now` bounds event times (no more than 24 h ahead of the host's clock).
#ifndef TEMOIN_PROTOCOL_DECODE_H_
#define TEMOIN_PROTOCOL_DECODE_H_

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "protocol/messages.h"

namespace temoin::protocol {

// String caps in UTF-8 bytes (docs/protocol.md). They bound what one event can make the log hold.
inline constexpr std::size_t kMaxIdChars = 64;
inline constexpr std::size_t kMaxAccountChars = 128;  // code points
inline constexpr std::size_t kMaxTaskIdBytes = 128;
inline constexpr std::size_t kMaxProjectBytes = 256;
inline constexpr std::size_t kMaxTitleBytes = 1024;
inline constexpr std::size_t kMaxUrlBytes = 2048;
inline constexpr std::size_t kMaxDetailBytes = 2048;
inline constexpr std::size_t kMaxMethodBytes = 64;
inline constexpr std::size_t kMaxReferenceBytes = 256;
inline constexpr std::int64_t kMaxTaskDurationS = 7 * 24 * 3600;
inline constexpr std::int64_t kMaxTasksAvailable = 1'000'000;
// Page times before this are refused: no platform of this kind existed, and it catches zeroed clocks.
inline constexpr EpochMs kEarliestEventMs = 946'684'800'000;  // 2000-01-01T00:00:00Z
inline constexpr EpochMs kMaxClockAheadMs = 24 * 3600 * 1000;

struct DecodeOutcome {
  std::optional<std::string> re;  // the request id, once it could be read and was well-formed
  Status status;                  // OK when `request` is set
  std::optional<Request> request;
};

// Events take a fast path that reads the frame without building a JSON document (protocol/flat_json.h); it
// answers only for events it accepts, and everything else goes through the document, so the outcome is the
// same either way.
DecodeOutcome DecodeRequest(std::string_view frame, EpochMs now);

// DecodeRequest without the fast path. For the tests and the fuzzer that hold the two paths to one outcome.
DecodeOutcome DecodeRequestThroughDocument(std::string_view frame, EpochMs now);

// True for a request id of 1-64 characters of [A-Za-z0-9._:-].
bool IsValidRequestId(std::string_view id);
// True for a platform slug [a-z0-9-]{1,32}.
bool IsValidPlatform(std::string_view platform);

}  // namespace temoin::protocol

#endif  // TEMOIN_PROTOCOL_DECODE_H_
