#include "protocol/flat_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace temoin::protocol {
namespace {

TEST(FlatJson, ReadsAnEventWithViewsIntoTheText) {
  std::string text =
      R"({"v":1,"type":"task.start","id":"e-1","focused":true,"n":0,)"
      R"("rate":{"amount":"25.00","currency":"USD","per":"hour"}})";
  FlatObject object;
  ASSERT_TRUE(ScanFlatObject(text, &object));
  FlatObjectView top = object.top();
  ASSERT_EQ(top.size, 6u);
  const FlatValue* v = FindFlat(top, "v");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->kind, FlatValue::Kind::kInteger);
  EXPECT_EQ(v->integer, 1);
  const FlatValue* type = FindFlat(top, "type");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(type->string, "task.start");
  EXPECT_GE(type->string.data(), text.data());  // not copied
  EXPECT_LT(type->string.data(), text.data() + text.size());
  EXPECT_TRUE(FindFlat(top, "focused")->boolean);
  EXPECT_EQ(FindFlat(top, "n")->integer, 0);
  const FlatValue* rate = FindFlat(top, "rate");
  ASSERT_NE(rate, nullptr);
  ASSERT_EQ(rate->kind, FlatValue::Kind::kObject);
  ASSERT_EQ(rate->object.size, 3u);
  EXPECT_EQ(FindFlat(rate->object, "per")->string, "hour");
  EXPECT_EQ(FindFlat(top, "per"), nullptr);  // a nested key is not a top-level one
}

TEST(FlatJson, DecodesOneLetterEscapes) {
  // Many escaped strings in one text: the decoded copies must all stay where their views point.
  std::string text = "{";
  for (int i = 0; i < 20; ++i) {
    text += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\fe" +
            std::string(static_cast<std::size_t>(i) * 10, 'x') + "\"";
  }
  text += "}";
  FlatObject object;
  ASSERT_TRUE(ScanFlatObject(text, &object));
  for (int i = 0; i < 20; ++i) {
    const FlatValue* value = FindFlat(object.top(), "k" + std::to_string(i));
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(value->string, "a\"b\\c/d\n\t\r\b\fe" + std::string(static_cast<std::size_t>(i) * 10, 'x'));
  }
}

// The canonical text is what the log stores and the chain hashes: it must be nlohmann's dump, byte for byte.
TEST(FlatJson, CanonicalIsTheSortedCompactDumpOfTheDocument) {
  const std::vector<std::string> texts = {
      R"({})",
      " \t\r\n{ \"b\" : 1 , \"a\" : \"x\" } \n",
      R"({"type":"heartbeat","id":"h","at":"2026-01-01T00:00:00Z","tasks_available":123456789012345,"focused":false})",
      R"({"z":{"per":"task","currency":"JPY","amount":"150"},"a":{},"m":{"b":true,"a":0}})",
      R"({"title":"Say \"hi\" \\ there\/now\n\ttab\r\b\f","url":"https://x.test/a/b?c=d&e=<f>"})",
      "{\"title\":\"Caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 \xE4\xB8\xAD\"}",
      R"({"":"empty key","A":"capital","a":"small","aa":"","_":"underscore"})",
  };
  for (const std::string& text : texts) {
    FlatObject object;
    ASSERT_TRUE(ScanFlatObject(text, &object)) << text;
    EXPECT_EQ(object.Canonical(), nlohmann::json::parse(text).dump()) << text;
  }
}

// Everything the scanner is not certain of goes to the full decoder: valid JSON outside its shape as well as
// invalid text.
TEST(FlatJson, DeclinesWhatItIsNotCertainOf) {
  std::string many_keys = "{";
  for (int i = 0; i < 25; ++i) many_keys += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":1";
  many_keys += "}";
  std::string many_nested = "{";
  for (int i = 0; i < 9; ++i) many_nested += (i ? "," : "") + std::string("\"o") + std::to_string(i) + "\":{\"a\":1,\"b\":2}";
  many_nested += "}";
  const std::vector<std::string> texts = {
      "",
      "   ",
      "\"a string\"",
      "1",
      "[]",
      "\xEF\xBB\xBF{}",  // a byte-order mark
      R"({"a":"\u0041"})",
      R"({"\u0061":"escaped key"})",
      R"({"a\n":"escaped key"})",
      R"({"a":1,"a":2})",
      R"({"r":{"a":1,"a":2}})",
      R"({"a":null})",
      R"({"a":[1]})",
      R"({"a":{"b":{}}})",
      R"({"a":-1})",
      R"({"a":1.0})",
      R"({"a":1e2})",
      R"({"a":0123})",
      R"({"a":1234567890123456})",
      R"({"a":tru})",
      R"({"a":"x"} x)",
      R"({"a":"x"}{})",
      R"({"a":"x")",
      R"({"a":"x)",
      R"({"a" "x"})",
      R"({"a":"x",})",
      R"({,})",
      "{\"a\":\"tab\there\"}",
      "{\"a\":\"del\x7F\"}",
      "{\"a\":\"\xC0\x80\"}",          // overlong
      "{\"a\":\"\xED\xA0\x80\"}",      // a surrogate
      "{\"a\":\"\xF5\x80\x80\x80\"}",  // above U+10FFFF
      "{\"a\":\"\xE2\x80\"}",          // cut short
      many_keys,
      many_nested,
  };
  for (const std::string& text : texts) {
    FlatObject object;
    EXPECT_FALSE(ScanFlatObject(text, &object)) << text;
  }
}

TEST(FlatJson, AcceptsTheLimitsExactly) {
  std::string keys = "{";
  for (std::size_t i = 0; i < kMaxFlatEntries; ++i) keys += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":1";
  keys += "}";
  FlatObject object;
  EXPECT_TRUE(ScanFlatObject(keys, &object));
  EXPECT_EQ(object.top().size, kMaxFlatEntries);
  EXPECT_TRUE(ScanFlatObject(R"({"a":999999999999999,"b":0})", &object));
  EXPECT_EQ(FindFlat(object.top(), "a")->integer, 999'999'999'999'999);
}

}  // namespace
}  // namespace temoin::protocol
