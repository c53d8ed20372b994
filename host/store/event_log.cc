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

// RowToEvent's columns, of the log named `e` (the name a join with one of its orders needs: they share some of its
// column names).
constexpr char kColumns[] =
    "e.seq, e.id, e.type, e.platform, e.account, e.at, e.at_ms, e.received_at, e.body, e.prev_hash, e.hash";

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
      // The account's latest event: after the projection mark, the log read back from its end (the latest
      // events are usually of the account a session is sending); up to it, the account's order (schema 6).
      auto head = db_.Prepare(
          "SELECT hash FROM events WHERE seq = COALESCE("
          "(SELECT seq FROM events WHERE seq > (SELECT through_seq FROM projection_mark) AND platform = ?1 "
          "AND account = ?2 ORDER BY seq DESC LIMIT 1), "
          "(SELECT MAX(seq) FROM events_of_account WHERE platform = ?1 AND account = ?2))");
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
    // The filter's conditions on the log's own columns, named so that both reads below bind them alike.
    std::string where;
    if (filter.platform) where += " AND e.platform = :platform";
    if (filter.account) where += " AND e.account = :account";
    if (filter.type) where += " AND e.type = :type";
    if (filter.since) where += " AND e.at_ms >= :since";
    if (filter.until) where += " AND e.at_ms < :until";
    auto read = [&](const std::string& sql, std::int64_t after, std::optional<std::int64_t> through) {
      auto q = db_.Prepare(sql);
      q.bind(":after", after);
      if (through) q.bind(":through", *through);
      if (filter.platform) q.bind(":platform", *filter.platform);
      if (filter.account) q.bind(":account", *filter.account);
      if (filter.type) q.bind(":type", *filter.type);
      if (filter.since) q.bind(":since", *filter.since);
      if (filter.until) q.bind(":until", *filter.until);
      q.bind(":limit", filter.limit - static_cast<int>(events.size()));
      while (q.executeStep()) events.push_back(RowToEvent(*q));
    };
    const std::string columns = std::string("SELECT ") + kColumns;
    std::int64_t after = filter.after_seq;
    // By account or by type, the events up to the projection mark are found through the log's orders
    // (events_of_account, events_of_type: schema 6), and those after it by reading the rest of the log, which
    // is short (what the next catch-up will place). Anything else reads the log in seq order up to its limit.
    const bool by_account = filter.platform && filter.account;
    if (by_account || filter.type) {
      auto mark = db_.Prepare("SELECT through_seq FROM projection_mark");
      const std::int64_t through = mark.executeStep() ? mark.getColumn(0).getInt64() : 0;
      if (after < through) {
        std::string order;
        if (by_account) {
          order = " FROM events_of_account o CROSS JOIN events e ON e.seq = o.seq "
                  "WHERE o.platform = :platform AND o.account = :account";
        } else {
          order = " FROM events_of_type o CROSS JOIN events e ON e.seq = o.seq WHERE o.type = :type";
          if (filter.since) order += " AND o.at_ms >= :since";
          if (filter.until) order += " AND o.at_ms < :until";
        }
        read(columns + order + " AND o.seq > :after AND o.seq <= :through" + where + " ORDER BY o.seq LIMIT :limit",
             after, through);
        after = through;
      }
    }
    if (static_cast<int>(events.size()) < filter.limit) {
      read(columns + " FROM events e WHERE e.seq > :after" + where + " ORDER BY e.seq LIMIT :limit", after,
           std::nullopt);
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return events;
}

Status EventLog::ForEach(const std::function<Status(const LoggedEvent&)>& visit) {
  Status visit_status;
  Status status = CatchStorage("cannot read the event log", [&]() -> Status {
    auto q = db_.Prepare(std::string("SELECT ") + kColumns + " FROM events e ORDER BY e.seq");
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

Result<std::optional<std::int64_t>> EventLog::LatestSeqAt(const std::string& platform, const std::string& account,
                                                         EpochMs at_ms) {
  std::optional<std::int64_t> seq;
  Status status = CatchStorage("cannot read the event log", [&] {
    // The account's order is read from its end: the page time asked for is usually among its latest events.
    auto q = db_.Prepare(
        "SELECT COALESCE("
        "(SELECT MAX(seq) FROM events WHERE seq > (SELECT through_seq FROM projection_mark) AND platform = ?1 "
        "AND account = ?2 AND at_ms = ?3), "
        "(SELECT seq FROM events_of_account WHERE platform = ?1 AND account = ?2 AND at_ms = ?3 "
        "ORDER BY seq DESC LIMIT 1))");
    q.bind(1, platform);
    q.bind(2, account);
    q.bind(3, at_ms);
    if (q.executeStep() && !q.getColumn(0).isNull()) seq = q.getColumn(0).getInt64();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return seq;
}

}  // namespace temoin::store
