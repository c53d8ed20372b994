// HostClient: talks to a temoin-host child the way a browser does (framed JSON over its pipes). `temoin demo`
// drives the real host with it, and the integration tests speak to the built binary through it.
#ifndef TEMOIN_CLI_HOST_CLIENT_H_
#define TEMOIN_CLI_HOST_CLIENT_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "platform/subprocess.h"

namespace temoin::cli {

class HostClient {
 public:
  // Starts `host_binary` with `args` (e.g. a caller origin) and the environment overrides.
  static Result<std::unique_ptr<HostClient>> Start(const std::string& host_binary, const std::vector<std::string>& args,
                                                   const std::map<std::string, std::string>& env, bool quiet = true);

  Status Send(const nlohmann::json& message);
  Status SendRaw(std::string_view bytes);  // anything, framed or not (tests of hostile input)
  // The next frame from the host, parsed.
  Result<nlohmann::json> Receive(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Sends and waits for the reply (skipping pushes, which are kept in pushes()).
  Result<nlohmann::json> Call(const nlohmann::json& message, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  const std::vector<nlohmann::json>& pushes() const { return pushes_; }

  Subprocess& process() { return *process_; }
  // Closes the host's input and waits for it to exit; its exit status.
  Result<int> Finish(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  std::unique_ptr<Subprocess> process_;
  std::vector<nlohmann::json> pushes_;
};

}  // namespace temoin::cli

#endif  // TEMOIN_CLI_HOST_CLIENT_H_
