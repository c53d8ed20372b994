#include "app/synced_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace temoin::app {

bool SyncedOutput::Write(std::string bytes, SyncTicket ticket) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!ended_.ok()) return false;
  if (!writer_.joinable() && (!ticket.needed() || !waited_once_)) {
    // Nothing queued: written here, as a host without deferred syncs would, after the sync if there is one.
    // The first write that waits for one does so here too: a cold start's one event neither starts a thread nor
    // has its sync overlap the catch-up that follows (that cost it 0.3-0.5 ms, docs/performance.md).
    if (ticket.needed()) waited_once_ = true;
    lock.unlock();
    Status written = SyncThenWrite(bytes, ticket);
    if (written.ok()) return true;
    lock.lock();
    if (ended_.ok()) ended_ = written;
    return false;
  }
  queued_ += bytes;
  if (ticket.deferral != nullptr) queued_ticket_ = ticket;  // tickets only grow: a later one covers the earlier
  if (!writer_.joinable()) writer_ = std::thread([this] { WriterLoop(); });
  wake_.notify_one();
  return true;
}

Status SyncedOutput::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    finishing_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
  std::lock_guard<std::mutex> lock(mu_);
  return ended_;
}

void SyncedOutput::WriterLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return !queued_.empty() || finishing_; });
    if (queued_.empty()) return;  // finishing, and everything is written
    std::string bytes = std::move(queued_);
    queued_.clear();
    SyncTicket ticket = queued_ticket_;
    queued_ticket_ = {};
    lock.unlock();
    // One sync for everything gathered: the batches committed while the previous sync ran share this one.
    Status status = SyncThenWrite(bytes, ticket);
    lock.lock();
    if (!status.ok()) {
      if (ended_.ok()) ended_ = status;
      queued_.clear();
      lock.unlock();
      if (on_end_) on_end_();
      return;  // nothing more is written
    }
  }
}

Status SyncedOutput::SyncThenWrite(const std::string& bytes, SyncTicket ticket) {
  if (ticket.deferral != nullptr) TEMOIN_RETURN_IF_ERROR(ticket.deferral->SyncThrough(ticket.through));
  return WriteAll(bytes);
}

Status SyncedOutput::WriteAll(const std::string& bytes) {
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status(Code::kIo, std::string("standard output is closed (") + std::strerror(errno) + ")");
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

}  // namespace temoin::app
