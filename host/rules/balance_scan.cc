#include "rules/balance_scan.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <limits>

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
  // Where the walk starts: the last real observation before the window (the first one's "previous"), or the
  // beginning of the series.
  EpochMs from = std::numeric_limits<EpochMs>::min();
  if (auto window = BalanceWindowStart(ctx)) {
    auto q = ctx.db.Prepare(
        "SELECT at_ms FROM balances WHERE platform = ? AND account = ? AND currency = ? AND missing = 0 "
        "AND at_ms < ? ORDER BY at_ms DESC, seq DESC LIMIT 1");
    q.bind(1, ctx.platform);
    q.bind(2, ctx.account);
    q.bind(3, currency);
    q.bind(4, *window);
    if (q.executeStep()) from = q.getColumn(0).getInt64();
  }
  std::vector<Observation> obs;
  {
    // The series' observations, and the "balance missing" ones that named no currency, each read as an index
    // range. Asked for with an OR, SQLite read every balance of the account and sorted them, at every balance
    // event (docs/performance.md).
    auto q = ctx.db.Prepare(
        "SELECT seq, at_ms, amount_minor, missing FROM balances WHERE platform = ?1 AND account = ?2 "
        "AND currency = ?3 AND at_ms >= ?4 "
        "UNION ALL SELECT seq, at_ms, amount_minor, missing FROM balances WHERE platform = ?1 AND account = ?2 "
        "AND currency IS NULL AND missing = 1 AND at_ms >= ?4 ORDER BY 2, 1");
    q.bind(1, ctx.platform);
    q.bind(2, ctx.account);
    q.bind(3, currency);
    q.bind(4, from);
    while (q.executeStep()) {
      Observation o{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), std::nullopt};
      if (q.getColumn(3).getInt() == 0) o.minor = q.getColumn(2).getInt64();
      obs.push_back(o);
    }
  }
  std::vector<PayoutLeft> payouts;
  {
    // A payout at or before the walk's first observation explains none of the falls after it.
    auto q = ctx.db.Prepare(
        "SELECT seq, at_ms, amount_minor FROM payouts WHERE platform = ? AND account = ? AND currency = ? "
        "AND at_ms > ? ORDER BY at_ms, seq");
    q.bind(1, ctx.platform);
    q.bind(2, ctx.account);
    q.bind(3, currency);
    q.bind(4, from);
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

std::optional<EpochMs> BalanceWindowStart(const AccountContext& ctx) {
  if (!ctx.changed_at) return std::nullopt;
  // An observation or payout at T changes the falls whose later observation is within the payout window
  // before T; a payout's use by an earlier fall reaches one more window back; a day of margin on top.
  return *ctx.changed_at - 2 * ctx.thresholds.payout_match_window_ms - 86'400'000LL;
}

Result<bool> BalanceEpisodeSeen(const AccountContext& ctx, const std::string& episode) {
  auto window = BalanceWindowStart(ctx);
  if (!window) return true;
  // Episodes are "<currency>:<seq of the last observation before the fall>".
  std::size_t colon = episode.rfind(':');
  if (colon == std::string::npos) return true;
  std::int64_t seq = 0;
  try {
    seq = std::stoll(episode.substr(colon + 1));
  } catch (const std::exception&) {
    return true;
  }
  bool seen = true;
  Status status = store::CatchStorage("cannot read the balances", [&]() -> Status {
    auto q = ctx.db.Prepare("SELECT at_ms FROM balances WHERE seq = ?");
    q.bind(1, seq);
    if (q.executeStep()) seen = q.getColumn(0).getInt64() >= *window;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return seen;
}

Result<std::vector<BalanceFall>> ScanBalances(const AccountContext& ctx) {
  if (ctx.balance_scan != nullptr && ctx.balance_scan->falls) return *ctx.balance_scan->falls;
  std::vector<BalanceFall> falls;
  Status status = store::CatchStorage("cannot read the balances", [&]() -> Status {
    std::vector<std::string> currencies;
    auto q = ctx.db.Prepare("SELECT currency FROM balance_series WHERE platform = ? AND account = ? ORDER BY currency");
    q.bind(1, ctx.platform);
    q.bind(2, ctx.account);
    while (q.executeStep()) currencies.push_back(q.getColumn(0).getString());
    for (const auto& c : currencies) TEMOIN_RETURN_IF_ERROR(ScanSeries(ctx, c, &falls));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (ctx.balance_scan != nullptr) ctx.balance_scan->falls = falls;
  return falls;
}

bool BalanceFallRule::TriggeredBy(protocol::EventType type) const {
  return type == protocol::EventType::kBalance || type == protocol::EventType::kBalanceMissing ||
         type == protocol::EventType::kPayout;
}

Result<bool> BalanceFallRule::Sees(const AccountContext& ctx, const std::string& episode) const {
  return BalanceEpisodeSeen(ctx, episode);
}

Result<std::vector<Finding>> BalanceFallRule::Evaluate(const AccountContext& ctx) const {
  auto falls = ScanBalances(ctx);
  if (!falls.ok()) return falls.status();
  std::vector<Finding> findings;
  for (const auto& f : *falls) {
    if (!Concerns(f)) continue;
    findings.push_back({f.currency + ":" + std::to_string(f.prev_seq), f.currency, {f.prev_seq, f.seq}, Message(ctx, f)});
  }
  return findings;
}

}  // namespace temoin::rules
