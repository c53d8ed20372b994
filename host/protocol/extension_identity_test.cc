#include "protocol/extension_identity.h"

#include <gtest/gtest.h>

namespace temoin::protocol {
namespace {

// The Chromium id is derived at build time (cmake/TemoinEmbed.cmake); it must be the one Chromium derives from
// the manifest's key, which ChromiumIdFromKey computes the way Chromium does.
TEST(ExtensionIdentity, TheEmbeddedChromiumIdIsTheOneDerivedFromTheKey) {
  auto derived = ChromiumIdFromKey(ExtensionPublicKeyBase64());
  ASSERT_TRUE(derived.ok()) << derived.status().ToString();
  EXPECT_EQ(ChromiumExtensionId(), *derived);
  ASSERT_EQ(ChromiumExtensionId().size(), 32u);
  for (char c : ChromiumExtensionId()) EXPECT_TRUE(c >= 'a' && c <= 'p') << ChromiumExtensionId();
}

TEST(ExtensionIdentity, ChromiumIdFromKeyFollowsChromiumsRule) {
  // SHA-256 of "abc" is ba7816bf8f01cfea414140de5dae2223…: its first 32 hex digits, 0-f written a-p.
  auto id = ChromiumIdFromKey("YWJj");  // base64 of "abc"
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "lkhibglpipabmpokebebeanofnkocccd");
  EXPECT_FALSE(ChromiumIdFromKey("not base64!").ok());
  EXPECT_FALSE(ChromiumIdFromKey("").ok());
  EXPECT_EQ(ChromiumOrigin("abc"), "chrome-extension://abc/");
}

}  // namespace
}  // namespace temoin::protocol
