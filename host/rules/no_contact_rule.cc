// no_contact (info): no event at all (in page time) for no_contact_days (default 7) from an account whose
// latest balance is above zero in some currency. Measured against the host clock, so it is raised by the timer
// and `temoin check` only. An event from the account can resolve it (when the silence no longer holds), but
// never raises it: a queue replayed after days offline brings old page times one by one, and each would
// otherwise end one silence and raise the next.
#include <SQLiteCpp/Statement.h>

#include "rules/rule.h"
#include "store/event_log.h"

namespace temoin::rules {

namespace {

class NoContactRule final : public Rule {
 public:
  std::string_view kind() const override { return "no_contact"; }
  std::string_view severity() const override { return "info"; }
  bool TriggeredBy(protocol::EventType) const override { return true; }
  bool time_based() const override { return true; }

  Result<std::vector<Finding>> Evaluate(const AccountContext& ctx) const override {
    if (ctx.changed_at) return std::vector<Finding>{};
    return Check(ctx);
  }

  Result<bool> Sees(const AccountContext& ctx, const std::string&) const override {
    if (!ctx.changed_at) return true;
    // On an event: an open alert is "seen" (and so resolved) only once the silence is over.
    auto holds = Check(ctx);
    if (!holds.ok()) return holds.status();
    return holds->empty();
  }

 private:
  Result<std::vector<Finding>> Check(const AccountContext& ctx) const {
    std::vector<Finding> findings;
    Status status = store::CatchStorage("cannot read the account", [&]() -> Status {
      const auto row = AccountRowOf(ctx);  // the catch-up's copy when an event runs the rule
      if (!row) return Status::Ok();
      const EpochMs last_seen = row->last_seen_ms;
      if (ctx.now - last_seen < ctx.thresholds.no_contact_ms) return Status::Ok();
      auto unpaid = ctx.db.Prepare("SELECT currency, amount_minor, latest_seq FROM balance_series WHERE platform = ? "
                               "AND account = ? AND amount_minor > 0 ORDER BY currency");
      unpaid.bind(1, ctx.platform);
      unpaid.bind(2, ctx.account);
      std::vector<std::int64_t> evidence;
      std::string held;
      while (unpaid.executeStep()) {
        if (!held.empty()) held += " and ";
        held += FormatMoney(unpaid.getColumn(1).getInt64(), unpaid.getColumn(0).getString());
        evidence.push_back(unpaid.getColumn(2).getInt64());
      }
      if (held.empty()) return Status::Ok();
      auto last = store::EventLog(ctx.db).LatestSeqAt(ctx.platform, ctx.account, last_seen);
      if (!last.ok()) return last.status();
      if (*last) evidence.insert(evidence.begin(), **last);
      findings.push_back(
          {"since:" + std::to_string(last_seen), std::nullopt, evidence,
           "Nothing has been recorded from " + ctx.platform + " (" + ctx.account + ") for " +
               FormatDuration(ctx.now - last_seen) + ", and it still holds " + held +
               " you have not been paid. Visit the platform to check that the balance is still there, and "
               "withdraw it if you can."});
      return Status::Ok();
    });
    if (!status.ok()) return status;
    return findings;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeNoContactRule() { return std::make_unique<NoContactRule>(); }

}  // namespace temoin::rules
