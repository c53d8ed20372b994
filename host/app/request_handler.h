// RequestHandler: the host's behaviour, without any I/O. The session hands it every frame that arrived
// together (a batch); it answers each in order and decides durability in exactly one place:
//
//   consecutive events of a batch -> one transaction: append to the log (idempotent by id), update the
//   derived tables, run the alert rules -> COMMIT -> only then their acknowledgements are released.
//
// A query ends the run of events before it (they are committed first), so it sees them. If a commit fails,
// every event of that transaction is answered `storage` and nothing of it is stored. Alert pushes follow the
// replies of the batch that caused them.
#ifndef TEMOIN_APP_REQUEST_HANDLER_H_
#define TEMOIN_APP_REQUEST_HANDLER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "platform/clock.h"
#include "protocol/frame_reader.h"
#include "protocol/messages.h"
#include "store/database.h"

namespace temoin::rules {
class AlertService;
}
namespace temoin::exporter {
class DossierService;
}

namespace temoin::app {

struct BatchOutput {
  std::vector<std::string> frames;  // reply and push bodies (JSON text), in the order to write them
  bool end_stream = false;          // the stream is out of step: write the frames, then exit non-zero
};

class RequestHandler {
 public:
  // `alerts` and `dossiers` may be null (then their messages are answered as unavailable). `db` may be null
  // when the database could not be opened: every request is then answered with `store_status`, so the
  // extension can show why instead of "Native host has exited".
  RequestHandler(store::Database* db, const Clock& clock, bool caller_allowed, rules::AlertService* alerts,
                 exporter::DossierService* dossiers, Status store_status = Status::Ok());

  BatchOutput HandleBatch(std::vector<protocol::FrameEvent> frames);

  // Runs the time-based alert rules (the session's timer); appends the pushes to write.
  Status RunTimers(std::vector<std::string>* frames);

  // Statistics for the log at exit.
  std::int64_t events_stored() const { return events_stored_; }

 private:
  struct Pending {
    std::size_t index;
    protocol::Event event;
    std::string re;
  };

  void FlushEvents(std::vector<Pending>& pending, std::vector<std::optional<nlohmann::json>>& replies,
                   std::vector<nlohmann::json>& pushes);
  nlohmann::json HandleQuery(const protocol::Request& request, std::vector<nlohmann::json>& pushes);

  store::Database* db_;
  const Clock& clock_;
  bool caller_allowed_;
  Status store_status_;
  rules::AlertService* alerts_;
  exporter::DossierService* dossiers_;
  std::int64_t events_stored_ = 0;
};

}  // namespace temoin::app

#endif  // TEMOIN_APP_REQUEST_HANDLER_H_
