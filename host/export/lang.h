// The dossier's words, in English and French (the first workers who asked for a dossier write French), and the
// way each language writes numbers, money and durations. Only the HTML dossier is translated: the CSV and JSONL
// files are for machines and keep ISO timestamps, plain decimals and English column names.
//
// To add a language: add a Strings table in lang.cc and its code to LanguageCodes(); every field must be set.
#ifndef TEMOIN_EXPORT_LANG_H_
#define TEMOIN_EXPORT_LANG_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace temoin::exporter {

struct Strings {
  const char* code;
  const char* doc_title;
  const char* subtitle;
  const char* account;
  const char* platform;
  const char* period;
  const char* period_all;        // "the whole record"
  const char* period_since;      // "from {}"
  const char* period_until;      // "until {} (excluded)"
  const char* period_between;    // "from {} until {} (excluded)"
  const char* events_seen;       // "{} events recorded, the first on {} and the last on {} (page time)"
  const char* no_events;
  const char* generated;
  const char* latest_state;
  const char* totals;
  const char* tasks_done;
  const char* tasks_abandoned;
  const char* hours_tasks;
  const char* hours_platform;
  const char* earned;
  const char* estimated_part;    // "of which {} estimated from the advertised rate"
  const char* paid_out;
  const char* payouts_count;     // "payouts: {}"
  const char* balance_last;
  const char* pending;           // "pending {}"
  const char* seen_on;           // "seen on {}"
  const char* balance_missing;
  const char* no_money;
  const char* chart;
  const char* chart_desc;
  const char* legend_balance;
  const char* legend_payout;
  const char* legend_missing;
  const char* no_chart;
  const char* alerts;
  const char* no_alerts;
  const char* col_raised;
  const char* col_severity;
  const char* col_kind;
  const char* col_message;
  const char* col_alert_state;
  const char* col_evidence;
  const char* status_changes;
  const char* no_status;
  const char* col_seen_at;
  const char* col_state;
  const char* col_detail;
  const char* col_seq;
  const char* payouts;
  const char* no_payouts;
  const char* col_amount;
  const char* col_method;
  const char* col_reference;
  const char* tasks;
  const char* no_tasks;
  const char* col_start;
  const char* col_submit;
  const char* col_duration;
  const char* col_project;
  const char* col_title;
  const char* col_pay;
  const char* col_task;
  const char* task_abandoned;
  const char* task_open;
  const char* estimated_mark;
  const char* verify;
  const char* verify_intro;
  const char* verify_head;
  const char* verify_range;      // "{} events, seq {} to {}"
  const char* verify_genesis;
  const char* verify_slice;      // "... after the link seq {} whose hash is:"
  const char* verify_outside;    // "{} of these events ..."
  const char* verify_chain_head; // "{} events; its head (seq {}) was:"
  const char* verify_command;
  const char* verify_hand;
  const char* verify_keep;
  const char* chain_ok;
  const char* chain_broken;      // "seq {}: {}"
  const char* files;
  const char* file_dossier;
  const char* file_tasks;
  const char* file_balances;
  const char* file_payouts;
  const char* file_events;
  const char* footer;            // "{} version"
  const char* times_note;
  // Account states (docs/protocol.md account.status).
  const char* state_active;
  const char* state_logged_out;
  const char* state_locked;
  const char* state_suspended;
  const char* state_unreachable;
  // Number formatting.
  const char* decimal_mark;
  const char* group_separator;
};

// The supported codes ("en", "fr").
const std::vector<std::string>& LanguageCodes();
bool IsLanguage(std::string_view code);
// The table for a code; English for an unknown one.
const Strings& StringsFor(std::string_view code);

// Replaces each "{}" of `pattern` by the next argument, in order.
std::string Fill(std::string_view pattern, std::initializer_list<std::string_view> args);

// 12345 -> "12,345" (en) / "12 345" (fr, narrow no-break space).
std::string FormatCount(const Strings& s, std::int64_t n);
// Minor units -> "1,312.50" (en) / "1 312,50" (fr).
std::string FormatDecimal(const Strings& s, std::int64_t minor, int exponent);
// Minor units -> "1,312.50 USD" (en) / "1 312,50 USD" (fr).
std::string FormatMoney(const Strings& s, std::int64_t minor, int exponent, std::string_view currency);
// Seconds -> "12 h 05 min" (rounded down to the minute); "0 min" for less than a minute.
std::string FormatHours(std::int64_t seconds);
// Seconds -> "1:05:03" (a task's duration).
std::string FormatClock(std::int64_t seconds);
// A state code in words ("locked" -> "verrouillé"); the code itself for one the table does not know.
std::string StateName(const Strings& s, std::string_view state);

}  // namespace temoin::exporter

#endif  // TEMOIN_EXPORT_LANG_H_
