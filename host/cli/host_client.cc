#include "cli/host_client.h"

#include <cstring>

#include "protocol/frame_reader.h"

namespace temoin::cli {

Result<std::unique_ptr<HostClient>> HostClient::Start(const std::string& host_binary,
                                                      const std::vector<std::string>& args,
                                                      const std::map<std::string, std::string>& env, bool quiet) {
  std::vector<std::string> argv{host_binary};
  argv.insert(argv.end(), args.begin(), args.end());
  auto process = Subprocess::Spawn(argv, env, quiet);
  if (!process.ok()) return process.status();
  auto client = std::unique_ptr<HostClient>(new HostClient());
  client->process_ = std::move(process).value();
  return client;
}

Status HostClient::Send(const nlohmann::json& message) {
  auto frame = protocol::EncodeFrame(message.dump());
  if (!frame) return Status(Code::kInvalidArgument, "message over 1 MiB");
  return process_->WriteAll(*frame);
}

Status HostClient::SendRaw(std::string_view bytes) { return process_->WriteAll(bytes); }

Result<nlohmann::json> HostClient::Receive(std::chrono::milliseconds timeout) {
  auto header = process_->ReadExactly(4, timeout);
  if (!header.ok()) return header.status();
  std::uint32_t length;
  std::memcpy(&length, header->data(), 4);
  if (length > protocol::kMaxReplyBytes) return Status(Code::kBadMessage, "the host sent a frame over 1 MiB");
  auto body = process_->ReadExactly(length, timeout);
  if (!body.ok()) return body.status();
  auto json = nlohmann::json::parse(*body, nullptr, false);
  if (json.is_discarded()) return Status(Code::kBadJson, "the host sent a frame that is not JSON");
  return json;
}

Result<nlohmann::json> HostClient::Call(const nlohmann::json& message, std::chrono::milliseconds timeout) {
  TEMOIN_RETURN_IF_ERROR(Send(message));
  while (true) {
    auto reply = Receive(timeout);
    if (!reply.ok()) return reply;
    if (reply->contains("re")) return reply;
    pushes_.push_back(std::move(*reply));
  }
}

Result<int> HostClient::Finish(std::chrono::milliseconds timeout) {
  process_->CloseStdin();
  return process_->Wait(timeout);
}

}  // namespace temoin::cli
