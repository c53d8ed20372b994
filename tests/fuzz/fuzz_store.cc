// libFuzzer target: the store path, in a private in-memory database. The input is a batch of messages, one
// per line (each line is one frame body); every line goes the way the host takes it:
//   decode -> (event) append to the log in a savepoint + update the derived tables -> commit
//          -> (query.summary / query.events / query.balance_history) answer from the store
// and then the whole store is checked:
//   - no accepted event ever fails with `storage` (an in-memory database has no disk to fill);
//   - idempotency: the same id with the same body is a duplicate with the first seq, with another body a
//     bad_message on `id`; the log holds each accepted id exactly once, with the body as accepted;
//   - every hash chain verifies and PRAGMA integrity_check is ok;
//   - the summary can be computed, its figures are not negative, and rebuilding the derived tables from the
//     log gives the same summary (the derived tables are only a cache of the log).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Statement.h>

#include "fuzz_check.h"
#include "protocol/decode.h"
#include "store/database.h"
#include "store/event_log.h"
#include "store/projections.h"
#include "store/summary.h"
#include "store/verify.h"

namespace {

using namespace temoin;
using namespace temoin::protocol;
using nlohmann::json;

constexpr EpochMs kNow = 1'784'116'800'000;  // 2026-07-15T12:00:00Z, as in fuzz_decode.cc
constexpr std::size_t kMaxLines = 64;

struct Accepted {
  std::int64_t seq;
  std::string canonical;
};

json SummaryOf(store::Database& db, const Clock& clock) {
  auto rows = store::Summarize(db, clock);
  FUZZ_CHECK(rows.ok(), "Summarize failed: %s", rows.status().ToString().c_str());
  json out = json::array();
  for (const auto& row : *rows) {
    for (const store::PeriodFigures* p : {&row.today, &row.week}) {
      FUZZ_CHECK(p->tasks >= 0 && p->task_seconds >= 0 && p->platform_seconds >= 0 && p->earned_minor >= 0,
                 "negative figures for %s/%s", row.platform.c_str(), row.account.c_str());
      FUZZ_CHECK(!p->effective_hourly_minor || *p->effective_hourly_minor >= 0, "negative effective_hourly");
    }
    FUZZ_CHECK(row.week.tasks >= row.today.tasks, "fewer tasks this week than today");
    out.push_back(store::SummaryToJson(row));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  while (!input.empty() && lines.size() < kMaxLines) {
    std::size_t nl = input.find('\n');
    lines.push_back(input.substr(0, nl));
    input = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  }

  FakeClock clock(kNow);
  auto opened = store::Database::Open(":memory:");
  FUZZ_CHECK(opened.ok(), "cannot open an in-memory database: %s", opened.status().ToString().c_str());
  store::Database& db = **opened;
  store::EventLog log(db);
  store::Projections projections(db);

  std::map<std::string, Accepted> accepted;  // by event id
  std::int64_t last_seq = 0;
  bool in_batch = false;
  auto commit = [&] {
    if (!in_batch) return;
    Status s = db.Commit();
    FUZZ_CHECK(s.ok(), "commit failed: %s", s.ToString().c_str());
    in_batch = false;
  };

  for (std::string_view line : lines) {
    DecodeOutcome decoded = DecodeRequest(line, kNow);
    if (!decoded.status.ok()) continue;
    const Request& request = *decoded.request;
    if (const Event* e = std::get_if<Event>(&request.body)) {
      if (!in_batch) {
        Status s = db.Begin();
        FUZZ_CHECK(s.ok(), "begin failed: %s", s.ToString().c_str());
        in_batch = true;
      }
      FUZZ_CHECK(db.Savepoint("event").ok(), "savepoint failed");
      store::NewEvent row{e->id, std::string(EventTypeName(e->type)), e->platform, e->account, e->at_text, e->at,
                          e->canonical};
      auto appended = log.Append(row, kNow);
      auto known = accepted.find(e->id);
      if (known != accepted.end() && known->second.canonical != e->canonical) {
        FUZZ_CHECK(!appended.ok() && appended.status().code() == Code::kBadMessage &&
                       appended.status().field() == "id",
                   "the same id with another body was not refused on `id`");
        db.RollbackTo("event");
        continue;
      }
      FUZZ_CHECK(appended.ok(), "append of a valid event failed: %s", appended.status().ToString().c_str());
      if (known != accepted.end()) {
        FUZZ_CHECK(appended->duplicate && appended->seq == known->second.seq, "a duplicate was not recognised");
      } else {
        FUZZ_CHECK(!appended->duplicate, "a new id was taken for a duplicate");
        FUZZ_CHECK(appended->seq == last_seq + 1, "seq %lld after %lld", static_cast<long long>(appended->seq),
                   static_cast<long long>(last_seq));
        last_seq = appended->seq;
        Status s = projections.Apply(*e, appended->seq);
        if (s.ok()) s = projections.MarkProjectedThrough(appended->seq);
        FUZZ_CHECK(s.ok(), "projecting a valid event failed: %s", s.ToString().c_str());
        accepted[e->id] = {appended->seq, e->canonical};
      }
      FUZZ_CHECK(db.Release("event").ok(), "release failed");
      continue;
    }
    commit();  // a query ends the run of events before it, as in the host
    if (const auto* q = std::get_if<SummaryQuery>(&request.body)) {
      auto rows = store::Summarize(db, clock, q->platform, q->account);
      FUZZ_CHECK(rows.ok(), "query.summary failed: %s", rows.status().ToString().c_str());
    } else if (const auto* q = std::get_if<BalanceHistoryQuery>(&request.body)) {
      auto points = store::BalanceHistory(db, clock, q->platform, q->account, q->currency, q->days);
      FUZZ_CHECK(points.ok(), "query.balance_history failed: %s", points.status().ToString().c_str());
      FUZZ_CHECK(static_cast<int>(points->size()) <= q->days, "more points than days");
    } else if (const auto* q = std::get_if<EventsQuery>(&request.body)) {
      store::EventFilter filter{q->platform, q->account, q->type, q->since, q->until, q->after_seq, q->limit};
      auto events = log.Read(filter);
      FUZZ_CHECK(events.ok(), "query.events failed: %s", events.status().ToString().c_str());
      FUZZ_CHECK(static_cast<int>(events->size()) <= q->limit, "more events than the limit");
      std::int64_t previous = q->after_seq;
      for (const auto& ev : *events) {
        FUZZ_CHECK(ev.seq > previous, "events out of order");
        previous = ev.seq;
      }
    }
  }
  commit();

  // The log holds every accepted id exactly once, with the body as accepted.
  std::int64_t count = db.sql().execAndGet("SELECT COUNT(*) FROM events").getInt64();
  FUZZ_CHECK(count == static_cast<std::int64_t>(accepted.size()), "%lld rows for %zu accepted events",
             static_cast<long long>(count), accepted.size());
  for (const auto& [id, a] : accepted) {
    SQLite::Statement q(db.sql(), "SELECT seq, body FROM events WHERE id = ?");
    q.bind(1, id);
    FUZZ_CHECK(q.executeStep(), "event %s is missing", id.c_str());
    FUZZ_CHECK(q.getColumn(0).getInt64() == a.seq && q.getColumn(1).getString() == a.canonical,
               "event %s is not stored as accepted", id.c_str());
  }

  auto report = store::VerifyLog(db);
  FUZZ_CHECK(report.ok(), "verify failed to run: %s", report.status().ToString().c_str());
  FUZZ_CHECK(report->ok(), "a chain is broken at seq %lld: %s", static_cast<long long>(report->broken[0].seq),
             report->broken[0].reason.c_str());
  FUZZ_CHECK(report->events == count, "verify walked %lld of %lld events", static_cast<long long>(report->events),
             static_cast<long long>(count));
  FUZZ_CHECK(db.IntegrityCheck().ok(), "integrity_check failed");

  // Every activity interval's running total (schema 3) is the summed length of the account's earlier intervals.
  std::int64_t wrong_totals = db.sql().execAndGet(
      "SELECT COUNT(*) FROM activity a JOIN (SELECT platform, account, start_ms, COALESCE(SUM(end_ms - start_ms) "
      "OVER (PARTITION BY platform, account ORDER BY start_ms ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) "
      "AS expected FROM activity) r USING (platform, account, start_ms) WHERE a.before_ms != r.expected").getInt64();
  FUZZ_CHECK(wrong_totals == 0, "%lld activity intervals have a wrong running total", static_cast<long long>(wrong_totals));

  // The derived tables are a cache of the log: rebuilt from it, they give the same summary.
  json before = SummaryOf(db, clock);
  Status rebuilt = projections.Rebuild(nullptr);
  FUZZ_CHECK(rebuilt.ok(), "rebuild failed: %s", rebuilt.ToString().c_str());
  json after = SummaryOf(db, clock);
  FUZZ_CHECK(before == after, "the summary differs after a rebuild:\nbefore %s\nafter  %s", before.dump().c_str(),
             after.dump().c_str());
  return 0;
}
