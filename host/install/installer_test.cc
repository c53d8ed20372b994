// The systemd unit the installer writes for the hourly check: quoting of paths (spaces, quotes, %, $) and the
// daily backup read back from a unit it wrote.
#include "install/installer.h"

#include <gtest/gtest.h>

namespace temoin::install {
namespace {

TEST(SystemdQuote, PlainPathsStayAsTheyAre) {
  EXPECT_EQ(SystemdQuote("/usr/bin/temoin"), "/usr/bin/temoin");
  EXPECT_EQ(SystemdQuote("/home/ana/.local/bin/temoin-2_0+x,y=z@h:1"), "/home/ana/.local/bin/temoin-2_0+x,y=z@h:1");
  EXPECT_EQ(SystemdQuote(""), "\"\"");
}

TEST(SystemdQuote, AnythingElseIsQuotedAndEscaped) {
  EXPECT_EQ(SystemdQuote("/media/ana/My Stick/temoin"), "\"/media/ana/My Stick/temoin\"");
  EXPECT_EQ(SystemdQuote("/a \"b\" \\c"), "\"/a \\\"b\\\" \\\\c\"");
  EXPECT_EQ(SystemdQuote("/100%h"), "\"/100%%h\"") << "a specifier would expand";
  EXPECT_EQ(SystemdQuote("/$HOME"), "\"/$$HOME\"") << "a variable would expand";
  EXPECT_EQ(SystemdQuote("/a\nb"), "\"/a\\x0ab\"");
  EXPECT_EQ(SystemdQuote("/a;b"), "\"/a;b\"");
}

TEST(SystemdSplit, UndoesSystemdQuote) {
  std::vector<std::string> args = {"/opt/my apps/temoin", "check", "--backup-dir",
                                   "/media/ana/Clé USB/100% \"sûr\" $HOME %h \\ 'x' \t;", "--keep", "3", ""};
  std::string line;
  for (const auto& a : args) line += (line.empty() ? "" : " ") + SystemdQuote(a);
  EXPECT_EQ(SystemdSplit(line), args) << line;
  EXPECT_EQ(SystemdSplit("  /usr/bin/temoin   check  "), (std::vector<std::string>{"/usr/bin/temoin", "check"}));
  EXPECT_EQ(SystemdSplit("'/a b' c\\ d"), (std::vector<std::string>{"/a b", "c d"}));
}

TEST(CheckServiceUnit, WithoutABackupTheCommandIsUnchanged) {
  std::string unit = CheckServiceUnit("/usr/bin/temoin");
  EXPECT_NE(unit.find("\nExecStart=/usr/bin/temoin check\n"), std::string::npos) << unit;
  EXPECT_FALSE(DailyBackupFromServiceUnit(unit).has_value());
}

TEST(CheckServiceUnit, TheDailyBackupIsWrittenQuotedAndReadBack) {
  DailyBackup backup{.dir = "/media/ana/My Stick/témoin 100%", .keep = 14};
  std::string unit = CheckServiceUnit("/opt/Témoin app/temoin", backup);
  EXPECT_NE(unit.find("\nExecStart=\"/opt/Témoin app/temoin\" check --backup-dir \"/media/ana/My Stick/témoin "
                      "100%%\" --keep 14\n"),
            std::string::npos)
      << unit;
  auto back = DailyBackupFromServiceUnit(unit);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, backup);

  DailyBackup default_keep{.dir = "/srv/backups"};
  std::string plain = CheckServiceUnit("/usr/bin/temoin", default_keep);
  EXPECT_NE(plain.find("\nExecStart=/usr/bin/temoin check --backup-dir /srv/backups\n"), std::string::npos) << plain;
  EXPECT_EQ(DailyBackupFromServiceUnit(plain), default_keep);
}

TEST(CheckServiceUnit, OnlyAnAbsoluteFolderOfACheckCommandIsReadBack) {
  EXPECT_FALSE(DailyBackupFromServiceUnit("ExecStart=/usr/bin/temoin check --backup-dir relative\n").has_value());
  EXPECT_FALSE(DailyBackupFromServiceUnit("ExecStart=/usr/bin/temoin status --backup-dir /x\n").has_value());
  EXPECT_FALSE(DailyBackupFromServiceUnit("[Service]\n").has_value());
  auto eq = DailyBackupFromServiceUnit("ExecStart=/usr/bin/temoin check --backup-dir=/x --keep=2\n");
  ASSERT_TRUE(eq.has_value());
  EXPECT_EQ(eq->dir, "/x");
  EXPECT_EQ(eq->keep, 2);
}

}  // namespace
}  // namespace temoin::install
