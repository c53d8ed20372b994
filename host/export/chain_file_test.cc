#include "export/chain_file.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "export/dossier.h"
#include "export/export_test_util.h"
#include "store/event_log.h"
#include "test_support/temp_dir.h"

namespace temoin::exporter {
namespace {

using nlohmann::json;

// A small exported chain, as lines.
std::vector<std::string> ExportedLines() {
  auto db = testing::OpenDatabase();
  EpochMs r = 1'783'000'000'000;
  for (int i = 1; i <= 5; ++i) {
    testing::Put(*db,
                 {{"type", "balance"}, {"id", "b" + std::to_string(i)}, {"at", "2026-07-0" + std::to_string(i) + "T10:00:00Z"},
                  {"amount", std::to_string(i * 10) + ".00"}, {"currency", "USD"}},
                 r += 1000);
  }
  temoin::testing::TempDir dir;
  FakeClock clock(r);
  auto result = WriteDossier(*db, clock, {"dataannotation", "ana@example.org"}, dir.path());
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  std::istringstream in(testing::ReadFile(dir.path() / "events.jsonl"));
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

ChainFileReport Check(const std::vector<std::string>& lines, const std::string& eol = "\n") {
  std::string text;
  for (const auto& l : lines) text += l + eol;
  std::istringstream in(text);
  auto report = VerifyChainFile(in);
  EXPECT_TRUE(report.ok());
  return *report;
}

TEST(ChainFileTest, AnIntactExportVerifies) {
  auto lines = ExportedLines();
  ASSERT_EQ(lines.size(), 5u);
  auto report = Check(lines);
  EXPECT_TRUE(report.ok());
  EXPECT_TRUE(report.from_genesis);
  EXPECT_EQ(report.events, 5);
  EXPECT_EQ(report.first_seq, 1);
  EXPECT_EQ(report.last_seq, 5);
  EXPECT_EQ(report.head_hash, json::parse(lines.back())["hash"]);
  EXPECT_TRUE(Check(lines, "\r\n").ok());  // a file passed through a Windows editor
}

TEST(ChainFileTest, AnEditedEventIsCaughtAtItsLine) {
  auto lines = ExportedLines();
  auto row = json::parse(lines[2]);
  row["event"]["amount"] = "3000.00";
  lines[2] = row.dump();
  auto report = Check(lines);
  EXPECT_FALSE(report.ok());
  ASSERT_EQ(report.broken.size(), 1u);
  EXPECT_EQ(report.broken[0].line, 3);
  EXPECT_EQ(report.broken[0].seq, 3);
  EXPECT_NE(report.broken[0].reason.find("edited"), std::string::npos);
}

TEST(ChainFileTest, ARecomputedHashIsCaughtAtTheNextLine) {
  // Whoever edits a line and fixes its hash breaks the next line's prev_hash instead.
  auto lines = ExportedLines();
  auto row = json::parse(lines[1]);
  row["event"]["amount"] = "3000.00";
  row["hash"] = store::LinkHash(row["prev_hash"], store::CanonicalRow(row["seq"], row["received_at"], row["event"].dump()));
  lines[1] = row.dump();
  auto report = Check(lines);
  ASSERT_EQ(report.broken.size(), 1u);
  EXPECT_EQ(report.broken[0].line, 3);
  EXPECT_NE(report.broken[0].reason.find("prev_hash"), std::string::npos);
}

TEST(ChainFileTest, RemovedAndReorderedLinesAreCaught) {
  auto lines = ExportedLines();
  auto removed = lines;
  removed.erase(removed.begin() + 2);
  auto report = Check(removed);
  ASSERT_EQ(report.broken.size(), 1u);
  EXPECT_EQ(report.broken[0].line, 3);
  EXPECT_EQ(report.broken[0].seq, 4);

  auto swapped = lines;
  std::swap(swapped[1], swapped[3]);
  EXPECT_FALSE(Check(swapped).ok());
}

TEST(ChainFileTest, ColumnsMustAgreeWithTheHashedEvent) {
  auto lines = ExportedLines();
  auto row = json::parse(lines[0]);
  row["at"] = "2020-01-01T00:00:00Z";
  lines[0] = row.dump();
  auto report = Check(lines);
  ASSERT_EQ(report.broken.size(), 1u);
  EXPECT_EQ(report.broken[0].line, 1);
}

TEST(ChainFileTest, MalformedLinesStopTheCheck) {
  auto lines = ExportedLines();
  lines[3] = "{not json";
  auto report = Check(lines);
  ASSERT_TRUE(report.malformed.has_value());
  EXPECT_EQ(report.malformed->line, 4);
  EXPECT_FALSE(report.ok());

  auto blank = ExportedLines();
  blank.insert(blank.begin() + 1, "");
  EXPECT_TRUE(Check(blank).malformed.has_value());

  std::istringstream empty("");
  auto none = VerifyChainFile(empty);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->ok());
  EXPECT_EQ(none->events, 0);
}

TEST(ChainFileTest, ASliceStartsFromItsStatedLink) {
  auto lines = ExportedLines();
  std::vector<std::string> tail(lines.begin() + 2, lines.end());
  auto report = Check(tail);
  EXPECT_TRUE(report.ok());
  EXPECT_FALSE(report.from_genesis);
  EXPECT_EQ(report.start_hash, json::parse(lines[1])["hash"]);
}

}  // namespace
}  // namespace temoin::exporter
