#include "export/escape.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "export/lang.h"

namespace temoin::exporter {
namespace {

TEST(ExportEscapeTest, HtmlEscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlText("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;");
}

TEST(ExportEscapeTest, BidiAndControlsBecomeVisible) {
  EXPECT_EQ(Visible("a\u202Eb\u2066c\u2069\u200Fd", false), "a[U+202E]b[U+2066]c[U+2069][U+200F]d");
  EXPECT_EQ(Visible(std::string("x\x01y\x7f", 4), false), "x[U+0001]y[U+007F]");
  EXPECT_EQ(Visible("l1\nl2\tz", true), "l1\nl2\tz");
  EXPECT_EQ(Visible("l1\nl2", false), "l1[U+000A]l2");
  EXPECT_EQ(HtmlText("a\u202Eb"), "a[U+202E]b");
}

TEST(ExportEscapeTest, EmojiJoinersAndScriptsAreKept) {
  std::string text = "😀 👩‍💻 العربية עברית Éé";
  EXPECT_EQ(Visible(text, false), text);
  EXPECT_EQ(HtmlText(text), text);
}

TEST(ExportEscapeTest, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(Visible("a\xff" "b", false), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(Visible("\xED\xA0\x80", false), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // an encoded surrogate
  EXPECT_EQ(Visible("\xC3", false), "\xEF\xBF\xBD");                                  // cut short
}

TEST(ExportEscapeTest, CsvQuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvValue("plain"), "plain");
  EXPECT_EQ(CsvValue("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvValue("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvValue("two\r\nlines"), "\"two\r\nlines\"");
  EXPECT_EQ(CsvValue(" padded"), "\" padded\"");
}

TEST(ExportEscapeTest, CsvNeutralisesFormulas) {
  EXPECT_EQ(CsvText("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
  EXPECT_EQ(CsvText("+SUM(1,2)"), "\"'+SUM(1,2)\"");
  EXPECT_EQ(CsvText("-2+3"), "'-2+3");
  EXPECT_EQ(CsvText("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvText("\tx"), "'\tx");
  EXPECT_EQ(CsvText("\xEF\xBC\x9D" "1+1"), "'\xEF\xBC\x9D" "1+1");
  EXPECT_EQ(CsvText("a=b"), "a=b");
  EXPECT_EQ(CsvText("\u202E=x"), "[U+202E]=x");
  for (const char* formula : {"=1", "+1", "-1", "@1", "\t1", "\r1"}) {
    EXPECT_TRUE(LooksLikeFormula(formula)) << formula;
    EXPECT_FALSE(LooksLikeFormula(Visible(CsvText(formula), true).substr(CsvText(formula)[0] == '"' ? 1 : 0)));
  }
}

TEST(ExportEscapeTest, JsonRoundTripsExactly) {
  std::string text = "<script>\"q\"\\ \n\u202E 😀";
  std::string literal = JsonText(text);
  EXPECT_EQ(nlohmann::json::parse(literal).get<std::string>(), text);
  EXPECT_EQ(literal.find('\n'), std::string::npos);
}

TEST(ExportEscapeTest, JsonTextWritesWhatNlohmannWrites) {
  // JsonText quotes plain ASCII itself; every byte value must still come out as nlohmann writes it.
  for (int c = 0; c < 256; ++c) {
    std::string text = "a" + std::string(1, static_cast<char>(c)) + "b";
    EXPECT_EQ(JsonText(text),
              nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        << "byte " << c;
  }
  for (std::string text : {"", "2026-07-14T09:30:00.000Z", "ana@example.org", "\u00e9t\u00e9", "d\"a",
                           "\x7f", "caf\xC3\xA9"}) {
    EXPECT_EQ(JsonText(text), nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

TEST(ExportLangTest, MoneyAndCountsInEachLanguage) {
  EXPECT_EQ(FormatMoney(StringsFor("en"), 131250, 2, "USD"), "1,312.50\u00A0USD");
  EXPECT_EQ(FormatMoney(StringsFor("fr"), 131250, 2, "USD"), "1\u202F312,50\u00A0USD");
  EXPECT_EQ(FormatMoney(StringsFor("en"), 5, 3, "KWD"), "0.005\u00A0KWD");
  EXPECT_EQ(FormatMoney(StringsFor("en"), 1200, 0, "JPY"), "1,200\u00A0JPY");
  EXPECT_EQ(FormatCount(StringsFor("en"), 1234567), "1,234,567");
  EXPECT_EQ(FormatCount(StringsFor("en"), 999), "999");
  EXPECT_EQ(FormatHours(3 * 3600 + 5 * 60 + 59), "3\u00A0h\u00A005\u00A0min");
  EXPECT_EQ(FormatHours(59), "0\u00A0min");
  EXPECT_EQ(FormatClock(3723), "1:02:03");
  EXPECT_EQ(Fill("{} of {}", {"a", "b"}), "a of b");
  EXPECT_EQ(StateName(StringsFor("fr"), "locked"), "verrouillé");
}

TEST(ExportLangTest, EveryTextIsSetInEveryLanguage) {
  static_assert(sizeof(Strings) % sizeof(const char*) == 0);
  for (const auto& code : LanguageCodes()) {
    const Strings& s = StringsFor(code);
    EXPECT_EQ(s.code, code);
    const char* const* field = reinterpret_cast<const char* const*>(&s);
    for (std::size_t i = 0; i < sizeof(Strings) / sizeof(const char*); ++i) {
      ASSERT_NE(field[i], nullptr) << code << " field " << i;
      EXPECT_GT(std::string(field[i]).size(), 0u) << code << " field " << i;
    }
  }
}

}  // namespace
}  // namespace temoin::exporter
