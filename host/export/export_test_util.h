// Helpers for the export unit tests: an in-memory (or file) database filled through the real decoder, log and
// projections, with fixed receive times so that hashes, and therefore golden files, never change.
#ifndef TEMOIN_EXPORT_EXPORT_TEST_UTIL_H_
#define TEMOIN_EXPORT_EXPORT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/decode.h"
#include "protocol/timestamp.h"
#include "store/database.h"
#include "store/event_log.h"
#include "store/projections.h"

namespace temoin::exporter::testing {

inline std::unique_ptr<store::Database> OpenDatabase(const std::string& file = ":memory:") {
  auto db = store::Database::Open(file);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return std::move(db).value();
}

// Appends and projects one event (a contract v1 message without "v"), received at `received`.
inline std::int64_t Put(store::Database& db, nlohmann::json message, EpochMs received) {
  message["v"] = 1;
  if (!message.contains("platform")) message["platform"] = "dataannotation";
  if (!message.contains("account")) message["account"] = "ana@example.org";
  auto decoded = protocol::DecodeRequest(message.dump(), *protocol::ParseRfc3339("2030-01-01T00:00:00Z"));
  EXPECT_TRUE(decoded.status.ok()) << decoded.status.ToString() << " for " << message.dump();
  if (!decoded.status.ok()) return 0;
  const auto& e = std::get<protocol::Event>(decoded.request->body);
  EXPECT_TRUE(db.Begin().ok());
  store::EventLog log(db);
  auto appended = log.Append({e.id, std::string(protocol::EventTypeName(e.type)), e.platform, e.account, e.at_text,
                              e.at, e.canonical},
                             received);
  EXPECT_TRUE(appended.ok()) << appended.status().ToString();
  if (appended.ok() && !appended->duplicate) {
    store::Projections projections(db);
    Status s = projections.Apply(e, appended->seq);
    if (s.ok()) s = projections.MarkProjectedThrough(appended->seq);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  EXPECT_TRUE(db.Commit().ok());
  return appended.ok() ? appended->seq : 0;
}

// An RFC 3339 time as the store's milliseconds.
inline EpochMs At(const char* text) { return *protocol::ParseRfc3339(text); }

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// Splits RFC 4180 text into rows of cells (quoted cells may hold commas, quotes and line breaks).
inline std::vector<std::vector<std::string>> ParseCsv(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      EXPECT_TRUE(cell.empty()) << "a quote inside an unquoted cell: " << cell;
      quoted = was_quoted = true;
    } else if (c == ',') {
      row.push_back(cell);
      cell.clear();
      was_quoted = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(cell);
      rows.push_back(row);
      row.clear();
      cell.clear();
      was_quoted = false;
      ++i;
    } else {
      EXPECT_NE(c, '\n') << "a bare line feed outside a quoted cell";
      cell += c;
    }
  }
  EXPECT_FALSE(quoted) << "an unterminated quoted cell";
  if (!cell.empty() || !row.empty() || was_quoted) {
    row.push_back(cell);
    rows.push_back(row);
  }
  return rows;
}

}  // namespace temoin::exporter::testing

#endif  // TEMOIN_EXPORT_EXPORT_TEST_UTIL_H_
