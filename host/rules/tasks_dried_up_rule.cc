// tasks_dried_up (warning): the worker keeps visiting (a heartbeat) dried_up_days (default 3) or more after
// the last sign of work: the last task event (start, submit or abandon) or the last heartbeat that reported
// tasks_available > 0, whichever is later. Only on an account that had tasks in the dried_up_lookback_days
// (default 30) before those silent days. All in page time, so a late event lands in its place. The episode
// is the silence (its start); a task or a heartbeat with tasks available after it ends it (resolved).
#include <SQLiteCpp/Statement.h>

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
      // time and kept on the account row (store/projections.cc), so a heartbeat does not read the account's
      // history.
      auto work = ctx.db.Prepare("SELECT last_visit_ms, last_visit_seq, last_task_ms, last_task_seq, last_offered_ms "
                                 "FROM accounts WHERE platform = ? AND account = ?");
      work.bind(1, ctx.platform);
      work.bind(2, ctx.account);
      if (!work.executeStep() || work.getColumn(0).isNull()) return Status::Ok();  // never visited
      const std::int64_t visit_seq = work.getColumn(1).getInt64();
      const EpochMs visit_ms = work.getColumn(0).getInt64();
      if (work.getColumn(2).isNull()) return Status::Ok();  // never had a task
      EpochMs last_task_ms = work.getColumn(2).getInt64();
      std::optional<std::int64_t> task_seq;
      if (!work.getColumn(3).isNull()) task_seq = work.getColumn(3).getInt64();
      EpochMs silence_start = last_task_ms;
      if (!work.getColumn(4).isNull()) silence_start = std::max<EpochMs>(silence_start, work.getColumn(4).getInt64());
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
