// Session: the host's event loop (Boost.Asio, one thread). It reads standard input as it arrives, cuts it into
// frames, hands each batch (everything that arrived together) to the RequestHandler, and writes the answers.
// The answers go out through SyncedOutput (app/synced_output.h): once the store's commits defer their WAL sync,
// a writer thread syncs and then writes, while this thread goes on with the next batch or a catch-up.
//
//  - End of input ends the session with exit 0: the batch in flight is committed and answered first. A stream
//    that ends inside a frame is logged; everything acknowledged before stays stored.
//  - SIGTERM / SIGINT stop it between batches (handlers never interleave: one thread).
//  - A closed standard output (EPIPE; SIGPIPE is ignored by main) is the end of the session, not a crash.
//  - An out-of-step stream (a length above 64 MiB) is answered once, logged, and ends the host with exit 2.
//  - The derived tables and the alert rules catch up with the log (RequestHandler::CatchUp) while a batch's
//    acknowledgements wait for the WAL's sync (this thread would otherwise wait for the next batch, which the
//    sender holds back until then), a few milliseconds after events were acknowledged, at once when many wait,
//    and when the session ends, however it ends: a worker's single event is followed by its alerts at once.
//  - A failed sync of the WAL ends the host with exit 3: what waited for it was never acknowledged.
//  - A timer runs the time-based alert rules every minute.
// Standard input may be a pipe (what browsers give) or a regular file (`temoin-host < frames.bin`); epoll
// refuses regular files, so those are read with plain blocking reads on the same loop.
#ifndef TEMOIN_APP_SESSION_H_
#define TEMOIN_APP_SESSION_H_

#include <chrono>
#include <memory>

#include "app/request_handler.h"

namespace temoin::app {

class HostLog;

// How requests are cut from the input. kFrames is the browsers' wire; kLines is for humans at a terminal
// (one JSON message per line in, one per line out), like web-eid-app's mode without framing.
enum class Framing { kFrames, kLines };

struct SessionOptions {
  Framing framing = Framing::kFrames;
  std::chrono::milliseconds timer_period{60'000};
  // How long after an acknowledgement the views catch up at the latest: short enough that an alert reaches the
  // popup with the event that raised it, long enough to gather a stream's batches into one catch-up.
  std::chrono::milliseconds catch_up_delay{10};
  // Catch up at once when this many acknowledged events wait. Measured on 1M events (docs/performance.md): 128
  // and 256 took the same CPU an event, 1,024 a fifth more (a run's pages no longer fit the page cache) and 1 MiB
  // more memory (the events remembered until applied); 128 keeps the pause it costs the acks short.
  std::size_t catch_up_after_events = 128;
};

// Exit statuses of temoin-host.
inline constexpr int kHostExitOk = 0;
inline constexpr int kHostExitStartFailed = 1;
inline constexpr int kHostExitOutOfStep = 2;
// A sync of the WAL failed: what waited for it was never acknowledged, and nothing more is (SyncedOutput).
inline constexpr int kHostExitStorageFailed = 3;

class Session {
 public:
  Session(int in_fd, int out_fd, RequestHandler& handler, HostLog& log, SessionOptions options);
  ~Session();

  // Runs until end of input, a signal, a closed output or an out-of-step stream; returns the exit status.
  int Run();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace temoin::app

#endif  // TEMOIN_APP_SESSION_H_
