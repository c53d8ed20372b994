// temoin verify: walks every account's hash chain and reports the first broken link of each (exit 1).
// With --file events.jsonl it checks an exported chain instead, without the database (export/chain_file.h).
#include <algorithm>
#include <fstream>
#include <future>
#include <system_error>
#include <thread>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "export/chain_file.h"
#include "store/verify.h"
#include "store/verify_parallel.h"

namespace temoin::cli {

namespace {

// temoin verify --file: exit 0 when every link holds, 1 when one does not, 65 when a line is not an export row.
int VerifyFile(CliContext& ctx, const std::string& path, bool json_output) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ctx, Status(Code::kIo, "cannot open " + path));
  auto report = exporter::VerifyChainFile(in);
  if (!report.ok()) return Fail(ctx, report.status());
  const exporter::ChainFileReport& r = *report;
  if (json_output) {
    nlohmann::json broken = nlohmann::json::array();
    for (const auto& b : r.broken) broken.push_back({{"line", b.line}, {"seq", b.seq}, {"reason", b.reason}});
    nlohmann::json out{{"ok", r.ok()}, {"file", path}, {"events", r.events}, {"platform", r.platform},
                       {"account", r.account}, {"first_seq", r.first_seq}, {"last_seq", r.last_seq},
                       {"start_hash", r.start_hash}, {"from_genesis", r.from_genesis}, {"head_hash", r.head_hash},
                       {"broken", broken}};
    if (r.malformed) {
      out["malformed"] = {{"line", r.malformed->line}, {"seq", r.malformed->seq}, {"reason", r.malformed->reason}};
    }
    ctx.out << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    for (const auto& b : r.broken) {
      ctx.out << "BROKEN at line " << b.line << " (seq " << b.seq << "): " << b.reason << "\n";
    }
    if (r.malformed) {
      ctx.out << "UNREADABLE line " << r.malformed->line;
      if (r.malformed->seq != 0) ctx.out << " (seq " << r.malformed->seq << ")";
      ctx.out << ": " << r.malformed->reason << "\n";
    }
    if (r.events == 0 && !r.malformed) ctx.out << path << " holds no event\n";
    if (r.events > 0) {
      ctx.out << r.events << " events of one chain, seq " << r.first_seq << " to " << r.last_seq << ": "
              << (r.ok() ? "all links verified" : "the file has been altered") << "\n";
      ctx.out << "  starts " << (r.from_genesis ? "at the beginning of the chain (genesis)" : "after the stated link ")
              << (r.from_genesis ? "" : r.start_hash) << "\n";
      ctx.out << "  head " << r.head_hash << "\n";
      ctx.out << "Compare these hashes with the ones given in the dossier or kept elsewhere.\n";
    }
  }
  if (r.malformed || r.events == 0) return r.broken.empty() ? kExitDataErr : kExitProblemFound;
  return r.ok() ? kExitOk : kExitProblemFound;
}

// SQLite's own check of the file, on its own read-only connection and thread while the chains are walked (on
// as many more as the machine has cores): all of them only read (docs/performance.md, "Verify and export").
// `thorough`: integrity_check (also every index against its table, and UNIQUE), else quick_check (every page
// and b-tree). Why quick_check is enough by default: docs/security.md.
std::future<Status> StartFileCheck(const std::filesystem::path& file, bool thorough) {
  auto check = [file, thorough]() -> Status {
    store::OpenOptions options;
    options.read_only = true;
    options.busy_timeout_ms = 5000;
    auto db = store::Database::Open(file, options);
    if (!db.ok()) return db.status();
    store::ReadThroughMap(**db);
    return thorough ? (*db)->IntegrityCheck() : (*db)->QuickCheck();
  };
  try {
    return std::async(std::launch::async, check);
  } catch (const std::system_error&) {  // no thread to be had: check in this one, after the walk
    return std::async(std::launch::deferred, check);
  }
}

}  // namespace

void AddVerifyCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("verify", "Check that the log's hash chains are intact (exit 1 if a link is broken)");
  auto json_output = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json_output, "Print the report as JSON");
  auto file = std::make_shared<std::string>();
  cmd->add_option("--file", *file, "Check an exported events.jsonl instead of the database");
  auto thorough = std::make_shared<bool>(false);
  cmd->add_flag("--thorough", *thorough,
                "Also check every index against its table (SQLite's integrity_check instead of quick_check; slower)");
  cmd->callback([&ctx, json_output, file, thorough] {
    if (!file->empty()) {
      ctx.exit_code = VerifyFile(ctx, *file, *json_output);
      return;
    }
    auto db = OpenStore(ctx);
    if (!db.ok()) {
      ctx.exit_code = Fail(ctx, db.status());
      return;
    }
    // Verify reads the whole file on every connection: through a memory map (store/verify_parallel.h).
    store::ReadThroughMap(**db);
    std::future<Status> file_check = StartFileCheck((*db)->path(), *thorough);
    store::ParallelVerifyOptions walk;
    // One walker per core, at most 8: past that the quick_check thread (about 0.8 s a million events) is the
    // floor anyway, and each walker is a connection with its own memory map.
    walk.workers = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
    walk.map_file = true;
    auto report = store::VerifyLogInParallel(**db, walk);
    Status integrity = file_check.get();
    if (!report.ok()) {
      ctx.exit_code = Fail(ctx, report.status());
      return;
    }
    if (*json_output) {
      nlohmann::json chains = nlohmann::json::array();
      for (const auto& [key, head] : report->chains) {
        chains.push_back({{"platform", key.first}, {"account", key.second}, {"events", head.events},
                          {"last_seq", head.last_seq}, {"head_hash", head.hash}});
      }
      nlohmann::json broken = nlohmann::json::array();
      for (const auto& b : report->broken) {
        broken.push_back({{"seq", b.seq}, {"platform", b.platform}, {"account", b.account}, {"reason", b.reason}});
      }
      ctx.out << nlohmann::json{{"ok", report->ok() && integrity.ok()}, {"events", report->events},
                                {"chains", chains}, {"broken", broken},
                                {"integrity", integrity.ok() ? "ok" : integrity.message()},
                                {"integrity_check", *thorough ? "full" : "quick"}}
                     .dump(2)
              << "\n";
    } else {
      for (const auto& b : report->broken) {
        ctx.out << "BROKEN at seq " << b.seq << " (" << b.platform << "/" << b.account << "): " << b.reason << "\n";
      }
      if (!integrity.ok()) ctx.out << "DAMAGED: " << integrity.message() << "\n";
      ctx.out << report->events << " events in " << report->chains.size() << " chains: "
              << (report->ok() && integrity.ok() ? "all links verified" : "the record has been altered") << "\n";
      for (const auto& [key, head] : report->chains) {
        ctx.out << "  " << key.first << "/" << key.second << ": " << head.events << " events, head " << head.hash
                << "\n";
      }
    }
    ctx.exit_code = report->ok() && integrity.ok() ? kExitOk : kExitProblemFound;
  });
}

}  // namespace temoin::cli
