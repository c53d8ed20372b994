#include "base/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace temoin {
namespace {

TEST(DecodeUtf8, ReadsEachLengthAndItsCodePoint) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
  char32_t cp = 0;
  EXPECT_EQ(DecodeUtf8(text, 0, &cp), 1u);
  EXPECT_EQ(cp, U'a');
  EXPECT_EQ(DecodeUtf8(text, 1, &cp), 2u);
  EXPECT_EQ(cp, U'\u00E9');
  EXPECT_EQ(DecodeUtf8(text, 3, &cp), 3u);
  EXPECT_EQ(cp, U'\u20AC');
  EXPECT_EQ(DecodeUtf8(text, 6, &cp), 4u);
  EXPECT_EQ(cp, U'\U0001F600');
  EXPECT_EQ(DecodeUtf8(text, text.size(), &cp), 0u) << "past the end";
}

TEST(DecodeUtf8, RefusesWhatRfc3629Refuses) {
  char32_t cp = 0;
  for (const std::string bad : {"\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80",
                                "\xC3", "\xE2\x82", "\xC3\x28"}) {
    EXPECT_EQ(DecodeUtf8(bad, 0, &cp), 0u) << "bytes of length " << bad.size();
  }
  EXPECT_EQ(DecodeUtf8("\xF4\x8F\xBF\xBF", 0, &cp), 4u) << "U+10FFFF is the last code point";
  EXPECT_EQ(cp, U'\U0010FFFF');
}

}  // namespace
}  // namespace temoin
