// tasks_dried_up (warning): the worker keeps visiting (a heartbeat) dried_up_days (default 3) or more after
// the last sign of work: the last task event (start, submit or abandon) or the last heartbeat that reported
// tasks_available > 0, whichever is later. Only on an account that had tasks in the dried_up_lookback_days
// (default 30) before those silent days. All in page time, so a late event lands in its place. The episode
// is the silence (its start); a task or a heartbeat with tasks available after it ends it (resolved).
#include <algorithm>

#include "rules/rule.h"

namespace temoin::rules {

namespace {

class TasksDriedUpRule final : public Rule {
 public:
  std::string_view kind() const override { return "tasks_dried_up"; }
  std::string_view severity() const override { return "warning"; }
  bool TriggeredBy(protocol::EventType type) const override {
    return type == protocol::EventType::kHeartbeat || type == protocol::EventType::kTaskStart ||
           type == protocol::EventType::kTaskSubmit || type == protocol::EventType::kTaskAbandon;
  }
  bool time_based() const override { return true; }

  Result<std::vector<Finding>> Evaluate(const AccountContext& ctx) const override {
    std::vector<Finding> findings;
    Status status = store::CatchStorage("cannot read the latest visit and task", [&]() -> Status {
      // The latest visit (heartbeat), the latest task event and the latest visit that offered tasks, all in page
      // time and kept on the account row (store/account_rows.h), so a heartbeat does not read the account's
      // history.
      const auto row = AccountRowOf(ctx);
      if (!row || !row->last_visit_ms) return Status::Ok();  // never visited
      const std::int64_t visit_seq = row->last_visit_seq.value_or(0);
      const EpochMs visit_ms = *row->last_visit_ms;
      if (!row->last_task_ms) return Status::Ok();  // never had a task
      const EpochMs last_task_ms = *row->last_task_ms;
      const std::optional<std::int64_t> task_seq = row->last_task_seq;
      EpochMs silence_start = last_task_ms;
      if (row->last_offered_ms) silence_start = std::max<EpochMs>(silence_start, *row->last_offered_ms);
      const Thresholds& t = ctx.thresholds;
      if (visit_ms - silence_start < t.dried_up_ms) return Status::Ok();
      if (last_task_ms < visit_ms - t.dried_up_ms - t.dried_up_lookback_ms) return Status::Ok();
      Finding f;
      f.episode = "since:" + std::to_string(silence_start);
      if (task_seq) f.evidence.push_back(*task_seq);
      f.evidence.push_back(visit_seq);
      f.message = "No new task on " + ctx.platform + " (" + ctx.account + ") for " +
                  FormatDuration(visit_ms - silence_start) +
                  " although you keep visiting, and you had tasks before. On some platforms this silence is the "
                  "only sign that an account was dropped: withdraw your balance now, and export your dossier "
                  "(temoin export).";
      findings.push_back(std::move(f));
      return Status::Ok();
    });
    if (!status.ok()) return status;
    return findings;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeTasksDriedUpRule() { return std::make_unique<TasksDriedUpRule>(); }

}  // namespace temoin::rules
