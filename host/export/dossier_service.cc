#include "export/dossier_service.h"

#include <system_error>

#include "export/dossier.h"
#include "export/downloads.h"
#include "protocol/reply.h"

namespace temoin::exporter {

DossierService::DossierService(store::Database& db, const Clock& clock, const Environment& env)
    : db_(db), clock_(clock), env_(env) {}

std::optional<nlohmann::json> DossierService::HandleQuery(const protocol::Request& request) {
  const auto* req = std::get_if<protocol::ExportRequest>(&request.body);
  if (req == nullptr) return std::nullopt;
  DossierOptions options;
  options.platform = req->platform;
  options.account = req->account;
  options.period.since = req->since;
  options.period.until = req->until;
  options.lang = req->lang;
  if (Status period = CheckPeriod(options.period); !period.ok()) {
    return protocol::ErrorReply(request.id, BadMessage("until", "must come after since"));
  }
  auto written = Export(options);
  if (!written.ok()) return protocol::ErrorReply(request.id, written.status());
  nlohmann::json reply = protocol::OkReply(request.id);
  reply["path"] = written->path.string();
  reply["files"] = written->files;
  return reply;
}

Result<DossierService::Written> DossierService::Export(const DossierOptions& options) {
  // A dossier is a file outside the database: in the host, whose commits defer their WAL sync, it could otherwise
  // reach the disk holding events that a power loss then takes back (store/wal_sync_deferral.h).
  if (store::WalSyncDeferral* deferral = db_.wal_sync_deferral(); deferral != nullptr) {
    TEMOIN_RETURN_IF_ERROR(deferral->SyncAll());
  }
  auto downloads = DownloadsDir(env_);
  if (!downloads.ok()) return downloads.status();
  auto folder = CreateDatedFolder(*downloads, options.platform, options.account, clock_);
  if (!folder.ok()) return folder.status();
  auto result = WriteDossier(db_, clock_, options, *folder);
  if (!result.ok()) {
    // Leave nothing half-made behind: the folder is new and ours.
    std::error_code ec;
    std::filesystem::remove_all(*folder, ec);
    if (result.status().code() == Code::kNotFound) return BadMessage("account", "no event is recorded for this account");
    return result.status();
  }
  return Written{*folder, result->files};
}

}  // namespace temoin::exporter
