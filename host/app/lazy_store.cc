#include "app/lazy_store.h"

#include "app/host_logger.h"
#include "export/dossier_service.h"
#include "rules/alert_service.h"
#include "rules/log_follower.h"

namespace temoin::app {

LazyStore::LazyStore(Result<std::filesystem::path> db_file, const Clock& clock, const Environment& env,
                     HostLog& log)
    : clock_(clock), env_(env), log_(log) {
  if (db_file.ok()) {
    db_file_ = std::move(db_file).value();
  } else {
    status_ = db_file.status();
    tried_ = true;  // nothing to open: every request that needs the store gets this error
    log_.Error("the database is unavailable: " + status_.message());
  }
}

LazyStore::~LazyStore() = default;

Status LazyStore::Open() {
  if (tried_) return status_;
  tried_ = true;
  auto opened = store::Database::Open(db_file_);
  if (!opened.ok()) {
    status_ = opened.status();
    log_.Error("the database is unavailable: " + status_.message());
    return status_;
  }
  db_ = std::move(opened).value();
  // The host says nothing of a commit before it is durable, and syncs on another thread while this one goes on
  // (app/synced_output.h); without the deferral its commits sync as they are made, and nothing else changes.
  if (auto deferral = db_->DeferWalSyncs(); !deferral.ok()) log_.Warn(deferral.status().message());
  alerts_ = std::make_unique<rules::AlertService>(*db_, clock_);
  follower_ = std::make_unique<rules::LogFollower>(*db_, alerts_.get());
  dossiers_ = std::make_unique<exporter::DossierService>(*db_, clock_, env_);
  return status_;
}

}  // namespace temoin::app
