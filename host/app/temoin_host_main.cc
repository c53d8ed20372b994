// temoin-host: the native messaging host a browser launches. See docs/protocol.md for the wire and
// docs/architecture.md for how an event travels through it.
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "app/caller.h"
#include "app/host_logger.h"
#include "app/lazy_store.h"
#include "app/request_handler.h"
#include "app/session.h"
#include "platform/clock.h"
#include "platform/environment.h"
#include "platform/paths.h"
#include "protocol/extension_identity.h"
#include "store/database.h"

namespace {

constexpr char kUsage[] =
    "Usage: temoin-host [--lines] [CALLER...]\n"
    "The Témoin native messaging host. Browsers start it themselves, passing who is calling:\n"
    "  chrome-extension://<id>/          (Chromium-family browsers)\n"
    "  <manifest path> <add-on id>       (Firefox)\n"
    "It then reads length-prefixed JSON messages on standard input and answers on standard output\n"
    "(docs/protocol.md). Started with no caller, it serves the local user.\n"
    "  --lines    one JSON message per line in and out, for trying it by hand\n"
    "  --version  print the version\n"
    "Data folder: $TEMOIN_DATA_DIR, else $XDG_DATA_HOME/temoin, else ~/.local/share/temoin.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace temoin;
  // Files the host creates (database, WAL, log) are the user's alone, whatever the session's umask.
  ::umask(077);
  // A closed standard output is the browser going away: write() then fails with EPIPE and the session ends.
  std::signal(SIGPIPE, SIG_IGN);
  store::ConfigureSqliteForThisProcess();

  app::SessionOptions options;
  std::vector<std::string> caller_args;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--version") {
      std::printf("temoin-host %s\n", std::string(protocol::HostVersion()).c_str());
      return 0;
    }
    if (arg == "--lines") {
      options.framing = app::Framing::kLines;
      continue;
    }
    caller_args.push_back(std::move(arg));
  }

  ProcessEnvironment env;
  SystemClock clock;
  auto data_dir = DataDir(env);
  Status dir_status = data_dir.ok() ? EnsurePrivateDataDir(*data_dir) : data_dir.status();
  app::HostLog log(dir_status.ok() ? *data_dir : std::filesystem::path());

  app::Caller caller = app::IdentifyCaller(caller_args);
  // host.json is read only for a caller that is neither the local user nor one of Témoin's own extensions.
  app::CallerCheck check = app::CheckCaller(caller, dir_status.ok() ? *data_dir : std::filesystem::path());
  if (!check.config_status.ok()) log.Warn(check.config_status.message());
  bool allowed = check.allowed;
  if (!allowed) {
    log.Error("refusing to serve " + caller.description +
              ": not in the allow-list (Témoin's own extension ids and host.json's extra_extension_ids); every "
              "request will be answered 'forbidden'");
  }

  // The database is opened by the first request that needs it (app/lazy_store.h), not here.
  auto db_file = dir_status.ok() ? Result<std::filesystem::path>(DatabasePath(*data_dir))
                                 : Result<std::filesystem::path>(dir_status);
  app::LazyStore store(std::move(db_file), clock, env, log);
  app::RequestHandler handler(store, clock, allowed);
  app::Session session(STDIN_FILENO, STDOUT_FILENO, handler, log, options);
  return session.Run();
}
