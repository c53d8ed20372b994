// What every `temoin` subcommand gets: the environment, the clock, where to print, and where the binaries are.
// Commands never reach for std::cout, getenv or the system clock directly, so they can be run in-process by tests.
#ifndef TEMOIN_CLI_CLI_CONTEXT_H_
#define TEMOIN_CLI_CLI_CONTEXT_H_

#include <filesystem>
#include <ostream>

#include "base/status.h"
#include "platform/clock.h"
#include "platform/environment.h"

namespace temoin::cli {

// Exit codes, as users of Unix tools expect.
inline constexpr int kExitOk = 0;
inline constexpr int kExitProblemFound = 1;  // verify found a broken link, doctor a broken install, check alerts
inline constexpr int kExitUsage = 64;        // EX_USAGE: bad arguments
inline constexpr int kExitDataErr = 65;      // EX_DATAERR: bad input data (an unreadable export file)
inline constexpr int kExitUnavailable = 69;  // EX_UNAVAILABLE: the host binary is missing
inline constexpr int kExitSoftware = 70;     // EX_SOFTWARE: an internal error
inline constexpr int kExitIoErr = 74;        // EX_IOERR: the database or a file could not be read or written

struct CliContext {
  const Environment& env;
  const Clock& clock;
  std::ostream& out;
  std::ostream& err;
  // The folder holding the `temoin` binary; `temoin-host` is expected beside it.
  std::filesystem::path bin_dir;
  // Set by the subcommand that ran.
  int exit_code = kExitOk;

  std::filesystem::path HostBinary() const { return bin_dir / "temoin-host"; }
};

// Maps a Status from a lower layer to an exit code.
int ExitCodeFor(const Status& status);

}  // namespace temoin::cli

#endif  // TEMOIN_CLI_CLI_CONTEXT_H_
