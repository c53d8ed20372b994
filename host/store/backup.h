// Writing a backup of the database: a checked, self-contained copy, taken with SQLite's online backup API while
// other connections (hosts) may be writing. Used by `temoin backup` and by `temoin check --backup-dir`.
//
// The copy is written beside `dest` under a temporary name (created exclusively, mode 0600), switched to a single
// self-contained file (journal_mode=DELETE: no -wal or -shm), checked as a restore would use it (PRAGMA
// integrity_check and every hash chain), flushed to disk, renamed to `dest` (replacing it) and the folder is
// flushed too. On any failure the temporary file is removed and `dest` is left as it was.
#ifndef TEMOIN_STORE_BACKUP_H_
#define TEMOIN_STORE_BACKUP_H_

#include <filesystem>

#include "base/status.h"
#include "store/database.h"
#include "store/verify.h"

namespace temoin::store {

// Writes the copy of `source` to `dest` (its folder must exist). Returns the copy's verify report: a log altered
// before the backup is copied faithfully and reported (report.ok() is false), not refused. Refuses a `dest` that
// is the database itself. Errors: kIo (files, folders, fsync), kStorage (SQLite, a copy that fails its checks).
Result<VerifyReport> WriteBackup(Database& source, const std::filesystem::path& dest);

// fsync of a file (opened read-write) or of a folder.
Status SyncPath(const std::filesystem::path& path, bool directory);

}  // namespace temoin::store

#endif  // TEMOIN_STORE_BACKUP_H_
