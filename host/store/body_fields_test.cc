#include "store/body_fields.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace temoin::store {
namespace {

// What verify read before the scanner existed: nlohmann's view of the body.
struct Parsed {
  bool object = false;
  std::string id, type, platform, account, at;
};

Parsed ParseWithNlohmann(const std::string& body) {
  Parsed p;
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return p;
  p.object = true;
  auto field = [&](const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : ""; };
  p.id = field("id"), p.type = field("type"), p.platform = field("platform"), p.account = field("account");
  p.at = field("at");
  return p;
}

// The scanner's contract: when it answers, it answers what nlohmann would.
void ExpectAgrees(const std::string& body) {
  BodyFields f;
  if (!ScanBodyFields(body, &f)) return;
  Parsed p = ParseWithNlohmann(body);
  ASSERT_TRUE(p.object) << "the scanner accepted what nlohmann refuses: " << body;
  EXPECT_EQ(f.id, p.id) << body;
  EXPECT_EQ(f.type, p.type) << body;
  EXPECT_EQ(f.platform, p.platform) << body;
  EXPECT_EQ(f.account, p.account) << body;
  EXPECT_EQ(f.at, p.at) << body;
}

TEST(BodyFields, ReadsTheFiveFieldsOfACanonicalBody) {
  std::string body = nlohmann::json{{"v", 1}, {"id", "e1"}, {"type", "task.submit"}, {"platform", "dataannotation"},
                                    {"account", "ana@example.org"}, {"at", "2026-07-14T09:30:00+02:00"},
                                    {"earned", {{"amount", "12.50"}, {"currency", "EUR"}}}, {"title", "Évaluer « ça »"},
                                    {"tags", {1, -2.5, true, false, nullptr, "x\"y"}}}
                         .dump();
  BodyFields f;
  ASSERT_TRUE(ScanBodyFields(body, &f)) << body;
  EXPECT_EQ(f.id, "e1");
  EXPECT_EQ(f.type, "task.submit");
  EXPECT_EQ(f.platform, "dataannotation");
  EXPECT_EQ(f.account, "ana@example.org");
  EXPECT_EQ(f.at, "2026-07-14T09:30:00+02:00");
  ExpectAgrees(body);
}

TEST(BodyFields, MissingOrNonStringFieldsReadAsEmpty) {
  BodyFields f;
  ASSERT_TRUE(ScanBodyFields(R"({"id":5,"type":null,"platform":{"a":"b"},"account":["x"]})", &f));
  EXPECT_EQ(f.id, "");
  EXPECT_EQ(f.type, "");
  EXPECT_EQ(f.platform, "");
  EXPECT_EQ(f.account, "");
  EXPECT_EQ(f.at, "");
  ASSERT_TRUE(ScanBodyFields("{}", &f));
  // A nested "id" is not the body's id.
  ASSERT_TRUE(ScanBodyFields(R"({"x":{"id":"inner"}})", &f));
  EXPECT_EQ(f.id, "");
}

TEST(BodyFields, LeavesEveryDoubtfulBodyToNlohmann) {
  const std::vector<std::string> doubtful = {
      "",                                      // empty
      "[1]",                                   // not an object
      " {}",                                   // white space before
      "{} ",                                   // ... and after
      "\xEF\xBB\xBF{}",                        // a byte-order mark, which nlohmann skips
      R"({"id":"a"}{})",                       // trailing garbage
      R"({"id":"a","id":"b"})",                // a field given twice
      R"({"i\u0064":"x"})",                    // a key that may spell a field
      R"({"i\/d":"x"})",                       // any escape in a top-level key
      R"({"id":"a\"b"})",                      // an escape in a field's value
      R"({"x":"\ud800"})",                     // a lone surrogate, which nlohmann refuses
      R"({"x":"\q"})",                         // an invalid escape
      R"({"x":1e999})",                        // an exponent (this one overflows: nlohmann refuses it)
      R"({"x":12345678901234567890123})",      // a long number
      R"({"x":01})",                           // a leading zero
      R"({"x":1.})",                           // a decimal point without digits
      R"({"x":-})",                            // a sign alone
      R"({"x":tru})",                          // a broken literal
      R"({"x":"a)",                            // an unterminated string
      R"({"x":[1,]})",                         // a trailing comma
      R"({"x":1,})",                           // ... in an object
      R"({"x" 1})",                            // a missing colon
      "{\"x\":\"a\x01\"}",                     // a raw control character
      "{\"x\":\"a\x7F\"}",                     // DEL
      "{\"x\":\"\xC0\xAF\"}",                  // an overlong form
      "{\"x\":\"\xED\xA0\x80\"}",              // an encoded surrogate
      "{\"x\":\"\xF4\x90\x80\x80\"}",          // above U+10FFFF
      "{\"x\":\"\xE2\x82\"}",                  // a truncated sequence
      std::string("{\"x\":\"a\0b\"}", 11),     // a NUL byte
      std::string(70, '[') + std::string(70, ']'),
      "{\"x\":" + std::string(70, '[') + std::string(70, ']') + "}",  // nesting deeper than 64
  };
  for (const std::string& body : doubtful) {
    BodyFields f;
    EXPECT_FALSE(ScanBodyFields(body, &f)) << body;
  }
}

TEST(BodyFields, AgreesWithNlohmannOnMutatedBodies) {
  // Random edits of a canonical body: whatever the scanner accepts, nlohmann reads the same way.
  const std::string base = nlohmann::json{{"id", "e-1"}, {"type", "balance"}, {"platform", "prolific"},
                                          {"account", "ana"}, {"at", "2026-07-14T09:30:00Z"}, {"amount", "1.50"},
                                          {"n", -12}, {"f", 0.25}, {"list", {true, nullptr, "é"}}}
                               .dump();
  const std::string alphabet = "{}[]\",:\\ 0123456789-.eEtrufalsn\x01\x7F\xC3\xA9\xED\xF0";
  std::mt19937 rng(20261129);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string body = base;
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits; ++k) {
      std::size_t at = rng() % (body.size() + 1);
      char ch = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: body.insert(at, 1, ch); break;
        case 1: if (at < body.size()) body.erase(at, 1); break;
        default: if (at < body.size()) body[at] = ch; break;
      }
    }
    BodyFields f;
    if (ScanBodyFields(body, &f)) ++accepted;
    ExpectAgrees(body);
  }
  EXPECT_GT(accepted, 100);  // the comparison covered accepted bodies, not only refusals
}

}  // namespace
}  // namespace temoin::store
