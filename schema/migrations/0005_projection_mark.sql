-- Schema 5: the derived tables follow the log instead of being written with each event (docs/architecture.md,
-- "The log first, its views after").
--
-- An event is acknowledged once it is in the log. The derived tables (accounts, tasks, balances, balance_series,
-- payouts, activity, statuses) and the alert rules catch up with the log a little later, in a transaction of
-- their own over every event after `through_seq`, and before anything reads them. This row says how far they
-- have come. A database made before this schema was projected event by event: it is up to date with its log.
CREATE TABLE projection_mark (
  only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
  through_seq INTEGER NOT NULL
);

INSERT INTO projection_mark (only_row, through_seq) VALUES (1, COALESCE((SELECT MAX(seq) FROM events), 0));
