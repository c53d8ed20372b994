-- Schema 6: the log's orders by account and by type follow the log instead of being written with each event
-- (docs/architecture.md, "The log's orders follow it").
--
-- Three indexes on `events` (by account and seq, by account and page time, by type and page time) were written at
-- every acknowledgement: three b-tree entries on the ack's path, and their pages in every group commit. Their
-- readers (the chain's head, the dossier, query.events, no_contact's evidence) now read two derived tables, filled
-- for every event the projection mark passes (store/projections.h, MarkProjectedThrough), and the log itself after
-- the mark. An acknowledgement writes one row and its id's index entry.
CREATE TABLE events_of_account (
  platform TEXT NOT NULL,
  account  TEXT NOT NULL,
  seq      INTEGER NOT NULL,
  at_ms    INTEGER NOT NULL,
  PRIMARY KEY (platform, account, seq)
) WITHOUT ROWID;

CREATE TABLE events_of_type (
  type  TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  seq   INTEGER NOT NULL,
  PRIMARY KEY (type, at_ms, seq)
) WITHOUT ROWID;

INSERT INTO events_of_account (platform, account, seq, at_ms)
  SELECT platform, account, seq, at_ms FROM events WHERE seq <= (SELECT through_seq FROM projection_mark);
INSERT INTO events_of_type (type, at_ms, seq)
  SELECT type, at_ms, seq FROM events WHERE seq <= (SELECT through_seq FROM projection_mark);

-- The alerts are numbered past every alert.raised event in the log (rules/alert_store.cc, NextId): those few keep
-- an index of their own on the log.
CREATE INDEX events_alert_raised ON events (seq) WHERE type = 'alert.raised';

DROP INDEX events_by_account;
DROP INDEX events_by_account_time;
DROP INDEX events_by_type_time;
