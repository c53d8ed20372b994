// RequestHandler: the host's behaviour, without any I/O. The session hands it every frame that arrived
// together (a batch); it answers each in order and decides durability in exactly one place:
//
//   consecutive events of a batch -> one transaction: append to the log (idempotent by id) -> COMMIT -> only
//   then their acknowledgements are released.
//
// The derived tables and the alert rules follow the log in transactions of their own (CatchUp,
// rules/log_follower.h): the session calls it a little after the acks, or once many events wait, and every
// query but a ping catches up first, so it sees every event acknowledged before it. Alert pushes follow the
// acks of the events that caused them: written by the catch-up, or just before the reply of the query whose
// catch-up raised them; those of an alert.ack or a config.set follow the batch's replies.
//
// An event that fails (a reused id, a storage error) is answered with its error and the others of the run are
// stored: the run is then done again with a savepoint per event (request_handler.cc says why not always).
// A query ends the run of events before it (they are committed first), so it sees them. If a commit fails,
// every event of that transaction is answered `storage` and nothing of it is stored.
//
// The store is opened by the first request that needs it (app/lazy_store.h): a ping answers without it.
#ifndef TEMOIN_APP_REQUEST_HANDLER_H_
#define TEMOIN_APP_REQUEST_HANDLER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "platform/clock.h"
#include "protocol/frame_reader.h"
#include "protocol/messages.h"
#include "app/lazy_store.h"

namespace temoin::app {

struct BatchOutput {
  std::vector<std::string> frames;  // reply and push bodies (JSON text), in the order to write them
  bool end_stream = false;          // the stream is out of step: write the frames, then exit non-zero
};

class RequestHandler {
 public:
  // When the store cannot be opened, every request that needs it is answered with the store's error, so the
  // extension can show why instead of "Native host has exited"; a ping is answered with it too once an open
  // has failed.
  RequestHandler(LazyStore& store, const Clock& clock, bool caller_allowed);

  BatchOutput HandleBatch(std::vector<protocol::FrameEvent> frames);

  // Runs the time-based alert rules (the session's timer), opening the store if no request has yet; appends the
  // pushes to write.
  Status RunTimers(std::vector<std::string>* frames);

  // Brings the derived tables and the alerts up to the log (rules/log_follower.h); the alert pushes it raised
  // are appended to `frames` (none when it failed: nothing of it stays).
  Status CatchUp(std::vector<std::string>* frames);
  // Events acknowledged by this handler that no catch-up has applied yet.
  std::size_t unprojected() const;

  // Where the store's commits defer their WAL syncs (store/wal_sync_deferral.h), once it is open; nullptr before.
  // Whatever the session writes waits for them (SyncedOutput).
  store::WalSyncDeferral* wal_sync_deferral();

  // Statistics for the log at exit.
  std::int64_t events_stored() const { return events_stored_; }

 private:
  struct Pending {
    std::size_t index;
    protocol::Event event;
    std::string re;
  };

  // A reply built as a JSON value, or already written as JSON text (query.summary and event acks: hot paths).
  using Reply = std::variant<nlohmann::json, std::string>;

  // What storing a run of events gave: each one's reply (ok ones depend on the commit), and the events that
  // were new (not duplicates): their index in the run and their seq.
  struct EventRun {
    struct Answer {
      bool stored;  // an acknowledgement, which holds only if the commit succeeds
      Reply reply;
    };
    std::vector<Answer> answers;  // one per pending event, in their order
    std::vector<std::pair<std::size_t, std::int64_t>> appended;
  };

  // Commits the run of events in one transaction, then answers them.
  void FlushEvents(std::vector<Pending>& pending, std::vector<std::optional<Reply>>& replies);
  Status FollowLog(std::vector<nlohmann::json>* pushes);
  // Stores the events in the open transaction. With `isolate`, each runs in a savepoint and a failing one is
  // answered with its error while the others stay; without, the first failure stops the run and returns false
  // (the transaction then holds part of the run: the caller rolls it back).
  bool StoreEvents(const std::vector<Pending>& pending, EpochMs received, bool isolate, EventRun* run);
  Reply HandleQuery(const protocol::Request& request, std::vector<nlohmann::json>& pushes);
  Reply AnswerSummary(const protocol::Request& request, const protocol::SummaryQuery& query);

  LazyStore& store_;
  const Clock& clock_;
  bool caller_allowed_;
  std::int64_t events_stored_ = 0;
};

}  // namespace temoin::app

#endif  // TEMOIN_APP_REQUEST_HANDLER_H_
