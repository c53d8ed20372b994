-- Schema 5: two indexes fewer on the log (docs/performance.md, "Stream ingest": every index entry is a b-tree
-- written at each event, and the log's were a third of what an event wrote to the disk).
--
-- events_by_account_time (platform, account, at_ms) and events_by_type_time (type, at_ms) give way to one index
-- on page time alone, whose entries are a number and the seq, and events_by_account carries the page time too,
-- so that an account's events in a period are read from it without visiting the rows:
--   - the popup's events of a type since a time, and the dossier's page-time edges: events_by_time;
--   - the dossier's period (its seq range and count) and an account's chain: events_by_account;
--   - the dossier's status changes: `statuses` (schema 2), then the rows by seq;
--   - AlertStore::NextId's count of alert.raised events: an index of those events alone.
-- Only indexes change; the rows and their chain are untouched.
DROP INDEX events_by_account;
CREATE INDEX events_by_account ON events (platform, account, seq, at_ms);
CREATE INDEX events_by_time ON events (at_ms);
CREATE INDEX events_alert_raised ON events (seq) WHERE type = 'alert.raised';
DROP INDEX events_by_account_time;
DROP INDEX events_by_type_time;
