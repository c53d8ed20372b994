// unpaid_exposure (warning): a balance at or above unpaid_threshold (default 100 in the balance's currency)
// in every observation for more than unpaid_days (default 14), measured from the first observation of that
// run to the host clock: the worker is lending the platform money it can lose. One episode per run and
// currency; an observation below the threshold (a withdrawal) ends the run and resolves it.
#include <SQLiteCpp/Statement.h>

#include <map>

#include "protocol/money.h"
#include "rules/rule.h"

namespace temoin::rules {

namespace {

class UnpaidExposureRule final : public Rule {
 public:
  std::string_view kind() const override { return "unpaid_exposure"; }
  std::string_view severity() const override { return "warning"; }
  bool TriggeredBy(protocol::EventType type) const override {
    return type == protocol::EventType::kBalance || type == protocol::EventType::kPayout;
  }
  bool time_based() const override { return true; }

  Result<std::vector<Finding>> Evaluate(const AccountContext& ctx) const override {
    std::vector<Finding> findings;
    const Thresholds& t = ctx.thresholds;
    Status status = store::CatchStorage("cannot read the balances", [&]() -> Status {
      SQLite::Statement q(ctx.db.sql(),
                          "SELECT currency, seq, at_ms, amount_minor FROM balances WHERE platform = ? AND account = ? "
                          "AND missing = 0 ORDER BY currency, at_ms, seq");
      q.bind(1, ctx.platform);
      q.bind(2, ctx.account);
      struct Run {
        std::int64_t start_seq = 0;
        EpochMs start_ms = 0;
        std::int64_t last_seq = 0;
        std::int64_t last_minor = 0;
        bool open = false;
      };
      std::map<std::string, Run> runs;
      while (q.executeStep()) {
        std::string currency = q.getColumn(0).getString();
        int exponent = protocol::CurrencyExponent(currency).value_or(2);
        std::int64_t minor = q.getColumn(3).getInt64();
        Run& run = runs[currency];
        bool above = minor > 0 && MinorToMilli(minor, exponent) >= t.unpaid_threshold_milli;
        if (!above) {
          run.open = false;
          continue;
        }
        if (!run.open) {
          run.open = true;
          run.start_seq = q.getColumn(1).getInt64();
          run.start_ms = q.getColumn(2).getInt64();
        }
        run.last_seq = q.getColumn(1).getInt64();
        run.last_minor = minor;
      }
      for (const auto& [currency, run] : runs) {
        if (!run.open || ctx.now - run.start_ms <= t.unpaid_ms) continue;
        findings.push_back(
            {currency + ":" + std::to_string(run.start_seq), currency, {run.start_seq, run.last_seq},
             ctx.platform + " (" + ctx.account + ") has held " + FormatMoney(run.last_minor, currency) +
                 " of your money unpaid, at or above your threshold, for " + FormatDuration(ctx.now - run.start_ms) +
                 ": you are lending the platform money it can lose. Withdraw it now."});
      }
      return Status::Ok();
    });
    if (!status.ok()) return status;
    return findings;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeUnpaidExposureRule() { return std::make_unique<UnpaidExposureRule>(); }

}  // namespace temoin::rules
