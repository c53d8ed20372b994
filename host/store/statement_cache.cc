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

void FinalizeStatement::operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }

RawStatement::~RawStatement() {
  if (statement_ == nullptr) return;
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  if (busy_flag_ != nullptr) *busy_flag_ = false;
}

int RawStatement::ParameterIndex(const char* name) const {
  int index = sqlite3_bind_parameter_index(statement_, name);
  if (index == 0) throw SQLite::Exception(std::string("no parameter ") + name + " in " + sqlite3_sql(statement_));
  return index;
}

void RawStatement::Bind(const char* name, std::int64_t value) {
  int rc = sqlite3_bind_int64(statement_, ParameterIndex(name), value);
  if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
}

void RawStatement::Bind(const char* name, std::string_view value) {
  int rc = sqlite3_bind_text64(statement_, ParameterIndex(name), value.data(), value.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
  if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
}

bool RawStatement::Step() {
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw SQLite::Exception(db_, rc);
}

std::string_view RawStatement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  if (text == nullptr) return {};
  return std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

OwnedStatement StatementCache::Compile(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v2(db_.getHandle(), sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
  OwnedStatement owned(statement);
  if (rc != SQLITE_OK) throw SQLite::Exception(db_.getHandle(), rc);
  return owned;
}

RawStatement StatementCache::GetRaw(std::string_view sql) {
  auto it = raw_entries_.find(sql);
  if (it == raw_entries_.end()) it = raw_entries_.emplace(std::string(sql), RawEntry{Compile(sql), false}).first;
  RawEntry& entry = it->second;
  if (entry.leased) {
    OwnedStatement owned = Compile(sql);
    sqlite3_stmt* statement = owned.get();
    return RawStatement(db_.getHandle(), statement, nullptr, std::move(owned));
  }
  entry.leased = true;
  return RawStatement(db_.getHandle(), entry.statement.get(), &entry.leased, nullptr);
}

}  // namespace temoin::store
