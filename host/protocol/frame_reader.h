// FrameReader: turns the bytes of a native messaging stream into frames, without trusting the lengths.
//
// The wire (docs/protocol.md): a 4-byte unsigned length in native byte order, then that many bytes of JSON.
// The reader checks each length against the caps below *before* keeping any byte of the body:
//   - up to kMaxRequestBytes: the body is collected and handed out as a frame;
//   - up to kMaxSkippableBytes: a kTooLarge event is handed out at once and the body's bytes are dropped as
//     they arrive, so the next frame is read in step and nothing is allocated for the big one;
//   - above that: the stream is out of step (text read as a length); a kOutOfStep event is handed out and the
//     reader stays failed: every later byte is ignored.
// It does no I/O: the caller feeds it whatever read() returned, so split reads are tested without pipes.
#ifndef TEMOIN_PROTOCOL_FRAME_READER_H_
#define TEMOIN_PROTOCOL_FRAME_READER_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace temoin::protocol {

// The largest request the host accepts. No Témoin message comes near it; larger is a bug or an attack.
inline constexpr std::uint64_t kMaxRequestBytes = 1u << 20;
// The largest frame the host skips and survives: Chrome's own cap on a message to a host. Beyond it the
// length cannot have come from a browser, so the stream is out of step.
inline constexpr std::uint64_t kMaxSkippableBytes = 64u << 20;
// The largest reply or push the host writes: Chrome and Firefox close the port on a bigger one.
inline constexpr std::uint64_t kMaxReplyBytes = 1u << 20;

struct FrameEvent {
  enum class Kind { kFrame, kTooLarge, kOutOfStep };
  Kind kind;
  std::string body;              // kFrame only
  std::uint64_t declared_length; // the length the header announced
};

class FrameReader {
 public:
  // Consumes bytes; complete frames (and size errors) become available through Next().
  void Feed(std::string_view bytes);
  // The next frame or size error, in stream order; nullopt when none is complete yet.
  std::optional<FrameEvent> Next();
  // True when bytes of an unfinished frame (or of a header) are pending: end of input now is a truncated stream.
  bool InsideFrame() const;
  // True after a length above kMaxSkippableBytes: the stream can no longer be trusted.
  bool out_of_step() const { return out_of_step_; }

 private:
  void Parse();

  std::string pending_;          // bytes not yet turned into frames
  std::size_t pending_start_ = 0;  // consumed prefix of pending_, dropped lazily
  std::uint64_t skip_remaining_ = 0;
  bool out_of_step_ = false;
  std::deque<FrameEvent> ready_;
};

// The 4-byte native-order length followed by the body. Fails (returns nullopt) for a body over kMaxReplyBytes:
// such a reply would kill the port, so callers page their answers instead.
std::optional<std::string> EncodeFrame(std::string_view body);

}  // namespace temoin::protocol

#endif  // TEMOIN_PROTOCOL_FRAME_READER_H_
