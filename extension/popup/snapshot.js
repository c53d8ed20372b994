// The last dashboard the popup drew, kept in the page's localStorage so that the next open can show it at once.
//
// Why: opening the popup after the service worker was stopped (or at browser start) means waiting for the worker
// to start, the host to start and the queries to run before anything can be drawn: 250 ms and more, against
// about 100 ms for the page itself (docs/popup-performance.md). localStorage is the extension origin's own Web
// Storage: read synchronously by the page, without the worker and without an asynchronous round trip to the
// browser (chrome.storage.local answered the same read 40–80 ms later on a cold extension process). The snapshot
// is drawn marked as such ("last known figures, from …", actions disabled) and is replaced by the live figures as
// soon as they arrive; when the host cannot answer at all, it stays, so the worker still sees what they were
// owed when the host was last reachable.
//
// It is a cache of what the host said, nothing more: the record is the host's log. It holds the same strings
// the popup shows (page titles included), which are drawn as text like everything else in view.js.

export const SNAPSHOT_KEY = 'popupSnapshot';
const SNAPSHOT_VERSION = 1;

// The plain-JSON form of what loadData returned; null when there is nothing worth keeping (no summary).
export function toSnapshot(data) {
  if (!data || !data.summary || !Array.isArray(data.summary.accounts)) return null;
  const now = data.now instanceof Date ? data.now : new Date();
  return {
    v: SNAPSHOT_VERSION,
    taken_at: now.toISOString(),
    summary: data.summary,
    alerts: Array.isArray(data.alerts) ? data.alerts : [],
    todayTasks: Array.isArray(data.todayTasks) ? data.todayTasks : [],
    histories: data.histories instanceof Map ? [...data.histories.entries()] : [],
  };
}

// What renderPopup takes, from a stored snapshot; null for anything not of the expected shape (an older
// version of the extension, a damaged profile): the popup then simply waits for the live figures.
export function fromSnapshot(stored) {
  if (!stored || typeof stored !== 'object' || stored.v !== SNAPSHOT_VERSION) return null;
  const takenAt = new Date(stored.taken_at);
  if (Number.isNaN(takenAt.getTime())) return null;
  if (!stored.summary || !Array.isArray(stored.summary.accounts)) return null;
  const entries = Array.isArray(stored.histories)
    ? stored.histories.filter((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && Array.isArray(e[1]))
    : [];
  return {
    status: null,
    summary: stored.summary,
    summaryError: null,
    alerts: Array.isArray(stored.alerts) ? stored.alerts : [],
    focusAlert: null,
    histories: new Map(entries),
    // "Today" and "unpaid for" are as of the snapshot, like every figure in it.
    now: takenAt,
    todayTasks: Array.isArray(stored.todayTasks) ? stored.todayTasks : [],
    stale: { since: stored.taken_at, reason: 'loading' },
  };
}

// `storage` is a Web Storage (window.localStorage). Never throws: no snapshot is only a slower first draw.
export function loadSnapshot(storage) {
  try {
    const text = storage.getItem(SNAPSHOT_KEY);
    return text ? fromSnapshot(JSON.parse(text)) : null;
  } catch {
    return null;
  }
}

// Returns whether it was saved (a full storage, or storage disabled, only costs the next open its snapshot).
export function saveSnapshot(storage, data) {
  const snap = toSnapshot(data);
  if (!snap) return false;
  try {
    storage.setItem(SNAPSHOT_KEY, JSON.stringify(snap));
    return true;
  } catch {
    return false;
  }
}

// The live answer when the host gave figures; else the snapshot's figures under the live connection status and
// error, marked as offline. Without a snapshot, the live answer as it is.
export function withOfflineFallback(live, snapshot) {
  if (live.summary || !snapshot) return live;
  return { ...snapshot, status: live.status, summaryError: live.summaryError, focusAlert: live.focusAlert,
    stale: { since: snapshot.stale.since, reason: 'offline' } };
}
