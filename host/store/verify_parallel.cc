#include "store/verify_parallel.h"

#include <algorithm>
#include <future>
#include <limits>
#include <system_error>
#include <vector>

namespace temoin::store {

void ReadThroughMap(Database& db) {
  try {
    db.sql().exec("PRAGMA mmap_size = 2147418112");  // SQLite's default ceiling (SQLITE_MAX_MMAP_SIZE)
  } catch (const std::exception&) {
  }
}

namespace {

Result<RangeWalk> WalkOnNewConnection(const std::filesystem::path& file, bool map_file, std::int64_t after_seq,
                                      std::int64_t last_seq) {
  OpenOptions options;
  options.read_only = true;
  options.busy_timeout_ms = 5000;
  auto db = Database::Open(file, options);
  if (!db.ok()) return db.status();
  if (map_file) ReadThroughMap(**db);
  return WalkRange(**db, after_seq, last_seq);
}

}  // namespace

Result<VerifyReport> VerifyLogInParallel(Database& db, const ParallelVerifyOptions& options) {
  std::int64_t first = 0, last = 0;
  Status status = CatchStorage("cannot read the event log", [&] {
    auto range = db.Prepare("SELECT COALESCE(MIN(seq), 1), COALESCE(MAX(seq), 0) FROM events");
    range.executeStep();
    first = range.getColumn(0).getInt64();
    last = range.getColumn(1).getInt64();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  std::int64_t rows = last - first + 1;
  std::int64_t workers = std::min<std::int64_t>(options.workers, rows / std::max<std::int64_t>(options.min_rows_per_worker, 1));
  if (db.path() == ":memory:") workers = 1;  // another connection would open another, empty, database
  if (workers <= 1) return VerifyLog(db);

  // Range i holds after_seq < seq <= bounds[i + 1]; the last range also takes what was appended since.
  std::vector<std::int64_t> bounds;
  for (std::int64_t i = 0; i <= workers; ++i) bounds.push_back(first - 1 + rows * i / workers);
  bounds.back() = std::numeric_limits<std::int64_t>::max();
  std::vector<std::future<Result<RangeWalk>>> others;
  for (std::int64_t i = 1; i < workers; ++i) {
    auto walk = [file = db.path(), map = options.map_file, lo = bounds[i], hi = bounds[i + 1]] {
      return WalkOnNewConnection(file, map, lo, hi);
    };
    try {
      others.push_back(std::async(std::launch::async, walk));
    } catch (const std::system_error&) {  // no thread to be had: that range is walked here, after the first
      others.push_back(std::async(std::launch::deferred, walk));
    }
  }
  std::vector<RangeWalk> walks;
  auto mine = WalkRange(db, bounds[0], bounds[1]);
  Status failed = mine.ok() ? Status::Ok() : mine.status();
  if (mine.ok()) walks.push_back(std::move(*mine));
  for (auto& other : others) {
    auto walk = other.get();  // every thread is waited for, even after a failure
    if (!walk.ok() && failed.ok()) failed = walk.status();
    if (walk.ok()) walks.push_back(std::move(*walk));
  }
  if (!failed.ok()) return failed;
  return MergeWalks(walks);
}

}  // namespace temoin::store
