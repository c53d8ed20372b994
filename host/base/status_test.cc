#include "base/status.h"

#include <gtest/gtest.h>

#include "base/utf8.h"

namespace temoin {
namespace {

TEST(BadMessage, NamesTheFieldInTheMessage) {
  Status status = BadMessage("rate.currency", "must be three capital letters");
  EXPECT_EQ(status.code(), Code::kBadMessage);
  EXPECT_EQ(status.field(), "rate.currency");
  EXPECT_EQ(status.message(), "rate.currency: must be three capital letters");
  EXPECT_EQ(BadMessage("", "no field").message(), "no field");
}

TEST(BadMessage, ALongFieldNameIsCutAtACharacterBoundary) {
  std::string exact(kMaxFieldNameBytes, 'a');
  EXPECT_EQ(BadMessage(exact, "x").field(), exact) << "a name at the limit is kept whole";

  // "é" is two bytes: with an odd offset a cut by bytes alone would split one.
  std::string name = "k" + std::string("\xC3\xA9") + std::string(200, 'b');
  for (std::size_t i = 0; i < 100; ++i) name.insert(1, "\xC3\xA9");
  Status status = BadMessage(name, "is not a field of this message");
  const std::string& field = status.field();
  EXPECT_LE(field.size(), kMaxFieldNameBytes);
  EXPECT_EQ(field.substr(field.size() - 3), "\xE2\x80\xA6");
  for (std::size_t i = 0; i < field.size();) {
    char32_t cp;
    std::size_t length = DecodeUtf8(field, i, &cp);
    ASSERT_NE(length, 0u) << "a split character at byte " << i;
    i += length;
  }
  EXPECT_EQ(status.message(), field + ": is not a field of this message");
}

}  // namespace
}  // namespace temoin
