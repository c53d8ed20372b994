// Migrations take an existing database forward without losing or changing what it holds. For each migration
// that derives data, a database that lived at the previous schema must end up with the same derived rows as
// one that was at the new schema from the start.
#include "store/migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/store_test_util.h"
#include "test_support/temp_dir.h"

namespace temoin::store {
namespace {

using nlohmann::json;
using testing::Store;

// The rows a query returns, each as text, for comparing two databases.
std::vector<std::string> Rows(Database& db, const std::string& sql) {
  std::vector<std::string> rows;
  SQLite::Statement q(db.sql(), sql);
  while (q.executeStep()) {
    std::string row;
    for (int i = 0; i < q.getColumnCount(); ++i) row += (q.getColumn(i).isNull() ? "NULL" : q.getColumn(i).getString()) + "|";
    rows.push_back(row);
  }
  return rows;
}

// Writes a database that stayed at `schema` (migrations 1 to `schema` applied, none later) and fills it from the
// database at `fresh` with `copy_sql`, run with that one attached as `f`. Empty on success, else SQLite's error.
std::string WriteOldDatabase(const std::filesystem::path& path, int schema, const std::filesystem::path& fresh,
                             const std::string& copy_sql) {
  sqlite3* raw = nullptr;
  if (sqlite3_open(path.c_str(), &raw) != SQLITE_OK) return "cannot open " + path.string();
  std::string sql;
  for (int version = 1; version <= schema; ++version) sql += std::string(Migrations().at(version - 1).sql);
  sql += "PRAGMA user_version = " + std::to_string(schema) + ";";
  sql += "ATTACH DATABASE '" + fresh.string() + "' AS f;" + copy_sql + "DETACH DATABASE f;";
  char* error = nullptr;
  int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &error);
  std::string message = rc == SQLITE_OK ? "" : (error ? error : "sqlite error " + std::to_string(rc));
  sqlite3_free(error);
  sqlite3_close(raw);
  return message;
}

void Feed(Database& db) {
  int n = 0;
  auto ev = [&](const std::string& type, json fields) {
    fields["type"] = type;
    fields["id"] = "ev-" + std::to_string(++n);
    Store(db, fields);
  };
  ev("heartbeat", {{"at", "2026-07-01T09:00:00Z"}, {"tasks_available", 4}});
  ev("task.start", {{"task_id", "a"}, {"at", "2026-07-01T09:01:00Z"}});
  ev("task.submit", {{"task_id", "a"}, {"at", "2026-07-01T09:30:00Z"}});
  ev("heartbeat", {{"at", "2026-07-02T09:00:00Z"}, {"tasks_available", 2}});
  ev("heartbeat", {{"at", "2026-07-05T09:00:00Z"}, {"tasks_available", 0}});
  // A late task event, earlier in page time than the latest one: the latest stays the latest.
  ev("task.start", {{"task_id", "b"}, {"at", "2026-06-30T08:00:00Z"}});
  ev("account.status", {{"at", "2026-07-05T09:01:00Z"}, {"state", "logged_out"}});
  ev("account.status", {{"at", "2026-07-04T09:01:00Z"}, {"state", "active"}});
  ev("heartbeat", {{"platform", "prolific"}, {"account", "p1"}, {"at", "2026-07-05T10:00:00Z"}});
}

TEST(Migrations, NumberedFromOneWithoutGaps) {
  int expected = 1;
  for (const Migration& m : Migrations()) EXPECT_EQ(m.version, expected++) << m.file_name;
}

TEST(Migration2, DerivesFromAnExistingDatabaseWhatNewEventsWouldHave) {
  temoin::testing::TempDir dir;
  // The reference: a database at the latest schema from its first event.
  auto fresh = Database::Open(dir.path() / "fresh.db");
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  Feed(**fresh);

  // The same log and schema-1 tables in a database that stayed at schema 1 (copied table by table).
  auto old_path = dir.path() / "old.db";
  ASSERT_EQ(WriteOldDatabase(old_path, 1, dir.path() / "fresh.db",
                             "INSERT INTO events SELECT * FROM f.events;"
                             // Schema 1's table of heartbeats, which schema 4 dropped: from the log.
                             "INSERT INTO heartbeats SELECT seq, platform, account, at_ms, "
                             "json_extract(body, '$.tasks_available') FROM f.events WHERE type = 'heartbeat';"
                             "INSERT INTO accounts (platform, account, last_seen_ms, last_seen, state, state_at_ms, "
                             "state_at, state_seq) SELECT platform, account, last_seen_ms, last_seen, state, "
                             "state_at_ms, state_at, state_seq FROM f.accounts;"),
            "");
  auto migrated = Database::Open(old_path);
  ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  EXPECT_EQ((*migrated)->schema_version(), LatestSchemaVersion());

  const std::string accounts =
      "SELECT platform, account, last_task_ms, last_task_seq, last_offered_ms FROM accounts ORDER BY 1, 2";
  const std::string statuses = "SELECT seq, platform, account, at_ms, state FROM statuses ORDER BY seq";
  EXPECT_EQ(Rows(**migrated, accounts), Rows(**fresh, accounts));
  EXPECT_EQ(Rows(**migrated, statuses), Rows(**fresh, statuses));
  // And the values themselves: the latest task event in page time, the latest visit offering tasks.
  auto rows = Rows(**fresh, accounts);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], "dataannotation|ana@example.org|" + std::to_string(*protocol::ParseRfc3339("2026-07-01T09:30:00Z")) +
                         "|3|" + std::to_string(*protocol::ParseRfc3339("2026-07-02T09:00:00Z")) + "|");
  EXPECT_EQ(rows[1], "prolific|p1|NULL|NULL|NULL|");
  EXPECT_EQ(Rows(**fresh, statuses).size(), 2u);
  EXPECT_TRUE((*migrated)->IntegrityCheck().ok());
}

TEST(Migration3, GivesExistingIntervalsTheRunningTotalsNewEventsWouldHave) {
  temoin::testing::TempDir dir;
  auto fresh = Database::Open(dir.path() / "fresh.db");
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  Feed(**fresh);
  // Intervals that arrive out of order and merge, on two accounts.
  int n = 100;
  for (const char* at : {"2026-07-03T09:00:00Z", "2026-07-01T09:00:30Z", "2026-07-03T09:00:59Z", "2026-06-29T23:59:00Z"}) {
    Store(**fresh, json{{"type", "heartbeat"}, {"id", "late-" + std::to_string(++n)}, {"at", at}});
  }

  // The same intervals in a database that stayed at schema 2, without running totals.
  auto old_path = dir.path() / "old.db";
  ASSERT_EQ(WriteOldDatabase(old_path, 2, dir.path() / "fresh.db",
                             "INSERT INTO activity SELECT platform, account, start_ms, end_ms FROM f.activity;"),
            "");
  auto migrated = Database::Open(old_path);
  ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  EXPECT_EQ((*migrated)->schema_version(), LatestSchemaVersion());

  const std::string activity = "SELECT platform, account, start_ms, end_ms, before_ms FROM activity ORDER BY 1, 2, 3";
  auto rows = Rows(**fresh, activity);
  EXPECT_EQ(Rows(**migrated, activity), rows);
  ASSERT_GE(rows.size(), 5u);
  // The second interval of the first account starts after the first one's length.
  auto first = Rows(**fresh, "SELECT end_ms - start_ms FROM activity ORDER BY platform, account, start_ms LIMIT 1");
  auto second = Rows(**fresh, "SELECT before_ms FROM activity ORDER BY platform, account, start_ms LIMIT 1 OFFSET 1");
  EXPECT_EQ(second, first);
  EXPECT_TRUE((*migrated)->IntegrityCheck().ok());
}

}  // namespace
}  // namespace temoin::store

namespace temoin::store {
namespace {

TEST(Migration4, MovesTheLatestVisitOntoTheAccountRowAsNewEventsWouldHave) {
  temoin::testing::TempDir dir;
  auto fresh = Database::Open(dir.path() / "fresh.db");
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  Feed(**fresh);
  // A late heartbeat (earlier in page time than the latest) and two at the same instant: the later seq wins.
  int n = 200;
  for (const char* at : {"2026-07-03T09:00:00Z", "2026-07-05T10:00:00Z", "2026-07-05T10:00:00Z"}) {
    Store(**fresh, json{{"type", "heartbeat"}, {"id", "hb-" + std::to_string(++n)}, {"at", at}, {"platform", "prolific"},
                        {"account", "p1"}});
  }

  // The same log in a database that stayed at schema 3: heartbeats in their table, accounts without the columns.
  auto old_path = dir.path() / "old.db";
  ASSERT_EQ(WriteOldDatabase(old_path, 3, dir.path() / "fresh.db",
                             "INSERT INTO events SELECT * FROM f.events;"
                             "INSERT INTO heartbeats SELECT seq, platform, account, at_ms, "
                             "json_extract(body, '$.tasks_available') FROM f.events WHERE type = 'heartbeat';"
                             "INSERT INTO accounts (platform, account, last_seen_ms, last_seen) "
                             "SELECT platform, account, last_seen_ms, last_seen FROM f.accounts;"),
            "");
  auto migrated = Database::Open(old_path);
  ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  EXPECT_EQ((*migrated)->schema_version(), LatestSchemaVersion());

  const std::string visits = "SELECT platform, account, last_visit_ms, last_visit_seq FROM accounts ORDER BY 1, 2";
  auto rows = Rows(**fresh, visits);
  EXPECT_EQ(Rows(**migrated, visits), rows);
  ASSERT_EQ(rows.size(), 2u);
  auto seq_of = [&](const std::string& id) { return Rows(**fresh, "SELECT seq FROM events WHERE id = '" + id + "'").at(0); };
  EXPECT_EQ(rows[0], "dataannotation|ana@example.org|" +
                         std::to_string(*protocol::ParseRfc3339("2026-07-05T09:00:00Z")) + "|" + seq_of("ev-5"));
  EXPECT_EQ(rows[1], "prolific|p1|" + std::to_string(*protocol::ParseRfc3339("2026-07-05T10:00:00Z")) + "|" +
                         seq_of("hb-203"));
  EXPECT_EQ(Rows(**migrated, "SELECT name FROM sqlite_schema WHERE name LIKE 'heartbeats%'").size(), 0u);
  EXPECT_TRUE((*migrated)->IntegrityCheck().ok());
}

TEST(Migration5, MarksAnExistingDatabaseUpToDateWithItsLog) {
  temoin::testing::TempDir dir;
  auto fresh = Database::Open(dir.path() / "fresh.db");
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  Feed(**fresh);
  // Schema 4 projected every event in its own transaction: the derived tables hold the whole log.
  auto old_path = dir.path() / "old.db";
  ASSERT_EQ(WriteOldDatabase(old_path, 4, dir.path() / "fresh.db",
                             "INSERT INTO events SELECT * FROM f.events; "
                             "INSERT INTO accounts SELECT * FROM f.accounts;"),
            "");
  auto migrated = Database::Open(old_path);
  ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  EXPECT_EQ(Rows(**migrated, "SELECT through_seq FROM projection_mark"), Rows(**fresh, "SELECT MAX(seq) FROM events"));
  EXPECT_EQ(Rows(**migrated, "SELECT through_seq FROM projection_mark").at(0), "9|");

  auto empty = Database::Open(dir.path() / "empty.db");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(Rows(**empty, "SELECT through_seq FROM projection_mark"), std::vector<std::string>{"0|"});
}

TEST(Migration6, PlacesTheEventsUpToTheMarkInTheLogsOrdersAndDropsTheLogsThreeIndexes) {
  temoin::testing::TempDir dir;
  auto fresh = Database::Open(dir.path() / "fresh.db");
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  Feed(**fresh);
  // Schema 5 with its last two events logged but not yet applied (a host killed before its catch-up): those
  // are placed by the next catch-up, not by the migration.
  auto old_path = dir.path() / "old.db";
  ASSERT_EQ(WriteOldDatabase(old_path, 5, dir.path() / "fresh.db",
                             "INSERT INTO events SELECT * FROM f.events; "
                             "UPDATE projection_mark SET through_seq = 7;"),
            "");
  auto migrated = Database::Open(old_path);
  ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  const std::string by_account = "SELECT platform, account, seq, at_ms FROM events_of_account ORDER BY 1, 2, 3";
  const std::string by_type = "SELECT type, at_ms, seq FROM events_of_type ORDER BY 1, 2, 3";
  EXPECT_EQ(Rows(**migrated, by_account), Rows(**fresh, "SELECT platform, account, seq, at_ms FROM events_of_account "
                                                        "WHERE seq <= 7 ORDER BY 1, 2, 3"));
  EXPECT_EQ(Rows(**migrated, by_type),
            Rows(**fresh, "SELECT type, at_ms, seq FROM events_of_type WHERE seq <= 7 ORDER BY 1, 2, 3"));
  EXPECT_EQ(Rows(**migrated, by_account).size(), 7u);
  EXPECT_EQ(Rows(**fresh, by_account).size(), 9u) << "a database at schema 6 from the start places every event";
  const std::string indexes =
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY 1";
  EXPECT_EQ(Rows(**migrated, indexes), std::vector<std::string>{"events_alert_raised|"});
  EXPECT_EQ(Rows(**fresh, indexes), std::vector<std::string>{"events_alert_raised|"});
}

}  // namespace
}  // namespace temoin::store
