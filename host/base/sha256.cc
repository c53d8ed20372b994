#include "base/sha256.h"

#include <openssl/sha.h>

#include <cctype>

namespace temoin {

// OpenSSL's low-level SHA256_Init/Update/Final, deprecated since OpenSSL 3.0 in favour of EVP, on purpose: in
// OpenSSL 3 the first EVP digest (EVP_sha256() or EVP_MD_fetch alike) initialises the library and loads its
// providers, about 5.9 M instructions, 40 times the whole start of a bare C host, paid by every host process
// that stores an event (docs/performance.md, "Cold start"). The low-level functions are the same vetted
// implementation (the same assembly, chosen by CPU) without the provider machinery: about 4 k instructions for
// a first hash. They remain in OpenSSL 3.x; the deprecation warning is silenced for these calls only. Should
// they go, EVP_Digest with EVP_sha256() is the drop-in replacement (base/sha256_test.cc has the vectors).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
Sha256Digest Sha256(std::initializer_list<std::string_view> parts) {
  Sha256Digest digest{};
  SHA256_CTX ctx;
  // These calls cannot fail with a valid context; a zero digest would anyway break the chain loudly in verify.
  if (SHA256_Init(&ctx) == 1) {
    for (std::string_view part : parts) SHA256_Update(&ctx, part.data(), part.size());
    SHA256_Final(digest.data(), &ctx);
  }
  return digest;
}
#pragma GCC diagnostic pop

std::string ToLowerHex(const Sha256Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(digest.size() * 2, '0');  // sized once: a push_back a character was twice an event's cost
  for (std::size_t i = 0; i < digest.size(); ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return hex;
}

std::string Sha256Hex(std::initializer_list<std::string_view> parts) { return ToLowerHex(Sha256(parts)); }

bool DecodeBase64(std::string_view text, std::string* out) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  out->clear();
  unsigned int buffer = 0;
  int bits = 0;
  bool padding = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (c == '=') { padding = true; continue; }
    if (padding) return false;  // data after padding
    int v = value_of(c);
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<unsigned int>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return true;
}

}  // namespace temoin
