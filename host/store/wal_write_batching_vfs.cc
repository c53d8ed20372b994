#include "store/wal_write_batching_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <new>
#include <string>
#include <vector>

#include "store/checkpoint_excludes_writers.h"
#include "store/wal_sync_deferral.h"

namespace temoin::store {
namespace {

// One open file. SQLite allocates szOsFile bytes for it and hands them to xOpen; this struct comes first (SQLite
// only sees `head`) and the base VFS's own file object follows it, at kRealFileOffset.
struct File {
  sqlite3_file head;
  sqlite3_file* real = nullptr;
  File* wal = nullptr;  // on a database file: its WAL, while that is open
  File* db = nullptr;   // on a WAL: its database file
  bool is_wal = false;
  // On a database file: the connection said `PRAGMA synchronous` FULL or EXTRA. Off until it says so, whatever
  // SQLite's compiled-in default, so that gathering never depends on a build option.
  bool sync_full = false;
  // On a database file: where its connection's WAL syncs are deferred to, if it asked (wal_sync_deferral.h).
  WalSyncDeferral* deferral = nullptr;
  // On a WAL: it was synced once for real. The first sync also makes the file's folder entry durable, so it is
  // never deferred.
  bool synced_once = false;
  std::vector<char> run;  // on a WAL: bytes gathered, to be written at run_offset
  sqlite3_int64 run_offset = 0;
  // On a WAL: the error of a run written for a call on the database file (a shared-memory lock or barrier),
  // which cannot report it as what it is; the WAL's next call returns it.
  int deferred_error = SQLITE_OK;
  // On a database file: its shared-memory locks, so that a checkpoint holds the writer lock.
  CheckpointExcludesWriters shm_locks;
};

constexpr std::size_t kRealFileOffset = (sizeof(File) + 15) / 16 * 16;

File* Self(sqlite3_file* file) { return reinterpret_cast<File*>(file); }
sqlite3_file* Real(sqlite3_file* file) { return Self(file)->real; }
const sqlite3_io_methods& RealMethods(sqlite3_file* file) { return *Real(file)->pMethods; }
sqlite3_vfs* Base(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

bool Gathering(const File& wal) { return wal.is_wal && wal.db != nullptr && wal.db->sync_full; }

// The most handed to the base VFS in one write: SQLite's unix VFS writes at most 128 KiB - 1 bytes a call (it
// masks the length to 17 bits, os_unix.c) and reports the rest as a full disk. 64 KiB is well under that, and a
// commit of 95 pages is still 6 calls instead of 190.
constexpr std::size_t kMaxBytesPerWrite = 64u << 10;

// Writes the gathered run, if any. The run is dropped whatever the outcome: after a failure SQLite fails the
// transaction that wrote it, and rewrites those frames in a later one.
int WriteRun(File& wal) {
  int rc = SQLITE_OK;
  for (std::size_t done = 0; rc == SQLITE_OK && done < wal.run.size(); done += kMaxBytesPerWrite) {
    std::size_t n = std::min(kMaxBytesPerWrite, wal.run.size() - done);
    rc = wal.real->pMethods->xWrite(wal.real, wal.run.data() + done, static_cast<int>(n),
                                    wal.run_offset + static_cast<sqlite3_int64>(done));
  }
  wal.run.clear();
  return rc;
}

// Every call on a WAL other than a gathered write comes through here first: a deferred error, else the run.
int WriteRunOf(sqlite3_file* file) {
  File& f = *Self(file);
  if (!f.is_wal) return SQLITE_OK;
  if (int rc = f.deferred_error; rc != SQLITE_OK) {
    f.deferred_error = SQLITE_OK;
    f.run.clear();
    return rc;
  }
  return WriteRun(f);
}

// SQLite's own reading of the pragma's value (pragma.c, getSafetyLevel): only these mean FULL or EXTRA.
bool MeansFullSync(const char* value) {
  for (const char* word : {"full", "extra", "2", "3"}) {
    if (sqlite3_stricmp(value, word) == 0) return true;
  }
  return false;
}

// ---- sqlite3_io_methods ----

int Close(sqlite3_file* file) {
  File& f = *Self(file);
  int rc = WriteRunOf(file);
  int close_rc = RealMethods(file).xClose(f.real);
  if (f.db != nullptr) f.db->wal = nullptr;
  if (f.wal != nullptr) f.wal->db = nullptr;
  f.~File();
  return rc != SQLITE_OK ? rc : close_rc;
}

int Read(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
  if (int rc = WriteRunOf(file); rc != SQLITE_OK) return rc;
  return RealMethods(file).xRead(Real(file), data, amount, offset);
}

// On a database file whose connection defers its WAL syncs: syncs the WAL before the file changes. Only a
// checkpoint writes the database file in WAL mode, and it copies frames from the WAL; were they not durable, a
// power loss could leave the file holding pages of a transaction the WAL no longer has.
int SyncDeferredWalFirst(File& db) {
  if (db.is_wal || db.deferral == nullptr || !db.deferral->pending()) return SQLITE_OK;
  return db.deferral->SyncAll().ok() ? SQLITE_OK : SQLITE_IOERR_FSYNC;
}

int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  File& f = *Self(file);
  if (int rc = SyncDeferredWalFirst(f); rc != SQLITE_OK) return rc;
  if (!Gathering(f)) {
    if (int rc = WriteRunOf(file); rc != SQLITE_OK) return rc;
    return RealMethods(file).xWrite(f.real, data, amount, offset);
  }
  bool continues = !f.run.empty() && offset == f.run_offset + static_cast<sqlite3_int64>(f.run.size());
  bool fits = f.run.size() + static_cast<std::size_t>(amount) <= kMaxGatheredWalBytes;
  if (!continues || !fits || f.deferred_error != SQLITE_OK) {
    if (int rc = WriteRunOf(file); rc != SQLITE_OK) return rc;
  }
  if (static_cast<std::size_t>(amount) > kMaxGatheredWalBytes) {
    return RealMethods(file).xWrite(f.real, data, amount, offset);
  }
  if (f.run.empty()) f.run_offset = offset;
  const char* bytes = static_cast<const char*>(data);
  f.run.insert(f.run.end(), bytes, bytes + amount);
  return SQLITE_OK;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (int rc = SyncDeferredWalFirst(*Self(file)); rc != SQLITE_OK) return rc;
  if (int rc = WriteRunOf(file); rc != SQLITE_OK) return rc;
  return RealMethods(file).xTruncate(Real(file), size);
}

int Sync(sqlite3_file* file, int flags) {
  File& f = *Self(file);
  if (int rc = WriteRunOf(file); rc != SQLITE_OK) return rc;
  if (f.is_wal && f.synced_once && f.db != nullptr && f.db->deferral != nullptr) {
    f.db->deferral->Defer();  // the frames are in the file (the run was written above); the sync comes later
    return SQLITE_OK;
  }
  if (int rc = SyncDeferredWalFirst(f); rc != SQLITE_OK) return rc;
  int rc = RealMethods(file).xSync(f.real, flags);
  if (rc == SQLITE_OK && f.is_wal) f.synced_once = true;
  return rc;
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  if (int rc = WriteRunOf(file); rc != SQLITE_OK) return rc;
  return RealMethods(file).xFileSize(Real(file), size);
}

int Lock(sqlite3_file* file, int level) { return RealMethods(file).xLock(Real(file), level); }
int Unlock(sqlite3_file* file, int level) { return RealMethods(file).xUnlock(Real(file), level); }
int CheckReservedLock(sqlite3_file* file, int* out) { return RealMethods(file).xCheckReservedLock(Real(file), out); }

int FileControl(sqlite3_file* file, int op, void* arg) {
  File& f = *Self(file);
  if (int rc = WriteRunOf(file); rc != SQLITE_OK) return rc;
  if (op == kDeferWalSyncsFileControl && !f.is_wal) {
    f.deferral = static_cast<WalSyncDeferral*>(arg);
    return SQLITE_OK;
  }
  if (op == SQLITE_FCNTL_PRAGMA && !f.is_wal) {
    // {error message out, pragma name, value or null}. Watched, never answered: the base VFS answers
    // SQLITE_NOTFOUND and SQLite then applies the pragma itself.
    char** pragma = static_cast<char**>(arg);
    if (pragma[1] != nullptr && pragma[2] != nullptr && sqlite3_stricmp(pragma[1], "synchronous") == 0) {
      f.sync_full = MeansFullSync(pragma[2]);
      if (!f.sync_full && f.wal != nullptr) {
        if (int rc = WriteRunOf(&f.wal->head); rc != SQLITE_OK) return rc;
      }
    }
  }
  return RealMethods(file).xFileControl(f.real, op, arg);
}

int SectorSize(sqlite3_file* file) { return RealMethods(file).xSectorSize(Real(file)); }
int DeviceCharacteristics(sqlite3_file* file) { return RealMethods(file).xDeviceCharacteristics(Real(file)); }

// The shared-memory index lives on the database file. A lock, a barrier or an unmap is how a connection
// publishes (or gives up) its view of the WAL, so the WAL's run is written first. Under synchronous = FULL the
// commit's sync has already written it; this is the second line. A failure is kept for the WAL's next call
// rather than passed off as a failed lock.
void WriteRunOfWalOf(sqlite3_file* db_file) {
  File& db = *Self(db_file);
  if (db.wal == nullptr || db.wal->run.empty()) return;
  if (int rc = WriteRun(*db.wal); rc != SQLITE_OK && db.wal->deferred_error == SQLITE_OK) db.wal->deferred_error = rc;
}

int ShmMap(sqlite3_file* file, int page, int page_size, int extend, void volatile** out) {
  return RealMethods(file).xShmMap(Real(file), page, page_size, extend, out);
}

int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  WriteRunOfWalOf(file);
  return Self(file)->shm_locks.Lock(offset, n, flags, [file](int real_offset, int real_n, int real_flags) {
    return RealMethods(file).xShmLock(Real(file), real_offset, real_n, real_flags);
  });
}

void ShmBarrier(sqlite3_file* file) {
  WriteRunOfWalOf(file);
  RealMethods(file).xShmBarrier(Real(file));
}

int ShmUnmap(sqlite3_file* file, int delete_flag) {
  WriteRunOfWalOf(file);
  Self(file)->shm_locks = CheckpointExcludesWriters{};  // unmapping drops every lock the connection held
  return RealMethods(file).xShmUnmap(Real(file), delete_flag);
}

int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  return RealMethods(file).xFetch(Real(file), offset, amount, out);
}
int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  return RealMethods(file).xUnfetch(Real(file), offset, page);
}

// Three tables, one per version a base file may declare, so that SQLite never calls a method the base file
// lacks (version 2 added shared memory, version 3 memory-mapped reads).
constexpr sqlite3_io_methods MethodsOfVersion(int version) {
  return {version,  Close,    Read,        Write,      Truncate,   Sync,
          FileSize, Lock,     Unlock,      CheckReservedLock,      FileControl,
          SectorSize,         DeviceCharacteristics,   version >= 2 ? ShmMap : nullptr,
          version >= 2 ? ShmLock : nullptr,            version >= 2 ? ShmBarrier : nullptr,
          version >= 2 ? ShmUnmap : nullptr,           version >= 3 ? Fetch : nullptr,
          version >= 3 ? Unfetch : nullptr};
}
constexpr sqlite3_io_methods kMethods[] = {MethodsOfVersion(1), MethodsOfVersion(2), MethodsOfVersion(3)};

const sqlite3_io_methods* MethodsFor(const sqlite3_io_methods* real) {
  int version = real->iVersion < 1 ? 1 : (real->iVersion > 3 ? 3 : real->iVersion);
  return &kMethods[version - 1];
}

bool IsOurs(const sqlite3_file* file) {
  if (file == nullptr || file->pMethods == nullptr) return false;
  for (const auto& methods : kMethods) {
    if (file->pMethods == &methods) return true;
  }
  return false;
}

// ---- sqlite3_vfs: xOpen wraps the file; everything else is the base VFS's ----

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* base = Base(vfs);
  File* f = new (file) File{};
  f->head.pMethods = nullptr;
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealFileOffset);
  int rc = base->xOpen(base, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK || f->real->pMethods == nullptr) {
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    f->~File();
    file->pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  f->head.pMethods = MethodsFor(f->real->pMethods);
  if ((flags & SQLITE_OPEN_WAL) != 0 && name != nullptr) {
    f->is_wal = true;
    sqlite3_file* db_file = sqlite3_database_file_object(name);
    if (IsOurs(db_file)) {
      f->db = Self(db_file);
      f->db->wal = f;
    }
  }
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) { return Base(vfs)->xDelete(Base(vfs), name, sync_dir); }
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Base(vfs)->xAccess(Base(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return Base(vfs)->xFullPathname(Base(vfs), name, size, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) { return Base(vfs)->xDlOpen(Base(vfs), name); }
void DlError(sqlite3_vfs* vfs, int size, char* out) { Base(vfs)->xDlError(Base(vfs), size, out); }
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return Base(vfs)->xDlSym(Base(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) { Base(vfs)->xDlClose(Base(vfs), handle); }
int Randomness(sqlite3_vfs* vfs, int size, char* out) { return Base(vfs)->xRandomness(Base(vfs), size, out); }
int Sleep(sqlite3_vfs* vfs, int microseconds) { return Base(vfs)->xSleep(Base(vfs), microseconds); }
int CurrentTime(sqlite3_vfs* vfs, double* out) { return Base(vfs)->xCurrentTime(Base(vfs), out); }
int GetLastError(sqlite3_vfs* vfs, int size, char* out) { return Base(vfs)->xGetLastError(Base(vfs), size, out); }
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) { return Base(vfs)->xCurrentTimeInt64(Base(vfs), out); }
int SetSystemCall(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr call) {
  return Base(vfs)->xSetSystemCall(Base(vfs), name, call);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Base(vfs)->xGetSystemCall(Base(vfs), name);
}
const char* NextSystemCall(sqlite3_vfs* vfs, const char* name) { return Base(vfs)->xNextSystemCall(Base(vfs), name); }

}  // namespace

Status RegisterWalWriteBatchingVfs(const char* name, const char* base_vfs) {
  sqlite3_vfs* base = sqlite3_vfs_find(base_vfs);
  if (base == nullptr) {
    return StorageError(std::string("SQLite has no VFS named ") + (base_vfs ? base_vfs : "(default)"));
  }
  if (sqlite3_vfs_find(name) != nullptr) return Status::Ok();
  // Registered for the life of the process, as SQLite requires: never freed.
  auto* vfs = new sqlite3_vfs{};
  vfs->iVersion = base->iVersion < 3 ? base->iVersion : 3;
  vfs->szOsFile = static_cast<int>(kRealFileOffset) + base->szOsFile;
  vfs->mxPathname = base->mxPathname;
  vfs->zName = name;
  vfs->pAppData = base;
  vfs->xOpen = Open;
  vfs->xDelete = Delete;
  vfs->xAccess = Access;
  vfs->xFullPathname = FullPathname;
  vfs->xDlOpen = base->xDlOpen ? DlOpen : nullptr;
  vfs->xDlError = base->xDlError ? DlError : nullptr;
  vfs->xDlSym = base->xDlSym ? DlSym : nullptr;
  vfs->xDlClose = base->xDlClose ? DlClose : nullptr;
  vfs->xRandomness = Randomness;
  vfs->xSleep = Sleep;
  vfs->xCurrentTime = CurrentTime;
  vfs->xGetLastError = GetLastError;
  if (vfs->iVersion >= 2) vfs->xCurrentTimeInt64 = base->xCurrentTimeInt64 ? CurrentTimeInt64 : nullptr;
  if (vfs->iVersion >= 3) {
    vfs->xSetSystemCall = base->xSetSystemCall ? SetSystemCall : nullptr;
    vfs->xGetSystemCall = base->xGetSystemCall ? GetSystemCall : nullptr;
    vfs->xNextSystemCall = base->xNextSystemCall ? NextSystemCall : nullptr;
  }
  if (int rc = sqlite3_vfs_register(vfs, /*makeDflt=*/0); rc != SQLITE_OK) {
    delete vfs;
    return StorageError(std::string("SQLite refused the VFS ") + name + ": " + sqlite3_errstr(rc));
  }
  return Status::Ok();
}

const char* WalWriteBatchingVfs() {
  static const char* const name = [] {
    const char* wanted = "temoin-wal-batching";
    return RegisterWalWriteBatchingVfs(wanted, nullptr).ok() ? wanted : nullptr;
  }();
  return name;
}

}  // namespace temoin::store
