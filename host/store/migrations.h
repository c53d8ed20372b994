// The SQL migrations of schema/migrations/, embedded at build time (cmake/TemoinEmbed.cmake). Migration N
// takes a database from schema N-1 to N; PRAGMA user_version records the schema a database is at.
#ifndef TEMOIN_STORE_MIGRATIONS_H_
#define TEMOIN_STORE_MIGRATIONS_H_

#include <string_view>
#include <vector>

namespace temoin::store {

struct Migration {
  int version;
  std::string_view file_name;
  std::string_view sql;
};

// All migrations, in order, numbered from 1 without gaps (checked at configure time).
const std::vector<Migration>& Migrations();

inline int LatestSchemaVersion() { return Migrations().empty() ? 0 : Migrations().back().version; }

}  // namespace temoin::store

#endif  // TEMOIN_STORE_MIGRATIONS_H_
