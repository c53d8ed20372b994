#include "protocol/frame_reader.h"

#include <gtest/gtest.h>

#include <cstring>

namespace temoin::protocol {
namespace {

std::string Header(std::uint32_t length) {
  std::string h(4, '\0');
  std::memcpy(h.data(), &length, 4);
  return h;
}

std::string Frame(const std::string& body) { return Header(static_cast<std::uint32_t>(body.size())) + body; }

std::vector<FrameEvent> Drain(FrameReader& reader) {
  std::vector<FrameEvent> events;
  while (auto e = reader.Next()) events.push_back(std::move(*e));
  return events;
}

TEST(FrameReader, ReadsSeveralFramesFromOneChunk) {
  FrameReader reader;
  reader.Feed(Frame("{\"a\":1}") + Frame("[]") + Frame("\"x\""));
  auto events = Drain(reader);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].body, "{\"a\":1}");
  EXPECT_EQ(events[1].body, "[]");
  EXPECT_EQ(events[2].body, "\"x\"");
  EXPECT_FALSE(reader.InsideFrame());
}

TEST(FrameReader, ReassemblesAFrameFedOneByteAtATime) {
  FrameReader reader;
  std::string bytes = Frame("{\"type\":\"ping\"}") + Frame("{}");
  std::vector<FrameEvent> events;
  for (char c : bytes) {
    reader.Feed(std::string_view(&c, 1));
    for (auto& e : Drain(reader)) events.push_back(std::move(e));
  }
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].body, "{\"type\":\"ping\"}");
  EXPECT_EQ(events[1].body, "{}");
}

TEST(FrameReader, ZeroLengthIsAnEmptyFrame) {
  FrameReader reader;
  reader.Feed(Header(0) + Frame("{}"));
  auto events = Drain(reader);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, FrameEvent::Kind::kFrame);
  EXPECT_EQ(events[0].body, "");
  EXPECT_EQ(events[1].body, "{}");
}

TEST(FrameReader, AcceptsExactlyOneMebibyte) {
  FrameReader reader;
  std::string body(kMaxRequestBytes, 'x');
  reader.Feed(Frame(body));
  auto events = Drain(reader);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, FrameEvent::Kind::kFrame);
  EXPECT_EQ(events[0].body.size(), kMaxRequestBytes);
}

TEST(FrameReader, SkipsAFrameOfOneMebibytePlusOneAndStaysInStep) {
  FrameReader reader;
  std::string big(kMaxRequestBytes + 1, 'y');
  std::string bytes = Frame(big) + Frame("{\"after\":true}");
  // Fed in uneven chunks so the skip spans several reads.
  for (std::size_t i = 0; i < bytes.size(); i += 100'003) reader.Feed(std::string_view(bytes).substr(i, 100'003));
  auto events = Drain(reader);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, FrameEvent::Kind::kTooLarge);
  EXPECT_EQ(events[0].declared_length, kMaxRequestBytes + 1);
  EXPECT_EQ(events[1].kind, FrameEvent::Kind::kFrame);
  EXPECT_EQ(events[1].body, "{\"after\":true}");
}

TEST(FrameReader, TooLargeIsReportedBeforeItsBodyArrives) {
  FrameReader reader;
  reader.Feed(Header(10u << 20));
  auto events = Drain(reader);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, FrameEvent::Kind::kTooLarge);
  EXPECT_TRUE(reader.InsideFrame());  // its body is still owed
}

TEST(FrameReader, ALengthAbove64MiBIsOutOfStepForGood) {
  FrameReader reader;
  // "{\"ty" read as a length: what happens when text is written without a header.
  reader.Feed("{\"type\":\"ping\"}");
  auto events = Drain(reader);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, FrameEvent::Kind::kOutOfStep);
  EXPECT_TRUE(reader.out_of_step());
  reader.Feed(Frame("{}"));
  EXPECT_TRUE(Drain(reader).empty());
}

TEST(FrameReader, FourGibibyteLengthIsOutOfStep) {
  FrameReader reader;
  reader.Feed(Header(0xffffffffu));
  auto events = Drain(reader);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, FrameEvent::Kind::kOutOfStep);
  EXPECT_EQ(events[0].declared_length, 0xffffffffu);
}

TEST(FrameReader, ExactlySixtyFourMebibytesIsStillSkippable) {
  FrameReader reader;
  reader.Feed(Header(static_cast<std::uint32_t>(kMaxSkippableBytes)));
  auto events = Drain(reader);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, FrameEvent::Kind::kTooLarge);
}

TEST(FrameReader, TruncatedHeaderAndBodyAreReportedAsInsideAFrame) {
  FrameReader short_header;
  short_header.Feed(std::string("\x05\x00", 2));
  EXPECT_TRUE(Drain(short_header).empty());
  EXPECT_TRUE(short_header.InsideFrame());

  FrameReader short_body;
  short_body.Feed(Header(10) + "{\"a\"");
  EXPECT_TRUE(Drain(short_body).empty());
  EXPECT_TRUE(short_body.InsideFrame());
}

TEST(EncodeFrame, WritesNativeLengthThenBodyAndRefusesOverOneMebibyte) {
  auto frame = EncodeFrame("{\"ok\":true}");
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(*frame, Frame("{\"ok\":true}"));
  EXPECT_TRUE(EncodeFrame(std::string(kMaxReplyBytes, 'a')).has_value());
  EXPECT_FALSE(EncodeFrame(std::string(kMaxReplyBytes + 1, 'a')).has_value());
}

}  // namespace
}  // namespace temoin::protocol
