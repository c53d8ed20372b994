// Témoin's own extension ids, the default allow-list of the host. One source: extension/manifest.json, read at
// build time (cmake/TemoinEmbed.cmake). The Chromium id is derived from the manifest's `key` the way Chromium
// derives it: the first 32 hex digits of SHA-256 of the DER public key, with digits 0-f written as a-p. The
// build derives it once, so that the host hashes nothing before its first reply (hashing at start made OpenSSL 3
// load its providers: a third of a cold start); extension_identity_test.cc checks it against ChromiumIdFromKey.
#ifndef TEMOIN_PROTOCOL_EXTENSION_IDENTITY_H_
#define TEMOIN_PROTOCOL_EXTENSION_IDENTITY_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace temoin::protocol {

std::string_view ExtensionPublicKeyBase64();  // the manifest's "key"
std::string_view FirefoxExtensionId();         // browser_specific_settings.gecko.id
std::string_view HostVersion();                // the project's version

// The Chromium extension id for a base64 DER public key.
Result<std::string> ChromiumIdFromKey(std::string_view key_base64);
// Témoin's Chromium id, ChromiumIdFromKey(ExtensionPublicKeyBase64()) computed at build time: no hashing.
std::string ChromiumExtensionId();
// "chrome-extension://<id>/", the origin Chrome passes to the host and lists in allowed_origins.
std::string ChromiumOrigin(std::string_view chromium_id);

// The name under which the host is registered with browsers (the manifest file is <name>.json).
inline constexpr std::string_view kNativeHostName = "org.temoin.host";

}  // namespace temoin::protocol

#endif  // TEMOIN_PROTOCOL_EXTENSION_IDENTITY_H_
