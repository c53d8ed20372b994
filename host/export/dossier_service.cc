// PLACEHOLDER until issue 6 lands: exports are not written yet; `export` is answered as unavailable.
#include "export/dossier_service.h"

namespace temoin::exporter {

DossierService::DossierService(store::Database& db, const Clock& clock, const Environment& env)
    : db_(db), clock_(clock), env_(env) {}

std::optional<nlohmann::json> DossierService::HandleQuery(const protocol::Request&) { return std::nullopt; }

}  // namespace temoin::exporter
