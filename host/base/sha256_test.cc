#include "base/sha256.h"

#include <string>

#include <gtest/gtest.h>

namespace temoin {
namespace {

// FIPS 180-2 / NIST CSRC examples of SHA-256.
TEST(Sha256, NistVectors) {
  EXPECT_EQ(Sha256Hex({""}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex({"abc"}), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex({"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"}),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex({"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnop"
                       "qrstnopqrstu"}),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(Sha256Hex({std::string(1000000, 'a')}),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PartsAreHashedAsTheirConcatenation) {
  EXPECT_EQ(Sha256Hex({"a", "", "bc"}), Sha256Hex({"abc"}));
  EXPECT_EQ(Sha256Hex({}), Sha256Hex({""}));
  std::string with_nul("a\0b", 3);
  EXPECT_EQ(Sha256Hex({std::string_view("a\0", 2), "b"}), Sha256Hex({with_nul}));
  EXPECT_EQ(ToLowerHex(Sha256({"abc"})), Sha256Hex({"abc"}));
}

TEST(Base64, DecodesStandardBase64AndRefusesGarbage) {
  std::string out;
  ASSERT_TRUE(DecodeBase64("aGVsbG8gd29ybGQ=", &out));
  EXPECT_EQ(out, "hello world");
  ASSERT_TRUE(DecodeBase64("aGVs\nbG8=", &out));
  EXPECT_EQ(out, "hello");
  ASSERT_TRUE(DecodeBase64("", &out));
  EXPECT_EQ(out, "");
  EXPECT_FALSE(DecodeBase64("aGVs*bG8=", &out));
  EXPECT_FALSE(DecodeBase64("aGU=bG8=", &out));
}

}  // namespace
}  // namespace temoin
