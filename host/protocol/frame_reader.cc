#include "protocol/frame_reader.h"

#include <cstring>

namespace temoin::protocol {

namespace {
constexpr std::size_t kHeaderBytes = 4;

std::uint32_t ReadNativeLength(const char* p) {
  std::uint32_t length;
  std::memcpy(&length, p, sizeof length);  // native byte order, as the browsers write it
  return length;
}
}  // namespace

void FrameReader::Feed(std::string_view bytes) {
  if (out_of_step_) return;
  if (skip_remaining_ > 0) {
    std::size_t skipped = static_cast<std::size_t>(std::min<std::uint64_t>(skip_remaining_, bytes.size()));
    skip_remaining_ -= skipped;
    bytes.remove_prefix(skipped);
  }
  pending_.append(bytes.data(), bytes.size());
  Parse();
}

void FrameReader::Parse() {
  while (!out_of_step_) {
    if (skip_remaining_ > 0) {
      std::size_t available = pending_.size() - pending_start_;
      std::size_t skipped = static_cast<std::size_t>(std::min<std::uint64_t>(skip_remaining_, available));
      skip_remaining_ -= skipped;
      pending_start_ += skipped;
      if (skip_remaining_ > 0) break;
      continue;
    }
    std::size_t available = pending_.size() - pending_start_;
    if (available < kHeaderBytes) break;
    std::uint64_t length = ReadNativeLength(pending_.data() + pending_start_);
    if (length > kMaxSkippableBytes) {
      out_of_step_ = true;
      ready_.push_back({FrameEvent::Kind::kOutOfStep, {}, length});
      pending_.clear();
      pending_start_ = 0;
      return;
    }
    if (length > kMaxRequestBytes) {
      ready_.push_back({FrameEvent::Kind::kTooLarge, {}, length});
      pending_start_ += kHeaderBytes;
      skip_remaining_ = length;
      continue;
    }
    if (available < kHeaderBytes + length) break;
    ready_.push_back({FrameEvent::Kind::kFrame,
                      pending_.substr(pending_start_ + kHeaderBytes, static_cast<std::size_t>(length)), length});
    pending_start_ += kHeaderBytes + static_cast<std::size_t>(length);
  }
  // Drop the consumed prefix once it dominates, so the buffer stays bounded by one frame plus one read.
  if (pending_start_ > 0 && (pending_start_ == pending_.size() || pending_start_ >= pending_.size() / 2)) {
    pending_.erase(0, pending_start_);
    pending_start_ = 0;
  }
}

std::optional<FrameEvent> FrameReader::Next() {
  if (ready_.empty()) return std::nullopt;
  FrameEvent event = std::move(ready_.front());
  ready_.pop_front();
  return event;
}

bool FrameReader::InsideFrame() const {
  return !out_of_step_ && (skip_remaining_ > 0 || pending_.size() > pending_start_);
}

std::optional<std::string> EncodeFrame(std::string_view body) {
  if (body.size() > kMaxReplyBytes) return std::nullopt;
  std::uint32_t length = static_cast<std::uint32_t>(body.size());
  std::string frame(kHeaderBytes + body.size(), '\0');
  std::memcpy(frame.data(), &length, sizeof length);
  std::memcpy(frame.data() + kHeaderBytes, body.data(), body.size());
  return frame;
}

}  // namespace temoin::protocol
