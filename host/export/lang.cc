#include "export/lang.h"

#include <cstdio>
#include <cstdlib>

namespace temoin::exporter {

namespace {

const Strings kEnglish{
    .code = "en",
    .doc_title = "Témoin evidence dossier",
    .subtitle = "A record of the work done on an online platform, kept by the worker on their own computer with "
                "Témoin as the platform's pages showed it.",
    .account = "Account",
    .platform = "Platform",
    .period = "Period",
    .period_all = "the whole record",
    .period_since = "from {}",
    .period_until = "until {} (excluded)",
    .period_between = "from {} until {} (excluded)",
    .events_seen = "{} events recorded in the period, the first on {} and the last on {} (page time).",
    .no_events = "No event was recorded in this period.",
    .generated = "Made on",
    .latest_state = "Account status (latest in the period)",
    .totals = "Totals",
    .tasks_done = "Tasks done",
    .tasks_abandoned = "Tasks abandoned",
    .hours_tasks = "Hours on tasks",
    .hours_platform = "Hours on the platform (on tasks or waiting for them, counted once)",
    .earned = "Earned",
    .estimated_part = "of which {} estimated from the advertised rate",
    .paid_out = "Paid out",
    .payouts_count = "payouts: {}",
    .balance_last = "Balance last seen",
    .pending = "pending {}",
    .seen_on = "seen on {}",
    .balance_missing = "Times a page that shows the balance showed none",
    .no_money = "No amount of money was recorded in this period.",
    .chart = "Balances and payouts",
    .chart_desc = "The balance shown on the platform's pages over time (line), the payouts (bars) and the times "
                  "the balance was missing from its page (red marks).",
    .legend_balance = "balance",
    .legend_payout = "payout",
    .legend_missing = "balance missing",
    .no_chart = "No balance or payout was recorded in this period.",
    .alerts = "Alerts raised",
    .no_alerts = "Témoin raised no alert in this period.",
    .col_raised = "Raised on",
    .col_severity = "Severity",
    .col_kind = "Kind",
    .col_message = "Message",
    .col_alert_state = "State",
    .col_evidence = "Evidence (seq)",
    .status_changes = "Account status changes",
    .no_status = "No change of the account's status was recorded in this period.",
    .col_seen_at = "Seen on (page time)",
    .col_state = "Status",
    .col_detail = "Detail",
    .col_seq = "Seq",
    .payouts = "Payouts",
    .no_payouts = "No payout was recorded in this period.",
    .col_amount = "Amount",
    .col_method = "Method",
    .col_reference = "Reference",
    .tasks = "Tasks",
    .no_tasks = "No task was recorded in this period.",
    .col_start = "Started",
    .col_submit = "Submitted",
    .col_duration = "Duration",
    .col_project = "Project",
    .col_title = "Title",
    .col_pay = "Pay",
    .col_task = "Task",
    .task_abandoned = "abandoned",
    .task_open = "not submitted",
    .estimated_mark = "(estimated)",
    .verify = "How to verify this record",
    .verify_intro = "Every event Témoin recorded for this account is in events.jsonl, one per line, each linked to "
                    "the one before it by a SHA-256 hash (a hash chain). Changing, removing or reordering any event "
                    "breaks the chain from that point on.",
    .verify_head = "Head hash of events.jsonl (its last link)",
    .verify_range = "{} events, seq {} to {}.",
    .verify_genesis = "The file starts at the very beginning of the account's chain.",
    .verify_slice = "The file is a slice of the account's chain for this period: it starts after the link seq {}, "
                    "whose hash is:",
    .verify_outside = "{} of these events have a page time outside the period (they arrived late or early); they "
                      "are included so that the slice has no gap.",
    .verify_chain_head = "When this dossier was made, the account's whole chain held {} events; its head (seq {}) "
                         "was:",
    .verify_command = "To check the file with Témoin, in the folder of this dossier:",
    .verify_hand = "Without Témoin, anyone can re-check each line with standard tools: the hash of a line is the "
                   "SHA-256 of its prev_hash followed by the canonical JSON (RFC 8785) of {\"event\", "
                   "\"received_at\", \"seq\"}, and its prev_hash is the hash of the line before. For one line:",
    .verify_keep = "Keep the head hash somewhere else as well (mail it to yourself, or to the person you give this "
                   "dossier to): it pins the record, since whoever holds the file could rewrite the whole chain.",
    .chain_ok = "When this dossier was made, every link of the exported chain held.",
    .chain_broken = "WARNING: when this dossier was made, the link seq {} did not hold: {}",
    .files = "Files of this dossier",
    .file_dossier = "this page",
    .file_tasks = "every task of the period, for spreadsheets",
    .file_balances = "every balance seen (and every time it was missing)",
    .file_payouts = "every payout seen",
    .file_events = "the recorded events with their hashes, to verify",
    .footer = "Made by Témoin {}.",
    .times_note = "Times are shown as the platform's page gave them, with its offset from UTC.",
    .state_active = "active",
    .state_logged_out = "logged out",
    .state_locked = "locked",
    .state_suspended = "suspended",
    .state_unreachable = "unreachable",
    .decimal_mark = ".",
    .group_separator = ",",
};

const Strings kFrench{
    .code = "fr",
    .doc_title = "Dossier de preuves Témoin",
    .subtitle = "Relevé du travail effectué sur une plateforme en ligne, tenu par le travailleur sur son propre "
                "ordinateur avec Témoin, tel que les pages de la plateforme l'ont affiché.",
    .account = "Compte",
    .platform = "Plateforme",
    .period = "Période",
    .period_all = "tout l'historique",
    .period_since = "à partir du {}",
    .period_until = "jusqu'au {} (exclu)",
    .period_between = "du {} au {} (exclu)",
    .events_seen = "{} événements enregistrés sur la période, le premier le {} et le dernier le {} (heure de la "
                   "page).",
    .no_events = "Aucun événement n'a été enregistré sur cette période.",
    .generated = "Établi le",
    .latest_state = "État du compte (le dernier de la période)",
    .totals = "Totaux",
    .tasks_done = "Tâches effectuées",
    .tasks_abandoned = "Tâches abandonnées",
    .hours_tasks = "Heures sur les tâches",
    .hours_platform = "Heures sur la plateforme (sur les tâches ou à les attendre, comptées une fois)",
    .earned = "Gagné",
    .estimated_part = "dont {} estimés d'après le tarif annoncé",
    .paid_out = "Versé",
    .payouts_count = "versements : {}",
    .balance_last = "Dernier solde vu",
    .pending = "{} en attente",
    .seen_on = "vu le {}",
    .balance_missing = "Fois où une page qui affiche le solde n'en affichait aucun",
    .no_money = "Aucun montant n'a été relevé sur cette période.",
    .chart = "Soldes et versements",
    .chart_desc = "Le solde affiché par les pages de la plateforme au fil du temps (ligne), les versements "
                  "(barres) et les moments où le solde manquait sur sa page (marques rouges).",
    .legend_balance = "solde",
    .legend_payout = "versement",
    .legend_missing = "solde absent",
    .no_chart = "Aucun solde ni versement n'a été relevé sur cette période.",
    .alerts = "Alertes levées",
    .no_alerts = "Témoin n'a levé aucune alerte sur cette période.",
    .col_raised = "Levée le",
    .col_severity = "Gravité",
    .col_kind = "Type",
    .col_message = "Message",
    .col_alert_state = "État",
    .col_evidence = "Preuves (seq)",
    .status_changes = "Changements d'état du compte",
    .no_status = "Aucun changement d'état du compte n'a été relevé sur cette période.",
    .col_seen_at = "Vu le (heure de la page)",
    .col_state = "État",
    .col_detail = "Détail",
    .col_seq = "Seq",
    .payouts = "Versements",
    .no_payouts = "Aucun versement n'a été relevé sur cette période.",
    .col_amount = "Montant",
    .col_method = "Moyen",
    .col_reference = "Référence",
    .tasks = "Tâches",
    .no_tasks = "Aucune tâche n'a été relevée sur cette période.",
    .col_start = "Commencée",
    .col_submit = "Remise",
    .col_duration = "Durée",
    .col_project = "Projet",
    .col_title = "Titre",
    .col_pay = "Rémunération",
    .col_task = "Tâche",
    .task_abandoned = "abandonnée",
    .task_open = "non remise",
    .estimated_mark = "(estimée)",
    .verify = "Comment vérifier ce relevé",
    .verify_intro = "Chaque événement que Témoin a enregistré pour ce compte figure dans events.jsonl, un par ligne, "
                    "relié au précédent par une empreinte SHA-256 (une chaîne de hachage). Modifier, supprimer ou "
                    "déplacer un événement rompt la chaîne à partir de ce point.",
    .verify_head = "Empreinte de tête de events.jsonl (son dernier maillon)",
    .verify_range = "{} événements, seq {} à {}.",
    .verify_genesis = "Le fichier commence au tout début de la chaîne du compte.",
    .verify_slice = "Le fichier est une tranche de la chaîne du compte pour cette période : il commence après le "
                    "maillon seq {}, dont l'empreinte est :",
    .verify_outside = "{} de ces événements ont une heure de page hors de la période (arrivés en retard ou en "
                      "avance) ; ils sont inclus pour que la tranche n'ait pas de trou.",
    .verify_chain_head = "Au moment de ce dossier, la chaîne complète du compte comptait {} événements ; sa tête "
                         "(seq {}) était :",
    .verify_command = "Pour vérifier le fichier avec Témoin, dans le dossier de ce relevé :",
    .verify_hand = "Sans Témoin, chacun peut revérifier chaque ligne avec des outils courants : l'empreinte d'une "
                   "ligne est le SHA-256 de son prev_hash suivi du JSON canonique (RFC 8785) de {\"event\", "
                   "\"received_at\", \"seq\"}, et son prev_hash est l'empreinte de la ligne précédente. Pour une "
                   "ligne :",
    .verify_keep = "Conservez aussi l'empreinte de tête ailleurs (envoyez-la par courriel, à vous-même ou à la "
                   "personne à qui vous remettez ce dossier) : elle fixe le relevé, car qui détient le fichier "
                   "pourrait réécrire toute la chaîne.",
    .chain_ok = "Au moment de ce dossier, chaque maillon de la chaîne exportée était intact.",
    .chain_broken = "ATTENTION : au moment de ce dossier, le maillon seq {} était rompu : {}",
    .files = "Fichiers de ce dossier",
    .file_dossier = "cette page",
    .file_tasks = "chaque tâche de la période, pour un tableur",
    .file_balances = "chaque solde vu (et chaque fois qu'il manquait)",
    .file_payouts = "chaque versement vu",
    .file_events = "les événements enregistrés avec leurs empreintes, pour vérifier",
    .footer = "Établi par Témoin {}.",
    .times_note = "Les heures sont celles qu'affichait la page de la plateforme, avec son décalage par rapport à UTC.",
    .state_active = "actif",
    .state_logged_out = "déconnecté",
    .state_locked = "verrouillé",
    .state_suspended = "suspendu",
    .state_unreachable = "injoignable",
    .decimal_mark = ",",
    .group_separator = "\u202F",  // narrow no-break space, as French typography groups digits
};

std::string Group(const Strings& s, std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += s.group_separator;
    out += digits[i];
  }
  return out;
}

}  // namespace

const std::vector<std::string>& LanguageCodes() {
  static const std::vector<std::string> kCodes{"en", "fr"};
  return kCodes;
}

bool IsLanguage(std::string_view code) { return code == "en" || code == "fr"; }

const Strings& StringsFor(std::string_view code) { return code == "fr" ? kFrench : kEnglish; }

std::string Fill(std::string_view pattern, std::initializer_list<std::string_view> args) {
  std::string out;
  auto arg = args.begin();
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern.compare(i, 2, "{}") == 0 && arg != args.end()) {
      out.append(*arg++);
      i += 2;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

std::string FormatCount(const Strings& s, std::int64_t n) {
  if (n < 0) return "-" + Group(s, static_cast<std::uint64_t>(-(n + 1)) + 1);
  return Group(s, static_cast<std::uint64_t>(n));
}

std::string FormatDecimal(const Strings& s, std::int64_t minor, int exponent) {
  bool negative = minor < 0;
  std::uint64_t magnitude = negative ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
  std::uint64_t scale = 1;
  for (int i = 0; i < exponent; ++i) scale *= 10;
  std::string out = negative ? "-" : "";
  out += Group(s, magnitude / scale);
  if (exponent > 0) {
    std::string fraction = std::to_string(magnitude % scale);
    out += s.decimal_mark;
    out += std::string(static_cast<std::size_t>(exponent) - fraction.size(), '0') + fraction;
  }
  return out;
}

std::string FormatMoney(const Strings& s, std::int64_t minor, int exponent, std::string_view currency) {
  return FormatDecimal(s, minor, exponent) + "\u00A0" + std::string(currency);  // no-break space before the code
}

std::string FormatHours(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  std::int64_t minutes = seconds / 60;
  char buffer[48];
  if (minutes < 60) {
    std::snprintf(buffer, sizeof buffer, "%lld\u00A0min", static_cast<long long>(minutes));
  } else {
    std::snprintf(buffer, sizeof buffer, "%lld\u00A0h\u00A0%02lld\u00A0min", static_cast<long long>(minutes / 60),
                  static_cast<long long>(minutes % 60));
  }
  return buffer;
}

std::string FormatClock(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  return buffer;
}

std::string StateName(const Strings& s, std::string_view state) {
  if (state == "active") return s.state_active;
  if (state == "logged_out") return s.state_logged_out;
  if (state == "locked") return s.state_locked;
  if (state == "suspended") return s.state_suspended;
  if (state == "unreachable") return s.state_unreachable;
  return std::string(state);
}

}  // namespace temoin::exporter
