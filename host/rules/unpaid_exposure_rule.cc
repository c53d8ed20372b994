// unpaid_exposure (warning): a balance at or above unpaid_threshold (default 100 in the balance's currency)
// in every observation for more than unpaid_days (default 14), measured from the first observation of that
// run to the host clock: the worker is lending the platform money it can lose. One episode per run and
// currency; an observation below the threshold (a withdrawal) ends the run and resolves it.
#include <SQLiteCpp/Statement.h>

#include <optional>
#include <string>
#include <vector>

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
      // Each currency's current run above the threshold, walked back from the latest observation to the one
      // that was below it: the run's length, not the account's history.
      std::vector<std::string> currencies;
      {
        auto q = ctx.db.Prepare("SELECT currency FROM balance_series WHERE platform = ? AND account = ? ORDER BY currency");
        q.bind(1, ctx.platform);
        q.bind(2, ctx.account);
        while (q.executeStep()) currencies.push_back(q.getColumn(0).getString());
      }
      for (const std::string& currency : currencies) {
        int exponent = protocol::CurrencyExponent(currency).value_or(2);
        auto q = ctx.db.Prepare(
            "SELECT seq, at_ms, amount_minor FROM balances WHERE platform = ? AND account = ? AND currency = ? "
            "AND missing = 0 ORDER BY at_ms DESC, seq DESC");
        q.bind(1, ctx.platform);
        q.bind(2, ctx.account);
        q.bind(3, currency);
        std::optional<std::int64_t> last_seq, last_minor, start_seq;
        EpochMs start_ms = 0;
        while (q.executeStep()) {
          std::int64_t minor = q.getColumn(2).getInt64();
          bool above = minor > 0 && MinorToMilli(minor, exponent) >= t.unpaid_threshold_milli;
          if (!above) break;
          if (!last_seq) {
            last_seq = q.getColumn(0).getInt64();
            last_minor = minor;
          }
          start_seq = q.getColumn(0).getInt64();
          start_ms = q.getColumn(1).getInt64();
        }
        if (!start_seq || ctx.now - start_ms <= t.unpaid_ms) continue;
        findings.push_back(
            {currency + ":" + std::to_string(*start_seq), currency, {*start_seq, *last_seq},
             ctx.platform + " (" + ctx.account + ") has held " + FormatMoney(*last_minor, currency) +
                 " of your money unpaid, at or above your threshold, for " + FormatDuration(ctx.now - start_ms) +
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
