// Internal to export/: what dossier.cc (the data, the CSV and JSONL files) hands to dossier_html.cc (the page)
// and chart.cc (its SVG). Not for use outside this folder.
#ifndef TEMOIN_EXPORT_DOSSIER_PARTS_H_
#define TEMOIN_EXPORT_DOSSIER_PARTS_H_

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "export/dossier.h"
#include "export/lang.h"
#include "export/output_file.h"

namespace temoin::exporter::internal {

struct CurrencyTotals {
  int exponent = 2;
  std::int64_t earned_minor = 0;      // recorded plus estimated
  std::int64_t estimated_minor = 0;   // the estimated part
  std::int64_t paid_minor = 0;
  std::int64_t payouts = 0;
  std::int64_t balances = 0;          // balance observations in this currency
  std::optional<std::int64_t> balance_minor;  // the latest in page time
  std::optional<std::int64_t> pending_minor;
  std::string balance_at;
  EpochMs balance_at_ms = 0;
  std::int64_t balance_seq = 0;
};

struct Totals {
  std::int64_t tasks = 0;            // counted as in the summary: submitted or started, not abandoned
  std::int64_t abandoned = 0;
  std::int64_t task_seconds = 0;     // submitted tasks only, as in the summary
  std::int64_t platform_seconds = 0;
  std::int64_t balance_missing = 0;
  std::int64_t events_in_period = 0;
  std::string first_event_at, last_event_at;  // page time text
  std::map<std::string, CurrencyTotals> currencies;  // sorted by code: stable output
};

// One row of the tasks table, read the same way for tasks.csv and the page.
struct TaskRow {
  std::string task_id;
  EpochMs counted_ms = 0;
  std::optional<std::string> project, title, url;
  std::optional<std::string> started_at, submitted_at;
  std::optional<EpochMs> abandoned_ms;
  bool submitted = false;
  bool abandoned = false;  // abandoned and never submitted
  std::optional<std::int64_t> seconds;  // duration_s, else submit - start
  std::optional<std::int64_t> pay_minor;
  std::string pay_currency;
  bool pay_estimated = false;
  std::optional<std::int64_t> rate_minor;
  std::optional<std::string> rate_currency;
  std::optional<bool> rate_per_hour;
  std::optional<std::int64_t> start_seq, submit_seq;
};

struct Context {
  store::Database& db;
  const Clock& clock;
  const DossierOptions& options;
  const Strings& text;
  EpochMs generated_at = 0;
  Totals totals;
  ChainSlice chain;
};

// The tasks of the period, in the order they count (time, then task id), one at a time; read twice (tasks.csv,
// then the page). SQLite hands them over in time order straight from the covering index; the few tasks counted
// at the same millisecond are put in task id order here. Asking SQLite for both keys made it sort every row of
// the period in a temporary b-tree, on each of the two reads (docs/performance.md, "Verify and export").
class TaskReader {
 public:
  explicit TaskReader(const Context& ctx);
  // The next task, false after the last. Throws like SQLite::Statement (callers run under CatchStorage).
  bool Next(TaskRow* task);

 private:
  SQLite::Statement q_;
  std::vector<TaskRow> tied_;  // the tasks of one millisecond, in task id order
  std::size_t next_ = 0;
  std::optional<TaskRow> ahead_;  // the first task of the next millisecond, already read
  bool done_ = false;
};

// Times the host produced (a period bound, a chart date) in the host's local time, "2026-07-14T09:30:00+02:00".
std::string LocalTime(const Clock& clock, EpochMs at);

// dossier_html.cc
Status WriteHtml(const Context& ctx, OutputFile& out);
// chart.cc: one SVG per currency with a balance or payout in the period (empty when there is none).
Status WriteCharts(const Context& ctx, OutputFile& out);

}  // namespace temoin::exporter::internal

#endif  // TEMOIN_EXPORT_DOSSIER_PARTS_H_
