-- Schema 2: what lets the alert rules and the popup's summary read a few rows instead of an account's history
-- (docs/performance.md). Only derived data changes; the log is untouched. Everything added here is filled from
-- the log by `temoin rebuild` too.

-- The summary reads a week of tasks per account: an index holding every column it reads answers it without
-- visiting the table (tasks_by_day only found the rows). It replaces tasks_by_day, a prefix of it.
CREATE INDEX tasks_by_day_covering ON tasks (platform, account, counted_ms, started_ms, submitted_ms, abandoned_ms,
  duration_s, earned_minor, earned_currency, rate_minor, rate_currency, rate_per_hour);
DROP INDEX tasks_by_day;

-- tasks_dried_up asks for the latest sign of work: the latest task event (start, submit or abandon) and the
-- latest visit that reported tasks available, in page time. Kept on the account row as events arrive.
ALTER TABLE accounts ADD COLUMN last_task_ms INTEGER;
ALTER TABLE accounts ADD COLUMN last_task_seq INTEGER;
ALTER TABLE accounts ADD COLUMN last_offered_ms INTEGER;

UPDATE accounts SET
  last_task_ms = (SELECT MAX(at_ms) FROM events e WHERE e.platform = accounts.platform
                  AND e.account = accounts.account AND e.type IN ('task.start', 'task.submit', 'task.abandon')),
  last_offered_ms = (SELECT MAX(at_ms) FROM heartbeats h WHERE h.platform = accounts.platform
                     AND h.account = accounts.account AND h.tasks_available > 0);
UPDATE accounts SET
  last_task_seq = (SELECT MAX(seq) FROM events e WHERE e.platform = accounts.platform
                   AND e.account = accounts.account AND e.type IN ('task.start', 'task.submit', 'task.abandon')
                   AND e.at_ms = accounts.last_task_ms)
WHERE last_task_ms IS NOT NULL;

-- Derived: every account.status observation, for account_locked and access_lost (which read an account's
-- states in page time; from `events` that meant reading every event of the account).
CREATE TABLE statuses (
  seq       INTEGER PRIMARY KEY,
  platform  TEXT NOT NULL,
  account   TEXT NOT NULL,
  at_ms     INTEGER NOT NULL,
  state     TEXT NOT NULL
);
CREATE INDEX statuses_by_account ON statuses (platform, account, at_ms, seq);
INSERT INTO statuses (seq, platform, account, at_ms, state)
  SELECT seq, platform, account, at_ms, json_extract(body, '$.state') FROM events
  WHERE type = 'account.status' AND json_extract(body, '$.state') IS NOT NULL;

-- The popup lists today's tasks of every account (query.events by type and page time): without this index
-- that read every event of the log.
CREATE INDEX events_by_type_time ON events (type, at_ms);

-- The summary counts each account's open alerts.
CREATE INDEX alerts_by_account ON alerts (platform, account, state);
