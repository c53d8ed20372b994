#include "export/downloads.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "export/dossier_service.h"
#include "export/export_test_util.h"
#include "test_support/temp_dir.h"

namespace temoin::exporter {
namespace {

namespace fs = std::filesystem;
using testing::At;


// A fake xdg-user-dir answering `answer`, in its own PATH folder.
fs::path FakeXdgUserDir(const fs::path& dir, const std::string& answer) {
  fs::create_directories(dir);
  testing::WriteFile(dir / "xdg-user-dir", "#!/bin/sh\necho '" + answer + "'\n");
  fs::permissions(dir / "xdg-user-dir", fs::perms::owner_all);
  return dir;
}

TEST(DownloadsTest, FallsBackToHomeDownloads) {
  temoin::testing::TempDir home;
  FakeEnvironment env({{"HOME", home.path().string()}, {"PATH", (home.path() / "nothing-here").string()}});
  auto dir = DownloadsDir(env);
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  EXPECT_EQ(*dir, home.path() / "Downloads");
  EXPECT_TRUE(fs::is_directory(*dir));
}

TEST(DownloadsTest, AsksXdgUserDir) {
  temoin::testing::TempDir home;
  fs::path bin = FakeXdgUserDir(home.path() / "bin", (home.path() / "Téléchargements").string());
  FakeEnvironment env({{"HOME", home.path().string()}, {"PATH", bin.string()}});
  auto dir = DownloadsDir(env);
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(*dir, home.path() / "Téléchargements");
}

TEST(DownloadsTest, AnUnconfiguredAnswerOfHomeIsNotUsed) {
  temoin::testing::TempDir home;
  fs::path bin = FakeXdgUserDir(home.path() / "bin", home.path().string());
  FakeEnvironment env({{"HOME", home.path().string()}, {"PATH", bin.string()}});
  EXPECT_EQ(*DownloadsDir(env), home.path() / "Downloads");
  fs::path relative = FakeXdgUserDir(home.path() / "bin2", "relative/path");
  env.Set("PATH", relative.string());
  EXPECT_EQ(*DownloadsDir(env), home.path() / "Downloads");
}

TEST(DownloadsTest, RealXdgUserDirWithoutConfiguration) {
  if (!fs::exists("/usr/bin/xdg-user-dir")) GTEST_SKIP() << "xdg-user-dir is not installed";
  temoin::testing::TempDir home;
  FakeEnvironment env({{"HOME", home.path().string()}, {"PATH", "/usr/bin:/bin"}});
  EXPECT_EQ(*DownloadsDir(env), home.path() / "Downloads");
  fs::create_directories(home.path() / ".config");
  testing::WriteFile(home.path() / ".config/user-dirs.dirs", "XDG_DOWNLOAD_DIR=\"$HOME/Dl\"\n");
  EXPECT_EQ(*DownloadsDir(env), home.path() / "Dl");
}

TEST(DownloadsTest, FolderSlugs) {
  EXPECT_EQ(FolderSlug("ana@example.org"), "ana@example.org");
  EXPECT_EQ(FolderSlug("../../etc/passwd"), "etc-passwd");
  EXPECT_EQ(FolderSlug("Ana Lopez / <Team>"), "ana-lopez-team");
  EXPECT_EQ(FolderSlug("\u202E😀"), "account");
  EXPECT_EQ(FolderSlug(std::string(100, 'a')).size(), 40u);
}

TEST(DownloadsTest, DatedFoldersNeverCollide) {
  temoin::testing::TempDir parent;
  FakeClock clock(At("2026-07-14T07:30:00Z"), 2 * 3600);
  auto first = CreateDatedFolder(parent.path(), "dataannotation", "ana@example.org", clock);
  auto second = CreateDatedFolder(parent.path(), "dataannotation", "ana@example.org", clock);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->filename(), "temoin-dataannotation-ana@example.org-2026-07-14T0930");
  EXPECT_EQ(second->filename(), "temoin-dataannotation-ana@example.org-2026-07-14T0930-2");
  struct stat st {};
  ASSERT_EQ(::stat(first->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(DossierServiceTest, ExportMessageWritesIntoDownloads) {
  temoin::testing::TempDir home;
  FakeEnvironment env({{"HOME", home.path().string()}, {"PATH", (home.path() / "none").string()}});
  FakeClock clock(At("2026-07-14T07:30:00Z"));
  auto db = testing::OpenDatabase();
  testing::Put(*db, {{"type", "balance"}, {"id", "b1"}, {"at", "2026-07-01T10:00:00Z"}, {"amount", "10.00"},
                     {"currency", "USD"}},
               At("2026-07-01T10:00:01Z"));
  DossierService service(*db, clock, env);
  EXPECT_FALSE(service.HandleQuery({"q", "ping", protocol::Ping{}}).has_value());

  protocol::ExportRequest request{"dataannotation", "ana@example.org", std::nullopt, std::nullopt, "fr"};
  auto reply = service.HandleQuery({"x1", "export", request});
  ASSERT_TRUE(reply.has_value());
  ASSERT_TRUE((*reply)["ok"].get<bool>()) << reply->dump();
  fs::path path = (*reply)["path"].get<std::string>();
  EXPECT_EQ(path.parent_path(), home.path() / "Downloads");
  EXPECT_EQ(path.filename(), "temoin-dataannotation-ana@example.org-2026-07-14T0730");
  EXPECT_EQ((*reply)["files"].size(), 5u);
  for (const auto& name : (*reply)["files"]) EXPECT_TRUE(fs::exists(path / name.get<std::string>())) << name;
  EXPECT_NE(testing::ReadFile(path / "dossier.html").find("lang=\"fr\""), std::string::npos);

  request.account = "nobody";
  auto refused = service.HandleQuery({"x2", "export", request});
  ASSERT_TRUE(refused.has_value());
  EXPECT_FALSE((*refused)["ok"].get<bool>());
  EXPECT_EQ((*refused)["error"]["code"], "bad_message");
  EXPECT_EQ((*refused)["error"]["field"], "account");
  // Nothing half-made is left: only the first export's folder.
  EXPECT_EQ(std::distance(fs::directory_iterator(home.path() / "Downloads"), fs::directory_iterator()), 1);
}

TEST(DossierServiceTest, AnExportSyncsTheCommitsItMayContainFirst) {
  temoin::testing::TempDir home;
  FakeEnvironment env({{"HOME", home.path().string()}, {"PATH", (home.path() / "none").string()}});
  FakeClock clock(At("2026-07-14T07:30:00Z"));
  auto db = store::Database::Open(home.path() / "temoin.db");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto deferral = (*db)->DeferWalSyncs();
  ASSERT_TRUE(deferral.ok()) << deferral.status().ToString();
  for (const char* id : {"b1", "b2"}) {
    testing::Put(**db, {{"type", "balance"}, {"id", id}, {"at", "2026-07-01T10:00:00Z"}, {"amount", "10.00"},
                        {"currency", "USD"}},
                 At("2026-07-01T10:00:01Z"));
  }
  ASSERT_TRUE((*deferral)->pending());  // the host's commits, not yet durable
  DossierService service(**db, clock, env);
  protocol::ExportRequest request{"dataannotation", "ana@example.org", std::nullopt, std::nullopt, "en"};
  auto reply = service.HandleQuery({"x1", "export", request});
  ASSERT_TRUE(reply.has_value());
  ASSERT_TRUE((*reply)["ok"].get<bool>()) << reply->dump();
  EXPECT_FALSE((*deferral)->pending()) << "the dossier reached the disk before the events it holds";
}

}  // namespace
}  // namespace temoin::exporter
