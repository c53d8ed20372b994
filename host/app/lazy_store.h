// LazyStore: the database and the services over it (alert rules, dossiers), opened on the first request that
// needs them rather than at start.
//
// A ping (what the extension sends first on every connection, and what a `sendNativeMessage` probe sends) does
// not read the store, and opening it cost a third of a cold start's instructions: SQLite reading the schema and
// the migration check (docs/performance.md). An open that fails is not retried within the session: every
// request that needs the store is answered with the same error, as when the store was opened at start.
#ifndef TEMOIN_APP_LAZY_STORE_H_
#define TEMOIN_APP_LAZY_STORE_H_

#include <filesystem>
#include <memory>

#include "base/status.h"
#include "platform/clock.h"
#include "platform/environment.h"
#include "store/database.h"

namespace temoin::rules {
class AlertService;
class LogFollower;
}
namespace temoin::exporter {
class DossierService;
}

namespace temoin::app {

class HostLog;

class LazyStore {
 public:
  // `db_file` is the database's path, or why there is none (the data folder could not be made); that error is
  // then the store's status from the start. The references must outlive the store.
  LazyStore(Result<std::filesystem::path> db_file, const Clock& clock, const Environment& env,
            HostLog& log);
  ~LazyStore();

  // Opens the database (creating and migrating it if needed) on the first call; later calls return the same
  // outcome at once.
  Status Open();

  // OK until an open failed (or the data folder was unusable): what a ping reports.
  const Status& status() const { return status_; }

  // Null until Open() succeeded.
  store::Database* db() { return db_.get(); }
  rules::AlertService* alerts() { return alerts_.get(); }
  rules::LogFollower* follower() { return follower_.get(); }
  const rules::LogFollower* follower() const { return follower_.get(); }
  exporter::DossierService* dossiers() { return dossiers_.get(); }

 private:
  std::filesystem::path db_file_;
  const Clock& clock_;
  const Environment& env_;
  HostLog& log_;
  Status status_;
  bool tried_ = false;
  // In this order: the services hold references to the database, so they are destroyed first.
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<rules::AlertService> alerts_;
  std::unique_ptr<rules::LogFollower> follower_;
  std::unique_ptr<exporter::DossierService> dossiers_;
};

}  // namespace temoin::app

#endif  // TEMOIN_APP_LAZY_STORE_H_
