// SHA-256 through OpenSSL: the one hash of the log's chain and of the extension id.
#ifndef TEMOIN_BASE_SHA256_H_
#define TEMOIN_BASE_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace temoin {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Hashes the concatenation of the parts (no separator).
Sha256Digest Sha256(std::initializer_list<std::string_view> parts);
std::string ToLowerHex(const Sha256Digest& digest);
// Lowercase hex of SHA-256 over the concatenation of the parts.
std::string Sha256Hex(std::initializer_list<std::string_view> parts);

// Decodes standard base64 (with padding, whitespace ignored); false on bad input.
bool DecodeBase64(std::string_view text, std::string* out);

}  // namespace temoin

#endif  // TEMOIN_BASE_SHA256_H_
