// The account rows against a model written the plain way (the latest of each kind of event in page time, the
// later seq winning a tie), over random events with late ones and ties, applied in batches that write the rows
// once per batch (as the log follower does) and one event at a time; and what is held but not yet written.
#include "store/account_rows.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <SQLiteCpp/Statement.h>

#include "store/store_test_util.h"

namespace temoin::store {
namespace {

using nlohmann::json;
using testing::MakeEvent;
using testing::MemoryDatabase;

struct LatestEvent {
  std::optional<EpochMs> ms;
  std::optional<std::int64_t> seq;
  void Offer(EpochMs at, std::int64_t s) {
    if (!ms || at > *ms || (at == *ms && s > *seq)) ms = at, seq = s;
  }
};

std::string RowText(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "NULL"; }
std::string RowText(const std::optional<std::string>& v) { return v ? *v : "NULL"; }

std::string RowText(const AccountRow& r) {
  return r.platform + "|" + r.account + "|" + std::to_string(r.last_seen_ms) + "|" + r.last_seen + "|" +
         RowText(r.state) + "|" + RowText(r.state_at_ms) + "|" + RowText(r.state_at) + "|" +
         RowText(r.state_seq) + "|" +
         RowText(r.last_task_ms) + "|" + RowText(r.last_task_seq) + "|" + RowText(r.last_offered_ms) + "|" +
         RowText(r.last_visit_ms) + "|" + RowText(r.last_visit_seq);
}

std::string TableRow(Database& db, const std::string& account) {
  auto row = ReadAccountRow(db, "dataannotation", account);
  return row ? RowText(*row) : "none";
}

struct AccountModel {
  EpochMs seen = 0;
  LatestEvent visit, task, status;
  std::optional<std::string> state;
  std::optional<EpochMs> offered;

  std::string Expected(const std::string& account) const {
    AccountRow r;
    r.platform = "dataannotation";
    r.account = account;
    r.last_seen_ms = seen;
    r.last_seen = protocol::FormatUtc(seen);
    r.state = state;
    r.state_at_ms = status.ms;
    if (status.ms) r.state_at = protocol::FormatUtc(*status.ms);
    r.state_seq = status.seq;
    r.last_task_ms = task.ms;
    r.last_task_seq = task.seq;
    r.last_offered_ms = offered;
    r.last_visit_ms = visit.ms;
    r.last_visit_seq = visit.seq;
    return RowText(r);
  }
};

TEST(AccountRows, RowsWrittenOncePerBatchAreTheLatestOfEachKindOfEvent) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 random(seed);
    auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    auto batched = MemoryDatabase();
    auto one_by_one = MemoryDatabase();
    std::map<std::string, AccountModel> model;
    const EpochMs t0 = *protocol::ParseRfc3339("2026-07-01T08:00:00Z");
    Projections per_batch(*batched, Projections::AccountWrites::kAtFlush);
    Projections per_event(*one_by_one);
    std::int64_t seq = 0;
    for (int batch = 0; batch < 12; ++batch) {
      ASSERT_TRUE(batched->Begin().ok());
      ASSERT_TRUE(one_by_one->Begin().ok());
      const int size = 1 + pick(20);
      for (int i = 0; i < size; ++i) {
        const std::string account = "w" + std::to_string(pick(3)) + "@example.org";
        const EpochMs at = t0 + pick(30) * 60'000;  // few distinct times: ties and late events are common
        json m{{"id", "e" + std::to_string(++seq)}, {"account", account}, {"at", protocol::FormatUtc(at)}};
        AccountModel& mm = model[account];
        mm.seen = std::max(mm.seen, at);
        switch (pick(4)) {
          case 0: {
            m["type"] = "heartbeat";
            const int offer = pick(3);  // not said, none, some
            if (offer > 0) m["tasks_available"] = offer == 1 ? 0 : 4;
            mm.visit.Offer(at, seq);
            if (offer == 2 && (!mm.offered || *mm.offered < at)) mm.offered = at;
            break;
          }
          case 1:
            m["type"] = pick(2) == 0 ? "task.start" : "task.abandon";
            m["task_id"] = "t" + std::to_string(pick(5));
            mm.task.Offer(at, seq);
            break;
          case 2: {
            m["type"] = "account.status";
            const std::string state = pick(2) == 0 ? "active" : "locked";
            m["state"] = state;
            const bool newer = !mm.status.ms || at > *mm.status.ms || (at == *mm.status.ms && seq > *mm.status.seq);
            mm.status.Offer(at, seq);
            if (newer) mm.state = state;
            break;
          }
          default:
            m["type"] = "balance";
            m["amount"] = "12.50";
            m["currency"] = "USD";
        }
        const protocol::Event e = MakeEvent(m);
        ASSERT_TRUE(per_batch.Apply(e, seq).ok());
        ASSERT_TRUE(per_event.Apply(e, seq).ok());
        // Held ahead of the table: the batch's rows are only in memory until the flush.
        const AccountRow* held = per_batch.HeldAccount("dataannotation", account);
        ASSERT_NE(held, nullptr);
        EXPECT_EQ(RowText(*held), mm.Expected(account)) << "seed " << seed << ", event " << seq;
        EXPECT_EQ(TableRow(*one_by_one, account), mm.Expected(account)) << "seed " << seed << ", event " << seq;
      }
      ASSERT_TRUE(per_batch.Flush().ok());
      ASSERT_TRUE(batched->Commit().ok());
      ASSERT_TRUE(one_by_one->Commit().ok());
      for (const auto& [account, m] : model) {
        EXPECT_EQ(TableRow(*batched, account), m.Expected(account)) << "seed " << seed << ", batch " << batch;
      }
    }
  }
}

TEST(AccountRows, TheTableHasTheRowsOnlyOnceFlushed) {
  auto db = MemoryDatabase();
  Projections projections(*db, Projections::AccountWrites::kAtFlush);
  ASSERT_TRUE(db->Begin().ok());
  ASSERT_TRUE(projections
                  .Apply(MakeEvent({{"id", "h1"}, {"type", "heartbeat"}, {"at", "2026-07-01T08:00:00Z"}}), 1)
                  .ok());
  EXPECT_EQ(TableRow(*db, "ana@example.org"), "none");
  ASSERT_NE(projections.HeldAccount("dataannotation", "ana@example.org"), nullptr);
  EXPECT_EQ(projections.HeldAccount("dataannotation", "someone.else@example.org"), nullptr);
  ASSERT_TRUE(projections.Flush().ok());
  ASSERT_TRUE(db->Commit().ok());
  EXPECT_NE(TableRow(*db, "ana@example.org"), "none");
  // Outside the transaction it was read in, nothing is held: another process may have moved the row since.
  EXPECT_EQ(projections.HeldAccount("dataannotation", "ana@example.org"), nullptr);
}

TEST(AccountRows, RowsMovedInARolledBackTransactionAreNeverWritten) {
  auto db = MemoryDatabase();
  Projections projections(*db, Projections::AccountWrites::kAtFlush);
  ASSERT_TRUE(db->Begin().ok());
  ASSERT_TRUE(projections
                  .Apply(MakeEvent({{"id", "h1"}, {"type", "heartbeat"}, {"at", "2026-07-01T08:00:00Z"}}), 1)
                  .ok());
  db->Rollback();
  ASSERT_TRUE(db->Begin().ok());
  Status flushed = projections.Flush();
  EXPECT_EQ(flushed.code(), Code::kInternal);
  EXPECT_NE(flushed.message().find("ana@example.org"), std::string::npos) << flushed.message();
  ASSERT_TRUE(db->Commit().ok());
  EXPECT_EQ(TableRow(*db, "ana@example.org"), "none");
  // Said once: the instance is usable again.
  ASSERT_TRUE(db->Begin().ok());
  EXPECT_TRUE(projections
                  .Apply(MakeEvent({{"id", "h2"}, {"type", "heartbeat"}, {"at", "2026-07-01T08:01:00Z"}}), 2)
                  .ok());
  EXPECT_TRUE(projections.Flush().ok());
  ASSERT_TRUE(db->Commit().ok());
  EXPECT_NE(TableRow(*db, "ana@example.org"), "none");
}

}  // namespace
}  // namespace temoin::store
