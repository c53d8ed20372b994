// Integration tests of the real temoin-host binary, spoken to over pipes as a browser would.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <set>
#include <thread>
#include <filesystem>
#include <fstream>

#include <SQLiteCpp/Statement.h>

#include "protocol/extension_identity.h"
#include "store/migrations.h"
#include "store/database.h"
#include "store/verify.h"
#include "test_support/host_process.h"
#include "hardening_util.h"

namespace temoin::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string Frame(const std::string& body) {
  std::uint32_t n = static_cast<std::uint32_t>(body.size());
  std::string f(4, '\0');
  std::memcpy(f.data(), &n, 4);
  return f + body;
}

// A page time of "now" (the host refuses times more than a day ahead, and tests must not age).
std::string Now() { return hardening::PageTime(60); }

std::int64_t CountEvents(const std::filesystem::path& dir) {
  auto db = store::Database::Open(dir / "temoin.db");
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  // The host's own events (alerts raised, with ids "host:...") are chained beside the sender's: not counted here.
  return (*db)->sql().execAndGet("SELECT COUNT(*) FROM events WHERE id NOT LIKE 'host:%'").getInt64();
}

void ExpectLogIntact(const std::filesystem::path& dir) {
  auto db = store::Database::Open(dir / "temoin.db");
  ASSERT_TRUE(db.ok());
  EXPECT_TRUE((*db)->IntegrityCheck().ok());
  auto report = store::VerifyLog(**db);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->broken.front().reason;
}

TEST(HostProtocol, StoresEveryEventTypeAndAnswersQueries) {
  TempDir dir;
  auto host = StartHost(dir.path());
  ASSERT_TRUE(host);
  auto ping = host->Call({{"v", 1}, {"type", "ping"}, {"id", "p"}});
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ((*ping)["ok"], true);
  EXPECT_EQ((*ping)["schema"], store::LatestSchemaVersion());
  EXPECT_EQ((*ping)["version"], std::string(protocol::HostVersion()));

  std::vector<json> events = {
      MakeEvent("task.start", "e1", {{"project", "Rating"}, {"rate", {{"amount", "20.00"}, {"currency", "USD"}, {"per", "hour"}}}}),
      MakeEvent("task.submit", "e2", {{"duration_s", 600}, {"earned", {{"amount", "3.33"}, {"currency", "USD"}}}}),
      MakeEvent("task.abandon", "e3", {{"task_id", "t-2"}}),
      MakeEvent("balance", "e4", {{"amount", "1312.50"}, {"pending", "48.00"}}),
      MakeEvent("balance.missing", "e5", {{"detail", "no balance shown"}}),
      MakeEvent("payout", "e6", {{"amount", "100.00"}, {"method", "paypal"}, {"reference", "PP-9"}}),
      MakeEvent("account.status", "e7", {{"state", "logged_out"}}),
      MakeEvent("heartbeat", "e8", {{"tasks_available", 4}, {"focused", true}}),
  };
  std::int64_t last_seq = 0;
  for (const auto& e : events) {
    auto reply = host->Call(e);
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    EXPECT_EQ((*reply)["ok"], true) << reply->dump();
    EXPECT_EQ((*reply)["re"], e["id"]);
    EXPECT_EQ((*reply)["duplicate"], false);
    EXPECT_GT((*reply)["seq"].get<std::int64_t>(), last_seq);
    last_seq = (*reply)["seq"];
  }
  auto logged = host->Call({{"v", 1}, {"type", "query.events"}, {"id", "q"}, {"limit", 100}});
  ASSERT_TRUE(logged.ok());
  json sent_back = json::array();  // leaving out the host's own alert events, which the lockout raised
  for (const auto& item : (*logged)["events"]) {
    if (item["id"].get<std::string>().rfind("host:", 0) != 0) sent_back.push_back(item["event"]);
  }
  ASSERT_EQ(sent_back.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(sent_back[i], events[i]);
  EXPECT_EQ((*logged)["next_after_seq"], nullptr);

  auto filtered = host->Call({{"v", 1}, {"type", "query.events"}, {"id", "q2"}, {"event_type", "payout"}});
  ASSERT_EQ((*filtered)["events"].size(), 1u);

  auto summary = host->Call({{"v", 1}, {"type", "query.summary"}, {"id", "s"}});
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ((*summary)["accounts"].size(), 1u);
  EXPECT_EQ((*summary)["accounts"][0]["balance"], "1312.50");
  EXPECT_EQ((*summary)["accounts"][0]["pending"], "48.00");
  EXPECT_EQ((*summary)["accounts"][0]["state"], "logged_out");
  auto exit_status = host->Finish();
  ASSERT_TRUE(exit_status.ok());
  EXPECT_EQ(*exit_status, 0);
  ExpectLogIntact(dir.path());
}

TEST(HostProtocol, DuplicatesAreAcknowledgedWithTheFirstSeqAndStoredOnce) {
  TempDir dir;
  auto host = StartHost(dir.path());
  json e = MakeEvent("balance", "dup-1");
  auto first = host->Call(e);
  auto second = host->Call(e);
  EXPECT_EQ((*second)["duplicate"], true);
  EXPECT_EQ((*second)["seq"], (*first)["seq"]);
  json changed = e;
  changed["amount"] = "99.00";
  auto conflict = host->Call(changed);
  EXPECT_EQ((*conflict)["ok"], false);
  EXPECT_EQ((*conflict)["error"]["code"], "bad_message");
  EXPECT_EQ((*conflict)["error"]["field"], "id");
  host->Finish();
  EXPECT_EQ(CountEvents(dir.path()), 1);
}

TEST(HostProtocol, RepliesComeInRequestOrderForAPipelinedBatch) {
  TempDir dir;
  auto host = StartHost(dir.path());
  std::string batch;
  std::vector<std::string> ids;
  for (int i = 0; i < 60; ++i) {
    std::string id = "m" + std::to_string(i);
    ids.push_back(id);
    json m = i % 10 == 5 ? json{{"v", 1}, {"type", "query.summary"}, {"id", id}}
             : i % 10 == 7 ? json{{"v", 1}, {"type", "balance"}, {"id", id}}  // invalid: no fields
                           : MakeEvent("heartbeat", id, {{"at", Now()}});
    batch += Frame(m.dump());
  }
  ASSERT_TRUE(host->SendRaw(batch).ok());
  for (const auto& id : ids) {
    auto reply = host->Receive();
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ((*reply)["re"], id);
  }
  host->Finish();
  EXPECT_EQ(CountEvents(dir.path()), 48);
}

// A batch is stored in one go, without a savepoint per event; an event that fails sends the batch round again
// with one savepoint each (app/request_handler.cc). Only the failing event may be refused, and nothing of the
// first round may stay: no event twice, no alert raised or pushed twice, one valid chain.
TEST(HostProtocol, AFailingEventInAPipelinedBatchIsRefusedAloneAndTheRestIsStoredOnce) {
  TempDir dir;
  auto host = StartHost(dir.path());
  auto ago = [](int minutes) { return hardening::PageTime(minutes); };
  const std::string first_at = ago(120);  // once: the resent copy must be the same event, to the second
  const std::vector<json> sent = {
      MakeEvent("balance", "l1", {{"amount", "1312.50"}, {"at", first_at}}),
      MakeEvent("account.status", "l2", {{"state", "locked"}, {"at", ago(10)}}),        // raises account_locked
      MakeEvent("balance", "l1", {{"amount", "1.00"}, {"at", ago(9)}}),                 // reuses l1: refused
      MakeEvent("balance.missing", "l3", {{"at", ago(8)}}),                             // raises balance_vanished
      MakeEvent("balance", "l1", {{"amount", "1312.50"}, {"at", first_at}}),            // l1 again: a duplicate
  };
  std::string batch;
  for (const auto& e : sent) batch += Frame(e.dump());
  ASSERT_TRUE(host->SendRaw(batch).ok());

  std::vector<json> replies;
  std::vector<std::string> pushed_kinds;
  while (replies.size() < sent.size()) {
    auto frame = host->Receive();
    ASSERT_TRUE(frame.ok()) << frame.status().ToString();
    if (frame->contains("re")) {
      replies.push_back(*frame);
    } else {
      pushed_kinds.push_back((*frame)["alert"]["kind"].get<std::string>());
    }
  }
  ASSERT_EQ(replies.size(), 5u);
  EXPECT_EQ(replies[0]["ok"], true) << replies[0].dump();
  EXPECT_EQ(replies[1]["ok"], true) << replies[1].dump();
  EXPECT_EQ(replies[2]["ok"], false) << replies[2].dump();
  EXPECT_EQ(replies[2]["error"]["field"], "id");
  EXPECT_EQ(replies[3]["ok"], true) << replies[3].dump();
  EXPECT_EQ(replies[4]["ok"], true) << replies[4].dump();
  EXPECT_EQ(replies[4]["duplicate"], true);
  EXPECT_EQ(replies[4]["seq"], replies[0]["seq"]);
  EXPECT_LT(replies[0]["seq"].get<std::int64_t>(), replies[1]["seq"].get<std::int64_t>());
  EXPECT_LT(replies[1]["seq"].get<std::int64_t>(), replies[3]["seq"].get<std::int64_t>());

  // The pushes of the batch follow its replies; a later batch of this test has none.
  auto listed = host->Call({{"v", 1}, {"type", "query.alerts"}, {"id", "qa"}});
  ASSERT_TRUE(listed.ok());
  for (const auto& push : host->pushes()) pushed_kinds.push_back(push["alert"]["kind"].get<std::string>());
  std::sort(pushed_kinds.begin(), pushed_kinds.end());
  EXPECT_EQ(pushed_kinds, (std::vector<std::string>{"account_locked", "balance_vanished"}));
  ASSERT_EQ((*listed)["alerts"].size(), 2u) << listed->dump();
  host->Finish();

  EXPECT_EQ(CountEvents(dir.path()), 3);
  ExpectLogIntact(dir.path());
  auto db = store::Database::Open(dir.path() / "temoin.db");
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)->sql().execAndGet("SELECT COUNT(*) FROM events WHERE type = 'alert.raised'").getInt64(), 2);
  EXPECT_EQ((*db)->sql().execAndGet("SELECT amount_minor FROM balances WHERE missing = 0").getInt64(), 131250);
  EXPECT_EQ((*db)->sql().execAndGet("SELECT state FROM accounts").getString(), "locked");
}

TEST(HostProtocol, EndOfInputEndsTheHostQuicklyWithStatusZero) {
  TempDir dir;
  auto host = StartHost(dir.path());
  ASSERT_TRUE(host->Call(MakeEvent("heartbeat", "h1")).ok());
  auto start = std::chrono::steady_clock::now();
  auto exit_status = host->Finish(3s);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(exit_status.ok());
  EXPECT_EQ(*exit_status, 0);
  EXPECT_LT(elapsed, 1s) << "Chrome kills a host 2 s after the port closes";
}

// The views catch up with the log after the acks (rules/log_follower.h): at once when 128 events wait, 10 ms
// later otherwise, and when the input ends, so that a host closed cleanly leaves nothing for the next process to
// apply. Fewer than 128 events, and the input closed at once: only the end of input can have applied them.
TEST(HostProtocol, EventsAcknowledgedBeforeTheEndOfInputAreAppliedBeforeTheHostExits) {
  TempDir dir;
  auto host = StartHost(dir.path());
  std::string batch;
  const int kEvents = 100;
  for (int i = 0; i < kEvents; ++i) {
    json fields{{"at", Now()}};
    if (i % 2 == 1) fields["task_id"] = "t-" + std::to_string(i);
    batch += Frame(MakeEvent(i % 2 == 0 ? "heartbeat" : "task.start", "x" + std::to_string(i), fields).dump());
  }
  ASSERT_TRUE(host->SendRaw(batch).ok());
  ASSERT_EQ(*host->Finish(), 0);

  auto db = store::Database::Open(dir.path() / "temoin.db");
  ASSERT_TRUE(db.ok());
  auto& sql = (*db)->sql();
  ASSERT_EQ(sql.execAndGet("SELECT COUNT(*) FROM events").getInt64(), kEvents);
  EXPECT_EQ(sql.execAndGet("SELECT through_seq FROM projection_mark").getInt64(),
            sql.execAndGet("SELECT MAX(seq) FROM events").getInt64());
  EXPECT_EQ(sql.execAndGet("SELECT COUNT(*) FROM tasks").getInt64(), kEvents / 2);
  EXPECT_EQ(sql.execAndGet("SELECT COUNT(*) FROM accounts").getInt64(), 1);
}

TEST(HostProtocol, AStreamEndingInsideAFrameKeepsWhatWasAcknowledged) {
  TempDir dir;
  auto host = StartHost(dir.path());
  for (int i = 0; i < 3; ++i) ASSERT_EQ((*host->Call(MakeEvent("heartbeat", "k" + std::to_string(i))))["ok"], true);
  std::string half = Frame(MakeEvent("heartbeat", "lost").dump());
  ASSERT_TRUE(host->SendRaw(half.substr(0, half.size() / 2)).ok());
  auto exit_status = host->Finish();
  EXPECT_EQ(*exit_status, 0);
  EXPECT_EQ(CountEvents(dir.path()), 3);
}

TEST(HostProtocol, AnOversizedFrameIsSkippedAndTheStreamStaysInStep) {
  TempDir dir;
  auto host = StartHost(dir.path());
  std::string big = "{\"v\":1,\"type\":\"ping\",\"id\":\"big\",\"pad\":\"" + std::string(1 << 20, 'x') + "\"}";
  ASSERT_TRUE(host->SendRaw(Frame(big)).ok());
  auto too_large = host->Receive();
  ASSERT_TRUE(too_large.ok());
  EXPECT_EQ((*too_large)["error"]["code"], "frame_too_large");
  EXPECT_EQ((*too_large)["re"], nullptr);
  auto ping = host->Call({{"v", 1}, {"type", "ping"}, {"id", "after"}});
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ((*ping)["ok"], true);
  EXPECT_EQ(*host->Finish(), 0);
}

TEST(HostProtocol, AnOutOfStepStreamIsAnsweredOnceAndEndsTheHostWithStatusTwo) {
  TempDir dir;
  auto host = StartHost(dir.path());
  ASSERT_TRUE(host->SendRaw("{\"v\":1,\"type\":\"ping\",\"id\":\"no-header\"}").ok());
  auto reply = host->Receive();
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ((*reply)["error"]["code"], "frame_too_large");
  auto exit_status = host->process().Wait(3s);
  ASSERT_TRUE(exit_status.ok());
  EXPECT_EQ(*exit_status, 2);
}

TEST(HostProtocol, OnlyAllowedCallersAreServed) {
  TempDir dir;
  std::string chromium_origin = protocol::ChromiumOrigin(protocol::ChromiumExtensionId());
  for (const auto& args : std::vector<std::vector<std::string>>{
           {chromium_origin},
           {"/home/u/.mozilla/native-messaging-hosts/org.temoin.host.json", std::string(protocol::FirefoxExtensionId())},
           {chromium_origin, "--parent-window=0"}}) {
    auto host = StartHost(dir.path(), args);
    auto reply = host->Call({{"v", 1}, {"type", "ping"}, {"id", "p"}});
    EXPECT_EQ((*reply)["ok"], true) << args[0];
    host->Finish();
  }
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"},
           {"/home/u/.mozilla/native-messaging-hosts/org.temoin.host.json", "evil@example.org"}}) {
    auto host = StartHost(dir.path(), args);
    auto reply = host->Call(MakeEvent("heartbeat", "f1"));
    EXPECT_EQ((*reply)["ok"], false);
    EXPECT_EQ((*reply)["error"]["code"], "forbidden");
    EXPECT_EQ((*reply)["re"], "f1");
    host->Finish();
  }
  EXPECT_EQ(CountEvents(dir.path()), 0);
}

TEST(HostProtocol, ExtraExtensionIdsComeFromHostJson) {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  std::ofstream(dir.path() / "host.json") << R"({"extra_extension_ids":["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]})";
  auto host = StartHost(dir.path(), {"chrome-extension://bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/"});
  EXPECT_EQ((*host->Call({{"v", 1}, {"type", "ping"}, {"id", "p"}}))["ok"], true);
}

TEST(HostProtocol, TwoHostsWritingAtOnceLoseNothingAndKeepOneValidChain) {
  TempDir dir;
  constexpr int kPerHost = 400;
  std::atomic<int> acked{0};
  std::atomic<int> errors{0};
  auto writer = [&](const std::string& prefix) {
    auto host = StartHost(dir.path());
    std::string batch;
    for (int i = 0; i < kPerHost; ++i) {
      batch += Frame(MakeEvent("heartbeat", prefix + std::to_string(i), {{"at", Now()}}).dump());
      if (i % 20 == 19) {
        if (!host->SendRaw(batch).ok()) ++errors;
        batch.clear();
        for (int k = 0; k < 20; ++k) {
          auto reply = host->Receive();
          if (reply.ok() && (*reply)["ok"] == true) ++acked; else ++errors;
        }
      }
    }
    host->Finish();
  };
  std::thread a(writer, "a-"), b(writer, "b-");
  a.join();
  b.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(acked.load(), 2 * kPerHost);
  EXPECT_EQ(CountEvents(dir.path()), 2 * kPerHost);
  ExpectLogIntact(dir.path());
}

TEST(HostProtocol, EveryAcknowledgedEventSurvivesSigkill) {
  TempDir dir;
  for (int round = 0; round < 5; ++round) {
    auto host = StartHost(dir.path());
    std::set<std::string> acknowledged;
    std::string batch;
    for (int i = 0; i < 200; ++i) {
      batch += Frame(MakeEvent("heartbeat", "r" + std::to_string(round) + "-" + std::to_string(i), {{"at", Now()}}).dump());
    }
    ASSERT_TRUE(host->SendRaw(batch).ok());
    int to_read = 20 + round * 30;  // kill at a different point each round
    for (int i = 0; i < to_read; ++i) {
      auto reply = host->Receive();
      ASSERT_TRUE(reply.ok());
      if ((*reply)["ok"] == true) acknowledged.insert((*reply)["re"].get<std::string>());
    }
    host->process().Kill(SIGKILL);
    host->process().Wait(5s);
    auto db = store::Database::Open(dir.path() / "temoin.db");
    ASSERT_TRUE(db.ok());
    for (const auto& id : acknowledged) {
      SQLite::Statement q((*db)->sql(), "SELECT COUNT(*) FROM events WHERE id = ?");
      q.bind(1, id);
      q.executeStep();
      EXPECT_EQ(q.getColumn(0).getInt(), 1) << id;
    }
  }
  ExpectLogIntact(dir.path());
}

TEST(HostProtocol, ReadsFramesFromARegularFile) {
  TempDir dir;
  std::string frames = Frame(json{{"v", 1}, {"type", "ping"}, {"id", "f1"}}.dump()) +
                       Frame(MakeEvent("heartbeat", "f2").dump());
  std::ofstream(dir.path() / "in.bin", std::ios::binary) << frames;
  std::string command = "TEMOIN_DATA_DIR='" + dir.path().string() + "' '" TEMOIN_HOST_BIN "' < '" +
                        (dir.path() / "in.bin").string() + "' > '" + (dir.path() / "out.bin").string() + "' 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(dir.path() / "out.bin", std::ios::binary);
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t pos = 0;
  int replies = 0;
  while (pos + 4 <= out.size()) {
    std::uint32_t n;
    std::memcpy(&n, out.data() + pos, 4);
    auto reply = json::parse(out.substr(pos + 4, n));
    EXPECT_EQ(reply["ok"], true);
    pos += 4 + n;
    ++replies;
  }
  EXPECT_EQ(pos, out.size()) << "nothing but frames on standard output";
  EXPECT_EQ(replies, 2);
}

TEST(HostProtocol, ANewerDatabaseIsReportedOnEveryRequestAndLeftAlone) {
  TempDir dir;
  {
    auto db = store::Database::Open(dir.path() / "temoin.db");
    ASSERT_TRUE(db.ok());
    (*db)->sql().exec("PRAGMA user_version = 99");
  }
  auto host = StartHost(dir.path());
  auto reply = host->Call(MakeEvent("heartbeat", "n1"));
  EXPECT_EQ((*reply)["ok"], false);
  EXPECT_EQ((*reply)["error"]["code"], "storage");
  EXPECT_NE((*reply)["error"]["message"].get<std::string>().find("newer"), std::string::npos);
  EXPECT_EQ(*host->Finish(), 0);
}

// The database is opened by the first request that needs it (app/lazy_store.h): a ping answers without it.
TEST(HostProtocol, APingAnswersWithoutOpeningTheDatabase) {
  TempDir dir;
  auto host = StartHost(dir.path());
  auto ping = host->Call({{"v", 1}, {"type", "ping"}, {"id", "p"}});
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ((*ping)["ok"], true);
  EXPECT_EQ((*ping)["schema"], store::LatestSchemaVersion());
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "temoin.db")) << "a ping created the database";
  auto reply = host->Call(MakeEvent("heartbeat", "lazy-1"));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ((*reply)["ok"], true) << reply->dump();
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "temoin.db"));
  EXPECT_EQ(*host->Finish(), 0);
}

// A ping before the first open cannot know the store is unusable; once an open has failed, pings report it too.
TEST(HostProtocol, AFailedOpenIsReportedToTheRequestsThatNeedTheStoreAndToLaterPings) {
  TempDir dir;
  {
    auto db = store::Database::Open(dir.path() / "temoin.db");
    ASSERT_TRUE(db.ok());
    (*db)->sql().exec("PRAGMA user_version = 99");
  }
  auto host = StartHost(dir.path());
  EXPECT_EQ((*host->Call({{"v", 1}, {"type", "ping"}, {"id", "p1"}}))["ok"], true);
  auto summary = host->Call({{"v", 1}, {"type", "query.summary"}, {"id", "s1"}});
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ((*summary)["ok"], false);
  EXPECT_EQ((*summary)["error"]["code"], "storage");
  EXPECT_NE((*summary)["error"]["message"].get<std::string>().find("newer"), std::string::npos);
  auto ping = host->Call({{"v", 1}, {"type", "ping"}, {"id", "p2"}});
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ((*ping)["ok"], false);
  EXPECT_EQ((*ping)["error"]["code"], "storage");
  EXPECT_EQ(*host->Finish(), 0);
}

TEST(HostProtocol, LinesModeIsForHumans) {
  TempDir dir;
  std::ofstream(dir.path() / "in.txt") << json{{"v", 1}, {"type", "ping"}, {"id", "l1"}}.dump() << "\n"
                                       << "not json\n";
  std::string command = "TEMOIN_DATA_DIR='" + dir.path().string() + "' '" TEMOIN_HOST_BIN "' --lines < '" +
                        (dir.path() / "in.txt").string() + "' > '" + (dir.path() / "out.txt").string() + "' 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(dir.path() / "out.txt");
  std::string line1, line2;
  std::getline(in, line1);
  std::getline(in, line2);
  EXPECT_EQ(json::parse(line1)["ok"], true);
  EXPECT_EQ(json::parse(line2)["error"]["code"], "bad_json");
}

}  // namespace
}  // namespace temoin::testing
