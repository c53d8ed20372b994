const RECENT_TASKS = 5;

// Gathering what the popup shows, through the background's runtime messages (testable with a stub).
export async function loadData(sendFn, now = new Date(), search = globalThis.location ? globalThis.location.search : "") {
  const hostFn = (body) => sendFn({ kind: 'host', body });
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const [status, summary, alerts, focus, started] = await Promise.all([
    sendFn({ kind: 'status' }), hostFn({ type: 'query.summary' }), hostFn({ type: 'query.alerts', state: 'open', limit: 100 }),
    sendFn({ kind: 'focus.take' }),
    hostFn({ type: 'query.events', event_type: 'task.start', since: midnight.toISOString(), limit: 1000 }),
  ]);
  // Today's tasks, latest first: what the worker did, as the pages named it (shown as text, never as HTML).
  const todayTasks = started && started.ok
    ? started.events.slice(-RECENT_TASKS).reverse().map((e) => ({ platform: e.platform, account: e.account,
      task_id: e.event.task_id, title: e.event.title || e.event.project || e.event.task_id, at: e.at }))
    : [];
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
    histories, now, todayTasks,
  };
}
