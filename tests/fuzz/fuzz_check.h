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

// A check of a known, reported bug can be silenced while it is being fixed, so that a fuzz run explores past it:
// TEMOIN_FUZZ_IGNORE=amount-cap,other-name. By default every check is on (CI runs them all).
#include <cstring>
#include <string>
inline bool FuzzIgnored(const char* name) {
  const char* list = std::getenv("TEMOIN_FUZZ_IGNORE");
  if (list == nullptr) return false;
  std::string s = std::string(",") + list + ",";
  return s.find(std::string(",") + name + ",") != std::string::npos;
}
#define FUZZ_CHECK_UNLESS_IGNORED(name, condition, ...) \
  do {                                                   \
    if (!FuzzIgnored(name)) FUZZ_CHECK(condition, __VA_ARGS__); \
  } while (0)

#endif  // TEMOIN_TESTS_FUZZ_FUZZ_CHECK_H_
