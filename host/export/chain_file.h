// Verifying an exported events.jsonl without the database (`temoin verify --file`), with the algorithm of
// docs/protocol.md ("The log and its chain") through store::CheckLink: each line's hash must be
// SHA-256(prev_hash || JCS({"event","received_at","seq"})), each prev_hash the hash of the line before, the
// columns beside the event must agree with it, seqs must increase and every line belong to one account.
//
// The first line's prev_hash is the link the file starts from: 64 zeros for a whole chain, the hash of the
// link before for a slice. The file alone cannot prove that its first lines were not cut off, nor that the
// whole file was not rewritten: compare its start and head hashes with the ones the dossier (or a mail) gives.
//
// Reading is streamed line by line; memory stays bounded for any file size.
#ifndef TEMOIN_EXPORT_CHAIN_FILE_H_
#define TEMOIN_EXPORT_CHAIN_FILE_H_

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace temoin::exporter {

struct ChainFileProblem {
  std::int64_t line = 0;  // 1-based
  std::int64_t seq = 0;   // 0 when the line has no readable seq
  std::string reason;
};

struct ChainFileReport {
  std::int64_t events = 0;
  std::string platform, account;
  std::int64_t first_seq = 0, last_seq = 0;
  std::string start_hash;  // the first line's prev_hash
  bool from_genesis = false;
  std::string head_hash;   // the last line's hash
  // Links that do not hold (each reported once: checking carries on from the line's own hash).
  std::vector<ChainFileProblem> broken;
  // A line that is not an export row at all (not JSON, a field missing): reading stops there.
  std::optional<ChainFileProblem> malformed;

  bool ok() const { return broken.empty() && !malformed && events > 0; }
};

// Reads and checks the whole stream. Fails only if the stream cannot be read.
Result<ChainFileReport> VerifyChainFile(std::istream& in);

}  // namespace temoin::exporter

#endif  // TEMOIN_EXPORT_CHAIN_FILE_H_
