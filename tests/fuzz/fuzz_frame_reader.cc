// libFuzzer target: protocol::FrameReader, the first code that touches what a browser (or anything that can
// write to the host's standard input) sends.
//
// Input: one byte that chooses how the stream is cut into reads, then the stream itself. The same stream is
// parsed by a plain reference model of docs/protocol.md's framing rules, all at once; the reader, fed in
// pieces, must hand out exactly the same frames, size errors and out-of-step verdict, and agree on whether
// the stream ended inside a frame. Every frame it hands out must also survive EncodeFrame -> FrameReader.
//
// run.sh runs this target with -malloc_limit_mb: a length header of up to 64 MiB must not make the reader
// allocate anything for the frame's body (the cap is checked before allocating).
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "protocol/frame_reader.h"

namespace {

using temoin::protocol::FrameEvent;
using temoin::protocol::FrameReader;
using temoin::protocol::kMaxRequestBytes;
using temoin::protocol::kMaxSkippableBytes;

struct ModelEvent {
  FrameEvent::Kind kind;
  std::string body;
  std::uint64_t declared;
};

struct Model {
  std::vector<ModelEvent> events;
  bool inside_frame = false;
  bool out_of_step = false;
};

Model Reference(std::string_view s) {
  Model m;
  std::size_t pos = 0;
  while (s.size() - pos >= 4) {
    std::uint32_t length;
    std::memcpy(&length, s.data() + pos, 4);
    if (length > kMaxSkippableBytes) {
      m.events.push_back({FrameEvent::Kind::kOutOfStep, {}, length});
      m.out_of_step = true;
      return m;  // nothing after it is read; the end of input is not "inside a frame"
    }
    if (length > kMaxRequestBytes) {
      m.events.push_back({FrameEvent::Kind::kTooLarge, {}, length});
      pos += 4;
      if (s.size() - pos < length) {
        m.inside_frame = true;  // still skipping the big body when the input ends
        return m;
      }
      pos += length;
      continue;
    }
    if (s.size() - pos - 4 < length) break;
    m.events.push_back({FrameEvent::Kind::kFrame, std::string(s.substr(pos + 4, length)), length});
    pos += 4 + length;
  }
  m.inside_frame = pos < s.size();
  return m;
}

const char* KindName(FrameEvent::Kind k) {
  switch (k) {
    case FrameEvent::Kind::kFrame: return "frame";
    case FrameEvent::Kind::kTooLarge: return "too_large";
    case FrameEvent::Kind::kOutOfStep: return "out_of_step";
  }
  return "?";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t cut = data[0];
  std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  Model expected = Reference(stream);

  // Feed the reader in pieces: cut == 0 means one read of everything; otherwise pseudo-random read sizes of
  // 1..4*cut bytes (1-byte reads split every header and body).
  FrameReader reader;
  std::vector<FrameEvent> got;
  std::uint32_t rng = 0x9e3779b9u ^ cut;
  std::size_t pos = 0;
  while (pos < stream.size()) {
    std::size_t n = stream.size() - pos;
    if (cut != 0) {
      rng = rng * 1103515245u + 12345u;
      n = std::min<std::size_t>(n, 1 + (rng >> 8) % (4u * cut));
    }
    reader.Feed(stream.substr(pos, n));
    pos += n;
    // Drain sometimes after each read, sometimes only at the end: both orders must give the same events.
    if ((rng & 1u) == 0 || cut == 0) {
      while (auto e = reader.Next()) got.push_back(std::move(*e));
    }
  }
  while (auto e = reader.Next()) got.push_back(std::move(*e));

  FUZZ_CHECK(got.size() == expected.events.size(), "reader gave %zu events, the model %zu", got.size(),
             expected.events.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const FrameEvent& g = got[i];
    const ModelEvent& e = expected.events[i];
    FUZZ_CHECK(g.kind == e.kind, "event %zu: reader %s, model %s", i, KindName(g.kind), KindName(e.kind));
    FUZZ_CHECK(g.declared_length == e.declared, "event %zu: declared %llu vs %llu", i,
               static_cast<unsigned long long>(g.declared_length), static_cast<unsigned long long>(e.declared));
    FUZZ_CHECK(g.body == e.body, "event %zu: bodies differ (%zu vs %zu bytes)", i, g.body.size(), e.body.size());
    FUZZ_CHECK(g.kind == FrameEvent::Kind::kFrame || g.body.empty(), "a size error carries a body");
    FUZZ_CHECK(g.body.size() <= kMaxRequestBytes, "a frame over the cap was handed out");
  }
  FUZZ_CHECK(reader.out_of_step() == expected.out_of_step, "out_of_step: reader %d, model %d", reader.out_of_step(),
             expected.out_of_step);
  FUZZ_CHECK(reader.InsideFrame() == expected.inside_frame, "InsideFrame: reader %d, model %d", reader.InsideFrame(),
             expected.inside_frame);

  // A stopped reader stays stopped: more bytes after an out-of-step length change nothing.
  if (reader.out_of_step()) {
    reader.Feed(std::string_view("\x02\x00\x00\x00{}", 6));
    FUZZ_CHECK(!reader.Next().has_value(), "an out-of-step reader handed out a frame");
  }

  // What the host writes, framed by EncodeFrame, reads back as the same bodies, in one stream.
  std::string encoded;
  std::vector<std::string> bodies;
  for (const FrameEvent& g : got) {
    if (g.kind != FrameEvent::Kind::kFrame) continue;
    auto frame = temoin::protocol::EncodeFrame(g.body);
    FUZZ_CHECK(frame.has_value(), "EncodeFrame refused a %zu-byte body", g.body.size());
    FUZZ_CHECK(frame->size() == g.body.size() + 4, "EncodeFrame wrote %zu bytes for %zu", frame->size(),
               g.body.size());
    encoded += *frame;
    bodies.push_back(g.body);
  }
  FrameReader again;
  again.Feed(encoded);
  for (const std::string& body : bodies) {
    auto e = again.Next();
    FUZZ_CHECK(e.has_value() && e->kind == FrameEvent::Kind::kFrame && e->body == body, "round trip lost a frame");
  }
  FUZZ_CHECK(!again.Next().has_value() && !again.InsideFrame(), "round trip left something behind");
  return 0;
}
