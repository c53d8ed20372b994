#include "app/host_logger.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_support/temp_dir.h"

namespace temoin::app {
namespace {

std::string ReadLog(const std::filesystem::path& dir) {
  std::ifstream in(dir / "temoin-host.log", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(HostLog, OpensNoFileBeforeTheFirstLine) {
  testing::TempDir dir;
  HostLog log(dir.path());
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "temoin-host.log"));
  log.Info("first line");
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "temoin-host.log"));
}

TEST(HostLog, WritesEachLineAsItIsWithItsLevel) {
  testing::TempDir dir;
  {
    HostLog log(dir.path());
    // Braces from a path or a message are text, not a format string.
    log.Info("end of input: {} events {0} {:>9}");
    log.Warn("skipped a message of 2000000 bytes");
    log.Error("the database is unavailable: cannot open /tmp/{x}/temoin.db");
  }
  const std::string text = ReadLog(dir.path());
  EXPECT_NE(text.find("info: end of input: {} events {0} {:>9}\n"), std::string::npos) << text;
  EXPECT_NE(text.find("warning: skipped a message of 2000000 bytes\n"), std::string::npos) << text;
  EXPECT_NE(text.find("error: the database is unavailable: cannot open /tmp/{x}/temoin.db\n"), std::string::npos)
      << text;
}

TEST(HostLog, WithoutADataFolderWritesNoFile) {
  testing::TempDir dir;
  const auto before = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  {
    HostLog log{std::filesystem::path()};
    log.Info("nowhere to keep this");
  }
  std::filesystem::current_path(before);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace temoin::app
