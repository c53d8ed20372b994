// LogFollower: brings the derived tables and the alerts up to the log's head.
//
// The host acknowledges an event once it is in the log (app/request_handler.h). The tables derived from it
// (store/projections.h) and the alert rules that read them follow in a transaction of their own, over every
// event after the projection mark, in seq order: so an ack costs one row of the log, and the views are written
// for hundreds of events at once instead of for each (docs/architecture.md, "The log first, its views after").
// Anything that reads the derived tables or the alerts catches up first, so it never sees them behind the log.
//
// The events after the mark may come from this process (remembered as they were decoded, so they are not read
// back), from another host writing the same database (two browsers), or from a host that stopped before it
// caught up (a crash, a kill): those are read from the log. The host's own events (alert.*, config.set) are
// applied when they are recorded, always at the log's head, so catching up passes over them.
#ifndef TEMOIN_RULES_LOG_FOLLOWER_H_
#define TEMOIN_RULES_LOG_FOLLOWER_H_

#include <cstdint>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "protocol/messages.h"
#include "store/database.h"

namespace temoin::rules {

class AlertService;

class LogFollower {
 public:
  // `alerts` may be null: the derived tables then follow without the rules (tests of the store alone).
  LogFollower(store::Database& db, AlertService* alerts) : db_(db), alerts_(alerts) {}

  // Remembers an event this process appended with `seq` and committed, until a catch-up has applied it.
  void Remember(std::int64_t seq, protocol::Event event);
  std::size_t remembered() const { return remembered_.size(); }

  // Applies every event after the mark to the derived tables and runs the alert rules on it, in one
  // transaction (or the caller's, when one is open); alerts raised or resolved are added to `pushes` (null:
  // dropped). On failure nothing of it stays, and the next catch-up starts from the same mark.
  Status CatchUp(std::vector<nlohmann::json>* pushes);

 private:
  // Applies the events after `through` in the open transaction; returns the new mark.
  Result<std::int64_t> ApplyAfter(std::int64_t through, std::vector<nlohmann::json>* pushes);

  store::Database& db_;
  AlertService* alerts_;
  std::map<std::int64_t, protocol::Event> remembered_;
};

}  // namespace temoin::rules

#endif  // TEMOIN_RULES_LOG_FOLLOWER_H_
