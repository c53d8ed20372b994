// Starting a program the way a browser starts a native host, without a shell: fork + execve with pipes on
// stdin, stdout and stderr, a working directory, an explicit environment, optionally dropping root for the
// user an install is for, and a deadline after which the child is killed. Used by `temoin doctor` to ping the
// host and to run `temoin verify`.
#ifndef TEMOIN_INSTALL_PROCESS_H_
#define TEMOIN_INSTALL_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace temoin::install {

struct LaunchSpec {
  std::filesystem::path program;   // absolute
  std::vector<std::string> args;   // argv[1..]
  std::filesystem::path cwd;       // empty: the program's folder, as Chrome does
  std::vector<std::string> env;    // "NAME=value" entries: the child's whole environment
  std::optional<std::pair<uid_t, gid_t>> run_as;  // drop to this user first (when run by root for a user)
};

// This process's environment with some variables replaced (a value) or removed (nullopt). The doctor gives
// the host the environment the browser would: ours, with the target user's data folder and home.
std::vector<std::string> EnvironmentWith(const std::map<std::string, std::optional<std::string>>& changes);

struct PingOutcome {
  enum class Kind {
    kAnswered,     // a frame came back; `reply` holds it (parsed) or `detail` says why it is not JSON
    kNotStarted,   // exec failed (`detail` says why: not found, permission denied, bad interpreter)
    kExited,       // the host ended before answering; `exit_status` and `stderr_tail` say how
    kTimedOut,     // no complete reply before the deadline
    kBadFrame,     // stdout held something that is not a frame (a length over 1 MiB, bytes that are text)
  };
  Kind kind = Kind::kNotStarted;
  std::optional<nlohmann::json> reply;
  std::string detail;
  std::string stderr_tail;  // the last lines the host wrote to stderr (at most 2 KiB)
  int exit_status = -1;     // exit code, or 128+signal
  std::chrono::milliseconds elapsed{0};
};

// Starts the host, sends one `ping` frame and waits for one reply frame until `timeout` (counted from the
// start). Then closes stdin, as a browser does when the port closes, and reaps the child (killing it if it
// lingers 2 s).
PingOutcome PingProgram(const LaunchSpec& spec, std::chrono::milliseconds timeout);

struct RunOutcome {
  bool started = false;
  bool timed_out = false;
  int exit_status = -1;  // exit code, or 128+signal
  std::string out;       // stdout (capped at 1 MiB)
  std::string err;       // stderr (capped at 64 KiB)
  std::string detail;    // why it did not start
};

// Runs a program with stdin closed until it exits or `timeout` passes (then it is killed).
RunOutcome RunProgram(const LaunchSpec& spec, std::chrono::milliseconds timeout);

}  // namespace temoin::install

#endif  // TEMOIN_INSTALL_PROCESS_H_
