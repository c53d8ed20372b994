// Helpers for integration tests that spawn the built temoin-host: a fresh data folder per test and a client
// speaking frames to the real binary (cli::HostClient).
#ifndef TEMOIN_TESTS_TEST_SUPPORT_HOST_PROCESS_H_
#define TEMOIN_TESTS_TEST_SUPPORT_HOST_PROCESS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/host_client.h"
#include "test_support/temp_dir.h"

namespace temoin::testing {

// Starts TEMOIN_HOST_BIN with TEMOIN_DATA_DIR = data_dir (and HOME inside it, so nothing of the user's is read).
std::unique_ptr<cli::HostClient> StartHost(const std::filesystem::path& data_dir,
                                           const std::vector<std::string>& args = {});

// A valid event of `type` with the given id; `fields` override or add fields.
nlohmann::json MakeEvent(const std::string& type, const std::string& id, nlohmann::json fields = nlohmann::json::object());

// Runs the built `temoin` CLI with TEMOIN_DATA_DIR = data_dir; returns exit status and standard output.
struct CliResult {
  int exit_status;
  std::string out;
};
CliResult RunTemoin(const std::filesystem::path& data_dir, const std::vector<std::string>& args);

}  // namespace temoin::testing

#endif  // TEMOIN_TESTS_TEST_SUPPORT_HOST_PROCESS_H_
