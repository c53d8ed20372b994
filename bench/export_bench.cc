// export_bench: how long a dossier of a heavy year takes, and how much memory it needs.
//
//   export_bench [--tasks N] [--db FILE] [--keep]
//
// Builds a database of N tasks (default 100,000: a year of heavy work — each task a start and a submit, a
// heartbeat every 10 tasks, a balance every 20, a payout every week) through the real decoder, log and
// projections, in a child process; then exports the account's whole dossier in this process and prints the
// wall time, the size of each file and the peak resident memory of the export (VmHWM of /proc/self/status —
// the child's generation does not count in it). An existing --db is reused as it is.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "export/dossier.h"
#include "platform/clock.h"
#include "protocol/decode.h"
#include "protocol/money.h"
#include "protocol/timestamp.h"
#include "store/database.h"
#include "store/event_log.h"
#include "store/projections.h"

namespace fs = std::filesystem;
using namespace temoin;

namespace {

constexpr EpochMs kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr EpochMs kYearMs = 365LL * 24 * 3600 * 1000;

long PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

int Generate(const fs::path& file, long tasks) {
  auto db = store::Database::Open(file);
  if (!db.ok()) {
    std::fprintf(stderr, "cannot open %s: %s\n", file.c_str(), db.status().ToString().c_str());
    return 1;
  }
  store::EventLog log(**db);
  store::Projections projections(**db);
  long events = 0, committed = 0;
  EpochMs step = kYearMs / tasks;
  std::int64_t balance = 0;
  EpochMs last_payout = kStart;
  auto put = [&](nlohmann::json m, EpochMs at) -> bool {
    m["v"] = 1;
    m["id"] = "bench-" + std::to_string(++events);
    m["platform"] = "dataannotation";
    m["account"] = "ana@example.org";
    m["at"] = protocol::FormatUtc(at);
    auto decoded = protocol::DecodeRequest(m.dump(), kStart + 2 * kYearMs);
    if (!decoded.status.ok()) {
      std::fprintf(stderr, "bad bench event: %s\n", decoded.status.ToString().c_str());
      return false;
    }
    const auto& e = std::get<protocol::Event>(decoded.request->body);
    auto appended = log.Append({e.id, std::string(protocol::EventTypeName(e.type)), e.platform, e.account, e.at_text,
                                e.at, e.canonical},
                               at + 1500);
    if (!appended.ok() || !projections.Apply(e, appended->seq).ok() ||
        !projections.MarkProjectedThrough(appended->seq).ok()) {
      std::fprintf(stderr, "cannot store a bench event\n");
      return false;
    }
    return true;
  };
  if (!(*db)->Begin().ok()) return 1;
  for (long i = 0; i < tasks; ++i) {
    EpochMs at = kStart + i * step;
    std::string id = "task-" + std::to_string(i);
    bool ok = put({{"type", "task.start"}, {"task_id", id}, {"project", "Project " + std::to_string(i % 37)},
                   {"title", "Rate the answers of a chatbot, batch " + std::to_string(i)},
                   {"url", "https://app.example.com/tasks/" + id},
                   {"rate", {{"amount", "20.00"}, {"currency", "USD"}, {"per", "hour"}}}},
                  at);
    std::int64_t earned = 500 + (i % 7) * 100;
    balance += earned;
    ok = ok && put({{"type", "task.submit"}, {"task_id", id}, {"duration_s", step / 1000 * 3 / 4},
                    {"earned", {{"amount", protocol::FormatAmount(earned, 2)}, {"currency", "USD"}}}},
                   at + step * 3 / 4);
    if (i % 10 == 0) ok = ok && put({{"type", "heartbeat"}, {"tasks_available", i % 50}}, at + step * 4 / 5);
    if (i % 20 == 0) {
      ok = ok && put({{"type", "balance"}, {"amount", protocol::FormatAmount(balance, 2)}, {"currency", "USD"}},
                     at + step * 9 / 10);
    }
    if (at - last_payout > 7LL * 24 * 3600 * 1000 && balance > 0) {
      ok = ok && put({{"type", "payout"}, {"amount", protocol::FormatAmount(balance, 2)}, {"currency", "USD"},
                      {"method", "paypal"}, {"reference", "PP-" + std::to_string(i)}},
                     at + step * 19 / 20);
      balance = 0;
      last_payout = at;
    }
    if (!ok) return 1;
    if (events - committed >= 20000) {  // big transactions: generation speed, not a durability test
      if (!((*db)->Commit().ok() && (*db)->Begin().ok())) return 1;
      committed = events;
    }
  }
  if (!(*db)->Commit().ok()) return 1;
  std::printf("generated %ld tasks, %ld events into %s\n", tasks, events, file.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  long tasks = 100000;
  fs::path db_file;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--tasks") && i + 1 < argc) {
      tasks = std::stol(argv[++i]);
    } else if (!std::strcmp(argv[i], "--db") && i + 1 < argc) {
      db_file = argv[++i];
    } else if (!std::strcmp(argv[i], "--keep")) {
      keep = true;
    } else {
      std::fprintf(stderr, "usage: export_bench [--tasks N] [--db FILE] [--keep]\n");
      return 64;
    }
  }
  fs::path work = fs::temp_directory_path() / ("temoin-export-bench-" + std::to_string(::getpid()));
  fs::create_directories(work);
  if (db_file.empty()) db_file = work / "bench.db";

  if (!fs::exists(db_file)) {
    auto t0 = std::chrono::steady_clock::now();
    pid_t child = ::fork();
    if (child == 0) _exit(Generate(db_file, tasks));
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
    std::printf("generation took %.1f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }

  long rss_before = PeakRssKb();
  auto db = store::Database::Open(db_file);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 1;
  }
  fs::path out = work / "dossier";
  fs::create_directories(out);
  SystemClock clock;
  exporter::DossierOptions options{"dataannotation", "ana@example.org"};
  options.replace_files = true;
  auto t0 = std::chrono::steady_clock::now();
  auto result = exporter::WriteDossier(**db, clock, options, out);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!result.ok()) {
    std::fprintf(stderr, "export failed: %s\n", result.status().ToString().c_str());
    return 1;
  }
  std::printf("export of %lld tasks, %lld events: %.2f s\n", static_cast<long long>(result->tasks),
              static_cast<long long>(result->chain.events), seconds);
  for (const auto& name : result->files) {
    std::printf("  %-13s %8.1f MiB\n", name.c_str(), static_cast<double>(fs::file_size(out / name)) / (1 << 20));
  }
  std::printf("peak RSS (VmHWM): %ld KiB (%ld KiB before opening the database)\n", PeakRssKb(), rss_before);
  if (!keep) {
    std::error_code ec;
    fs::remove_all(work, ec);
  } else {
    std::printf("kept %s\n", work.c_str());
  }
  return 0;
}
