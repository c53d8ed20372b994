#include "protocol/extension_identity.h"

#include "base/sha256.h"

namespace temoin::protocol {

Result<std::string> ChromiumIdFromKey(std::string_view key_base64) {
  std::string der;
  if (!DecodeBase64(key_base64, &der) || der.empty()) {
    return Status(Code::kInvalidArgument, "the extension key is not valid base64");
  }
  std::string hex = Sha256Hex({der}).substr(0, 32);
  for (char& c : hex) c = static_cast<char>(c >= 'a' ? 'a' + (c - 'a' + 10) : 'a' + (c - '0'));
  return hex;
}

// ChromiumExtensionId() is generated at build time (cmake/TemoinEmbed.cmake), beside the key.

std::string ChromiumOrigin(std::string_view chromium_id) {
  return "chrome-extension://" + std::string(chromium_id) + "/";
}

}  // namespace temoin::protocol
