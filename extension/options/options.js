// The options page: thresholds per account (config.get / config.set through the background), the rejected
// events with the host's message, and the MTurk switch.
import { browserT, localise, uiLang } from '../lib/i18n.js';
import { el } from '../popup/view.js';
import { buildRejected, buildThresholds, readThresholds } from './view.js';

const api = globalThis.chrome;
const t = browserT();
const send = (msg) => api.runtime.sendMessage(msg);
const host = (body) => send({ kind: 'host', body });
let current = null;

function scope() {
  const v = document.getElementById('th-account').value;
  if (!v) return {};
  const [platform, ...rest] = v.split('|');
  return { platform, account: rest.join('|') };
}

async function loadThresholds() {
  const r = await host({ type: 'config.get', ...scope() });
  const box = document.getElementById('th-fields');
  if (!r.ok) { box.replaceChildren(el(document, 'p', { class: 'warn', text: t('hostUnavailable', r.error ? r.error.message : '') })); return; }
  current = r.config;
  box.replaceChildren(buildThresholds(document, r.config, t));
}

async function loadAccounts() {
  const sel = document.getElementById('th-account');
  sel.replaceChildren(el(document, 'option', { value: '', text: t('thresholdsDefaults') }));
  const r = await host({ type: 'query.summary' });
  const status = document.getElementById('host-status');
  if (!r.ok) { status.textContent = t('hostUnavailable', r.error ? r.error.message : ''); return; }
  const seen = new Set();
  for (const a of r.accounts) {
    const key = `${a.platform}|${a.account}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sel.append(el(document, 'option', { value: key, text: `${a.platform} · ${a.account}` }));
  }
}

async function loadRejected() {
  const r = await send({ kind: 'rejected.list' });
  document.getElementById('rejected').replaceChildren(buildRejected(document, r.ok ? r.rejected : [], t));
}

document.getElementById('th-account').addEventListener('change', loadThresholds);
document.getElementById('th-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const out = document.getElementById('th-result');
  const read = readThresholds(document, current);
  if (read.error) { out.textContent = t('badSetting', t(`setting_${read.error}`)); document.getElementById(`s-${read.error}`).focus(); return; }
  if (!Object.keys(read.settings).length) { out.textContent = t('saved'); return; }
  const r = await host({ type: 'config.set', ...scope(), settings: read.settings });
  out.textContent = r.ok ? t('saved') : `${r.error.code}: ${r.error.message}`;
  if (r.ok) { current = r.config; document.getElementById('th-fields').replaceChildren(buildThresholds(document, r.config, t)); }
});
document.getElementById('rejected').addEventListener('click', async (e) => {
  const b = e.target.closest && e.target.closest('button.retry');
  if (!b) return;
  await send({ kind: 'rejected.retry', id: b.getAttribute('data-id') });
  loadRejected();
});
const box = document.getElementById('mturk-enabled');
box.addEventListener('change', () => api.storage.local.set({ 'enabled:mturk': box.checked }));

// Firefox (before 127) leaves MV3 host permissions to the user: offer to grant them.
const origins = api.runtime.getManifest().host_permissions || [];
async function checkGrant() {
  if (!api.permissions || !api.permissions.contains) return;
  const ok = await api.permissions.contains({ origins });
  document.getElementById('grant').hidden = ok;
}
document.getElementById('grant-btn').addEventListener('click', () => {
  api.permissions.request({ origins }).then(checkGrant, checkGrant);
});
checkGrant();

localise(document, t);
document.documentElement.lang = uiLang();
api.storage.local.get('enabled:mturk').then((g) => { box.checked = g['enabled:mturk'] === true; });
loadAccounts().then(loadThresholds);
loadRejected();
