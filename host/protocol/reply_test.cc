// Replies written as text (query.summary's) must be exactly what Serialize writes for the same value.
#include "protocol/reply.h"

#include <gtest/gtest.h>

#include <string>

namespace temoin::protocol {
namespace {

using nlohmann::json;

TEST(Reply, AppendJsonStringWritesWhatSerializeWrites) {
  for (std::string text : {std::string("plain ASCII"), std::string("quote \" and backslash \\"),
                           std::string("tab\tnewline\ncontrol\x01"), std::string("accents é, emoji 🙂, RTL \u202e"),
                           std::string("not UTF-8: \xff\xfe"), std::string()}) {
    std::string written;
    AppendJsonString(&written, text);
    EXPECT_EQ(written, Serialize(json(text))) << text;
  }
}

TEST(Reply, OkReplyTextIsTheOkReplyWithItsFields) {
  json expected = OkReply("id \"1\"");
  expected["accounts"] = json::array({1, 2});
  expected["generated_at"] = "2026-07-14T16:00:00.000Z";
  EXPECT_EQ(OkReplyText("id \"1\"", R"("accounts":[1,2],"generated_at":"2026-07-14T16:00:00.000Z")"),
            Serialize(expected));
  EXPECT_EQ(OkReplyText("r", ""), Serialize(OkReply("r")));
}

TEST(Reply, EventAckTextIsTheAckAsSerializeWritesIt) {
  for (bool duplicate : {false, true}) {
    for (std::int64_t seq : {std::int64_t{1}, std::int64_t{9'007'199'254'740'993}}) {
      json expected = OkReply("ev-1 \"quoted\"");
      expected["seq"] = seq;
      expected["duplicate"] = duplicate;
      EXPECT_EQ(EventAckText("ev-1 \"quoted\"", seq, duplicate), Serialize(expected));
    }
  }
}

}  // namespace
}  // namespace temoin::protocol
