#include "store/statement_cache.h"

namespace temoin::store {

CachedStatement::~CachedStatement() {
  if (statement_ == nullptr) return;
  // tryReset: a statement that failed reports its error again on reset; the caller has already seen it.
  statement_->tryReset();
  try {
    statement_->clearBindings();
  } catch (const std::exception&) {
  }
  if (busy_flag_ != nullptr) *busy_flag_ = false;
}

CachedStatement StatementCache::Get(std::string_view sql) {
  auto it = entries_.find(sql);
  if (it == entries_.end()) {
    auto statement = std::make_unique<SQLite::Statement>(db_, std::string(sql));
    it = entries_.emplace(std::string(sql), Entry{std::move(statement), false}).first;
  }
  Entry& entry = it->second;
  if (entry.leased) return CachedStatement(std::make_unique<SQLite::Statement>(db_, std::string(sql)));
  entry.leased = true;
  return CachedStatement(entry.statement.get(), &entry.leased);
}

}  // namespace temoin::store
