#include "base/status.h"

#include "base/utf8.h"

namespace temoin {

std::string_view WireName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kFrameTooLarge: return "frame_too_large";
    case Code::kBadJson: return "bad_json";
    case Code::kBadMessage: return "bad_message";
    case Code::kUnsupportedVersion: return "unsupported_version";
    case Code::kUnknownType: return "unknown_type";
    case Code::kForbidden: return "forbidden";
    case Code::kStorage: return "storage";
    // Never sent as such: a lookup that found nothing or a bad argument is the request's fault; I/O and bugs
    // are the host's, and the sender may retry.
    case Code::kNotFound: return "bad_message";
    case Code::kInvalidArgument: return "bad_message";
    case Code::kIo: return "storage";
    case Code::kInternal: return "storage";
  }
  return "storage";
}

Status BadMessage(std::string field, std::string message) {
  if (field.size() > kMaxFieldNameBytes) {
    // Keep whole characters only; a byte that starts no valid sequence counts as one (the reply replaces it).
    std::size_t end = 0;
    const std::size_t keep = kMaxFieldNameBytes - 3;  // room for the 3 bytes of "…"
    while (end < field.size()) {
      char32_t cp;
      std::size_t length = DecodeUtf8(field, end, &cp);
      if (length == 0) length = 1;
      if (end + length > keep) break;
      end += length;
    }
    field.resize(end);
    field += "\xE2\x80\xA6";  // "…"
  }
  std::string text = field.empty() ? std::move(message) : field + ": " + message;
  return Status(Code::kBadMessage, std::move(text), std::move(field));
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(WireName(code_)) + ": " + message_;
}

}  // namespace temoin
