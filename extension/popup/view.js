// Building the popup's dynamic parts from plain data. DOM only through createElement/textContent: host and
// page strings are never parsed as HTML. Importable from node (tests pass a jsdom document).

const SVG = 'http://www.w3.org/2000/svg';

export function el(doc, tag, attrs = {}, ...children) {
  const e = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

// "1312.50" → "1,312.50" (en) or "1 312,50" (fr), by string manipulation.
export function formatAmount(amount, currency, lang = 'en') {
  if (typeof amount !== 'string' || !/^[0-9]+(\.[0-9]+)?$/.test(amount)) return '—';
  const [i, f] = amount.split('.');
  const group = lang === 'fr' ? '\u202f' : ',';
  const dec = lang === 'fr' ? ',' : '.';
  const grouped = i.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const num = f !== undefined ? `${grouped}${dec}${f}` : grouped;
  return currency ? `${num}\u00a0${currency}` : num;
}

export function formatDuration(seconds, t) {
  const s = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return t('durationHM', String(h), String(m).padStart(2, '0'));
}

export function formatAge(fromIso, now, t) {
  const ms = now.getTime() - Date.parse(fromIso);
  if (!Number.isFinite(ms) || ms < 0) return '';
  const days = Math.floor(ms / 86400000);
  if (days >= 1) return t('ageDays', String(days));
  return t('ageHours', String(Math.floor(ms / 3600000)));
}

// Integer minor units of a decimal string, for chart geometry only (not money arithmetic).
function units(amount, decimals) {
  const [i, f = ''] = amount.split('.');
  return Number(i + f.padEnd(decimals, '0').slice(0, decimals));
}

export function buildChart(doc, points, t, width = 240, height = 48) {
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'chart');
  const title = doc.createElementNS(SVG, 'title');
  const good = (points || []).filter((p) => typeof p.balance === 'string' && /^[0-9]+(\.[0-9]+)?$/.test(p.balance));
  if (good.length === 0) {
    title.textContent = t('noHistory');
    svg.append(title);
    return svg;
  }
  const first = good[0];
  const last = good[good.length - 1];
  title.textContent = t('chartLabel', first.day, first.balance, last.day, last.balance);
  svg.append(title);
  const decimals = Math.max(...good.map((p) => (p.balance.split('.')[1] || '').length));
  const vals = good.map((p) => units(p.balance, decimals));
  const max = Math.max(...vals, 1);
  const step = good.length > 1 ? (width - 4) / (good.length - 1) : 0;
  const coords = vals.map((v, i) => `${(2 + i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  const line = doc.createElementNS(SVG, good.length > 1 ? 'polyline' : 'circle');
  if (good.length > 1) {
    line.setAttribute('points', coords.join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', 'currentColor');
    line.setAttribute('stroke-width', '2');
  } else {
    // One day only: a dot at the right end (today), mid-height.
    line.setAttribute('cx', String(width - 4)); line.setAttribute('cy', String(height / 2)); line.setAttribute('r', '3');
    line.setAttribute('fill', 'currentColor');
  }
  svg.append(line);
  return svg;
}

// The connection and queue line.
export function buildStatus(doc, status, t, installUrl) {
  const box = el(doc, 'section', { class: 'status', 'aria-live': 'polite' });
  if (!status) { box.append(el(doc, 'p', { text: t('hostConnecting') })); return box; }
  const link = status.link || {};
  const conn = link.connection;
  let line;
  if (conn === 'connected') line = t('hostConnected', link.host_version || '?');
  else if (conn === 'not_installed') line = t('hostNotInstalled');
  else if (conn === 'forbidden') line = t('hostForbidden');
  else if (conn === 'connecting' || conn === 'idle') line = t('hostConnecting');
  else line = t('hostDisconnected', link.error || '');
  box.append(el(doc, 'p', { class: `conn conn-${conn || 'idle'}`, text: line }));
  if (conn === 'connected' && link.mismatch) {
    box.append(el(doc, 'p', { class: 'warn', role: 'alert', text: t('hostMismatch', String(link.host_version), String(link.host_schema)) }));
  }
  if (conn === 'not_installed') {
    box.append(el(doc, 'p', {}, el(doc, 'a', { href: installUrl, target: '_blank', rel: 'noopener', text: t('installLink') })));
  }
  if (status.queued > 0) {
    let why;
    if (conn === 'not_installed') why = t('queueWhyNotInstalled');
    else if (conn === 'forbidden' || link.last_problem === 'forbidden') why = t('queueWhyForbidden');
    else if (link.last_problem === 'storage') why = t('queueWhyStorage', link.error || '');
    else if (link.last_problem === 'silent') why = t('queueWhySilent');
    else if (conn !== 'connected') why = t('queueWhyDisconnected');
    else why = t('queueWhySending');
    box.append(el(doc, 'p', { class: 'queue', text: `${t('queueWaiting', String(status.queued))} — ${why}` }));
  } else {
    box.append(el(doc, 'p', { class: 'queue', text: t('queueEmpty') }));
  }
  if (status.rejected > 0) box.append(el(doc, 'p', { class: 'warn', text: t('rejectedCount', String(status.rejected)) }));
  return box;
}

export function buildAlerts(doc, alerts, t, focusId, { stale = false } = {}) {
  const box = el(doc, 'section', { class: 'alerts', 'aria-labelledby': 'alerts-h' },
    el(doc, 'h2', { id: 'alerts-h', text: t('alertsTitle') }));
  const open = (alerts || []).filter((a) => a.state === 'open');
  if (!open.length) { box.append(el(doc, 'p', { class: 'muted', text: t('noAlerts') })); return box; }
  const list = el(doc, 'ul', { class: 'alert-list' });
  for (const a of open) {
    const item = el(doc, 'li', { class: `alert sev-${a.severity}`, id: `alert-${a.id}`, tabindex: '-1',
      'data-focus': a.id === focusId ? 'true' : null },
    el(doc, 'strong', { text: `${t(`severity_${a.severity}`)} · ${a.platform} · ${a.account}` }),
    el(doc, 'p', { text: a.message }),
    el(doc, 'p', { class: 'muted', text: a.raised_at }),
    el(doc, 'button', { type: 'button', class: 'ack', 'data-alert-id': String(a.id), disabled: stale, text: t('ack') }));
    list.append(item);
  }
  box.append(list);
  return box;
}

function pick(row, field) {
  const v = row.today && row.today[field];
  if (v !== null && v !== undefined) return { v, when: 'today' };
  const w = row.week && row.week[field];
  if (w !== null && w !== undefined) return { v: w, when: 'week' };
  return null;
}

export function buildAccounts(doc, summary, histories, t, { now = new Date(), lang = 'en', stale = false } = {}) {
  const box = el(doc, 'section', { class: 'accounts', 'aria-labelledby': 'accounts-h' },
    el(doc, 'h2', { id: 'accounts-h', text: t('accountsTitle') }));
  const rows = (summary && summary.accounts) || [];
  if (!rows.length) { box.append(el(doc, 'p', { class: 'muted', text: t('noAccounts') })); return box; }
  for (const r of rows) {
    const card = el(doc, 'article', { class: 'account', 'data-platform': r.platform, 'data-account': r.account });
    card.append(el(doc, 'h3', { text: `${r.platform} · ${r.account}` }));
    if (r.state && r.state !== 'active') {
      card.append(el(doc, 'p', { class: `state state-${r.state}`, role: 'status', text: t(`state_${r.state}`) }));
    }
    if (r.currency) {
      card.append(el(doc, 'p', { class: 'balance-label', text: t('unpaidBalance') }),
        el(doc, 'p', { class: 'balance', text: formatAmount(r.balance, r.currency, lang) }));
      if (r.unpaid_since) card.append(el(doc, 'p', { class: 'unpaid', text: t('unpaidFor', formatAge(r.unpaid_since, now, t)) }));
      if (r.pending) card.append(el(doc, 'p', { class: 'pending', text: `${t('pending')}: ${formatAmount(r.pending, r.currency, lang)}` }));
    }
    const today = r.today || {};
    card.append(el(doc, 'p', { class: 'today',
      text: `${t('today')}: ${t('tasksHours', String(today.tasks ?? 0), formatDuration(today.platform_seconds, t))}` }));
    if (r.currency) {
      const eff = pick(r, 'effective_hourly');
      const adv = pick(r, 'advertised_hourly');
      const rate = el(doc, 'p', { class: 'rates' });
      rate.append(el(doc, 'span', { class: 'effective',
        text: `${t('effective')}: ${eff ? formatAmount(eff.v, r.currency, lang) + t('perHour') : '—'}` }));
      rate.append(' · ');
      rate.append(el(doc, 'span', { class: 'advertised',
        text: `${t('advertised')}: ${adv ? formatAmount(adv.v, r.currency, lang) + t('perHour') : '—'}` }));
      if ((eff && eff.when === 'week') || (adv && adv.when === 'week')) rate.append(el(doc, 'span', { class: 'muted', text: ` (${t('last7days')})` }));
      card.append(rate);
      const pts = histories && histories.get(`${r.platform}|${r.account}|${r.currency}`);
      card.append(buildChart(doc, pts, t));
    }
    // The evidence dossier (docs/export.md): the host writes it into the Downloads folder and says where.
    card.append(el(doc, 'p', { class: 'export-row' },
      el(doc, 'button', { type: 'button', class: 'export', 'data-platform': r.platform, 'data-account': r.account,
        disabled: stale, text: t('exportDossier') }),
      el(doc, 'span', { class: 'export-result', role: 'status' })));
    box.append(card);
  }
  return box;
}

// Long page titles are cut for display only; the record keeps them whole.
const TITLE_DISPLAY_CHARS = 160;

export function buildTodayTasks(doc, tasks, t) {
  const box = el(doc, 'section', { class: 'tasks', 'aria-labelledby': 'tasks-h' },
    el(doc, 'h2', { id: 'tasks-h', text: t('todayTasksTitle') }));
  if (!tasks || !tasks.length) { box.append(el(doc, 'p', { class: 'muted', text: t('noTasksToday') })); return box; }
  const list = el(doc, 'ul', { class: 'task-list' });
  for (const task of tasks) {
    const title = String(task.title || '');
    const shown = title.length > TITLE_DISPLAY_CHARS ? `${title.slice(0, TITLE_DISPLAY_CHARS)}…` : title;
    list.append(el(doc, 'li', { class: 'task', title: `${task.platform} · ${task.task_id}`, text: shown }));
  }
  box.append(list);
  return box;
}

// "Last known figures" over a snapshot (popup/snapshot.js): when they date from, and why they are shown.
export function buildStale(doc, stale, t, lang = 'en') {
  const when = new Date(stale.since);
  const text = Number.isNaN(when.getTime()) ? '?' : when.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB',
    { dateStyle: 'medium', timeStyle: 'short' });
  return el(doc, 'p', { class: `stale stale-${stale.reason}`, role: 'status', 'data-stale': stale.reason,
    text: t(stale.reason === 'offline' ? 'staleOffline' : 'staleLoading', text) });
}

// The whole dynamic part of the popup. A snapshot (data.stale) is drawn under a banner, its actions disabled:
// they need the host, and the live figures replace it as soon as they come.
export function renderPopup(root, data, t, opts = {}) {
  const doc = root.ownerDocument;
  const lang = opts.lang || 'en';
  const stale = Boolean(data.stale);
  root.replaceChildren(
    buildStatus(doc, data.status, t, opts.installUrl || '../help/install.html'),
    ...(stale ? [buildStale(doc, data.stale, t, lang)] : []),
    buildAlerts(doc, data.alerts, t, data.focusAlert, { stale }),
    buildAccounts(doc, data.summary, data.histories, t, { now: data.now || new Date(), lang, stale }),
    buildTodayTasks(doc, data.todayTasks, t),
  );
  root.setAttribute('data-source', stale ? 'snapshot' : 'live');
  if (data.summaryError) root.append(el(doc, 'p', { class: 'warn', text: t('hostUnavailable', data.summaryError) }));
  const focus = data.focusAlert && root.querySelector(`#alert-${Number(data.focusAlert)}`);
  return focus || null;
}
