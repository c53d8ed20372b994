// gen_dataset: writes the benchmark database through the real store code (decoder, event log with its chain,
// projections), in big transactions so that it takes seconds, not hours.
//
//   gen_dataset --out DIR [--events 1000000] [--accounts 20] [--days 1095] [--batch 20000] [--alerts]
//
// DIR/temoin.db is created (an existing one is refused: delete it first). The events are bench/workload.h's mix
// ending now, so "today" and "this week" of query.summary have data. --alerts also runs the alert rules on each
// event as the host does (slower); without it the alerts table stays empty.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "platform/clock.h"
#include "protocol/decode.h"
#include "rules/alert_service.h"
#include "store/database.h"
#include "store/event_log.h"
#include "store/projections.h"
#include "workload.h"

namespace fs = std::filesystem;
using namespace temoin;

int main(int argc, char** argv) {
  fs::path out;
  long long events = 1'000'000;
  int accounts = bench::Workload::kAccounts, days = bench::Workload::kDays;
  long long batch = 20'000;
  bool with_alerts = false;
  for (int i = 1; i < argc; ++i) {
    auto arg = [&](const char* name) { return !std::strcmp(argv[i], name) && i + 1 < argc; };
    if (arg("--out")) out = argv[++i];
    else if (arg("--events")) events = std::stoll(argv[++i]);
    else if (arg("--accounts")) accounts = std::stoi(argv[++i]);
    else if (arg("--days")) days = std::stoi(argv[++i]);
    else if (arg("--batch")) batch = std::stoll(argv[++i]);
    else if (!std::strcmp(argv[i], "--alerts")) with_alerts = true;
    else {
      std::fprintf(stderr, "usage: gen_dataset --out DIR [--events N] [--accounts N] [--days N] [--batch N] [--alerts]\n");
      return 64;
    }
  }
  if (out.empty()) {
    std::fprintf(stderr, "gen_dataset: --out DIR is required\n");
    return 64;
  }
  fs::create_directories(out);
  fs::path file = out / "temoin.db";
  if (fs::exists(file)) {
    std::fprintf(stderr, "gen_dataset: %s exists; remove it first\n", file.c_str());
    return 1;
  }
  auto opened = store::Database::Open(file);
  if (!opened.ok()) {
    std::fprintf(stderr, "gen_dataset: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  store::Database& db = **opened;
  SystemClock clock;
  EpochMs now = clock.NowMs();
  store::EventLog log(db);
  // As the host's catch-up writes them: the account, task and activity rows held, written once per transaction.
  store::Projections projections(db, store::Projections::AccountWrites::kAtFlush);
  std::int64_t last_seq = 0;  // the tables are applied as the log is written: marked up to date at each commit
  std::unique_ptr<rules::AlertService> alerts;
  if (with_alerts) alerts = std::make_unique<rules::AlertService>(db, clock);
  std::vector<nlohmann::json> pushes;

  bench::Workload workload(events, accounts, days, now - 60'000, /*id_seed=*/1);
  auto t0 = std::chrono::steady_clock::now();
  long long in_batch = 0;
  if (!db.Begin().ok()) return 1;
  while (!workload.Done()) {
    EpochMs at = 0;
    std::string body = workload.Next(&at);
    auto decoded = protocol::DecodeRequest(body, now);
    if (!decoded.status.ok()) {
      std::fprintf(stderr, "gen_dataset: a generated event was refused: %s\n%s\n",
                   decoded.status.ToString().c_str(), body.c_str());
      return 1;
    }
    const auto& e = std::get<protocol::Event>(decoded.request->body);
    store::NewEvent row{e.id, std::string(protocol::EventTypeName(e.type)), e.platform, e.account, e.at_text, e.at,
                        e.canonical};
    auto appended = log.Append(row, at + 1500);  // received a moment after the page saw it
    Status status = appended.ok() ? projections.Apply(e, appended->seq) : appended.status();
    if (status.ok()) last_seq = appended->seq;
    if (status.ok() && alerts) {
      status = alerts->OnEvent(e, appended->seq, &pushes, projections.HeldAccount(e.platform, e.account));
    }
    pushes.clear();
    if (!status.ok()) {
      std::fprintf(stderr, "gen_dataset: cannot store an event: %s\n", status.ToString().c_str());
      return 1;
    }
    if (++in_batch >= batch) {
      if (!projections.Flush().ok() || !projections.MarkProjectedThrough(last_seq).ok() || !db.Commit().ok() ||
          !db.Begin().ok()) {
        return 1;
      }
      in_batch = 0;
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::fprintf(stderr, "\r%lld events, %.0f/s ", static_cast<long long>(workload.emitted()), workload.emitted() / s);
    }
  }
  if (!projections.Flush().ok() || !projections.MarkProjectedThrough(last_seq).ok() || !db.Commit().ok()) return 1;
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "\n");
  std::printf("gen_dataset: %lld events, %d accounts, into %s in %.1f s (%.0f events/s)\n",
              static_cast<long long>(workload.emitted()), accounts, file.c_str(), s, workload.emitted() / s);
  return 0;
}
