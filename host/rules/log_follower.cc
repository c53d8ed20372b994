#include "rules/log_follower.h"

#include <utility>

#include "rules/alert_service.h"
#include "store/event_log.h"
#include "store/projections.h"

namespace temoin::rules {

namespace {

// The log is walked this many rows at a time: a catch-up after a long stop (a host killed during a replay of
// thousands of queued events) must not hold the whole backlog in memory.
constexpr int kRowsPerRead = 512;

// Beyond this many, events are no longer remembered but read back from the log when caught up: a catch-up that
// keeps failing (a full disk) must not grow the host's memory without end.
constexpr std::size_t kMaxRemembered = 16 * 1024;

struct LogRow {
  std::int64_t seq;
  bool wire_event;  // one the extension sends; the others are the host's own, applied when recorded
};

}  // namespace

void LogFollower::Remember(std::int64_t seq, protocol::Event event) {
  if (remembered_.size() >= kMaxRemembered) return;
  remembered_.emplace(seq, std::move(event));
}

Status LogFollower::CatchUp(std::vector<nlohmann::json>* pushes) {
  store::Projections projections(db_);
  if (!db_.in_transaction()) {
    // The usual answer, "nothing to do", without taking the write lock.
    std::int64_t through = 0, head = 0;
    TEMOIN_RETURN_IF_ERROR(store::CatchStorage("cannot read how far the summary tables follow the log", [&] {
      auto q = db_.Prepare("SELECT through_seq, (SELECT COALESCE(MAX(seq), 0) FROM events) FROM projection_mark");
      if (q.executeStep()) {
        through = q.getColumn(0).getInt64();
        head = q.getColumn(1).getInt64();
      }
      return Status::Ok();
    }));
    if (through >= head) {
      remembered_.erase(remembered_.begin(), remembered_.upper_bound(through));
      return Status::Ok();
    }
    TEMOIN_RETURN_IF_ERROR(db_.Begin());
    const std::size_t pushes_before = pushes != nullptr ? pushes->size() : 0;
    auto through_now = projections.ProjectedThrough();  // another host may have caught up meanwhile
    auto mark = through_now.ok() ? ApplyAfter(*through_now, pushes) : Result<std::int64_t>(through_now.status());
    Status status = mark.ok() ? db_.Commit() : mark.status();
    if (!mark.ok()) db_.Rollback();
    if (!status.ok()) {
      if (pushes != nullptr) pushes->resize(pushes_before);
      return status;
    }
    remembered_.erase(remembered_.begin(), remembered_.upper_bound(*mark));
    return Status::Ok();
  }
  // In the caller's transaction: what it applies is forgotten only once the caller's commit is known, so a
  // rolled-back catch-up is done again from memory (a later catch-up drops what the mark has passed).
  auto through = projections.ProjectedThrough();
  if (!through.ok()) return through.status();
  auto mark = ApplyAfter(*through, pushes);
  return mark.ok() ? Status::Ok() : mark.status();
}

Result<std::int64_t> LogFollower::ApplyAfter(std::int64_t through, std::vector<nlohmann::json>* pushes) {
  // The account, task and activity rows are held in memory and written once per read of the log, before the
  // mark moves; the rules read the held account row meanwhile.
  store::Projections projections(db_, store::Projections::AccountWrites::kAtFlush);
  store::EventLog log(db_);
  std::vector<nlohmann::json> dropped;
  if (pushes == nullptr) pushes = &dropped;
  std::int64_t cursor = through;
  while (true) {
    std::vector<LogRow> rows;
    TEMOIN_RETURN_IF_ERROR(store::CatchStorage("cannot read the event log", [&] {
      auto q = db_.Prepare("SELECT seq, type FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2");
      q.bind(1, cursor);
      q.bind(2, kRowsPerRead);
      while (q.executeStep()) {
        rows.push_back({q.getColumn(0).getInt64(), protocol::EventTypeFromName(q.getColumn(1).getText()).has_value()});
      }
      return Status::Ok();
    }));
    if (rows.empty()) break;
    for (const LogRow& row : rows) {
      cursor = row.seq;
      if (!row.wire_event) continue;
      protocol::Event read_back;
      const protocol::Event* event = nullptr;
      if (auto it = remembered_.find(row.seq); it != remembered_.end()) {
        event = &it->second;
      } else {
        auto logged = log.Read({.after_seq = row.seq - 1, .limit = 1});
        if (!logged.ok()) return logged.status();
        if (logged->empty() || (*logged)[0].seq != row.seq) {
          return Status(Code::kInternal, "event " + std::to_string(row.seq) + " vanished from the log");
        }
        auto decoded = store::DecodeLoggedEvent((*logged)[0]);
        if (!decoded.ok()) return decoded.status();
        read_back = std::move(decoded).value();
        event = &read_back;
      }
      TEMOIN_RETURN_IF_ERROR(projections.Apply(*event, row.seq));
      if (alerts_ != nullptr) {
        TEMOIN_RETURN_IF_ERROR(alerts_->OnEvent(*event, row.seq, pushes,
                                                projections.HeldAccount(event->platform, event->account)));
      }
    }
    // What the rows read held is written before the next read: a long backlog is not held whole.
    TEMOIN_RETURN_IF_ERROR(projections.Flush());
  }
  TEMOIN_RETURN_IF_ERROR(projections.MarkProjectedThrough(cursor));
  return cursor;
}

}  // namespace temoin::rules
