#include "app/caller.h"

#include <fstream>

#include <gtest/gtest.h>

#include "protocol/extension_identity.h"
#include "test_support/temp_dir.h"

namespace temoin::app {
namespace {

Caller Chromium(const std::string& id) { return IdentifyCaller({"chrome-extension://" + id + "/"}); }

TEST(CheckCaller, OwnIdsAndTheLocalUserAreServedWithoutReadingHostJson) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "host.json") << "not json";  // would be reported if it were read
  for (const Caller& caller : {IdentifyCaller({}), Chromium(protocol::ChromiumExtensionId()),
                               IdentifyCaller({"/home/u/.mozilla/native-messaging-hosts/org.temoin.host.json",
                                               std::string(protocol::FirefoxExtensionId())})}) {
    CallerCheck check = CheckCaller(caller, dir.path());
    EXPECT_TRUE(check.allowed) << caller.description;
    EXPECT_TRUE(check.config_status.ok()) << caller.description;
  }
  CallerCheck unknown = CheckCaller(IdentifyCaller({"something"}), dir.path());
  EXPECT_FALSE(unknown.allowed);
  EXPECT_TRUE(unknown.config_status.ok());
}

TEST(CheckCaller, OtherIdsAreLookedUpInHostJson) {
  testing::TempDir dir;
  const std::string store_id(32, 'b');
  EXPECT_FALSE(CheckCaller(Chromium(store_id), dir.path()).allowed);  // no host.json
  std::ofstream(dir.path() / "host.json") << R"({"extra_extension_ids":[")" + store_id + R"("]})";
  EXPECT_TRUE(CheckCaller(Chromium(store_id), dir.path()).allowed);
  EXPECT_FALSE(CheckCaller(Chromium(std::string(32, 'c')), dir.path()).allowed);
  std::ofstream(dir.path() / "host.json") << "[]";
  CallerCheck malformed = CheckCaller(Chromium(store_id), dir.path());
  EXPECT_FALSE(malformed.allowed);
  EXPECT_FALSE(malformed.config_status.ok());
}

TEST(CheckCaller, AgreesWithTheFullAllowList) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "host.json") << R"({"extra_extension_ids":["x@y.org"]})";
  AllowList full = LoadAllowList(dir.path());
  for (const Caller& caller :
       {IdentifyCaller({}), IdentifyCaller({"odd"}), Chromium(protocol::ChromiumExtensionId()), Chromium("x@y.org"),
        Chromium(std::string(32, 'a')),
        IdentifyCaller({"/m.json", std::string(protocol::FirefoxExtensionId())}),
        IdentifyCaller({"/m.json", "x@y.org"}), IdentifyCaller({"/m.json", "evil@example.org"})}) {
    EXPECT_EQ(CheckCaller(caller, dir.path()).allowed, IsAllowed(caller, full)) << caller.description;
  }
}

TEST(LoadAllowListTest, AnEmptyDataFolderReadsNoHostJsonFromTheCurrentDirectory) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "host.json") << R"({"extra_extension_ids":["planted@example.org"]})";
  const auto before = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  AllowList list = LoadAllowList({});
  std::filesystem::current_path(before);
  EXPECT_TRUE(list.config_status.ok());
  const AllowList built_in = LoadAllowList(dir.path() / "nothing-here");
  EXPECT_EQ(list.ids, built_in.ids);
  EXPECT_EQ(LoadAllowList(dir.path()).ids.size(), built_in.ids.size() + 1) << "the same file in the data folder counts";
}

}  // namespace
}  // namespace temoin::app
