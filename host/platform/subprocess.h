// Subprocess: starting another program with pipes on its standard input and output, the way a browser starts
// the host. Used by `temoin demo` (which drives the real temoin-host), `temoin doctor` and the tests.
// No shell is involved: arguments are passed as they are.
#ifndef TEMOIN_PLATFORM_SUBPROCESS_H_
#define TEMOIN_PLATFORM_SUBPROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace temoin {

class Subprocess {
 public:
  // Starts argv[0] (a path) with argv, the current environment plus `env_overrides` (an empty value unsets),
  // standard input and output on pipes, standard error inherited (or to /dev/null when quiet_stderr).
  static Result<std::unique_ptr<Subprocess>> Spawn(const std::vector<std::string>& argv,
                                                   const std::map<std::string, std::string>& env_overrides = {},
                                                   bool quiet_stderr = false);
  ~Subprocess();  // closes the pipes, kills the child if it still runs, and reaps it

  pid_t pid() const { return pid_; }

  Status WriteAll(std::string_view bytes);
  // Reads exactly n bytes, or fails at end of output or when `timeout` passes.
  Result<std::string> ReadExactly(std::size_t n, std::chrono::milliseconds timeout);
  void CloseStdin();
  // Waits for the child to exit; its exit status (128 + signal when killed), or an error on timeout.
  Result<int> Wait(std::chrono::milliseconds timeout);
  void Kill(int signal);

 private:
  Subprocess() = default;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  std::optional<int> exit_status_;
};

}  // namespace temoin

#endif  // TEMOIN_PLATFORM_SUBPROCESS_H_
