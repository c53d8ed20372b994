// The evidence dossier (docs/export.md): everything a worker needs to show what they did on one account and
// what they were owed, written into one folder:
//
//   dossier.html   one self-contained, printable page in the worker's language (no external asset, inline SVG)
//   tasks.csv      every task of the period        } RFC 4180, UTF-8 with a byte-order mark, CRLF,
//   balances.csv   every balance observation       } ISO 8601 times as the page gave them, decimal amounts
//   payouts.csv    every payout                    }
//   events.jsonl   the account's chain (or the contiguous slice of it covering the period), one event a line
//                  with its hashes, so that `temoin verify --file` or anyone with sha256sum can re-check it
//
// Output is deterministic: the same data gives byte-identical files, except the one line of dossier.html that
// says when it was made (taken from the injected clock). Rows are streamed from SQLite in a stable order (seq,
// or time then seq), inside one read transaction so that every file describes the same snapshot even while a
// host keeps writing; memory stays bounded whatever the size of the history (bench/export_bench.cc).
#ifndef TEMOIN_EXPORT_DOSSIER_H_
#define TEMOIN_EXPORT_DOSSIER_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"
#include "export/period.h"
#include "platform/clock.h"
#include "store/database.h"

namespace temoin::exporter {

inline constexpr const char* kDossierFiles[] = {"dossier.html", "tasks.csv", "balances.csv", "payouts.csv",
                                                "events.jsonl"};

struct DossierOptions {
  std::string platform;
  std::string account;
  Period period;
  std::string lang = "en";  // "en" or "fr"
  bool replace_files = false;  // overwrite files of the same names in the folder (CLI --force)
};

// What events.jsonl holds: a contiguous run of one account's chain.
struct ChainSlice {
  std::int64_t events = 0;
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::int64_t outside_period = 0;   // events in the run whose page time is outside the period
  std::int64_t start_after_seq = 0;  // the link the run starts after; 0 for the genesis
  std::string start_hash;            // the first line's prev_hash (kGenesisHash for a whole chain)
  std::string head_hash;             // the last line's hash (start_hash when the run is empty)
  std::int64_t chain_events = 0;     // the account's whole chain when the dossier was made
  std::int64_t chain_head_seq = 0;
  std::string chain_head_hash;
  // The first link of the run that did not hold when it was exported (seq 0: all held) and why.
  std::int64_t broken_seq = 0;
  std::string broken_reason;
};

struct DossierResult {
  std::vector<std::string> files;  // names inside the folder, in kDossierFiles order
  ChainSlice chain;
  std::int64_t tasks = 0;          // rows of tasks.csv
};

// Writes the dossier of options.platform/options.account into `dir`, which must exist. kNotFound when the log
// has no event of that account; kIo when a file cannot be written (or exists, unless replace_files).
Result<DossierResult> WriteDossier(store::Database& db, const Clock& clock, const DossierOptions& options,
                                   const std::filesystem::path& dir);

}  // namespace temoin::exporter

#endif  // TEMOIN_EXPORT_DOSSIER_H_
