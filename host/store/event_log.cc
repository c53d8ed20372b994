#include "store/event_log.h"

#include <SQLiteCpp/Statement.h>

#include <array>
#include <charconv>

#include "base/sha256.h"
#include "protocol/reply.h"
#include "protocol/timestamp.h"

namespace temoin::store {

std::string CanonicalRow(std::int64_t seq, const std::string& received_at, const std::string& body) {
  // Keys in JCS order (event, received_at, seq); `body` is already canonical JSON, so it is spliced in as is.
  return "{\"event\":" + body + ",\"received_at\":" + nlohmann::json(received_at).dump() +
         ",\"seq\":" + std::to_string(seq) + "}";
}

std::string LinkHash(const std::string& prev_hash, const std::string& canonical_row) {
  return Sha256Hex({prev_hash, canonical_row});
}

Sha256Digest LinkDigest(std::string_view prev_hash, std::int64_t seq, std::string_view received_at,
                        std::string_view body) {
  // The host's own receive times always quote as they are; anything else takes the general path.
  if (!protocol::QuotesAsIs(received_at)) {
    return Sha256({prev_hash, CanonicalRow(seq, std::string(received_at), std::string(body))});
  }
  std::array<char, 24> digits;
  auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), seq);
  std::string_view seq_text(digits.data(), static_cast<std::size_t>(end - digits.data()));
  // The pieces of CanonicalRow, in its order.
  return Sha256({prev_hash, "{\"event\":", body, ",\"received_at\":\"", received_at, "\",\"seq\":", seq_text, "}"});
}

namespace {

LoggedEvent RowToEvent(SQLite::Statement& q) {
  LoggedEvent e;
  e.seq = q.getColumn(0).getInt64();
  e.id = q.getColumn(1).getString();
  e.type = q.getColumn(2).getString();
  e.platform = q.getColumn(3).getString();
  e.account = q.getColumn(4).getString();
  e.at = q.getColumn(5).getString();
  e.at_ms = q.getColumn(6).getInt64();
  e.received_at = q.getColumn(7).getString();
  e.body = q.getColumn(8).getString();
  e.prev_hash = q.getColumn(9).getString();
  e.hash = q.getColumn(10).getString();
  return e;
}

constexpr char kColumns[] = "seq, id, type, platform, account, at, at_ms, received_at, body, prev_hash, hash";

}  // namespace

Result<AppendResult> EventLog::Append(const NewEvent& event, EpochMs received_ms) {
  AppendResult result;
  Status status = CatchStorage("cannot append to the event log", [&]() -> Status {
    // The chain's head and the next seq: from the connection's log tail when an earlier append of this
    // transaction left them there (two statements an event fewer in a batch), else from the log.
    Database::LogTail& tail = db_.log_tail();
    const bool tail_valid = db_.in_transaction() && tail.serial == db_.transaction_serial();
    if (!tail_valid) {
      tail.heads.clear();
      tail.next_seq = 0;
      tail.serial = db_.transaction_serial();
    }
    std::string chain = std::to_string(event.platform.size()) + ':' + event.platform + event.account;
    std::string prev_hash;
    if (auto known = tail.heads.find(chain); tail_valid && known != tail.heads.end()) {
      prev_hash = known->second;
    } else {
      auto head = db_.Prepare("SELECT hash FROM events WHERE platform = ? AND account = ? ORDER BY seq DESC LIMIT 1");
      head.bind(1, event.platform);
      head.bind(2, event.account);
      prev_hash = head.executeStep() ? head.getColumn(0).getString() : std::string(kGenesisHash);
    }
    std::int64_t seq = tail_valid ? tail.next_seq : 0;
    if (seq == 0) {
      auto next = db_.Prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM events");
      next.executeStep();
      seq = next.getColumn(0).getInt64();
    }
    if (received_ms != received_ms_) {
      received_at_ = protocol::FormatUtc(received_ms);
      received_ms_ = received_ms;
    }
    const std::string& received_at = received_at_;
    std::string hash = ToLowerHex(LinkDigest(prev_hash, seq, received_at, event.body));

    // A duplicate (an id already in the log) is found by the insert itself: looking the id up first was a second
    // descent of the id index for every event, to catch what a resent queue rarely holds.
    auto insert = db_.Prepare("INSERT INTO events (seq, id, type, platform, account, at, at_ms, received_at, body, "
                             "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
    // Bound without a copy (SQLITE_STATIC): every string here outlives the insert, and the lease clears the
    // bindings when it ends. Copying them was 5% of an event's instructions.
    insert->bind(1, seq);
    insert->bindNoCopy(2, event.id);
    insert->bindNoCopy(3, event.type);
    insert->bindNoCopy(4, event.platform);
    insert->bindNoCopy(5, event.account);
    insert->bindNoCopy(6, event.at);
    insert->bind(7, event.at_ms);
    insert->bindNoCopy(8, received_at);
    insert->bindNoCopy(9, event.body);
    insert->bindNoCopy(10, prev_hash);
    insert->bindNoCopy(11, hash);
    if (insert.exec() == 0) {
      // Already in the log: the same event sent again is acknowledged with its first seq; another event under
      // the same id is refused. The tail is left as it was.
      auto existing = db_.Prepare("SELECT seq, body FROM events WHERE id = ?");
      existing.bind(1, event.id);
      if (!existing.executeStep()) return StorageError("the event log refused id " + event.id + " without holding it");
      if (existing.getColumn(1).getString() != event.body) {
        return BadMessage("id", "this id was already used for a different event");
      }
      result.seq = existing.getColumn(0).getInt64();
      result.duplicate = true;
      return Status::Ok();
    }
    result.seq = seq;
    if (db_.in_transaction()) {
      tail.next_seq = seq + 1;
      tail.heads.insert_or_assign(std::move(chain), std::move(hash));
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return result;
}

Result<std::vector<LoggedEvent>> EventLog::Read(const EventFilter& filter) {
  std::vector<LoggedEvent> events;
  Status status = CatchStorage("cannot read the event log", [&]() -> Status {
    std::string where = "seq > ?";
    if (filter.platform) where += " AND platform = ?";
    if (filter.account) where += " AND account = ?";
    if (filter.type) where += " AND type = ?";
    if (filter.since) where += " AND at_ms >= ?";
    if (filter.until) where += " AND at_ms < ?";
    auto q = db_.Prepare(std::string("SELECT ") + kColumns + " FROM events WHERE " + where +
                                       " ORDER BY seq LIMIT ?");
    int i = 1;
    q.bind(i++, filter.after_seq);
    if (filter.platform) q.bind(i++, *filter.platform);
    if (filter.account) q.bind(i++, *filter.account);
    if (filter.type) q.bind(i++, *filter.type);
    if (filter.since) q.bind(i++, *filter.since);
    if (filter.until) q.bind(i++, *filter.until);
    q.bind(i++, filter.limit);
    while (q.executeStep()) events.push_back(RowToEvent(*q));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return events;
}

Status EventLog::ForEach(const std::function<Status(const LoggedEvent&)>& visit,
                         const std::optional<std::string>& platform, const std::optional<std::string>& account) {
  Status visit_status;
  Status status = CatchStorage("cannot read the event log", [&]() -> Status {
    std::string sql = std::string("SELECT ") + kColumns + " FROM events";
    if (platform && account) sql += " WHERE platform = ? AND account = ?";
    sql += " ORDER BY seq";
    auto q = db_.Prepare(sql);
    if (platform && account) {
      q.bind(1, *platform);
      q.bind(2, *account);
    }
    while (q.executeStep()) {
      visit_status = visit(RowToEvent(*q));
      if (!visit_status.ok()) break;
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return visit_status;
}

Result<std::int64_t> EventLog::LastSeq() {
  std::int64_t seq = 0;
  Status status = CatchStorage("cannot read the event log", [&] {
    auto last = db_.Prepare("SELECT COALESCE(MAX(seq), 0) FROM events");
    last.executeStep();
    seq = last.getColumn(0).getInt64();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return seq;
}

}  // namespace temoin::store
