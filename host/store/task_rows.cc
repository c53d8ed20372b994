#include "store/task_rows.h"

#include <SQLiteCpp/Statement.h>

#include <utility>

#include "store/bind_values.h"

namespace temoin::store {

using protocol::Event;
using protocol::EventType;

namespace {

std::optional<std::int64_t> IntColumn(const SQLite::Column& column) {
  return column.isNull() ? std::nullopt : std::optional(column.getInt64());
}

std::optional<std::string> TextColumn(const SQLite::Column& column) {
  return column.isNull() ? std::nullopt : std::optional(column.getString());
}

template <typename T>
void KeepUnlessGiven(std::optional<T>& field, const std::optional<T>& given) {
  if (given) field = given;
}

constexpr const char* kColumns =
    "started_ms, started_at, start_seq, submitted_ms, submitted_at, submit_seq, abandoned_ms, counted_ms, "
    "duration_s, earned_minor, earned_currency, rate_minor, rate_currency, rate_per_hour, project, title, url";

}  // namespace

void TaskRow::Apply(const Event& e, std::int64_t seq) {
  // A time the event takes only if the row has none yet or a later one: the earliest wins, the first of a tie.
  auto takes = [&](const std::optional<EpochMs>& held) { return !held || *held > e.at; };
  switch (e.type) {
    case EventType::kTaskStart:
      if (takes(started_ms)) {
        started_ms = e.at;
        started_at = e.at_text;
        start_seq = seq;
        KeepUnlessGiven(project, e.project);
        KeepUnlessGiven(title, e.title);
        KeepUnlessGiven(url, e.url);
        if (e.rate) {
          rate_minor = e.rate->money.minor;
          rate_currency = e.rate->money.currency;
          rate_per_hour = e.rate->per_hour ? 1 : 0;
        }
      }
      break;
    case EventType::kTaskSubmit:
      if (takes(submitted_ms)) {
        submitted_ms = e.at;
        submitted_at = e.at_text;
        submit_seq = seq;
        KeepUnlessGiven(duration_s, e.duration_s);
        if (e.earned) {
          earned_minor = e.earned->minor;
          earned_currency = e.earned->currency;
        }
      }
      break;
    case EventType::kTaskAbandon:
      if (takes(abandoned_ms)) abandoned_ms = e.at;
      break;
    default: return;
  }
  counted_ms = submitted_ms ? *submitted_ms : started_ms ? *started_ms : abandoned_ms ? *abandoned_ms : counted_ms;
}

namespace {

std::string Describe(const std::tuple<std::string, std::string, std::string>& key) {
  return "the row of task " + std::get<2>(key) + " of " + std::get<0>(key) + " (" + std::get<1>(key) + ")";
}

}  // namespace

Result<const TaskRow*> TaskRows::Apply(const Event& e, std::int64_t seq) {
  TEMOIN_RETURN_IF_ERROR(held_.Expire(Describe));
  auto key = std::make_tuple(e.platform, e.account, e.task_id);
  auto it = held_.rows().find(key);
  if (it == held_.rows().end()) {
    Held held;
    TEMOIN_RETURN_IF_ERROR(CatchStorage("cannot read the task", [&] {
      auto q = db_.Prepare(std::string("SELECT ") + kColumns +
                           " FROM tasks WHERE platform = ? AND account = ? AND task_id = ?");
      BindValues(q, e.platform, e.account, e.task_id);
      held.in_table = q.executeStep();
      if (held.in_table) {
        TaskRow& r = held.row;
        r.started_ms = IntColumn(q.getColumn(0));
        r.started_at = TextColumn(q.getColumn(1));
        r.start_seq = IntColumn(q.getColumn(2));
        r.submitted_ms = IntColumn(q.getColumn(3));
        r.submitted_at = TextColumn(q.getColumn(4));
        r.submit_seq = IntColumn(q.getColumn(5));
        r.abandoned_ms = IntColumn(q.getColumn(6));
        r.counted_ms = q.getColumn(7).getInt64();
        r.duration_s = IntColumn(q.getColumn(8));
        r.earned_minor = IntColumn(q.getColumn(9));
        r.earned_currency = TextColumn(q.getColumn(10));
        r.rate_minor = IntColumn(q.getColumn(11));
        r.rate_currency = TextColumn(q.getColumn(12));
        r.rate_per_hour = IntColumn(q.getColumn(13));
        r.project = TextColumn(q.getColumn(14));
        r.title = TextColumn(q.getColumn(15));
        r.url = TextColumn(q.getColumn(16));
      }
      return Status::Ok();
    }));
    it = held_.rows().emplace(std::move(key), std::move(held)).first;
  }
  it->second.row.Apply(e, seq);
  it->second.moved = true;
  return &it->second.row;
}

Status TaskRows::Flush() {
  if (!held_.writable()) return held_.Expire(Describe);
  Status status = CatchStorage("cannot update the task rows", [&] {
    for (auto& [key, held] : held_.rows()) {
      if (!held.moved) continue;
      const auto& [platform, account, task_id] = key;
      const TaskRow& r = held.row;
      auto q = db_.Prepare(held.in_table
                               ? "UPDATE tasks SET started_ms = ?4, started_at = ?5, start_seq = ?6, "
                                 "submitted_ms = ?7, submitted_at = ?8, submit_seq = ?9, abandoned_ms = ?10, "
                                 "counted_ms = ?11, duration_s = ?12, earned_minor = ?13, earned_currency = ?14, "
                                 "rate_minor = ?15, rate_currency = ?16, rate_per_hour = ?17, project = ?18, "
                                 "title = ?19, url = ?20 WHERE platform = ?1 AND account = ?2 AND task_id = ?3"
                               : "INSERT INTO tasks (platform, account, task_id, started_ms, started_at, start_seq, "
                                 "submitted_ms, submitted_at, submit_seq, abandoned_ms, counted_ms, duration_s, "
                                 "earned_minor, earned_currency, rate_minor, rate_currency, rate_per_hour, "
                                 "project, title, url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                 "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)");
      BindValues(q, platform, account, task_id, r.started_ms, r.started_at, r.start_seq, r.submitted_ms,
                 r.submitted_at, r.submit_seq, r.abandoned_ms, r.counted_ms, r.duration_s, r.earned_minor,
                 r.earned_currency, r.rate_minor, r.rate_currency, r.rate_per_hour, r.project, r.title, r.url);
      q.exec();
    }
    return Status::Ok();
  });
  held_.rows().clear();  // a long rebuild must not hold every task it has seen
  return status;
}

}  // namespace temoin::store
