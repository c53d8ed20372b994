-- Schema 4: the latest visit on the account row instead of a table of every heartbeat (docs/performance.md,
-- "Stream ingest").
--
-- `heartbeats` held a row (and an index entry) per heartbeat, most of what the ingest writes, and only one
-- reader ever asked it anything: tasks_dried_up, for the account's latest heartbeat in page time. The account
-- row now keeps that heartbeat's time and seq, as it keeps the latest task event (schema 2); the heartbeats
-- themselves stay in the log. Only derived data changes; `temoin rebuild` fills the columns from the log.
ALTER TABLE accounts ADD COLUMN last_visit_ms INTEGER;
ALTER TABLE accounts ADD COLUMN last_visit_seq INTEGER;

UPDATE accounts SET (last_visit_ms, last_visit_seq) =
  (SELECT h.at_ms, h.seq FROM heartbeats h WHERE h.platform = accounts.platform AND h.account = accounts.account
   ORDER BY h.at_ms DESC, h.seq DESC LIMIT 1);

DROP TABLE heartbeats;
