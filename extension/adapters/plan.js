// From a page reading and what this profile remembers of the platform, decide which events to record.
// Pure: (reading, memory, now) → {events: [[type, fields]], memory}. The content script stores the memory in
// storage.local per platform; the tests call it directly.
import { PLACEHOLDER_ACCOUNT } from '../lib/events.js';
import { compareAmounts } from '../lib/money.js';

const BALANCE_REPEAT_MS = 60 * 60 * 1000; // an unchanged balance is recorded again after an hour
const PAYOUT_CONFIRM_MS = 24 * 60 * 60 * 1000; // a withdrawal request waits this long for a lower balance

export function emptyMemory() {
  return { lastAccount: null, status: {}, balances: {}, seen: {}, missing: {}, tasks: {}, submitted: {}, rates: {},
    payoutRequests: {} };
}

export function accountFor(reading, mem) {
  return reading.account || mem.lastAccount || PLACEHOLDER_ACCOUNT;
}

export function planReading(reading, memIn, now = Date.now()) {
  const mem = structuredClone(memIn || emptyMemory());
  for (const k of Object.keys(emptyMemory())) if (mem[k] === undefined) mem[k] = emptyMemory()[k];
  const events = [];
  const platform = reading.platform;
  if (reading.account) mem.lastAccount = reading.account;
  const account = accountFor(reading, mem);
  const base = { platform, account };

  // The account's state.
  let state = null;
  let detail;
  if (!reading.recognised) { state = 'unreachable'; detail = reading.detail; }
  else if (reading.state) { state = reading.state; detail = reading.detail; }
  else if (reading.account || reading.page !== 'other') state = 'active';
  if (state) {
    const last = mem.status[account];
    if (!last || last.state !== state || (state !== 'active' && last.detail !== detail)) {
      events.push(['account.status', { ...base, state, detail }]);
      mem.status[account] = { state, detail, at: now };
    }
  }
  if (!reading.recognised) return { events, memory: mem };

  // Rates advertised on a dashboard, remembered for the task pages.
  for (const p of reading.projects || []) if (p.name && p.rate) mem.rates[p.name] = p.rate;

  // A withdrawal asked for earlier, confirmed by a lower balance now → the payout.
  for (const b of reading.balances) {
    const key = `${account}|${b.currency}`;
    const req = mem.payoutRequests && mem.payoutRequests[key];
    if (!req) continue;
    if (now - req.at > PAYOUT_CONFIRM_MS) { delete mem.payoutRequests[key]; continue; }
    if (req.before !== null && compareAmounts(b.amount, req.before) < 0) {
      events.push(['payout', { ...base, amount: req.amount, currency: b.currency, method: req.method }]);
      delete mem.payoutRequests[key];
    }
  }

  // Balances.
  const seenKey = `${account}|${reading.page}`;
  if (reading.balances.length) {
    mem.seen[seenKey] = reading.balances.map((b) => b.currency);
    delete mem.missing[seenKey];
    for (const b of reading.balances) {
      const key = `${account}|${b.currency}`;
      const last = mem.balances[key];
      if (!last || last.amount !== b.amount || last.pending !== b.pending || now - last.at >= BALANCE_REPEAT_MS) {
        events.push(['balance', { ...base, amount: b.amount, currency: b.currency, pending: b.pending }]);
        mem.balances[key] = { amount: b.amount, pending: b.pending, at: now };
      }
    }
  } else if (reading.expectsBalance && mem.seen[seenKey] && !mem.missing[seenKey]) {
    // The page that used to show the balance shows none: the signal the host must get.
    for (const currency of mem.seen[seenKey]) {
      events.push(['balance.missing', { ...base, currency,
        detail: `the ${reading.page} page no longer shows a balance` }]);
    }
    mem.missing[seenKey] = now;
  }

  // A task page opened: the task starts (once per task).
  if (reading.task && reading.task.task_id) {
    const key = `${account}|${reading.task.task_id}`;
    if (!mem.tasks[key] && !mem.submitted[key]) {
      const rate = reading.task.rate || (reading.task.project && mem.rates[reading.task.project]) || undefined;
      events.push(['task.start', { ...base, ...reading.task, rate }]);
      mem.tasks[key] = { started_at: now, project: reading.task.project };
    }
  }
  prune(mem, now);
  return { events, memory: mem };
}

// A click on a submit or payout control.
export function planClick(click, reading, memIn, now = Date.now()) {
  const mem = structuredClone(memIn || emptyMemory());
  const events = [];
  if (!click || !reading || !reading.recognised) return { events, memory: mem };
  const account = accountFor(reading, mem);
  const base = { platform: reading.platform, account };
  if (click.action === 'submit' && reading.task && reading.task.task_id) {
    const key = `${account}|${reading.task.task_id}`;
    if (!mem.submitted[key]) {
      const started = mem.tasks[key];
      const fields = { ...base, task_id: reading.task.task_id };
      if (started) fields.duration_s = Math.max(0, Math.min(604800, Math.round((now - started.started_at) / 1000)));
      if (reading.task.earned) fields.earned = reading.task.earned;
      events.push(['task.submit', fields]);
      mem.submitted[key] = now;
      delete mem.tasks[key];
    }
  } else if (click.action === 'abandon' && reading.task && reading.task.task_id) {
    const key = `${account}|${reading.task.task_id}`;
    if (!mem.submitted[key]) {
      events.push(['task.abandon', { ...base, task_id: reading.task.task_id }]);
      mem.submitted[key] = now; // closed: not started again by a reload
      delete mem.tasks[key];
    }
  } else if (click.action === 'payout') {
    // A click on "Withdraw" is a request, not a payout: a payout recorded for a withdrawal that failed would
    // explain away a balance that really vanished. Remember the request; the payout is recorded when a later
    // reading of the balance shows it went down (planReading).
    const shown = reading.balances[0];
    const amount = click.money || (shown && { amount: shown.amount, currency: shown.currency });
    if (amount && !/^0+(\.0*)?$/.test(amount.amount)) {
      const before = reading.balances.find((b) => b.currency === amount.currency) ||
        (mem.balances[`${account}|${amount.currency}`] || null);
      mem.payoutRequests = mem.payoutRequests || {};
      mem.payoutRequests[`${account}|${amount.currency}`] = { amount: amount.amount, method: click.method, at: now,
        before: before ? before.amount : null };
    }
  }
  return { events, memory: mem };
}

// Keep the memory small: forget submitted tasks after 30 days, open tasks after 7.
function prune(mem, now) {
  for (const [k, t] of Object.entries(mem.submitted)) if (now - t > 30 * 86400000) delete mem.submitted[k];
  for (const [k, t] of Object.entries(mem.tasks)) if (now - t.started_at > 7 * 86400000) delete mem.tasks[k];
}
