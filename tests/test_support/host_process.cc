#include "test_support/host_process.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>

namespace temoin::testing {

std::unique_ptr<cli::HostClient> StartHost(const std::filesystem::path& data_dir, const std::vector<std::string>& args) {
  auto host = cli::HostClient::Start(TEMOIN_HOST_BIN, args,
                                     {{"TEMOIN_DATA_DIR", data_dir.string()}, {"HOME", (data_dir / "home").string()}});
  if (!host.ok()) {
    ADD_FAILURE() << host.status().ToString();
    return nullptr;
  }
  return std::move(host).value();
}

nlohmann::json MakeEvent(const std::string& type, const std::string& id, nlohmann::json fields) {
  nlohmann::json e{{"v", 1}, {"type", type}, {"id", id}, {"platform", "dataannotation"},
                   {"account", "ana@example.org"}, {"at", "2026-07-14T09:30:00+02:00"}};
  if (type == "task.start" || type == "task.submit" || type == "task.abandon") e["task_id"] = "t-1";
  if (type == "balance" || type == "payout") {
    e["amount"] = "12.50";
    e["currency"] = "USD";
  }
  if (type == "account.status") e["state"] = "active";
  for (auto& [key, value] : fields.items()) {
    if (value.is_null()) {
      e.erase(key);
    } else {
      e[key] = value;
    }
  }
  return e;
}

CliResult RunTemoin(const std::filesystem::path& data_dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv{TEMOIN_CLI_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  auto process = Subprocess::Spawn(argv, {{"TEMOIN_DATA_DIR", data_dir.string()}, {"HOME", (data_dir / "home").string()}},
                                    true);
  if (!process.ok()) return {-1, process.status().ToString()};
  (*process)->CloseStdin();
  std::string out;
  while (true) {
    auto chunk = (*process)->ReadExactly(1, std::chrono::seconds(280));
    if (!chunk.ok()) break;
    out += *chunk;
  }
  auto status = (*process)->Wait(std::chrono::seconds(280));
  return {status.ok() ? *status : -1, out};
}

}  // namespace temoin::testing
