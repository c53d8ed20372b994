#include "store/summary.h"

#include <SQLiteCpp/Statement.h>

#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "protocol/money.h"
#include "protocol/reply.h"
#include "protocol/timestamp.h"

namespace temoin::store {

namespace {

struct Window {
  EpochMs start;
  EpochMs end;
};

struct TaskRow {
  EpochMs counted_ms = 0;
  bool submitted = false;
  bool abandoned = false;  // abandoned and never submitted
  std::int64_t seconds = 0;  // time on the task, 0 if unknown
  std::optional<std::int64_t> earned_minor;
  std::optional<std::string> earned_currency;
  std::optional<std::int64_t> rate_minor;
  std::optional<std::string> rate_currency;
  bool rate_per_hour = false;
};

std::optional<std::string> OptText(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  // Built in place from the column's bytes: getString() made a string and then a copy of it, per row.
  const char* text = c.getText();
  return std::optional<std::string>(std::in_place, text, static_cast<std::size_t>(c.getBytes()));
}
std::optional<std::int64_t> OptInt(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt : std::optional<std::int64_t>(c.getInt64());
}

// Every figure of the summary is read for all the listed accounts at once, one statement per table (five in
// all, instead of five per account), and handed out per account. What remains is SQLite visiting the rows
// themselves: about 2,200 index entries (a week of tasks and of activity intervals) for 20 accounts on a
// 1M-event log, most of the instructions (docs/performance.md).
//
// The joins are written CROSS JOIN, which in SQLite fixes the order: the accounts outside, then one index range
// per account. Left to itself (there are no ANALYZE statistics) the planner scanned the whole index of tasks
// instead: 40 ms.
using AccountKey = std::pair<std::string, std::string>;  // platform, account

// The accounts a summary lists: all, or those of the filters. `table` is the alias of the table filtered.
struct AccountFilter {
  const std::optional<std::string>& platform;
  const std::optional<std::string>& account;

  std::string Where(const char* table) const {
    std::string where;
    if (platform) where += std::string(" AND ") + table + ".platform = :platform";
    if (account) where += std::string(" AND ") + table + ".account = :account";
    return where;
  }
  void Bind(CachedStatement& q) const {
    if (platform) q->bind(":platform", *platform);
    if (account) q->bind(":account", *account);
  }
  void Bind(RawStatement& q) const {
    if (platform) q.Bind(":platform", *platform);
    if (account) q.Bind(":account", *account);
  }
};

AccountKey KeyOf(CachedStatement& q) { return {q.getColumn(0).getString(), q.getColumn(1).getString()}; }

// The week's tasks of every listed account, from the covering index (one range per account). What the figures
// need of the start, submit, abandon and duration columns is worked out in the query (whole milliseconds and
// seconds, exactly as the code did before): fewer columns to hand over per row. Read through SQLite's C API:
// about 800 rows of ten columns on a 1M-event log, where SQLiteCpp's per-value Column cost 0.5 M of the query's
// 5.8 M instructions.
std::map<AccountKey, std::vector<TaskRow>> LoadTasks(Database& db, const AccountFilter& filter, Window w) {
  auto q = db.PrepareRaw(
      "SELECT t.platform, t.account, t.counted_ms, "
      "IIF(t.submitted_ms IS NOT NULL, 1, IIF(t.abandoned_ms IS NOT NULL, 2, 0)), "  // submitted 1, abandoned 2
      "COALESCE(t.duration_s, IIF(t.submitted_ms > t.started_ms, (t.submitted_ms - t.started_ms) / 1000, 0)), "
      "t.earned_minor, t.earned_currency, t.rate_minor, t.rate_currency, t.rate_per_hour IS 1 "
      "FROM accounts a CROSS JOIN tasks t ON t.platform = a.platform AND t.account = a.account AND "
      "t.counted_ms >= :start AND t.counted_ms < :end WHERE 1" +
      filter.Where("a"));
  q.Bind(":start", w.start);
  q.Bind(":end", w.end);
  filter.Bind(q);
  auto opt_int = [&q](int column) { return q.IsNull(column) ? std::nullopt : std::optional<std::int64_t>(q.Int(column)); };
  auto opt_text = [&q](int column) {
    return q.IsNull(column) ? std::nullopt : std::optional<std::string>(q.Text(column));
  };
  std::map<AccountKey, std::vector<TaskRow>> by_account;
  std::vector<TaskRow>* rows = nullptr;
  AccountKey current;
  while (q.Step()) {
    // Rows come account by account (the join walks the accounts): look the account up only when it changes.
    if (rows == nullptr || current.first != q.Text(0) || current.second != q.Text(1)) {
      current = {std::string(q.Text(0)), std::string(q.Text(1))};
      rows = &by_account[current];
    }
    TaskRow& t = rows->emplace_back();
    t.counted_ms = q.Int(2);
    const std::int64_t state = q.Int(3);
    t.submitted = state == 1;
    t.abandoned = state == 2;
    t.seconds = q.Int(4);
    t.earned_minor = opt_int(5);
    t.earned_currency = opt_text(6);
    t.rate_minor = opt_int(7);
    t.rate_currency = opt_text(8);
    t.rate_per_hour = q.Int(9) == 1;
  }
  return by_account;
}

struct PlatformTime {
  std::int64_t today_seconds = 0;
  std::int64_t week_seconds = 0;
};

// Time on the platform today and in the week, per account, from the running totals of schema 3: the time
// before an instant t is before_ms of the latest interval starting before t, plus that interval's part before
// t (0 when there is none). A window [a, b) holds total(b) - total(a): three index seeks per account, whatever
// the number of intervals in the week (it read every one of them before: a quarter of the summary's time).
std::map<AccountKey, PlatformTime> LoadPlatformTime(Database& db, const AccountFilter& filter, Window today,
                                                    Window week) {
  auto total_before = [](const char* t) {
    return std::string("COALESCE((SELECT v.before_ms + IIF(v.end_ms < ") + t + ", v.end_ms, " + t +
           ") - v.start_ms FROM activity v WHERE v.platform = a.platform AND v.account = a.account AND v.start_ms < " +
           t + " ORDER BY v.start_ms DESC LIMIT 1), 0)";
  };
  auto q = db.Prepare("SELECT a.platform, a.account, " + total_before(":week") + ", " + total_before(":today") +
                      ", " + total_before(":end") + " FROM accounts a WHERE 1" + filter.Where("a"));
  q->bind(":week", week.start);
  q->bind(":today", today.start);
  q->bind(":end", week.end);
  filter.Bind(q);
  std::map<AccountKey, PlatformTime> by_account;
  while (q.executeStep()) {
    PlatformTime& time = by_account[KeyOf(q)];
    const std::int64_t before_week = q.getColumn(2).getInt64();
    const std::int64_t before_today = q.getColumn(3).getInt64();
    const std::int64_t before_end = q.getColumn(4).getInt64();
    time.today_seconds = (before_end - before_today) / 1000;
    time.week_seconds = (before_end - before_week) / 1000;
  }
  return by_account;
}

// One row per account and currency of balance_series: the latest balance and the unpaid run.
struct Balance {
  std::string currency;
  std::int64_t amount_minor = 0;
  std::optional<std::int64_t> pending_minor;
  std::string at;
  std::optional<std::string> unpaid_since;
  std::optional<EpochMs> unpaid_since_ms;
};

std::map<AccountKey, std::vector<Balance>> LoadBalances(Database& db, const AccountFilter& filter) {
  auto q = db.Prepare("SELECT b.platform, b.account, b.currency, b.amount_minor, b.pending_minor, b.latest_at, "
                      "b.unpaid_since, b.unpaid_since_ms FROM balance_series b WHERE 1" +
                      filter.Where("b") + " ORDER BY b.platform, b.account, b.currency");
  filter.Bind(q);
  std::map<AccountKey, std::vector<Balance>> by_account;
  while (q.executeStep()) {
    Balance b;
    b.currency = q.getColumn(2).getString();
    b.amount_minor = q.getColumn(3).getInt64();
    b.pending_minor = OptInt(q.getColumn(4));
    b.at = q.getColumn(5).getString();
    b.unpaid_since = OptText(q.getColumn(6));
    b.unpaid_since_ms = OptInt(q.getColumn(7));
    by_account[KeyOf(q)].push_back(std::move(b));
  }
  return by_account;
}

// Open alerts per account (alerts_by_state finds the open ones; there are few).
std::map<AccountKey, std::int64_t> LoadOpenAlerts(Database& db, const AccountFilter& filter) {
  auto q = db.Prepare("SELECT l.platform, l.account, COUNT(*) FROM alerts l WHERE l.state = 'open'" +
                      filter.Where("l") + " GROUP BY l.platform, l.account");
  filter.Bind(q);
  std::map<AccountKey, std::int64_t> by_account;
  while (q.executeStep()) by_account[KeyOf(q)] = q.getColumn(2).getInt64();
  return by_account;
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

    AccountFilter filter{platform, account};
    std::map<AccountKey, std::vector<TaskRow>> tasks_by_account = LoadTasks(db, filter, week_window);
    std::map<AccountKey, PlatformTime> time_by_account = LoadPlatformTime(db, filter, today_window, week_window);
    std::map<AccountKey, std::vector<Balance>> balances_by_account = LoadBalances(db, filter);
    std::map<AccountKey, std::int64_t> alerts_by_account = LoadOpenAlerts(db, filter);
    const std::vector<TaskRow> no_tasks;
    const std::vector<Balance> no_balances;

    auto accounts = db.Prepare("SELECT a.platform, a.account, a.last_seen_ms, a.last_seen, a.state, a.state_at "
                               "FROM accounts a WHERE 1" + filter.Where("a") + " ORDER BY a.platform, a.account");
    filter.Bind(accounts);
    while (accounts.executeStep()) {
      AccountSummary base;
      AccountKey key = KeyOf(accounts);
      base.platform = key.first;
      base.account = key.second;
      base.last_seen_ms = accounts.getColumn(2).getInt64();
      base.last_seen = accounts.getColumn(3).getString();
      base.state = accounts.getColumn(4).isNull() ? "active" : accounts.getColumn(4).getString();
      base.state_at = OptText(accounts.getColumn(5));
      auto alerts = alerts_by_account.find(key);
      base.open_alerts = alerts == alerts_by_account.end() ? 0 : alerts->second;

      auto found_tasks = tasks_by_account.find(key);
      const std::vector<TaskRow>& tasks = found_tasks == tasks_by_account.end() ? no_tasks : found_tasks->second;
      auto found_time = time_by_account.find(key);
      PlatformTime time = found_time == time_by_account.end() ? PlatformTime{} : found_time->second;
      std::int64_t today_seconds = time.today_seconds;
      std::int64_t week_seconds = time.week_seconds;
      auto found_balances = balances_by_account.find(key);
      const std::vector<Balance>& balances =
          found_balances == balances_by_account.end() ? no_balances : found_balances->second;

      // The row's currencies: those of its balances and of the week's earnings and rates.
      std::map<std::string, AccountSummary> by_currency;
      for (const Balance& b : balances) {
        AccountSummary row = base;
        row.currency = b.currency;
        row.balance_minor = b.amount_minor;
        row.pending_minor = b.pending_minor;
        row.balance_at = b.at;
        row.unpaid_since = b.unpaid_since;
        row.unpaid_since_ms = b.unpaid_since_ms;
        by_currency.emplace(b.currency, std::move(row));
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

namespace {

// Writes compact JSON members in the order given, which must be the sorted order Serialize writes: the reply is
// byte for byte what building it as nlohmann values gave, without a map node and a string per member.
class MemberWriter {
 public:
  explicit MemberWriter(std::string* out) : out_(out) { *out_ += '{'; }
  ~MemberWriter() { *out_ += '}'; }

  void Text(std::string_view name, std::string_view value) { protocol::AppendJsonString(Name(name), value); }
  void OptionalText(std::string_view name, const std::optional<std::string>& value) {
    if (value) {
      Text(name, *value);
    } else {
      Null(name);
    }
  }
  void Number(std::string_view name, std::int64_t value) { *Name(name) += std::to_string(value); }
  void Bool(std::string_view name, bool value) { *Name(name) += value ? "true" : "false"; }
  void Null(std::string_view name) { *Name(name) += "null"; }
  std::string* Name(std::string_view name) {
    if (!first_) *out_ += ',';
    first_ = false;
    *out_ += '"';
    out_->append(name);
    *out_ += "\":";
    return out_;
  }

 private:
  std::string* out_;
  bool first_ = true;
};

}  // namespace

void AppendSummaryJson(std::string* out, const AccountSummary& s) {
  auto money = [&](MemberWriter& w, std::string_view name, const std::optional<std::int64_t>& minor) {
    if (minor) {
      w.Text(name, protocol::FormatAmount(*minor, s.exponent));
    } else {
      w.Null(name);
    }
  };
  auto period = [&](MemberWriter& parent, std::string_view name, const PeriodFigures& f) {
    MemberWriter w(parent.Name(name));
    money(w, "advertised_hourly", f.advertised_hourly_minor);
    if (s.currency) {
      w.Text("earned", protocol::FormatAmount(f.earned_minor, s.exponent));
    } else {
      w.Null("earned");
    }
    w.Bool("earned_estimated", f.earned_estimated);
    money(w, "effective_hourly", f.effective_hourly_minor);
    w.Number("platform_seconds", f.platform_seconds);
    w.Number("task_seconds", f.task_seconds);
    w.Number("tasks", f.tasks);
  };
  MemberWriter w(out);
  w.Text("account", s.account);
  money(w, "balance", s.balance_minor);
  w.OptionalText("balance_at", s.balance_at);
  w.OptionalText("currency", s.currency);
  w.Text("last_seen", s.last_seen);
  w.Number("open_alerts", s.open_alerts);
  money(w, "pending", s.pending_minor);
  w.Text("platform", s.platform);
  w.Text("state", s.state);
  w.OptionalText("state_at", s.state_at);
  period(w, "today", s.today);
  w.OptionalText("unpaid_since", s.unpaid_since);
  period(w, "week", s.week);
}

nlohmann::json SummaryToJson(const AccountSummary& s) {
  std::string text;
  AppendSummaryJson(&text, s);
  return nlohmann::json::parse(text);
}

}  // namespace temoin::store
