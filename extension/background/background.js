// The background (Chrome: service worker; Firefox: event page). One native port to temoin-host, the event
// queue pumped through it, alert pushes turned into notifications and a badge, and the runtime messages of the
// content scripts, the popup and the options page. Listeners are registered synchronously at the top level so
// that a worker woken by an event finds them.
import { openQueue } from '../lib/queue.js';
import { HostLink, HOST_NAME, backoffMinutes } from '../lib/link.js';
import { sanitizeEvent, makeEvent } from '../lib/events.js';
import { profileForHost } from '../adapters/profiles/index.js';
import { handleMessage } from './router.js';

const api = globalThis.chrome;
const TICK = 'temoin-tick';
const RECONNECT = 'temoin-reconnect';

let queuePromise = null;
let link = null;

function queue() {
  if (!queuePromise) queuePromise = openQueue(globalThis.indexedDB);
  return queuePromise;
}

async function getLink() {
  if (link) return link;
  const q = await queue();
  if (link) return link;
  link = new HostLink({
    queue: q,
    connect: () => api.runtime.connectNative(HOST_NAME),
    // Firefox puts the reason in port.error, Chrome in runtime.lastError (read inside onDisconnect).
    lastError: (port) => (port && port.error && port.error.message) ||
      (api.runtime.lastError && api.runtime.lastError.message) || null,
    onAlert: (alert) => { onAlert(alert).catch(() => {}); },
    onState: (state) => { onLinkState(state); },
  });
  return link;
}

let lastConnection = null;
function onLinkState(state) {
  if (state.connection === lastConnection) return;
  lastConnection = state.connection;
  if (state.connection === 'connected') {
    refreshBadge().catch(() => {});
    api.alarms.clear(RECONNECT);
  } else if (state.connection !== 'connecting') {
    // Reconnect with backoff. Alarms survive the worker being stopped; timers do not.
    const minutes = backoffMinutes(state.failures || 1);
    api.alarms.create(RECONNECT, { delayInMinutes: minutes });
    if ((state.failures || 1) === 1) setTimeout(() => { ensureConnected(); }, 2000);
  }
}

async function ensureConnected(force = true) {
  const l = await getLink();
  try { await l.tick(force); } catch { /* state says why */ }
  return l;
}

// --- alerts ------------------------------------------------------------------------------------------------
async function onAlert(alert) {
  if (!alert || typeof alert.id !== 'number') return;
  if (alert.state === 'open') {
    await api.storage.local.set({ focusAlert: alert.id });
    const title = api.i18n.getMessage(`severity_${alert.severity}`) || 'Témoin';
    api.notifications.create(`alert:${alert.id}`, {
      type: 'basic',
      iconUrl: api.runtime.getURL('icons/icon128.png'),
      title: `${title} — ${alert.platform}`,
      message: String(alert.message || alert.kind).slice(0, 500), // notifications show plain text
      priority: alert.severity === 'critical' ? 2 : 1,
    });
  }
  await refreshBadge();
}

async function refreshBadge() {
  const l = await getLink();
  if (!l.connected) return;
  const reply = await l.request({ type: 'query.alerts', state: 'open', limit: 500 });
  const n = reply.ok ? reply.alerts.length : 0;
  await api.action.setBadgeBackgroundColor({ color: '#b00020' });
  await api.action.setBadgeText({ text: n ? (n > 99 ? '99+' : String(n)) : '' });
}

api.notifications.onClicked.addListener((notificationId) => {
  const m = /^alert:(\d+)$/.exec(notificationId);
  if (!m) return;
  const id = Number(m[1]);
  api.storage.local.set({ focusAlert: id });
  api.notifications.clear(notificationId);
  const open = api.action.openPopup ? api.action.openPopup() : Promise.reject(new Error('no openPopup'));
  Promise.resolve(open).catch(() => api.tabs.create({ url: api.runtime.getURL(`popup/popup.html?alert=${id}`) }));
});

// --- alarms ------------------------------------------------------------------------------------------------
function installAlarms() {
  api.alarms.create(TICK, { periodInMinutes: 1 });
}
api.runtime.onInstalled.addListener(() => { installAlarms(); ensureConnected(); });
api.runtime.onStartup.addListener(() => { installAlarms(); ensureConnected(); });
api.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === TICK || alarm.name === RECONNECT) ensureConnected();
});

// --- messages ----------------------------------------------------------------------------------------------
const extensionOrigin = api.runtime.getURL('');
api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const fromExtensionPage = typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin) && !sender.tab?.url?.startsWith('http');
  const ctx = {
    fromExtensionPage,
    senderHost: (() => { try { return new URL(sender.url).hostname; } catch { return null; } })(),
    // The worker opening the popup or options is the moment to try the host again (it may just have been
    // installed); page events wait for the backoff.
    queue, getLink: () => ensureConnected(fromExtensionPage), sanitizeEvent, makeEvent, profileForHost,
    storage: api.storage.local,
    onAcked: () => { refreshBadge().catch(() => {}); },
  };
  handleMessage(msg, ctx).then(sendResponse, (e) => sendResponse({ ok: false, error: { code: e.code || 'internal', message: String(e.message || e) } }));
  return true; // answer asynchronously
});

installAlarms();
ensureConnected();
