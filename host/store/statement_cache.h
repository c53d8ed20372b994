// StatementCache: the compiled statements of one connection, kept for reuse.
//
// Compiling a statement (sqlite3_prepare_v2) costs far more than running one of ours: on the ingest path an
// event runs about a dozen short statements, and compiling each afresh was most of its CPU time
// (docs/performance.md). The cache compiles each SQL text once per connection and hands it out as a lease.
//
// A lease resets the statement and clears its bindings when it ends. That matters beyond tidiness: a SELECT
// left mid-step keeps its read transaction open, so a long-lived host would go on reading an old snapshot and
// block WAL checkpoints. If the same text is leased again while a lease on it is still alive (a function that
// calls itself, or a caller holding a row while calling a helper with the same query), the second lease gets a
// private statement compiled for it instead of sharing the busy one.
#ifndef TEMOIN_STORE_STATEMENT_CACHE_H_
#define TEMOIN_STORE_STATEMENT_CACHE_H_

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <cstdint>

namespace temoin::store {

class CachedStatement {
 public:
  CachedStatement(CachedStatement&& other) noexcept
      : statement_(std::exchange(other.statement_, nullptr)),
        busy_flag_(std::exchange(other.busy_flag_, nullptr)),
        owned_(std::move(other.owned_)) {}
  CachedStatement& operator=(CachedStatement&&) = delete;
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  ~CachedStatement();

  SQLite::Statement& operator*() { return *statement_; }
  SQLite::Statement* operator->() { return statement_; }

  // The few calls every user makes, so that a lease reads like the statement it holds.
  template <typename... Args>
  void bind(Args&&... args) {
    statement_->bind(std::forward<Args>(args)...);
  }
  bool executeStep() { return statement_->executeStep(); }
  int exec() { return statement_->exec(); }
  SQLite::Column getColumn(int index) { return statement_->getColumn(index); }
  // Ready to run again with new bindings (a statement run in a loop).
  void reset() { statement_->reset(); }

 private:
  friend class StatementCache;
  CachedStatement(SQLite::Statement* statement, bool* busy_flag) : statement_(statement), busy_flag_(busy_flag) {}
  explicit CachedStatement(std::unique_ptr<SQLite::Statement> owned)
      : statement_(owned.get()), owned_(std::move(owned)) {}

  SQLite::Statement* statement_;
  bool* busy_flag_ = nullptr;  // the cache entry's "leased" flag; null for a private statement
  std::unique_ptr<SQLite::Statement> owned_;
};

struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const;
};
using OwnedStatement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// The same lease over a statement read through SQLite's C API, for the few loops that read many rows
// (query.summary's week of tasks, verify's walk): SQLiteCpp's Column copies a shared_ptr for every value read,
// 0.5 M of the summary's 5.8 M instructions (docs/performance.md). Errors throw SQLite::Exception, as SQLiteCpp
// does.
class RawStatement {
 public:
  RawStatement(RawStatement&& other) noexcept
      : db_(other.db_),
        statement_(std::exchange(other.statement_, nullptr)),
        busy_flag_(std::exchange(other.busy_flag_, nullptr)),
        owned_(std::move(other.owned_)) {}
  RawStatement& operator=(RawStatement&&) = delete;
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;
  ~RawStatement();

  // Binds a named parameter (":name") the SQL must have.
  void Bind(const char* name, std::int64_t value);
  void Bind(const char* name, std::string_view value);
  // The next row: true while there is one.
  bool Step();

  // Columns of the current row.
  std::int64_t Int(int column) const { return sqlite3_column_int64(statement_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
  // Valid until the next Step; NULL reads as "".
  std::string_view Text(int column) const;

 private:
  friend class StatementCache;
  RawStatement(sqlite3* db, sqlite3_stmt* statement, bool* busy_flag, OwnedStatement owned)
      : db_(db), statement_(statement), busy_flag_(busy_flag), owned_(std::move(owned)) {}
  int ParameterIndex(const char* name) const;

  sqlite3* db_;
  sqlite3_stmt* statement_;
  bool* busy_flag_;  // null for a private statement
  OwnedStatement owned_;
};

class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}

  // The statement for `sql`, compiled on first use. Throws SQLite::Exception when the SQL does not compile.
  CachedStatement Get(std::string_view sql);
  // The same, to be read through SQLite's C API.
  RawStatement GetRaw(std::string_view sql);

  std::size_t size() const { return entries_.size() + raw_entries_.size(); }

 private:
  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    bool leased = false;
  };
  struct RawEntry {
    OwnedStatement statement;
    bool leased = false;
  };
  OwnedStatement Compile(std::string_view sql);
  // Looked up by string_view without building a std::string on every call. A long text is hashed by its length
  // and 64 of its bytes (start, middle, end): hashing all of a statement's few hundred bytes at every lookup was
  // 2 % of the ingest's instructions (docs/performance.md). Texts alike there still find their own entries,
  // since equal_to compares them whole.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      if (text.size() <= 64) return std::hash<std::string_view>{}(text);
      char sample[64 + sizeof(std::size_t)];
      const std::size_t size = text.size();
      std::memcpy(sample, text.data(), 16);
      std::memcpy(sample + 16, text.data() + size / 2 - 8, 16);
      std::memcpy(sample + 32, text.data() + size - 32, 32);
      std::memcpy(sample + 64, &size, sizeof size);
      return std::hash<std::string_view>{}(std::string_view(sample, sizeof sample));
    }
  };
  SQLite::Database& db_;
  std::unordered_map<std::string, Entry, TextHash, std::equal_to<>> entries_;
  std::unordered_map<std::string, RawEntry, TextHash, std::equal_to<>> raw_entries_;
};

}  // namespace temoin::store

#endif  // TEMOIN_STORE_STATEMENT_CACHE_H_
