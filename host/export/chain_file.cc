#include "export/chain_file.h"

#include <nlohmann/json.hpp>

#include "store/event_log.h"
#include "store/verify.h"

namespace temoin::exporter {

namespace {

constexpr std::size_t kMaxLineBytes = 16u << 20;

bool IsHash(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Reads one export row into a LoggedEvent; the reason when it is not one.
std::string ParseRow(const std::string& line, store::LoggedEvent* e) {
  auto row = nlohmann::json::parse(line, nullptr, false);
  if (row.is_discarded()) return "not valid JSON";
  if (!row.is_object()) return "not a JSON object";
  if (!row.contains("seq") || !row["seq"].is_number_integer() || row["seq"].get<std::int64_t>() <= 0) {
    return "no positive integer seq";
  }
  e->seq = row["seq"].get<std::int64_t>();
  for (auto [key, target] : {std::pair{"id", &e->id}, std::pair{"type", &e->type}, std::pair{"platform", &e->platform},
                             std::pair{"account", &e->account}, std::pair{"at", &e->at},
                             std::pair{"received_at", &e->received_at}, std::pair{"prev_hash", &e->prev_hash},
                             std::pair{"hash", &e->hash}}) {
    if (!row.contains(key) || !row[key].is_string()) return std::string("no string ") + key;
    *target = row[key].get<std::string>();
  }
  if (!row.contains("event")) return "no event";
  // The body as the chain hashed it: the event's canonical JSON (sorted keys, no white space), which is what
  // a compact nlohmann dump of the parsed object produces (docs/protocol.md).
  e->body = row["event"].is_object() ? row["event"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                                     : "";
  return "";
}

}  // namespace

Result<ChainFileReport> VerifyChainFile(std::istream& in) {
  ChainFileReport report;
  std::string line;
  std::int64_t number = 0;
  std::string expected;
  store::LoggedEvent e;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      // A blank last line is harmless; a blank line between rows is not an export row.
      if (in.peek() == std::char_traits<char>::eof()) break;
      report.malformed = ChainFileProblem{number, 0, "an empty line"};
      return report;
    }
    if (line.size() > kMaxLineBytes) {
      report.malformed = ChainFileProblem{number, 0, "a line longer than 16 MiB"};
      return report;
    }
    e = store::LoggedEvent{};
    std::string problem = ParseRow(line, &e);
    if (!problem.empty()) {
      report.malformed = ChainFileProblem{number, e.seq, problem};
      return report;
    }
    if (report.events == 0) {
      if (!IsHash(e.prev_hash)) {
        report.malformed = ChainFileProblem{number, e.seq, "its prev_hash is not 64 lowercase hex digits"};
        return report;
      }
      report.platform = e.platform;
      report.account = e.account;
      report.first_seq = e.seq;
      report.start_hash = e.prev_hash;
      report.from_genesis = e.prev_hash == store::kGenesisHash;
      expected = e.prev_hash;
    }
    std::string reason;
    if (e.body.empty()) {
      reason = "its event is not a JSON object";
    } else if (e.platform != report.platform || e.account != report.account) {
      reason = "it belongs to another account (" + e.platform + "/" + e.account + ") than the file's first line";
    } else if (report.events > 0 && e.seq <= report.last_seq) {
      reason = "its seq does not come after the previous line's (" + std::to_string(report.last_seq) + ")";
    } else {
      reason = store::CheckLink(e, expected);
    }
    if (!reason.empty()) report.broken.push_back({number, e.seq, reason});
    ++report.events;
    report.last_seq = e.seq;
    report.head_hash = e.hash;
    expected = e.hash;  // carry on from the line's own hash: one edit is reported once
  }
  if (in.bad()) return Status(Code::kIo, "the file could not be read to the end");
  return report;
}

}  // namespace temoin::exporter
