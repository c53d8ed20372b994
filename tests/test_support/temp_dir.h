// A temporary folder for one test, removed when the test ends. Tests never touch the user's data.
#ifndef TEMOIN_TESTS_TEST_SUPPORT_TEMP_DIR_H_
#define TEMOIN_TESTS_TEST_SUPPORT_TEMP_DIR_H_

#include <filesystem>

namespace temoin::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace temoin::testing

#endif  // TEMOIN_TESTS_TEST_SUPPORT_TEMP_DIR_H_
