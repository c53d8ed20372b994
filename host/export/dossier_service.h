// DossierService: the `export` message (docs/protocol.md, docs/export.md): writes an account's evidence dossier
// into a new dated folder of the user's Downloads folder (never a path the caller supplies) and answers where:
// {"v":1,"re":ID,"ok":true,"path":"/home/ana/Downloads/temoin-…-2026-07-14T0930","files":["dossier.html",…]}.
// An account with no event is `bad_message` on `account`; a Downloads folder that cannot be written is
// `storage`. The export runs on the host's thread; a large history takes a few seconds (bench/export_bench.cc).
#ifndef TEMOIN_EXPORT_DOSSIER_SERVICE_H_
#define TEMOIN_EXPORT_DOSSIER_SERVICE_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "export/dossier.h"
#include "platform/clock.h"
#include "platform/environment.h"
#include "protocol/messages.h"
#include "store/database.h"

namespace temoin::exporter {

class DossierService {
 public:
  DossierService(store::Database& db, const Clock& clock, const Environment& env);

  // Answers `export`; nullopt for any other request.
  std::optional<nlohmann::json> HandleQuery(const protocol::Request& request);

  struct Written {
    std::filesystem::path path;
    std::vector<std::string> files;
  };
  // Resolves the Downloads folder, makes the dated folder and writes the dossier into it.
  Result<Written> Export(const DossierOptions& options);

 private:
  store::Database& db_;
  const Clock& clock_;
  const Environment& env_;
};

}  // namespace temoin::exporter

#endif  // TEMOIN_EXPORT_DOSSIER_SERVICE_H_
