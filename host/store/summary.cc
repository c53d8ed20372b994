#include "store/summary.h"

#include <SQLiteCpp/Statement.h>

#include <map>
#include <set>

#include "protocol/money.h"
#include "protocol/timestamp.h"

namespace temoin::store {

namespace {

struct Window {
  EpochMs start;
  EpochMs end;
};

struct TaskRow {
  EpochMs counted_ms;
  bool submitted;
  bool abandoned;
  std::int64_t seconds;  // time on the task, 0 if unknown
  std::optional<std::int64_t> earned_minor;
  std::optional<std::string> earned_currency;
  std::optional<std::int64_t> rate_minor;
  std::optional<std::string> rate_currency;
  bool rate_per_hour = false;
};

std::optional<std::string> OptText(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt : std::optional<std::string>(c.getString());
}
std::optional<std::int64_t> OptInt(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt : std::optional<std::int64_t>(c.getInt64());
}

std::vector<TaskRow> LoadTasks(Database& db, const std::string& platform, const std::string& account, Window w) {
  auto q = db.Prepare("SELECT counted_ms, started_ms, submitted_ms, abandoned_ms, duration_s, earned_minor, "
                      "earned_currency, rate_minor, rate_currency, rate_per_hour FROM tasks "
                      "WHERE platform = ? AND account = ? AND counted_ms >= ? AND counted_ms < ?");
  q.bind(1, platform);
  q.bind(2, account);
  q.bind(3, w.start);
  q.bind(4, w.end);
  std::vector<TaskRow> rows;
  while (q.executeStep()) {
    TaskRow t;
    t.counted_ms = q.getColumn(0).getInt64();
    auto started = OptInt(q.getColumn(1));
    auto submitted = OptInt(q.getColumn(2));
    auto abandoned = OptInt(q.getColumn(3));
    auto duration = OptInt(q.getColumn(4));
    t.submitted = submitted.has_value();
    t.abandoned = abandoned.has_value() && !submitted;
    if (duration) {
      t.seconds = *duration;
    } else if (started && submitted && *submitted > *started) {
      t.seconds = (*submitted - *started) / 1000;
    } else {
      t.seconds = 0;
    }
    t.earned_minor = OptInt(q.getColumn(5));
    t.earned_currency = OptText(q.getColumn(6));
    t.rate_minor = OptInt(q.getColumn(7));
    t.rate_currency = OptText(q.getColumn(8));
    t.rate_per_hour = q.getColumn(9).isNull() ? false : q.getColumn(9).getInt() == 1;
    rows.push_back(std::move(t));
  }
  return rows;
}

std::int64_t PlatformSeconds(Database& db, const std::string& platform, const std::string& account, Window w) {
  auto q = db.Prepare("SELECT COALESCE(SUM(MIN(end_ms, ?4) - MAX(start_ms, ?3)), 0) FROM activity "
                      "WHERE platform = ?1 AND account = ?2 AND end_ms > ?3 AND start_ms < ?4");
  q.bind(1, platform);
  q.bind(2, account);
  q.bind(3, w.start);
  q.bind(4, w.end);
  q.executeStep();
  return q.getColumn(0).getInt64() / 1000;
}

PeriodFigures Figures(const std::vector<TaskRow>& tasks, Window w, std::int64_t platform_seconds,
                      const std::optional<std::string>& currency) {
  PeriodFigures f;
  f.platform_seconds = platform_seconds;
  // For the advertised rate: hourly rates weighted by time on task (a plain mean when no time is known).
  __int128 rate_weighted = 0;
  std::int64_t rate_seconds = 0, rate_sum = 0, rate_count = 0;
  for (const TaskRow& t : tasks) {
    if (t.counted_ms < w.start || t.counted_ms >= w.end || t.abandoned) continue;
    ++f.tasks;
    if (t.submitted) f.task_seconds += t.seconds;
    if (!currency) continue;
    if (t.rate_minor && t.rate_per_hour && t.rate_currency == currency) {
      rate_weighted += static_cast<__int128>(*t.rate_minor) * t.seconds;
      rate_seconds += t.seconds;
      rate_sum += *t.rate_minor;
      ++rate_count;
    }
    if (!t.submitted) continue;
    if (t.earned_minor) {
      if (t.earned_currency == currency) f.earned_minor += *t.earned_minor;
    } else if (t.rate_minor && t.rate_currency == currency) {
      f.earned_minor += t.rate_per_hour ? static_cast<std::int64_t>(static_cast<__int128>(*t.rate_minor) * t.seconds / 3600)
                                        : *t.rate_minor;
      f.earned_estimated = true;
    }
  }
  if (rate_seconds > 0) {
    f.advertised_hourly_minor = static_cast<std::int64_t>(rate_weighted / rate_seconds);
  } else if (rate_count > 0) {
    f.advertised_hourly_minor = rate_sum / rate_count;
  }
  if (currency && f.platform_seconds > 0) {
    f.effective_hourly_minor =
        static_cast<std::int64_t>(static_cast<__int128>(f.earned_minor) * 3600 / f.platform_seconds);
  }
  return f;
}

}  // namespace

Result<std::vector<AccountSummary>> Summarize(Database& db, const Clock& clock,
                                              const std::optional<std::string>& platform,
                                              const std::optional<std::string>& account) {
  std::vector<AccountSummary> rows;
  Status status = CatchStorage("cannot read the summary", [&]() -> Status {
    EpochMs now = clock.NowMs();
    std::int64_t today = LocalDay(clock, now);
    Window today_window{LocalDayStart(clock, today), LocalDayStart(clock, today + 1)};
    Window week_window{LocalDayStart(clock, today - 6), today_window.end};

    std::string sql = "SELECT platform, account, last_seen_ms, last_seen, state, state_at FROM accounts";
    if (platform) sql += account ? " WHERE platform = ? AND account = ?" : " WHERE platform = ?";
    else if (account) sql += " WHERE account = ?";
    sql += " ORDER BY platform, account";
    auto accounts = db.Prepare(sql);
    int i = 1;
    if (platform) accounts.bind(i++, *platform);
    if (account) accounts.bind(i++, *account);

    auto series = db.Prepare("SELECT currency, amount_minor, pending_minor, latest_at, unpaid_since, unpaid_since_ms "
                             "FROM balance_series WHERE platform = ? AND account = ? ORDER BY currency");
    auto alerts = db.Prepare("SELECT COUNT(*) FROM alerts WHERE platform = ? AND account = ? AND state = 'open'");

    while (accounts.executeStep()) {
      AccountSummary base;
      base.platform = accounts.getColumn(0).getString();
      base.account = accounts.getColumn(1).getString();
      base.last_seen_ms = accounts.getColumn(2).getInt64();
      base.last_seen = accounts.getColumn(3).getString();
      base.state = accounts.getColumn(4).isNull() ? "active" : accounts.getColumn(4).getString();
      base.state_at = OptText(accounts.getColumn(5));

      alerts.reset();
      alerts.bind(1, base.platform);
      alerts.bind(2, base.account);
      alerts.executeStep();
      base.open_alerts = alerts.getColumn(0).getInt64();

      std::vector<TaskRow> tasks = LoadTasks(db, base.platform, base.account, week_window);
      std::int64_t today_seconds = PlatformSeconds(db, base.platform, base.account, today_window);
      std::int64_t week_seconds = PlatformSeconds(db, base.platform, base.account, week_window);

      // The row's currencies: those of its balances and of the week's earnings and rates.
      std::map<std::string, AccountSummary> by_currency;
      series.reset();
      series.bind(1, base.platform);
      series.bind(2, base.account);
      while (series.executeStep()) {
        AccountSummary row = base;
        row.currency = series.getColumn(0).getString();
        row.balance_minor = series.getColumn(1).getInt64();
        row.pending_minor = OptInt(series.getColumn(2));
        row.balance_at = series.getColumn(3).getString();
        row.unpaid_since = OptText(series.getColumn(4));
        row.unpaid_since_ms = OptInt(series.getColumn(5));
        by_currency.emplace(*row.currency, std::move(row));
      }
      for (const TaskRow& t : tasks) {
        for (const auto& c : {t.earned_currency, t.rate_currency}) {
          if (c && !by_currency.count(*c)) {
            AccountSummary row = base;
            row.currency = *c;
            by_currency.emplace(*c, std::move(row));
          }
        }
      }
      if (by_currency.empty()) {
        AccountSummary row = base;
        row.today = Figures(tasks, today_window, today_seconds, std::nullopt);
        row.week = Figures(tasks, week_window, week_seconds, std::nullopt);
        rows.push_back(std::move(row));
        continue;
      }
      for (auto& [code, row] : by_currency) {
        row.exponent = protocol::CurrencyExponent(code).value_or(2);
        row.today = Figures(tasks, today_window, today_seconds, row.currency);
        row.week = Figures(tasks, week_window, week_seconds, row.currency);
        rows.push_back(std::move(row));
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return rows;
}

Result<std::vector<BalancePoint>> BalanceHistory(Database& db, const Clock& clock, const std::string& platform,
                                                 const std::string& account, const std::string& currency, int days) {
  std::vector<BalancePoint> points;
  Status status = CatchStorage("cannot read the balance history", [&]() -> Status {
    std::int64_t today = LocalDay(clock, clock.NowMs());
    auto q = db.Prepare("SELECT at_ms, at, amount_minor FROM balances WHERE platform = ? AND account = ? AND "
                        "currency = ? AND missing = 0 AND at_ms >= ? AND at_ms < ? ORDER BY at_ms, seq");
    q.bind(1, platform);
    q.bind(2, account);
    q.bind(3, currency);
    q.bind(4, LocalDayStart(clock, today - days + 1));
    q.bind(5, LocalDayStart(clock, today + 1));
    std::int64_t current_day = INT64_MIN;
    while (q.executeStep()) {
      EpochMs at_ms = q.getColumn(0).getInt64();
      std::int64_t day = LocalDay(clock, at_ms);
      BalancePoint point{protocol::FormatDay(day), q.getColumn(2).getInt64(), q.getColumn(1).getString()};
      if (day == current_day) {
        points.back() = std::move(point);  // the last balance of the day wins
      } else {
        points.push_back(std::move(point));
        current_day = day;
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return points;
}

nlohmann::json SummaryToJson(const AccountSummary& s) {
  using json = nlohmann::json;
  auto money = [&](const std::optional<std::int64_t>& minor) -> json {
    return minor ? json(protocol::FormatAmount(*minor, s.exponent)) : json(nullptr);
  };
  auto text = [](const std::optional<std::string>& v) -> json { return v ? json(*v) : json(nullptr); };
  auto period = [&](const PeriodFigures& f) {
    return json{{"tasks", f.tasks},
                {"task_seconds", f.task_seconds},
                {"platform_seconds", f.platform_seconds},
                {"earned", s.currency ? json(protocol::FormatAmount(f.earned_minor, s.exponent)) : json(nullptr)},
                {"earned_estimated", f.earned_estimated},
                {"advertised_hourly", money(f.advertised_hourly_minor)},
                {"effective_hourly", money(f.effective_hourly_minor)}};
  };
  return json{{"platform", s.platform},
              {"account", s.account},
              {"currency", text(s.currency)},
              {"balance", money(s.balance_minor)},
              {"balance_at", text(s.balance_at)},
              {"unpaid_since", text(s.unpaid_since)},
              {"pending", money(s.pending_minor)},
              {"today", period(s.today)},
              {"week", period(s.week)},
              {"state", s.state},
              {"state_at", text(s.state_at)},
              {"last_seen", s.last_seen},
              {"open_alerts", s.open_alerts}};
}

}  // namespace temoin::store
