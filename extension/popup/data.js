// Gathering what the popup shows, through the background's runtime messages (testable with a stub).
export async function loadData(sendFn, now = new Date(), search = globalThis.location ? globalThis.location.search : "") {
  const hostFn = (body) => sendFn({ kind: 'host', body });
  const [status, summary, alerts, focus] = await Promise.all([
    sendFn({ kind: 'status' }), hostFn({ type: 'query.summary' }), hostFn({ type: 'query.alerts', state: 'open', limit: 100 }),
    sendFn({ kind: 'focus.take' }),
  ]);
  const histories = new Map();
  const rows = summary && summary.ok ? summary.accounts.filter((r) => r.currency) : [];
  const replies = await Promise.all(rows.map((r) => hostFn({ type: 'query.balance_history', platform: r.platform,
    account: r.account, currency: r.currency, days: 30 })));
  rows.forEach((r, i) => { if (replies[i] && replies[i].ok) histories.set(`${r.platform}|${r.account}|${r.currency}`, replies[i].points); });
  const fromUrl = Number(new URLSearchParams(search).get("alert")) || null;
  return {
    status: status && status.ok ? status : null,
    summary: summary && summary.ok ? summary : null,
    summaryError: summary && !summary.ok ? summary.error && summary.error.message : null,
    alerts: alerts && alerts.ok ? alerts.alerts : [],
    focusAlert: fromUrl || (focus && focus.alert_id) || null,
    histories, now,
  };
}
