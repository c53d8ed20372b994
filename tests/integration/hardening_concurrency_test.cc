// Concurrency: two and four hosts (two or four browsers) write the same database at once while the CLI reads
// it (`temoin status`, `temoin verify`, and `temoin export` / `temoin check` when this build has them). No
// acknowledged event is lost, no event is stored twice, no `storage` error reaches a sender while the database
// is merely busy, no reader fails, and every chain is one valid chain at the end.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "hardening_util.h"

namespace temoin::testing::hardening {
namespace {

struct WriterTally {
  int acked = 0;
  std::vector<std::string> errors;  // "<id>: <reply>"
  int exit_status = -1;
};

// Whether this build's `temoin --help` lists the subcommand (others are adding commands as this is written).
bool CliHas(const fs::path& dir, const std::string& command) {
  return RunTemoin(dir, {"--help"}).out.find("\n  " + command + " ") != std::string::npos;
}

void WriteConcurrently(int hosts, int per_host) {
  TempDir dir;
  // One event first, so the readers have an account to export from the start.
  {
    auto host = StartHost(dir.path());
    ASSERT_TRUE(host);
    auto reply = host->Call(MakeEvent("balance", "seed", {{"at", PageTime()}}));
    ASSERT_TRUE(reply.ok());
    ASSERT_EQ((*reply)["ok"], true) << reply->dump();
    ASSERT_EQ(*host->Finish(), 0);
  }
  const bool have_export = CliHas(dir.path(), "export");
  const bool have_check = CliHas(dir.path(), "check");
  std::cout << "[ readers: status, verify" << (have_export ? ", export" : "") << (have_check ? ", check" : "")
            << " ]" << std::endl;

  std::atomic<int> writers_left{hosts};
  std::mutex reader_mutex;
  std::vector<std::string> reader_failures;
  std::map<std::string, int> reader_runs;
  std::thread reader([&] {
    int n = 0;
    while (writers_left.load() > 0) {
      std::vector<std::vector<std::string>> commands = {{"status", "--json"}, {"verify"}};
      if (have_export) {
        commands.push_back({"export", "--account", "dataannotation/ana@example.org", "--out",
                            (dir.path() / ("export-" + std::to_string(n))).string()});
      }
      if (have_check) commands.push_back({"check"});
      for (const auto& args : commands) {
        CliResult r = RunTemoin(dir.path(), args);
        std::lock_guard<std::mutex> lock(reader_mutex);
        ++reader_runs[args[0]];
        // `check` exits 1 when it finds alerts to report; anything else but 0 is a failure to read.
        bool ok = r.exit_status == 0 || (args[0] == "check" && r.exit_status == 1);
        if (!ok) reader_failures.push_back(args[0] + " exited " + std::to_string(r.exit_status) + ": " + r.out);
        if (args[0] == "status" && ok && json::parse(r.out, nullptr, false).is_discarded()) {
          reader_failures.push_back("status --json printed no JSON: " + r.out);
        }
      }
      ++n;
    }
  });

  std::vector<WriterTally> tallies(hosts);
  std::vector<std::thread> writers;
  for (int h = 0; h < hosts; ++h) {
    writers.emplace_back([&, h] {
      WriterTally& tally = tallies[h];
      std::mt19937 rng(1000 + h);
      auto host = StartHost(dir.path());
      if (!host) {
        tally.errors.push_back("could not start");
        --writers_left;
        return;
      }
      int sent = 0;
      while (sent < per_host) {
        int batch = std::min(per_host - sent, std::uniform_int_distribution<int>(1, 25)(rng));
        std::string bytes;
        std::vector<std::string> ids;
        for (int i = 0; i < batch; ++i, ++sent) {
          std::string id = "w" + std::to_string(h) + "-" + std::to_string(sent);
          ids.push_back(id);
          bytes += Frame(VariedEvent(id, h * 100000 + sent).dump());
        }
        if (!host->SendRaw(bytes).ok()) {
          tally.errors.push_back("write failed");
          break;
        }
        for (const auto& id : ids) {
          auto reply = NextReply(*host, std::chrono::seconds(30));
          if (!reply.ok()) {
            tally.errors.push_back(id + ": no reply: " + reply.status().ToString());
            break;
          }
          if ((*reply)["ok"] == true && (*reply)["re"] == id) {
            ++tally.acked;
          } else {
            tally.errors.push_back(id + ": " + reply->dump());
          }
        }
      }
      auto exit_status = host->Finish(std::chrono::seconds(10));
      tally.exit_status = exit_status.ok() ? *exit_status : -1;
      --writers_left;
    });
  }
  for (auto& w : writers) w.join();
  reader.join();

  int acked = 0;
  for (int h = 0; h < hosts; ++h) {
    SCOPED_TRACE("host " + std::to_string(h));
    EXPECT_TRUE(tallies[h].errors.empty()) << tallies[h].errors.size() << " errors, first: " << tallies[h].errors[0];
    EXPECT_EQ(tallies[h].acked, per_host);
    EXPECT_EQ(tallies[h].exit_status, 0);
    acked += tallies[h].acked;
  }
  EXPECT_TRUE(reader_failures.empty()) << reader_failures.size() << " reader failures, first: " << reader_failures[0];
  EXPECT_GE(reader_runs["verify"], 1);

  auto db = OpenForReading(dir.path());
  ASSERT_TRUE(db);
  auto counts = IdCounts(*db);
  EXPECT_EQ(counts.size(), static_cast<std::size_t>(hosts * per_host + 1));
  for (int h = 0; h < hosts; ++h) {
    for (int i = 0; i < per_host; ++i) {
      std::string id = "w" + std::to_string(h) + "-" + std::to_string(i);
      EXPECT_EQ(counts[id], 1) << id;
    }
  }
  ExpectStoreIntact(*db);
  // One chain per account, each holding every event of its account whoever wrote it.
  auto report = store::VerifyLog(*db);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->chains.size(), 3u);
  EXPECT_GE(report->events, hosts * per_host + 1);  // and the host's own alert events
  ExpectCliVerifyPasses(dir.path());
  std::cout << "[ " << hosts << " hosts: " << acked << " acknowledged; reader runs:";
  for (const auto& [name, runs] : reader_runs) std::cout << " " << name << "=" << runs;
  std::cout << " ]" << std::endl;
}

TEST(HardeningConcurrency, TwoHostsAndReadersLoseNothingAndKeepOneValidChainPerAccount) {
  WriteConcurrently(2, 400);
}

// KNOWN FAILURE (reported to the lead, 2026-11-29): with four hosts and the CLI readers, some events are answered
// `storage` "cannot start a transaction (...): database is locked" (BEGIN IMMEDIATE in Database::Begin,
// host/store/database.cc) although the database is merely busy; the sender must retry what should have been
// stored. Two hosts pass. The test is right; the host's busy handling is what must change.
TEST(HardeningConcurrency, FourHostsAndReadersLoseNothingAndKeepOneValidChainPerAccount) {
  WriteConcurrently(4, 250);
}

}  // namespace
}  // namespace temoin::testing::hardening
