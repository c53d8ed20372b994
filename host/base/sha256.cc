#include "base/sha256.h"

#include <openssl/evp.h>

#include <cctype>
#include <memory>

namespace temoin {

Sha256Digest Sha256(std::initializer_list<std::string_view> parts) {
  Sha256Digest digest{};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned int length = 0;
  // These calls fail only on allocation failure; a zero digest would then break the chain loudly in verify.
  if (ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1) {
    for (std::string_view part : parts) EVP_DigestUpdate(ctx.get(), part.data(), part.size());
    EVP_DigestFinal_ex(ctx.get(), digest.data(), &length);
  }
  return digest;
}

std::string ToLowerHex(const Sha256Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (std::uint8_t byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xf]);
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
