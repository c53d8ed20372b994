-- Schema 1: the append-only event log (the source of truth) and the tables derived from it.
-- Derived tables can be dropped and rebuilt from `events` at any time (temoin rebuild); nothing else is.

-- The log. One row per accepted event, never updated nor deleted (see the triggers). `body` is the message as
-- accepted, in canonical JSON; `hash` chains the rows of one account (platform + account):
--   hash = sha256_hex(prev_hash || JCS({"event": body, "received_at": received_at, "seq": seq}))
-- with 64 zeros as the first prev_hash (docs/protocol.md).
CREATE TABLE events (
  seq          INTEGER PRIMARY KEY,
  id           TEXT    NOT NULL UNIQUE,  -- the sender's idempotency key
  type         TEXT    NOT NULL,
  platform     TEXT    NOT NULL,
  account      TEXT    NOT NULL,
  at           TEXT    NOT NULL,         -- page time as the page gave it
  at_ms        INTEGER NOT NULL,         -- the same, in ms since the epoch
  received_at  TEXT    NOT NULL,         -- host time, YYYY-MM-DDTHH:MM:SS.mmmZ
  body         TEXT    NOT NULL,
  prev_hash    TEXT    NOT NULL,
  hash         TEXT    NOT NULL
);
CREATE INDEX events_by_account ON events (platform, account, seq);
CREATE INDEX events_by_account_time ON events (platform, account, at_ms);

CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only: rows cannot be updated'); END;
CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only: rows cannot be deleted'); END;

-- Derived: one row per account.
CREATE TABLE accounts (
  platform      TEXT NOT NULL,
  account       TEXT NOT NULL,
  last_seen_ms  INTEGER NOT NULL,
  last_seen     TEXT NOT NULL,
  state         TEXT,             -- the latest account.status in page time, NULL if never reported
  state_at_ms   INTEGER,
  state_at      TEXT,
  state_seq     INTEGER,
  PRIMARY KEY (platform, account)
) WITHOUT ROWID;

-- Derived: one row per task (a task is one task however often its pages are seen).
CREATE TABLE tasks (
  platform        TEXT NOT NULL,
  account         TEXT NOT NULL,
  task_id         TEXT NOT NULL,
  started_ms      INTEGER,
  started_at      TEXT,
  submitted_ms    INTEGER,
  submitted_at    TEXT,
  abandoned_ms    INTEGER,
  counted_ms      INTEGER NOT NULL,  -- submitted_ms, else started_ms, else abandoned_ms: the day it counts on
  duration_s      INTEGER,
  earned_minor    INTEGER,
  earned_currency TEXT,
  rate_minor      INTEGER,
  rate_currency   TEXT,
  rate_per_hour   INTEGER,
  project         TEXT,
  title           TEXT,
  url             TEXT,
  start_seq       INTEGER,
  submit_seq      INTEGER,
  PRIMARY KEY (platform, account, task_id)
) WITHOUT ROWID;
CREATE INDEX tasks_by_day ON tasks (platform, account, counted_ms);

-- Derived: every balance observation (and every balance.missing, with missing = 1).
CREATE TABLE balances (
  seq           INTEGER PRIMARY KEY,
  platform      TEXT NOT NULL,
  account       TEXT NOT NULL,
  currency      TEXT,              -- NULL only for a balance.missing that named none
  at_ms         INTEGER NOT NULL,
  at            TEXT NOT NULL,
  amount_minor  INTEGER,
  pending_minor INTEGER,
  missing       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX balances_by_series ON balances (platform, account, currency, at_ms, seq);

-- Derived: the latest state of each balance series (account + currency), for the summary.
CREATE TABLE balance_series (
  platform         TEXT NOT NULL,
  account          TEXT NOT NULL,
  currency         TEXT NOT NULL,
  latest_seq       INTEGER NOT NULL,
  latest_at_ms     INTEGER NOT NULL,
  latest_at        TEXT NOT NULL,
  amount_minor     INTEGER NOT NULL,
  pending_minor    INTEGER,
  unpaid_since_ms  INTEGER,
  unpaid_since     TEXT,
  PRIMARY KEY (platform, account, currency)
) WITHOUT ROWID;

-- Derived: payouts, each counted once (by reference, else by amount, currency and time).
CREATE TABLE payouts (
  seq           INTEGER PRIMARY KEY,
  platform      TEXT NOT NULL,
  account       TEXT NOT NULL,
  currency      TEXT NOT NULL,
  amount_minor  INTEGER NOT NULL,
  at_ms         INTEGER NOT NULL,
  at            TEXT NOT NULL,
  method        TEXT,
  reference     TEXT,
  dedupe_key    TEXT NOT NULL UNIQUE
);
CREATE INDEX payouts_by_account ON payouts (platform, account, currency, at_ms);

-- Derived: the time the worker spent on a platform, as disjoint intervals [start_ms, end_ms): the union of
-- heartbeats (each covers the minute after it) and tasks (start to submit).
CREATE TABLE activity (
  platform  TEXT NOT NULL,
  account   TEXT NOT NULL,
  start_ms  INTEGER NOT NULL,
  end_ms    INTEGER NOT NULL,
  PRIMARY KEY (platform, account, start_ms)
) WITHOUT ROWID;
CREATE INDEX activity_by_end ON activity (platform, account, end_ms);

-- Derived: latest heartbeat facts per account, for the alert rules.
CREATE TABLE heartbeats (
  seq             INTEGER PRIMARY KEY,
  platform        TEXT NOT NULL,
  account         TEXT NOT NULL,
  at_ms           INTEGER NOT NULL,
  tasks_available INTEGER
);
CREATE INDEX heartbeats_by_account ON heartbeats (platform, account, at_ms);

-- Derived from the alert events of the log (alert.raised, alert.resolved, alert.acknowledged).
CREATE TABLE alerts (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL,
  severity        TEXT NOT NULL,
  platform        TEXT NOT NULL,
  account         TEXT NOT NULL,
  currency        TEXT,
  episode         TEXT NOT NULL,     -- what makes two raises the same episode (fires once per episode)
  raised_ms       INTEGER NOT NULL,
  raised_at       TEXT NOT NULL,
  message         TEXT NOT NULL,
  evidence        TEXT NOT NULL,     -- JSON array of seqs
  state           TEXT NOT NULL,     -- open | acknowledged | resolved
  acknowledged_at TEXT,
  resolved_at     TEXT,
  UNIQUE (kind, platform, account, episode)
);
CREATE INDEX alerts_by_state ON alerts (state, id);

-- Derived from config.set events of the log: alert thresholds; platform = '' and account = '' hold defaults.
CREATE TABLE settings (
  platform  TEXT NOT NULL,
  account   TEXT NOT NULL,
  key       TEXT NOT NULL,
  value     TEXT NOT NULL,  -- JSON
  PRIMARY KEY (platform, account, key)
) WITHOUT ROWID;
