#include "store/event_log.h"

#include <gtest/gtest.h>

#include "base/sha256.h"
#include "store/projections.h"
#include "store/store_test_util.h"
#include "store/verify.h"

namespace temoin::store {
namespace {

using testing::MemoryDatabase;
using testing::Store;
using nlohmann::json;

json Balance(const std::string& id, const std::string& amount, const std::string& account = "ana@example.org") {
  return {{"type", "balance"}, {"id", id}, {"account", account}, {"at", "2026-07-14T09:30:00+02:00"},
          {"amount", amount}, {"currency", "USD"}};
}

TEST(EventLog, ChainsEachAccountFromGenesis) {
  auto db = MemoryDatabase();
  Store(*db, Balance("a1", "1.00"));
  Store(*db, Balance("b1", "5.00", "bob@example.org"));
  Store(*db, Balance("a2", "2.00"));
  EventLog log(*db);
  auto events = log.Read({});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  const auto& a1 = (*events)[0];
  const auto& b1 = (*events)[1];
  const auto& a2 = (*events)[2];
  EXPECT_EQ(a1.prev_hash, kGenesisHash);
  EXPECT_EQ(b1.prev_hash, kGenesisHash) << "each account has its own chain";
  EXPECT_EQ(a2.prev_hash, a1.hash);
  // The documented algorithm, spelled out.
  std::string row = "{\"event\":" + a2.body + ",\"received_at\":\"" + a2.received_at + "\",\"seq\":3}";
  EXPECT_EQ(a2.hash, Sha256Hex({a1.hash, row}));
  EXPECT_EQ(CanonicalRow(3, a2.received_at, a2.body), row);
}

// Inside one transaction, appends take the next seq and each chain's head from the connection's log tail
// rather than the log. Two EventLogs on the connection (the handler's and the alert service's) share it, and a
// savepoint rolled back undoes what it knew.
TEST(EventLog, ABatchChainsCorrectlyAcrossLogsAndRolledBackSavepoints) {
  auto db = MemoryDatabase();
  Store(*db, Balance("before", "1.00"));
  auto append = [&](EventLog& log, const json& message) {
    auto e = testing::MakeEvent(message);
    auto appended = log.Append({e.id, "balance", e.platform, e.account, e.at_text, e.at, e.canonical}, 1'780'000'000'000);
    EXPECT_TRUE(appended.ok()) << appended.status().ToString();
    return appended.ok() ? appended->seq : -1;
  };
  ASSERT_TRUE(db->Begin().ok());
  EventLog handler_log(*db);
  EventLog service_log(*db);
  EXPECT_EQ(append(handler_log, Balance("a1", "2.00")), 2);
  EXPECT_EQ(append(service_log, Balance("b1", "3.00", "bob@example.org")), 3);
  EXPECT_EQ(append(service_log, Balance("a2", "4.00")), 4);
  ASSERT_TRUE(db->Savepoint("event").ok());
  EXPECT_EQ(append(handler_log, Balance("a3", "5.00")), 5);
  EXPECT_EQ(append(handler_log, Balance("b2", "6.00", "bob@example.org")), 6);
  db->RollbackTo("event");  // a3 and b2 are gone: seq 5 and both heads are free again
  EXPECT_EQ(append(handler_log, Balance("b3", "7.00", "bob@example.org")), 5);
  EXPECT_EQ(append(handler_log, Balance("a4", "8.00")), 6);
  ASSERT_TRUE(db->Commit().ok());
  Store(*db, Balance("after", "1.00"));

  auto report = VerifyLog(*db);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << report->broken.at(0).reason;
  EXPECT_EQ(report->events, 7);
  EventLog log(*db);
  auto events = log.Read({});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 7u);
  EXPECT_EQ((*events)[4].id, "b3");
  EXPECT_EQ((*events)[4].prev_hash, (*events)[2].hash) << "b3 follows b1, not the rolled-back b2";
  EXPECT_EQ((*events)[5].prev_hash, (*events)[3].hash) << "a4 follows a2, not the rolled-back a3";
  EXPECT_EQ((*events)[6].prev_hash, (*events)[5].hash) << "after a commit the head is read from the log again";
}

TEST(EventLog, SameIdSameBodyIsADuplicateSameIdOtherBodyIsRefused) {
  auto db = MemoryDatabase();
  auto first = Store(*db, Balance("x", "1.00"));
  EXPECT_FALSE(first.duplicate);
  auto again = Store(*db, Balance("x", "1.00"));
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.seq, first.seq);

  auto other = testing::MakeEvent(Balance("x", "2.00"));
  ASSERT_TRUE(db->Begin().ok());
  EventLog log(*db);
  auto refused = log.Append({other.id, "balance", other.platform, other.account, other.at_text, other.at, other.canonical}, 0);
  db->Rollback();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kBadMessage);
  EXPECT_EQ(refused.status().field(), "id");
  EXPECT_EQ(*log.LastSeq(), 1);
}

TEST(EventLog, CanonicalFormMatchesJcsForStrings) {
  // RFC 8785, section 3.2.2.2: the string example and its canonical serialisation.
  std::string value = "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/";
  EXPECT_EQ(json(value).dump(), "\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"");
  // Keys sorted, no white space, integers and booleans as JSON writes them.
  json object = json::parse(R"({"b":1,"a":{"z":true,"y":"\u00e9"},"c":-5})");
  EXPECT_EQ(object.dump(), "{\"a\":{\"y\":\"\u00e9\",\"z\":true},\"b\":1,\"c\":-5}");
}

TEST(Verify, PassesOnAnIntactLogAndFindsAnEditedRow) {
  auto db = MemoryDatabase();
  for (int i = 0; i < 5; ++i) Store(*db, Balance("e" + std::to_string(i), std::to_string(i) + ".00"));
  auto clean = VerifyLog(*db);
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->ok());
  EXPECT_EQ(clean->events, 5);

  // An attacker with the file drops the trigger and edits an amount.
  auto& sql = db->sql();
  sql.exec("DROP TRIGGER events_are_never_updated");
  sql.exec("UPDATE events SET body = replace(body, '\"3.00\"', '\"0.00\"') WHERE seq = 4");
  auto tampered = VerifyLog(*db);
  ASSERT_TRUE(tampered.ok());
  ASSERT_EQ(tampered->broken.size(), 1u);
  EXPECT_EQ(tampered->broken[0].seq, 4);
  EXPECT_NE(tampered->broken[0].reason.find("edited"), std::string::npos);
}

TEST(Verify, FindsARemovedRowAndAnEditedColumn) {
  auto db = MemoryDatabase();
  for (int i = 0; i < 4; ++i) Store(*db, Balance("e" + std::to_string(i), "1.00"));
  auto& sql = db->sql();
  sql.exec("DROP TRIGGER events_are_never_deleted");
  sql.exec("DELETE FROM events WHERE seq = 2");
  auto report = VerifyLog(*db);
  ASSERT_EQ(report->broken.size(), 1u);
  EXPECT_EQ(report->broken[0].seq, 3);

  auto db2 = MemoryDatabase();
  Store(*db2, Balance("a", "1.00"));
  db2->sql().exec("DROP TRIGGER events_are_never_updated");
  db2->sql().exec("UPDATE events SET account = 'someone-else' WHERE seq = 1");
  auto report2 = VerifyLog(*db2);
  ASSERT_EQ(report2->broken.size(), 1u);
  EXPECT_EQ(report2->broken[0].seq, 1);
}

TEST(EventLog, ReadFiltersAndPages) {
  auto db = MemoryDatabase();
  for (int i = 0; i < 10; ++i) Store(*db, Balance("e" + std::to_string(i), "1.00", i % 2 ? "odd" : "even"));
  EventLog log(*db);
  EventFilter filter;
  filter.account = "odd";
  filter.limit = 3;
  auto page = log.Read(filter);
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ((*page)[0].seq, 2);
  filter.after_seq = (*page)[2].seq;
  auto next = log.Read(filter);
  ASSERT_EQ(next->size(), 2u);
  EXPECT_EQ((*next)[1].seq, 10);
}

// Appends an event to the log alone, as an acknowledgement does before the catch-up places it (the log's
// orders and the other derived tables follow after the projection mark).
std::int64_t AppendOnly(Database& db, const json& message) {
  auto e = testing::MakeEvent(message);
  EXPECT_TRUE(db.Begin().ok());
  auto appended = EventLog(db).Append({e.id, std::string(protocol::EventTypeName(e.type)), e.platform, e.account,
                                       e.at_text, e.at, e.canonical},
                                      1'780'000'000'000);
  EXPECT_TRUE(appended.ok()) << appended.status().ToString();
  EXPECT_TRUE(db.Commit().ok());
  return appended.ok() ? appended->seq : -1;
}

std::vector<std::int64_t> Seqs(const Result<std::vector<LoggedEvent>>& events) {
  std::vector<std::int64_t> seqs;
  if (events.ok()) {
    for (const auto& e : *events) seqs.push_back(e.seq);
  }
  return seqs;
}

// By account or by type, Read finds the events up to the projection mark through the log's orders and those
// after it in the log itself: one answer in seq order whether or not the catch-up has run.
TEST(EventLog, ReadByAccountOrTypeHoldsEventsPlacedAndNotYetPlaced) {
  auto db = MemoryDatabase();
  for (int i = 1; i <= 6; ++i) Store(*db, Balance("placed" + std::to_string(i), "1.00", i % 2 ? "odd" : "even"));
  for (int i = 7; i <= 10; ++i) AppendOnly(*db, Balance("waiting" + std::to_string(i), "1.00", i % 2 ? "odd" : "even"));
  ASSERT_EQ(Projections(*db).ProjectedThrough().value(), 6);
  SQLite::Statement placed(db->sql(), "SELECT COUNT(*) FROM events_of_account");
  ASSERT_TRUE(placed.executeStep());
  EXPECT_EQ(placed.getColumn(0).getInt64(), 6) << "the four after the mark are in the log only";

  EventLog log(*db);
  EventFilter odd;
  odd.platform = "dataannotation";
  odd.account = "odd";
  EXPECT_EQ(Seqs(log.Read(odd)), (std::vector<std::int64_t>{1, 3, 5, 7, 9}));
  odd.limit = 2;
  EXPECT_EQ(Seqs(log.Read(odd)), (std::vector<std::int64_t>{1, 3})) << "the limit holds inside the placed part";
  odd.limit = 4;
  EXPECT_EQ(Seqs(log.Read(odd)), (std::vector<std::int64_t>{1, 3, 5, 7})) << "and across the mark";
  odd.after_seq = 7;
  EXPECT_EQ(Seqs(log.Read(odd)), (std::vector<std::int64_t>{9})) << "a page that starts after the mark";

  EventFilter balances;
  balances.type = "balance";
  balances.since = testing::MakeEvent(Balance("x", "1.00")).at;
  EXPECT_EQ(Seqs(log.Read(balances)), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  balances.until = balances.since;
  EXPECT_TRUE(Seqs(log.Read(balances)).empty()) << "page time bounds hold on both sides of the mark";
  balances.until.reset();
  balances.type = "payout";
  EXPECT_TRUE(Seqs(log.Read(balances)).empty());
}

// The chain's head of an account comes from the log's tail when its latest event is not placed yet, from the
// account's order when it is: never from another account, never the genesis hash of an account with events.
TEST(EventLog, AnAccountsHeadIsFoundWhetherItsLatestEventIsPlacedOrNot) {
  auto db = MemoryDatabase();
  Store(*db, Balance("a1", "1.00"));
  Store(*db, Balance("b1", "1.00", "bob@example.org"));
  AppendOnly(*db, Balance("b2", "2.00", "bob@example.org"));  // after the mark: bob's head is in the tail
  AppendOnly(*db, Balance("a2", "2.00"));                     // ana's head is placed (a1), the tail holds none of hers
  AppendOnly(*db, Balance("b3", "3.00", "bob@example.org"));
  auto events = EventLog(*db).Read({});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 5u);
  EXPECT_EQ((*events)[3].prev_hash, (*events)[0].hash) << "a2 follows a1, found through events_of_account";
  EXPECT_EQ((*events)[4].prev_hash, (*events)[2].hash) << "b3 follows b2, found in the log after the mark";
  auto report = VerifyLog(*db);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

TEST(EventLog, LatestSeqAtFindsTheLatestEventAtAPageTimeOnBothSidesOfTheMark) {
  auto db = MemoryDatabase();
  Store(*db, Balance("a1", "1.00"));
  Store(*db, Balance("a2", "2.00"));
  Store(*db, Balance("b1", "1.00", "bob@example.org"));
  const EpochMs at = testing::MakeEvent(Balance("x", "1.00")).at;
  EventLog log(*db);
  EXPECT_EQ(log.LatestSeqAt("dataannotation", "ana@example.org", at).value(), std::optional<std::int64_t>(2));
  AppendOnly(*db, Balance("a3", "3.00"));
  EXPECT_EQ(log.LatestSeqAt("dataannotation", "ana@example.org", at).value(), std::optional<std::int64_t>(4))
      << "an event after the mark is the latest";
  EXPECT_EQ(log.LatestSeqAt("dataannotation", "bob@example.org", at).value(), std::optional<std::int64_t>(3));
  EXPECT_EQ(log.LatestSeqAt("dataannotation", "ana@example.org", at + 1).value(), std::nullopt);
  EXPECT_EQ(log.LatestSeqAt("dataannotation", "nobody", at).value(), std::nullopt);
}

TEST(LinkDigest, HashesExactlyWhatLinkHashOfTheCanonicalRowHashes) {
  const std::string body = R"({"account":"a","at":"2026-07-14T09:30:00+02:00","type":"heartbeat"})";
  for (const std::string received_at : {"2026-07-14T07:30:00.123Z", "odd \"quoted\" \\ \u00e9 time\n"}) {
    EXPECT_EQ(ToLowerHex(LinkDigest(kGenesisHash, 42, received_at, body)),
              LinkHash(std::string(kGenesisHash), CanonicalRow(42, received_at, body)))
        << received_at;
  }
}

}  // namespace
}  // namespace temoin::store
