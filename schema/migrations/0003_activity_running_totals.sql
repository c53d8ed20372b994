-- Schema 3: the popup's platform time from running totals (docs/performance.md, "query.summary").
--
-- An account's activity intervals are disjoint, so the time on the platform before any instant t is one number:
-- the lengths of the intervals before t, plus the part of the interval t falls in. Each interval now carries
-- `before_ms`, the summed lengths of the account's intervals that start before it, so the time in a window
-- [a, b) is total(b) - total(a): two index seeks per window, instead of reading every interval of the week
-- (about 1,300 for 20 accounts). Projections::AddActivity keeps the column true as intervals merge; only
-- derived data changes, and `temoin rebuild` recomputes it from the log like the rest.
ALTER TABLE activity ADD COLUMN before_ms INTEGER NOT NULL DEFAULT 0;

UPDATE activity SET before_ms = r.before_ms
FROM (SELECT platform, account, start_ms,
             COALESCE(SUM(end_ms - start_ms) OVER (PARTITION BY platform, account ORDER BY start_ms
                                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before_ms
      FROM activity) AS r
WHERE activity.platform = r.platform AND activity.account = r.account AND activity.start_ms = r.start_ms;
