// Helpers shared by the store's unit tests: an in-memory database and events built from JSON through the real
// decoder, so tests store exactly what the host would.
#ifndef TEMOIN_STORE_STORE_TEST_UTIL_H_
#define TEMOIN_STORE_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>

#include "protocol/decode.h"
#include "protocol/timestamp.h"
#include "store/database.h"
#include "store/event_log.h"
#include "store/projections.h"

namespace temoin::store::testing {

inline std::unique_ptr<Database> MemoryDatabase() {
  auto db = Database::Open(":memory:");
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return std::move(db).value();
}

inline protocol::Event MakeEvent(nlohmann::json message) {
  message["v"] = 1;
  if (!message.contains("platform")) message["platform"] = "dataannotation";
  if (!message.contains("account")) message["account"] = "ana@example.org";
  auto out = protocol::DecodeRequest(message.dump(), *protocol::ParseRfc3339("2030-01-01T00:00:00Z"));
  EXPECT_TRUE(out.status.ok()) << out.status.ToString() << " for " << message.dump();
  return std::get<protocol::Event>(out.request->body);
}

// Appends one event and applies it to the derived tables in the same transaction (what a catch-up right after
// it would do), marking them up to date.
inline AppendResult Store(Database& db, const protocol::Event& e, EpochMs received = 1'780'000'000'000) {
  EXPECT_TRUE(db.Begin().ok());
  EventLog log(db);
  auto appended = log.Append({e.id, std::string(protocol::EventTypeName(e.type)), e.platform, e.account, e.at_text,
                              e.at, e.canonical},
                             received);
  EXPECT_TRUE(appended.ok()) << appended.status().ToString();
  if (appended.ok() && !appended->duplicate) {
    Projections projections(db);
    Status s = projections.Apply(e, appended->seq);
    if (s.ok()) s = projections.MarkProjectedThrough(appended->seq);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  EXPECT_TRUE(db.Commit().ok());
  return appended.ok() ? *appended : AppendResult{};
}

inline AppendResult Store(Database& db, nlohmann::json message) { return Store(db, MakeEvent(std::move(message))); }

}  // namespace temoin::store::testing

#endif  // TEMOIN_STORE_STORE_TEST_UTIL_H_
