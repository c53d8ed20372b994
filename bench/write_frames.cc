// Writes the bench's events (bench/workload.h: 20 accounts over about three years, ending now) to stdout as
// native-messaging frames, so that a host can be fed from a file, without the driver, under a profiler:
//
//   ./write_frames --events 200032 > all.bin
//   valgrind --tool=callgrind ./temoin-host < all.bin > /dev/null     (TEMOIN_DATA_DIR set to a scratch folder)
//
// --skip N leaves out the first N events of the sequence and --take N stops after N, so that a history and the
// batch that follows it can be written separately (bench/wal_frames.py does that): with the same --events and
// --end-ms, `--skip 200000` is what follows `--take 200000`. --end-ms is the last session's time (default: a
// minute ago).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "workload.h"

int main(int argc, char** argv) {
  long long events = 1000, skip = 0, take = -1;
  long long end_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count() - 60'000;
  for (int i = 1; i < argc; ++i) {
    auto number = [&](long long* out) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      *out = std::strtoll(argv[++i], &end, 10);
      return *end == '\0' && *out >= 0;
    };
    bool ok = false;
    if (std::strcmp(argv[i], "--events") == 0) ok = number(&events);
    else if (std::strcmp(argv[i], "--skip") == 0) ok = number(&skip);
    else if (std::strcmp(argv[i], "--take") == 0) ok = number(&take);
    else if (std::strcmp(argv[i], "--end-ms") == 0) ok = number(&end_ms);
    if (!ok) {
      std::fprintf(stderr, "usage: write_frames [--events N] [--skip N] [--take N] [--end-ms MS] > FILE\n");
      return 64;
    }
  }
  using temoin::bench::Workload;
  Workload workload(events, Workload::kAccounts, Workload::kDays, end_ms, /*id_seed=*/2);
  for (long long n = 0; !workload.Done(); ++n) {
    std::string body = workload.Next();
    if (n < skip) continue;
    if (take >= 0 && n - skip >= take) break;
    // The length prefix is in the machine's byte order (the protocol's rule); this bench runs where the host does.
    const std::uint32_t length = static_cast<std::uint32_t>(body.size());
    if (std::fwrite(&length, sizeof length, 1, stdout) != 1 ||
        std::fwrite(body.data(), 1, body.size(), stdout) != body.size()) {
      std::perror("write_frames: stdout");
      return 1;
    }
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}
