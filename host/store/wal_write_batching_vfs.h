// A SQLite VFS that is the default one (unix) in every respect but two. The frames a connection appends to its
// WAL are gathered in memory and reach the file when SQLite syncs the WAL, in writes of 64 KiB, instead of two
// `pwrite` calls a page (the frame's header, then the page). And a checkpoint holds the WAL's writer lock, so that
// it never overlaps another connection's commit: the other half of this file's job, explained in
// store/checkpoint_excludes_writers.h (SQLite's "WAL-reset bug", unfixed in the SQLite Debian 12 ships).
//
// Why gather: a group commit of 32 events writes 38 to 95 pages to the WAL, so 76 to 190 system calls before its one
// `fdatasync`, and on the VMs the host was measured on a system call costs microseconds: about a fifth of a
// batch's time (docs/performance.md, "The I/O side of a batch").
//
// Why durability is unchanged: nothing SQLite writes is durable before it syncs, and every sync of the WAL
// writes what was gathered first. What other connections (another host, the CLI) see is unchanged too: a commit
// becomes visible through the shared-memory index, after the WAL's sync, so no reader is ever pointed at a
// frame still in memory. The rules that keep this true are in wal_write_batching_vfs.cc; in short:
//  - only writes that continue the gathered run are gathered; any other write to the WAL writes the run first;
//  - every other call on the WAL (read, sync, truncate, size, file control, close) writes the run first;
//  - the database file's shared-memory lock, barrier and unmap write its WAL's run first (belt and braces; a
//    failure there is returned by the WAL's next call, not passed off as a failed lock);
//  - gathering is on only while the connection's `synchronous` is FULL or EXTRA (it follows the pragma), the
//    setting under which every commit syncs the WAL before it is published;
//  - a run that cannot be written is the error of the call that asked for it (SQLITE_FULL on a full disk), and
//    SQLite then fails and rolls back the transaction, exactly as if the frame's own write had failed.
//
// A third job, for a connection that asks (store/wal_sync_deferral.h): its WAL syncs are deferred to a
// WalSyncDeferral, and the database file is never written while one is pending.
//
// The VFS is registered with SQLite once per process, never as the default; connections choose it by name
// (store/database.cc). Its state lives in each open file, none is global.
#ifndef TEMOIN_STORE_WAL_WRITE_BATCHING_VFS_H_
#define TEMOIN_STORE_WAL_WRITE_BATCHING_VFS_H_

#include <cstddef>

#include "base/status.h"

namespace temoin::store {

// The most a connection gathers before writing (a commit of a few hundred pages fits; a larger transaction is
// written in runs of this size). It is also what the gathering adds to the resident memory of a connection.
inline constexpr std::size_t kMaxGatheredWalBytes = 1u << 20;

// sqlite3_file_control(db, "main", kDeferWalSyncsFileControl, WalSyncDeferral*) makes the connection's WAL
// syncs deferred to that object (nullptr: synced again). The object must outlive the connection. Any other VFS
// answers SQLITE_NOTFOUND, and the syncs stay in the commits.
inline constexpr int kDeferWalSyncsFileControl = 0x54454d01;  // "TEM" 1: far above SQLite's own operations

// The name of the VFS, registered on first use over SQLite's default VFS; nullptr if SQLite has no default VFS
// or refused the registration (callers then open with the default VFS: slower, and open to the WAL-reset bug).
const char* WalWriteBatchingVfs();

// The same VFS over `base_vfs` (a registered VFS's name; nullptr for SQLite's default), registered as `name`;
// WalWriteBatchingVfs() is this over the default. Registering a name already registered does nothing. `name`
// must outlive the process's use of it.
Status RegisterWalWriteBatchingVfs(const char* name, const char* base_vfs);

}  // namespace temoin::store

#endif  // TEMOIN_STORE_WAL_WRITE_BATCHING_VFS_H_
