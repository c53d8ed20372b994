// TaskRows: the `tasks` rows (one per platform, account and task id) as a run of events moves them, kept in
// memory and written once per task when the run flushes.
//
// A task's start inserts its row and its submit (or abandon) updates it, and each write also moves the row's
// entry in the summary's covering index: an upsert was about a tenth of an event's instructions
// (docs/performance.md). A catch-up holds a hundred events or more, in which a task's start and submit
// usually both fall, so its row is written once, as the two leave it.
//
// The rules per event are the upsert's (schema/migrations/0001): the earliest start, submit and abandon in
// page time win (the first to arrive wins a tie); a field the winning event leaves out keeps the row's; the
// task counts on the day of its submit, else its start, else its abandon. What is held lives for the
// transaction it was read in (store/held_rows.h): Flush before committing; a row moved in a transaction that
// has since ended is an error at Flush, never written. Nothing reads `tasks` during a catch-up.
#ifndef TEMOIN_STORE_TASK_ROWS_H_
#define TEMOIN_STORE_TASK_ROWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "base/status.h"
#include "protocol/messages.h"
#include "store/database.h"
#include "store/held_rows.h"

namespace temoin::store {

// The columns of a task's row other than its key.
struct TaskRow {
  std::optional<EpochMs> started_ms;
  std::optional<std::string> started_at;
  std::optional<std::int64_t> start_seq;
  std::optional<EpochMs> submitted_ms;
  std::optional<std::string> submitted_at;
  std::optional<std::int64_t> submit_seq;
  std::optional<EpochMs> abandoned_ms;
  EpochMs counted_ms = 0;
  std::optional<std::int64_t> duration_s;
  std::optional<std::int64_t> earned_minor;
  std::optional<std::string> earned_currency;
  std::optional<std::int64_t> rate_minor;
  std::optional<std::string> rate_currency;
  std::optional<std::int64_t> rate_per_hour;
  std::optional<std::string> project;
  std::optional<std::string> title;
  std::optional<std::string> url;

  // What a task event (logged with `seq`) changes in the row.
  void Apply(const protocol::Event& event, std::int64_t seq);
};

class TaskRows {
 public:
  explicit TaskRows(Database& db) : db_(db), held_(db) {}

  // Moves the task's row for a task event (creating it at the task's first) and returns the row as it leaves
  // it. The pointer holds until the next call.
  Result<const TaskRow*> Apply(const protocol::Event& event, std::int64_t seq);

  // Writes every row moved since the last Flush, in the same transaction, and forgets them all.
  Status Flush();

 private:
  using Held = HeldRow<TaskRow>;
  using Key = std::tuple<std::string, std::string, std::string>;  // platform, account, task id

  Database& db_;
  HeldRows<Key, Held> held_;
};

}  // namespace temoin::store

#endif  // TEMOIN_STORE_TASK_ROWS_H_
