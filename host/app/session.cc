#include "app/session.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <vector>

#include "app/host_logger.h"
#include "app/synced_output.h"
#include "protocol/frame_reader.h"

namespace temoin::app {

namespace asio = boost::asio;

namespace {

// One read takes what the pipe holds (64 KiB on Linux) and more: a window of in-flight events arrives in one
// read and is committed as one batch.
constexpr std::size_t kReadChunkBytes = 256 * 1024;

// Cuts newline-separated JSON into frame events, with the same 1 MiB cap as the framed wire.
class LineSplitter {
 public:
  void Feed(std::string_view bytes, std::vector<protocol::FrameEvent>* out) {
    for (char c : bytes) {
      if (c == '\n') {
        if (too_long_) {
          out->push_back({protocol::FrameEvent::Kind::kTooLarge, {}, length_});
        } else if (!line_.empty() && line_ != "\r") {
          out->push_back({protocol::FrameEvent::Kind::kFrame, line_, line_.size()});
        }
        line_.clear();
        too_long_ = false;
        length_ = 0;
        continue;
      }
      ++length_;
      if (too_long_) continue;
      if (line_.size() >= protocol::kMaxRequestBytes) {
        too_long_ = true;
        line_.clear();
        continue;
      }
      line_.push_back(c);
    }
  }
  bool InsideFrame() const { return !line_.empty() || too_long_; }

 private:
  std::string line_;
  bool too_long_ = false;
  std::uint64_t length_ = 0;
};

}  // namespace

class Session::Impl {
 public:
  Impl(int in_fd, int out_fd, RequestHandler& handler, HostLog& log, SessionOptions options)
      : in_fd_(in_fd),
        handler_(handler),
        log_(log),
        options_(options),
        input_(io_),
        signals_(io_, SIGTERM, SIGINT),
        timer_(io_),
        catch_up_timer_(io_),
        // The writer thread ends output on a failed sync or a closed standard output: the session then stops at
        // once rather than wait for input that the sender, missing its acks, may never send.
        output_(out_fd, [this] { asio::post(io_, [this] { EndOfOutput(); }); }),
        buffer_(new char[kReadChunkBytes]) {}

  int Run() {
    struct stat st{};
    bool regular_file = ::fstat(in_fd_, &st) == 0 && S_ISREG(st.st_mode);
    if (!regular_file) {
      boost::system::error_code ec;
      input_.assign(::dup(in_fd_), ec);
      if (ec) regular_file = true;  // epoll refused it: fall back to blocking reads
    }
    use_blocking_reads_ = regular_file;

    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      log_.Info("stopping on signal " + std::to_string(signal) + " after " +
                std::to_string(handler_.events_stored()) + " events stored");
      Stop(kHostExitOk);
    });
    ArmTimer();
    ReadMore();
    io_.run();
    // Everything said is written before the session ends, each part after the syncs it waits for.
    Status ended = output_.Finish();
    if (ended.code() == Code::kStorage) {
      log_.Error("stopped acknowledging: " + ended.message());
      return kHostExitStorageFailed;
    }
    if (!ended.ok()) log_.Info(ended.message() + ": ending the session");
    return exit_status_;
  }

 private:
  void ReadMore() {
    if (stopped_) return;
    if (use_blocking_reads_) {
      asio::post(io_, [this] {
        ssize_t n;
        do {
          n = ::read(in_fd_, buffer_.get(), kReadChunkBytes);
        } while (n < 0 && errno == EINTR);
        OnRead(n > 0 ? static_cast<std::size_t>(n) : 0, n < 0 ? errno : 0);
      });
      return;
    }
    input_.async_read_some(asio::buffer(buffer_.get(), kReadChunkBytes),
                           [this](const boost::system::error_code& ec, std::size_t n) {
                             if (ec == asio::error::operation_aborted) return;
                             OnRead(n, ec ? (ec == asio::error::eof ? 0 : ec.value()) : 0);
                           });
  }

  void OnRead(std::size_t n, int error) {
    if (stopped_) return;
    if (n == 0) {
      if (error != 0) log_.Error(std::string("reading standard input failed: ") + std::strerror(error));
      bool truncated = options_.framing == Framing::kFrames ? frames_.InsideFrame() : lines_.InsideFrame();
      if (truncated) log_.Warn("the input ended inside a message; everything acknowledged before is kept");
      log_.Info("end of input: " + std::to_string(handler_.events_stored()) + " events stored in this session");
      Stop(kHostExitOk);
      return;
    }
    std::vector<protocol::FrameEvent> batch;
    std::string_view bytes(buffer_.get(), n);
    if (options_.framing == Framing::kFrames) {
      frames_.Feed(bytes);
      while (auto frame = frames_.Next()) batch.push_back(std::move(*frame));
    } else {
      lines_.Feed(bytes, &batch);
    }
    if (!batch.empty()) {
      for (const auto& f : batch) {
        if (f.kind == protocol::FrameEvent::Kind::kTooLarge) {
          log_.Warn("skipped a message of " + std::to_string(f.declared_length) + " bytes (the limit is 1 MiB)");
        }
      }
      BatchOutput out = handler_.HandleBatch(std::move(batch));
      if (!Write(out.frames)) return;
      if (out.end_stream) {
        log_.Error("the input is out of step (a message announced more than 64 MiB): stopping");
        Stop(kHostExitOutOfStep);
        return;
      }
      ScheduleCatchUp();
    }
    ReadMore();
  }

  void ScheduleCatchUp() {
    const std::size_t waiting = handler_.unprojected();
    // While the writer thread syncs what was just acknowledged, this thread would only wait for the next
    // batch, which the sender holds back until those acknowledgements arrive: the catch-up then costs the
    // stream nothing but its own CPU (docs/performance.md, "The WAL's sync beside the work").
    const bool syncing = SyncTicket::Now(handler_.wal_sync_deferral()).needed();
    if (waiting >= options_.catch_up_after_events || (waiting > 0 && syncing)) {
      CatchUpNow();
      return;
    }
    if (waiting == 0 || catch_up_armed_) return;
    catch_up_armed_ = true;
    catch_up_timer_.expires_after(options_.catch_up_delay);
    catch_up_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopped_) return;
      CatchUpNow();
    });
  }

  void CatchUpNow() {
    if (catch_up_armed_) {
      catch_up_armed_ = false;
      catch_up_timer_.cancel();
    }
    std::vector<std::string> frames;
    Status status = handler_.CatchUp(&frames);
    if (!status.ok()) {
      // Every event stays in the log; the next catch-up, here or in any process that opens the store, applies it.
      log_.Warn("the summary tables and alerts could not catch up with the log: " + status.ToString());
    }
    if (!output_ended_) Write(frames);
  }

  void ArmTimer() {
    timer_.expires_after(options_.timer_period);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopped_) return;
      std::vector<std::string> frames;
      Status status = handler_.RunTimers(&frames);
      if (!status.ok()) log_.Warn("time-based alert rules failed: " + status.ToString());
      if (!Write(frames)) return;
      ArmTimer();
    });
  }

  // Encodes whole frames, all of a batch in one write where the pipe takes it (a reply each was a system call
  // each), and hands them to the output, which writes them once every commit made so far is durable (SyncedOutput).
  // False (and the session stops) once output has ended: standard output closed, or a sync failed.
  bool Write(const std::vector<std::string>& bodies) {
    std::string out;
    for (const std::string& body : bodies) {
      if (options_.framing == Framing::kFrames) {
        auto encoded = protocol::EncodeFrame(body);
        if (!encoded) {
          log_.Error("dropped a reply of " + std::to_string(body.size()) + " bytes: over the 1 MiB a browser accepts");
          continue;
        }
        out += *encoded;
      } else {
        out += body;
        out += '\n';
      }
    }
    if (out.empty()) return !output_ended_;
    if (!output_.Write(std::move(out), SyncTicket::Now(handler_.wal_sync_deferral()))) {
      EndOfOutput();
      return false;
    }
    return true;
  }

  // Output has ended (SyncedOutput says why at Finish): nothing more can be answered.
  void EndOfOutput() {
    output_ended_ = true;
    Stop(exit_status_);
  }

  void Stop(int status) {
    if (stopped_) return;
    stopped_ = true;
    exit_status_ = status;
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    timer_.cancel();
    if (input_.is_open()) input_.close(ignored);
    io_.stop();
    // What this session acknowledged is applied before it ends, so a store closed cleanly is up to date.
    if (handler_.unprojected() > 0) CatchUpNow();
  }

  int in_fd_;
  RequestHandler& handler_;
  HostLog& log_;
  SessionOptions options_;
  asio::io_context io_;
  asio::posix::stream_descriptor input_;
  asio::signal_set signals_;
  asio::steady_timer timer_;
  asio::steady_timer catch_up_timer_;
  bool catch_up_armed_ = false;
  SyncedOutput output_;
  bool output_ended_ = false;
  // Left uninitialised: only the bytes a read returns are looked at, and zero-filling 256 KiB at start cost a
  // tenth of a ping's cold start (0.26 M instructions and ~66 page faults, docs/performance.md).
  std::unique_ptr<char[]> buffer_;
  protocol::FrameReader frames_;
  LineSplitter lines_;
  bool use_blocking_reads_ = false;
  bool stopped_ = false;
  int exit_status_ = kHostExitOk;
};

Session::Session(int in_fd, int out_fd, RequestHandler& handler, HostLog& log, SessionOptions options)
    : impl_(std::make_unique<Impl>(in_fd, out_fd, handler, log, options)) {}
Session::~Session() = default;
int Session::Run() { return impl_->Run(); }

}  // namespace temoin::app
