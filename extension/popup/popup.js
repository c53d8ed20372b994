// The popup: asks the background (never the host directly) for the status, the summary, each account's balance
// history and the open alerts, then draws them with view.js.
import { renderPopup } from './view.js';
import { browserT, localise, uiLang } from '../lib/i18n.js';
import { parseMoney } from '../lib/money.js';
import { loadData } from './data.js';
import { loadSnapshot, saveSnapshot, withOfflineFallback } from './snapshot.js';

const api = globalThis.chrome;
const t = browserT();
const send = (msg) => api.runtime.sendMessage(msg);
const host = (body) => send({ kind: 'host', body });
// The extension origin's localStorage, for the snapshot; null where storage is disabled (no snapshot then).
const webStorage = (() => { try { return window.localStorage; } catch { return null; } })();

// The first draw shows the last snapshot while the live figures load (a stopped service worker and the host
// take longer to start than the page: popup/snapshot.js); later draws (after an action) only show live figures.
async function draw({ first = false } = {}) {
  const root = document.getElementById('dash');
  const live = loadData(send);
  const snapshot = first ? loadSnapshot(webStorage) : null;
  if (snapshot) renderPopup(root, snapshot, t, { lang: uiLang() });
  const data = await live;
  const focus = renderPopup(root, withOfflineFallback(data, snapshot), t, { lang: uiLang() });
  root.setAttribute('aria-busy', 'false');
  if (focus) focus.focus();
  if (data.summary) saveSnapshot(webStorage, data);
  const acct = document.getElementById('m-account');
  if (!acct.value && data.summary && data.summary.accounts[0]) acct.value = data.summary.accounts[0].account;
}

document.addEventListener('click', async (e) => {
  const button = e.target.closest && e.target.closest('button.export');
  if (!button) return;
  const out = button.parentElement.querySelector('.export-result');
  button.disabled = true;
  out.textContent = t('exportWorking');
  const r = await host({ type: 'export', platform: button.getAttribute('data-platform'),
    account: button.getAttribute('data-account'), lang: uiLang() === 'fr' ? 'fr' : 'en' });
  button.disabled = false;
  out.textContent = r && r.ok ? t('exportDone', r.path) : (r && r.error ? r.error.message : t('hostUnavailable', ''));
});

document.addEventListener('click', async (e) => {
  const btn = e.target.closest && e.target.closest('button.ack');
  if (!btn) return;
  btn.disabled = true;
  const r = await host({ type: 'alert.ack', alert_id: Number(btn.getAttribute('data-alert-id')) });
  if (!r.ok) { btn.disabled = false; btn.textContent = r.error ? r.error.message : t('hostUnavailable', ''); return; }
  draw();
});

function showFields() {
  const action = document.getElementById('m-action').value;
  document.querySelector('.when-task').hidden = !action.startsWith('task.');
  document.querySelector('.when-money').hidden = !(action === 'balance' || action === 'payout');
  document.querySelector('.when-payout').hidden = action !== 'payout';
}

document.getElementById('m-action').addEventListener('change', showFields);
document.getElementById('manual-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const out = document.getElementById('m-result');
  const type = document.getElementById('m-action').value;
  const fields = { platform: document.getElementById('m-platform').value, account: document.getElementById('m-account').value };
  if (type.startsWith('task.')) {
    let id = document.getElementById('m-task').value.trim();
    if (!id && type === 'task.start') id = `manual-${Date.now()}`;
    if (!id) { out.textContent = t('manualNeedTask'); return; }
    fields.task_id = id;
    document.getElementById('m-task').value = id;
  } else {
    const cur = document.getElementById('m-currency').value.trim().toUpperCase();
    const m = parseMoney(document.getElementById('m-amount').value, { defaultCurrency: cur, dollarCurrency: cur === 'USD' ? 'USD' : cur });
    if (!m) { out.textContent = t('manualBadAmount'); return; }
    Object.assign(fields, m);
    if (type === 'payout') { fields.method = document.getElementById('m-method').value; fields.reference = document.getElementById('m-ref').value; }
  }
  const r = await send({ kind: 'manual', type, fields });
  out.textContent = r && r.ok ? t('manualSaved') : (r && r.error ? r.error.message : 'error');
  draw();
});

localise(document, t);
document.documentElement.lang = uiLang();
showFields();
draw({ first: true });
