// A check for the fuzz targets: an invariant that fails is a crash libFuzzer records (with the input that
// caused it in crash-<sha1>), not a silent return. Targets never use assert(), which NDEBUG would remove.
#ifndef TEMOIN_TESTS_FUZZ_FUZZ_CHECK_H_
#define TEMOIN_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, ...)                                                   \
  do {                                                                               \
    if (!(condition)) {                                                              \
      std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  ", __FILE__, __LINE__, \
                   #condition);                                                      \
      std::fprintf(stderr, __VA_ARGS__);                                             \
      std::fprintf(stderr, "\n");                                                    \
      std::abort();                                                                  \
    }                                                                                \
  } while (0)

#endif  // TEMOIN_TESTS_FUZZ_FUZZ_CHECK_H_
