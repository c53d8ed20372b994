// DossierService: the `export` message (docs/protocol.md): writes an account's evidence dossier into a new
// dated folder of the user's Downloads folder (never a path the caller supplies) and answers where.
#ifndef TEMOIN_EXPORT_DOSSIER_SERVICE_H_
#define TEMOIN_EXPORT_DOSSIER_SERVICE_H_

#include <optional>

#include <nlohmann/json.hpp>

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

 private:
  store::Database& db_;
  const Clock& clock_;
  const Environment& env_;
};

}  // namespace temoin::exporter

#endif  // TEMOIN_EXPORT_DOSSIER_SERVICE_H_
