// The options page's dynamic parts, built without HTML parsing (importable from node).
import { el } from '../popup/view.js';

export const SETTINGS = [
  ['drop_tolerance', 'decimal'], ['payout_match_window_s', 'int'], ['access_lost_hours', 'int'], ['dried_up_days', 'int'],
  ['dried_up_lookback_days', 'int'], ['no_contact_days', 'int'], ['unpaid_threshold', 'decimal'], ['unpaid_days', 'int'],
];

export function buildRejected(doc, rows, t) {
  const box = el(doc, 'div', { id: 'rejected-list' });
  if (!rows.length) { box.append(el(doc, 'p', { class: 'muted', text: t('noRejected') })); return box; }
  const table = el(doc, 'table');
  table.append(el(doc, 'thead', {}, el(doc, 'tr', {},
    el(doc, 'th', { scope: 'col', text: t('colEvent') }), el(doc, 'th', { scope: 'col', text: t('hostMessage') }),
    el(doc, 'th', { scope: 'col', text: t('colAction') }))));
  const body = el(doc, 'tbody');
  for (const r of rows) {
    const e = r.event || {};
    const err = r.error || {};
    body.append(el(doc, 'tr', { 'data-id': r.id },
      el(doc, 'td', {}, el(doc, 'strong', { text: `${e.type} · ${e.platform} · ${e.account}` }), el(doc, 'br'),
        el(doc, 'code', { text: e.at }), el(doc, 'br'), el(doc, 'code', { class: 'muted', text: r.id })),
      el(doc, 'td', { class: 'host-message', text: `${err.code}${err.field ? ` (${err.field})` : ''}: ${err.message}` }),
      el(doc, 'td', {}, el(doc, 'button', { type: 'button', class: 'retry', 'data-id': r.id, text: t('retry') }))));
  }
  table.append(body);
  box.append(table);
  return box;
}

export function buildThresholds(doc, config, t) {
  const box = el(doc, 'div', { id: 'threshold-fields' });
  for (const [key, kind] of SETTINGS) {
    const id = `s-${key}`;
    box.append(el(doc, 'div', { class: 'field' },
      el(doc, 'label', { for: id, text: t(`setting_${key}`) }),
      el(doc, 'input', { id, name: key, 'data-kind': kind, inputmode: kind === 'int' ? 'numeric' : 'decimal',
        value: config && config[key] !== undefined ? String(config[key]) : '' })));
  }
  return box;
}

// Read the form back: only changed values, integers as JSON integers, decimals as strings. Returns
// {settings} or {error: key}.
export function readThresholds(root, previous) {
  const settings = {};
  for (const [key, kind] of SETTINGS) {
    const input = root.querySelector(`#s-${key}`);
    if (!input) continue;
    const v = input.value.trim();
    if (v === '' || (previous && String(previous[key]) === v)) continue;
    if (kind === 'int') {
      if (!/^[0-9]{1,9}$/.test(v)) return { error: key };
      settings[key] = Number.parseInt(v, 10);
    } else {
      if (!/^(0|[1-9][0-9]*)(\.[0-9]{1,3})?$/.test(v)) return { error: key };
      settings[key] = v;
    }
  }
  return { settings };
}
