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

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

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

class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}

  // The statement for `sql`, compiled on first use. Throws SQLite::Exception when the SQL does not compile.
  CachedStatement Get(std::string_view sql);

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    bool leased = false;
  };
  // Looked up by string_view without building a std::string on every call.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  SQLite::Database& db_;
  std::unordered_map<std::string, Entry, TextHash, std::equal_to<>> entries_;
};

}  // namespace temoin::store

#endif  // TEMOIN_STORE_STATEMENT_CACHE_H_
