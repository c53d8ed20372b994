// temoin demo: shows the product working in one command, without a browser. It starts the real temoin-host on
// pipes, as a browser would, sends it a realistic history (cli/demo_history.h) into a separate demo data
// folder, and prints `temoin status` for that folder. The worker's own data is never touched.
#include <deque>
#include <filesystem>

#include "cli/commands.h"
#include "cli/demo_history.h"
#include "cli/host_client.h"
#include "platform/paths.h"

namespace temoin::cli {

namespace {

// Events in flight before waiting for acknowledgements, like the extension's replay of its queue.
constexpr std::size_t kWindow = 64;

Status ClearDemoFolder(const std::filesystem::path& dir) {
  std::error_code ec;
  for (const char* name : {"temoin.db", "temoin.db-wal", "temoin.db-shm", "temoin.db-journal"}) {
    std::filesystem::remove(dir / name, ec);
    if (ec) return Status(Code::kIo, "cannot clear the demo folder: " + ec.message());
  }
  return Status::Ok();
}

Status RunDemo(CliContext& ctx, const std::filesystem::path& dir, int days, std::size_t* sent) {
  TEMOIN_RETURN_IF_ERROR(EnsurePrivateDataDir(dir));
  TEMOIN_RETURN_IF_ERROR(ClearDemoFolder(dir));
  if (!std::filesystem::exists(ctx.HostBinary())) {
    return Status(Code::kNotFound, "temoin-host is not beside temoin (" + ctx.HostBinary().string() + ")");
  }
  auto host = HostClient::Start(ctx.HostBinary().string(), {}, {{"TEMOIN_DATA_DIR", dir.string()}});
  if (!host.ok()) return host.status();
  auto ping = (*host)->Call({{"v", 1}, {"type", "ping"}, {"id", "demo-ping"}});
  if (!ping.ok()) return ping.status();
  if (!(*ping)["ok"].get<bool>()) return StorageError("the host refused the demo: " + ping->dump());

  std::vector<nlohmann::json> events = DemoHistory(ctx.clock, days);
  std::size_t in_flight = 0;
  auto receive_one = [&]() -> Status {
    auto reply = (*host)->Receive();
    if (!reply.ok()) return reply.status();
    if (!reply->contains("re")) return Status::Ok();  // an alert push: not an acknowledgement
    --in_flight;
    if (!(*reply)["ok"].get<bool>()) return StorageError("the host refused a demo event: " + reply->dump());
    return Status::Ok();
  };
  for (const auto& event : events) {
    TEMOIN_RETURN_IF_ERROR((*host)->Send(event));
    ++in_flight;
    ++*sent;
    while (in_flight >= kWindow) TEMOIN_RETURN_IF_ERROR(receive_one());
  }
  while (in_flight > 0) TEMOIN_RETURN_IF_ERROR(receive_one());
  auto exit_status = (*host)->Finish();
  if (!exit_status.ok()) return exit_status.status();
  if (*exit_status != 0) return StorageError("temoin-host exited with status " + std::to_string(*exit_status));
  return Status::Ok();
}

}  // namespace

void AddDemoCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand(
      "demo", "Drive the real temoin-host with ~100 days of made-up work into a separate demo folder, then show it");
  auto days = std::make_shared<int>(kDemoDays);
  cmd->add_option("--days", *days, "How many days of made-up history, ending today (default 100)")
      ->check(CLI::Range(1, 3650));
  cmd->callback([&ctx, days] {
    auto dir = DemoDataDir(ctx.env);
    if (!dir.ok()) {
      ctx.err << "temoin: " << dir.status().message() << "\n";
      ctx.exit_code = ExitCodeFor(dir.status());
      return;
    }
    std::size_t sent = 0;
    Status status = RunDemo(ctx, *dir, *days, &sent);
    if (!status.ok()) {
      ctx.err << "temoin: the demo failed: " << status.message() << "\n";
      ctx.exit_code = status.code() == Code::kNotFound ? kExitUnavailable : ExitCodeFor(status);
      return;
    }
    ctx.out << "Demo: sent " << sent << " events through temoin-host into " << dir->string()
            << " (your own data is untouched).\n\n";
    OverlayEnvironment demo_env(ctx.env, {{"TEMOIN_DATA_DIR", dir->string()}});
    CliContext demo_ctx{demo_env, ctx.clock, ctx.out, ctx.err, ctx.bin_dir};
    const char* argv[] = {"temoin", "status"};
    ctx.exit_code = RunCli(2, argv, demo_ctx);
    ctx.out << "Look around with: TEMOIN_DATA_DIR=" << dir->string() << " temoin log --limit 20\n";
  });
}

}  // namespace temoin::cli
