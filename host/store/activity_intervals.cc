#include "store/activity_intervals.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "store/bind_values.h"

namespace temoin::store {

void ActivityIntervals::Read(const std::string& platform, const std::string& account, EpochMs from,
                             std::optional<EpochMs> to, Held* held) {
  // INDEXED BY: the intervals ending at or after `from` are the latest few; left to itself, SQLite read the
  // account's intervals by start time from its first one (the ingest rate fell as the history grew;
  // docs/performance.md).
  auto q = db_.Prepare(
      "SELECT start_ms, end_ms, before_ms FROM activity INDEXED BY activity_by_end "
      "WHERE platform = ?1 AND account = ?2 AND end_ms >= ?3 AND (?4 IS NULL OR end_ms < ?4) ORDER BY end_ms");
  BindValues(q, platform, account, from, to);
  std::vector<Interval> read;
  bool first = true;
  while (q.executeStep()) {
    const Interval interval{q.getColumn(0).getInt64(), q.getColumn(1).getInt64()};
    const std::int64_t before_ms = q.getColumn(2).getInt64();
    if (first) held->before_from = before_ms;  // disjoint: the first to end is the first to start
    first = false;
    read.push_back(interval);
    held->in_table[interval.start] = {interval.end, before_ms};
  }
  q.reset();
  if (first && !to) {
    // Nothing ends at or after `from`: what comes before it is the whole history, up to the latest interval.
    auto previous = db_.Prepare("SELECT before_ms + end_ms - start_ms FROM activity WHERE platform = ?1 "
                                "AND account = ?2 ORDER BY start_ms DESC LIMIT 1");
    BindValues(previous, platform, account);
    held->before_from = previous.executeStep() ? previous.getColumn(0).getInt64() : 0;
  }
  // The rows read end before every interval held: they go first.
  held->intervals.insert(held->intervals.begin(), read.begin(), read.end());
  held->from = from;
}

Status ActivityIntervals::Expire() {
  return held_.Expire([](const Key& key) { return "the activity of " + key.first + " (" + key.second + ")"; });
}

Status ActivityIntervals::Add(const std::string& platform, const std::string& account, EpochMs start,
                              EpochMs end) {
  TEMOIN_RETURN_IF_ERROR(Expire());
  return CatchStorage("cannot read the activity", [&] {
    auto key = std::make_pair(platform, account);
    auto it = held_.rows().find(key);
    if (it == held_.rows().end()) {
      it = held_.rows().emplace(std::move(key), Held{}).first;
      Read(platform, account, start, std::nullopt, &it->second);
    } else if (start < it->second.from) {
      Read(platform, account, start, it->second.from, &it->second);  // a late interval: widen what is held
    }
    Held& held = it->second;
    // Every interval that ends at or after `start` and starts by `end` joins the new one.
    auto first = std::lower_bound(held.intervals.begin(), held.intervals.end(), start,
                                  [](const Interval& i, EpochMs at) { return i.end < at; });
    auto last = first;
    while (last != held.intervals.end() && last->start <= end) {
      start = std::min(start, last->start);
      end = std::max(end, last->end);
      ++last;
    }
    first = held.intervals.erase(first, last);
    held.intervals.insert(first, Interval{start, end});
    held.moved = true;
    return Status::Ok();
  });
}

Status ActivityIntervals::Flush() {
  if (!held_.writable()) return Expire();
  Status status = CatchStorage("cannot update the activity", [&] {
    for (auto& [key, held] : held_.rows()) {
      if (!held.moved) continue;
      const auto& [platform, account] = key;
      std::map<EpochMs, Row> now;
      std::int64_t before_ms = held.before_from;
      for (const Interval& i : held.intervals) {
        now[i.start] = {i.end, before_ms};
        before_ms += i.end - i.start;
      }
      for (const auto& [start, row] : held.in_table) {
        if (now.count(start) > 0) continue;
        auto remove = db_.Prepare("DELETE FROM activity WHERE platform = ?1 AND account = ?2 AND start_ms = ?3");
        BindValues(remove, platform, account, start);
        remove.exec();
      }
      for (const auto& [start, row] : now) {
        auto was = held.in_table.find(start);
        if (was != held.in_table.end() && was->second == row) continue;
        auto write = db_.Prepare(
            "INSERT INTO activity (platform, account, start_ms, end_ms, before_ms) VALUES (?1, ?2, ?3, ?4, ?5) "
            "ON CONFLICT (platform, account, start_ms) DO UPDATE SET end_ms = ?4, before_ms = ?5");
        BindValues(write, platform, account, start, row.end, row.before_ms);
        write.exec();
      }
    }
    return Status::Ok();
  });
  held_.rows().clear();
  return status;
}

}  // namespace temoin::store
