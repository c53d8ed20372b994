#include "rules/balance_scan.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "protocol/money.h"

namespace temoin::rules {

namespace {

struct Observation {
  std::int64_t seq;
  EpochMs at_ms;
  std::optional<std::int64_t> minor;  // nullopt for a balance.missing
};

struct PayoutLeft {
  std::int64_t seq;
  EpochMs at_ms;
  std::int64_t left;
};

// Counts payouts in (after, until] against `fall`, earliest first; returns how much they explain.
std::int64_t Consume(std::vector<PayoutLeft>& payouts, EpochMs after, EpochMs until, std::int64_t fall) {
  std::int64_t explained = 0;
  for (auto& p : payouts) {
    if (explained >= fall) break;
    if (p.at_ms <= after || p.at_ms > until || p.left == 0) continue;
    std::int64_t take = std::min(p.left, fall - explained);
    p.left -= take;
    explained += take;
  }
  return explained;
}

Status ScanSeries(const AccountContext& ctx, const std::string& currency, std::vector<BalanceFall>* out) {
  int exponent = protocol::CurrencyExponent(currency).value_or(2);
  const Thresholds& t = ctx.thresholds;
  std::vector<Observation> obs;
  {
    SQLite::Statement q(ctx.db.sql(),
                        "SELECT seq, at_ms, amount_minor, missing FROM balances WHERE platform = ?1 AND account = ?2 "
                        "AND (currency = ?3 OR (missing = 1 AND currency IS NULL)) ORDER BY at_ms, seq");
    q.bind(1, ctx.platform);
    q.bind(2, ctx.account);
    q.bind(3, currency);
    while (q.executeStep()) {
      Observation o{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), std::nullopt};
      if (q.getColumn(3).getInt() == 0) o.minor = q.getColumn(2).getInt64();
      obs.push_back(o);
    }
  }
  std::vector<PayoutLeft> payouts;
  {
    SQLite::Statement q(ctx.db.sql(),
                        "SELECT seq, at_ms, amount_minor FROM payouts WHERE platform = ? AND account = ? AND currency = ? "
                        "ORDER BY at_ms, seq");
    q.bind(1, ctx.platform);
    q.bind(2, ctx.account);
    q.bind(3, currency);
    while (q.executeStep()) {
      payouts.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64()});
    }
  }
  auto significant = [&](std::int64_t minor) { return MinorToMilli(minor, exponent) > t.drop_tolerance_milli; };

  // Pass 1: consecutive real observations.
  const Observation* last = nullptr;
  for (const auto& o : obs) {
    if (!o.minor) continue;
    if (last != nullptr && *last->minor > *o.minor) {
      std::int64_t fall = *last->minor - *o.minor;
      std::int64_t explained = Consume(payouts, last->at_ms, o.at_ms + t.payout_match_window_ms, fall);
      std::int64_t unexplained = fall - explained;
      if (significant(unexplained)) {
        out->push_back({*o.minor == 0, currency, last->seq, *last->minor, o.seq, o.minor, unexplained});
      }
    }
    last = &o;
  }
  // Pass 2: a balance.missing after the last real observation.
  if (last != nullptr && *last->minor > 0) {
    for (const auto& o : obs) {
      if (o.minor || o.at_ms < last->at_ms || (o.at_ms == last->at_ms && o.seq < last->seq)) continue;
      std::int64_t fall = *last->minor;
      std::int64_t explained = Consume(payouts, last->at_ms, o.at_ms + t.payout_match_window_ms, fall);
      if (significant(fall - explained)) {
        out->push_back({true, currency, last->seq, *last->minor, o.seq, std::nullopt, fall - explained});
      }
      break;  // the first one is the episode's evidence
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<BalanceFall>> ScanBalances(const AccountContext& ctx) {
  std::vector<BalanceFall> falls;
  Status status = store::CatchStorage("cannot read the balances", [&]() -> Status {
    std::vector<std::string> currencies;
    SQLite::Statement q(ctx.db.sql(),
                        "SELECT DISTINCT currency FROM balances WHERE platform = ? AND account = ? AND missing = 0 "
                        "ORDER BY currency");
    q.bind(1, ctx.platform);
    q.bind(2, ctx.account);
    while (q.executeStep()) currencies.push_back(q.getColumn(0).getString());
    for (const auto& c : currencies) TEMOIN_RETURN_IF_ERROR(ScanSeries(ctx, c, &falls));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return falls;
}

}  // namespace temoin::rules
