#include "base/status.h"

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

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(WireName(code_)) + ": " + message_;
}

}  // namespace temoin
