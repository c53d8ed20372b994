// Crash consistency: the host is killed with SIGKILL at random points while events stream in, many times over
// one database. After every kill, every event the host acknowledged is in the log exactly once, PRAGMA
// integrity_check is ok and every hash chain verifies; at the end `temoin verify` agrees.
//
// Each round starts a host on the same data folder, pipelines a batch of events (new ones, plus the ones the
// previous rounds sent without getting an answer, as the extension's queue retries them), reads a random
// number of replies, waits a random few hundred microseconds (so the kill lands inside a transaction, an
// fsync or a checkpoint as often as between them) and kills it. The first round kills a host that may still
// be creating the database. The seed is printed; TEMOIN_CRASH_SEED=<n> replays a run.
#include <gtest/gtest.h>
#include <signal.h>

#include <random>
#include <thread>

#include "hardening_util.h"

namespace temoin::testing::hardening {
namespace {

constexpr int kRounds = 60;
constexpr int kNewPerRound = 40;

TEST(HardeningCrash, SixtySigkillsAtRandomPointsLoseNoAcknowledgedEventAndKeepEveryChainValid) {
  std::uint64_t seed = std::random_device{}();
  if (const char* s = std::getenv("TEMOIN_CRASH_SEED")) seed = std::stoull(s);
  std::cout << "[ crash seed " << seed << " ]" << std::endl;
  RecordProperty("crash_seed", std::to_string(seed));
  std::mt19937_64 rng(seed);

  TempDir dir;
  std::set<std::string> acknowledged;      // ids the host answered ok: true
  std::vector<std::string> unanswered;     // sent, no answer before the kill: retried next round
  std::map<std::string, json> sent;        // every id ever sent, with its body (a retry sends the same body)
  int next = 0;
  int kills_with_replies_pending = 0;

  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + ", seed " + std::to_string(seed));
    auto host = StartHost(dir.path());
    ASSERT_TRUE(host);

    std::vector<std::string> batch_ids = unanswered;
    unanswered.clear();
    for (int i = 0; i < kNewPerRound; ++i) {
      std::string id = "c" + std::to_string(next) + "-" + std::to_string(round);
      sent[id] = VariedEvent(id, next++);
      batch_ids.push_back(id);
    }
    std::shuffle(batch_ids.begin(), batch_ids.end(), rng);
    // Sent in a few writes, so that the host commits several groups.
    std::string bytes;
    for (const auto& id : batch_ids) bytes += Frame(sent[id].dump());
    ASSERT_TRUE(host->SendRaw(bytes).ok());

    // Round 0 kills before reading anything (possibly during the first migration); the others after a
    // random number of replies.
    int to_read = round == 0 ? 0 : std::uniform_int_distribution<int>(0, static_cast<int>(batch_ids.size()))(rng);
    std::set<std::string> answered;
    for (int i = 0; i < to_read; ++i) {
      auto reply = NextReply(*host);
      ASSERT_TRUE(reply.ok()) << reply.status().ToString();
      std::string re = (*reply)["re"].get<std::string>();
      answered.insert(re);
      ASSERT_EQ((*reply)["ok"], true) << reply->dump();  // nothing here is refused, and the disk is not full
      acknowledged.insert(re);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(rng)));
    host->process().Kill(SIGKILL);
    auto status = host->process().Wait(std::chrono::seconds(10));
    ASSERT_TRUE(status.ok());
    EXPECT_EQ(*status, 128 + SIGKILL);
    if (answered.size() < batch_ids.size()) ++kills_with_replies_pending;
    for (const auto& id : batch_ids) {
      if (!answered.count(id)) unanswered.push_back(id);
    }

    // The store after the crash, read as the next process will.
    auto db = OpenForReading(dir.path());
    ASSERT_TRUE(db);
    auto counts = IdCounts(*db);
    for (const auto& id : acknowledged) EXPECT_EQ(counts[id], 1) << "acknowledged event " << id;
    for (const auto& [id, n] : counts) {
      EXPECT_EQ(n, 1) << id;
      EXPECT_TRUE(sent.count(id)) << "an event nobody sent: " << id;
    }
    ExpectStoreIntact(*db);
    if (::testing::Test::HasFatalFailure() || ::testing::Test::HasNonfatalFailure()) return;
  }

  // A last host takes the retries, so everything sent ends up stored exactly once, in valid chains.
  auto host = StartHost(dir.path());
  ASSERT_TRUE(host);
  for (const auto& id : unanswered) {
    auto reply = host->Call(sent[id]);
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ((*reply)["ok"], true) << reply->dump();
  }
  auto exit_status = host->Finish();
  ASSERT_TRUE(exit_status.ok());
  EXPECT_EQ(*exit_status, 0);

  auto db = OpenForReading(dir.path());
  ASSERT_TRUE(db);
  auto counts = IdCounts(*db);
  EXPECT_EQ(counts.size(), sent.size());
  for (const auto& [id, body] : sent) EXPECT_EQ(counts[id], 1) << id;
  ExpectStoreIntact(*db);
  ExpectCliVerifyPasses(dir.path());
  // Most kills must land while the host still had events to answer (else the test would not test crashes).
  EXPECT_GE(kills_with_replies_pending, kRounds / 2);
  std::cout << "[ " << kRounds << " SIGKILLs, " << acknowledged.size() << " acknowledged, " << sent.size()
            << " events in the log ]" << std::endl;
}

}  // namespace
}  // namespace temoin::testing::hardening
