// Checks shared by the scenarios: waiting for events to reach the database, recomputing the summary figures
// from the database as docs/protocol.md defines them, and matching amounts as a person would read them.
import assert from 'node:assert/strict';
import { waitFor } from './temoin.js';

/** Waits until the database holds an event matching pred; returns it. */
export async function waitForEvent(s, pred, message, timeoutMs = 15000) {
  return waitFor(() => s.temoin.events().find(pred), { timeoutMs, message: `${message} in the database` });
}

/**
 * Like waitForEvent, and when the event does not come, says where it stopped: still in the extension's queue
 * (the link to the host), rejected by the host (with its error), or never queued at all (lost in the page,
 * before the content script handed it to the background).
 */
export async function waitForEventVia(s, d, pred, message, timeoutMs = 15000) {
  try {
    return await waitForEvent(s, pred, message, timeoutMs);
  } catch (e) {
    const asRow = (ev) => ({ id: ev.id, type: ev.type, platform: ev.platform, account: ev.account, at: ev.at, body: ev });
    try {
      const q = await d.queue();
      const queued = q.queue.filter((r) => r.event && pred(asRow(r.event)));
      const rejected = q.rejected.filter((r) => r.event && pred(asRow(r.event)));
      if (queued.length) e.message += `; it is in the extension's queue, not delivered (attempts ${queued[0].attempts}, last error ${JSON.stringify(queued[0].last_error || null)})`;
      else if (rejected.length) e.message += `; the host rejected it: ${JSON.stringify(rejected[0].error)}`;
      else e.message += `; it is neither in the extension's queue (${q.queue.length} waiting) nor in its rejected list: ` +
        'it never reached the background (lost in the page, in the content script)';
    } catch (inner) {
      e.message += `; (the extension's queue could not be read: ${inner.message})`;
    }
    throw e;
  }
}

/** Waits until the database holds at least n events matching pred; returns them. */
export async function waitForEvents(s, pred, n, message, timeoutMs = 15000) {
  return waitFor(() => {
    const found = s.temoin.events().filter(pred);
    return found.length >= n ? found : null;
  }, { timeoutMs, message: `${n} × ${message} in the database` });
}

/** "1350.75" → a RegExp matching 1350.75, 1,350.75, 1 350,75, 1350,75 (any currency sign around it). */
export function amountPattern(amount) {
  const [int, frac] = String(amount).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, 'SEP');
  const intRe = int.length > 3 ? `(?:${int}|${grouped.replace(/SEP/g, '[,\u00a0\u202f. ]')})` : int;
  const re = frac !== undefined ? `${intRe}[.,]${frac}` : intRe;
  return new RegExp(`(?<![0-9.,])${re}(?![0-9])`);
}

/** Local day bounds of the host (the test runs on the same machine, in the same zone). */
export function todayWindow(now = new Date()) {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
  return { start, end };
}

/**
 * Today's figures for one account and currency, recomputed from the database's tables with the formulas of
 * docs/protocol.md (query.summary): tasks, task_seconds, platform_seconds, earned (minor units), effective rate.
 */
export function figuresFromDatabase(s, platform, account, currency, decimals = 2) {
  const { start, end } = todayWindow();
  const q = (v) => `'${String(v).replace(/'/g, "''")}'`;
  const tasks = s.temoin.sql(`SELECT * FROM tasks WHERE platform = ${q(platform)} AND account = ${q(account)} ` +
    `AND counted_ms >= ${start} AND counted_ms < ${end} AND abandoned_ms IS NULL`);
  let taskSeconds = 0;
  let earned = 0;
  let estimated = false;
  for (const t of tasks) {
    const submitted = t.submitted_ms !== null;
    const secs = t.duration_s !== null ? t.duration_s
      : (submitted && t.started_ms !== null && t.submitted_ms > t.started_ms ? Math.floor((t.submitted_ms - t.started_ms) / 1000) : 0);
    if (!submitted) continue;
    taskSeconds += secs;
    if (t.earned_minor !== null) {
      if (t.earned_currency === currency) earned += t.earned_minor;
    } else if (t.rate_minor !== null && t.rate_currency === currency) {
      earned += t.rate_per_hour ? Math.floor(t.rate_minor * secs / 3600) : t.rate_minor;
      estimated = true;
    }
  }
  const activity = s.temoin.sql(`SELECT start_ms, end_ms FROM activity WHERE platform = ${q(platform)} AND ` +
    `account = ${q(account)} AND end_ms > ${start} AND start_ms < ${end}`);
  const platformMs = activity.reduce((sum, a) => sum + Math.min(a.end_ms, end) - Math.max(a.start_ms, start), 0);
  const platformSeconds = Math.floor(platformMs / 1000);
  const effective = platformSeconds > 0 ? Math.floor(earned * 3600 / platformSeconds) : null;
  return { tasks: tasks.length, taskSeconds, platformSeconds, earned: minorToDecimal(earned, decimals), estimated,
    effective: effective === null ? null : minorToDecimal(effective, decimals), rows: tasks };
}

export function minorToDecimal(minor, decimals = 2) {
  const neg = minor < 0;
  const s = String(Math.abs(minor)).padStart(decimals + 1, '0');
  const out = decimals ? `${s.slice(0, -decimals)}.${s.slice(-decimals)}` : s;
  return neg ? `-${out}` : out;
}

/** The `temoin status --json` row of one account and currency. */
export function statusRow(s, platform, account, currency) {
  const rows = s.temoin.status();
  assert.ok(Array.isArray(rows), `temoin status --json is not a list: ${JSON.stringify(rows).slice(0, 300)}`);
  const row = rows.find((r) => r.platform === platform && r.account === account && r.currency === currency);
  assert.ok(row, `temoin status --json has no row for ${platform}/${account} in ${currency}: ${JSON.stringify(rows).slice(0, 800)}`);
  return row;
}

/** Event ids of the database in seq order, for one account (all when account is omitted). */
export function loggedIds(s, platform, account) {
  return s.temoin.events().filter((e) => (!platform || e.platform === platform) && (!account || e.account === account))
    .map((e) => e.id);
}
