// Strict JSON parsing for hostile input. On top of RFC 8259 as nlohmann parses it (UTF-8 checked, lone
// surrogate escapes refused), it refuses:
//   - duplicate keys in an object: a parser that kept the last of two equal keys would let a page smuggle a
//     value past validation (bad_message, naming the key);
//   - nesting deeper than kMaxJsonDepth (bad_json): no message of the contract is deeper than 4.
// Errors never echo the input back: messages give a byte offset, not the offending text.
#ifndef TEMOIN_PROTOCOL_STRICT_JSON_H_
#define TEMOIN_PROTOCOL_STRICT_JSON_H_

#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace temoin::protocol {

inline constexpr int kMaxJsonDepth = 16;

Result<nlohmann::json> ParseStrictJson(std::string_view text);

}  // namespace temoin::protocol

#endif  // TEMOIN_PROTOCOL_STRICT_JSON_H_
