const RECENT_TASKS = 5;

// What the popup shows of the host's data: the summary, the open alerts and today's task starts at once, then
// the 30-day balance history of each account with a balance (they need the summary's accounts). Runs in the
// background, which answers the popup's one `dashboard` message with it: one runtime round trip for the popup
// instead of five plus one per account (background/router.js). `hostFn(body)` resolves to the host's reply, or
// to an `{ ok: false, error }` when the host cannot answer.
export async function askHostForDashboard(hostFn, since) {
  const [summary, alerts, started] = await Promise.all([
    hostFn({ type: 'query.summary' }), hostFn({ type: 'query.alerts', state: 'open', limit: 100 }),
    hostFn({ type: 'query.events', event_type: 'task.start', since, limit: 1000 }),
  ]);
  const rows = summary && summary.ok ? summary.accounts.filter((r) => r.currency) : [];
  const replies = await Promise.all(rows.map((r) => hostFn({ type: 'query.balance_history', platform: r.platform,
    account: r.account, currency: r.currency, days: 30 })));
  // Entries rather than a Map: the answer crosses runtime messaging, which carries plain JSON.
  const histories = [];
  rows.forEach((r, i) => { if (replies[i] && replies[i].ok) histories.push([`${r.platform}|${r.account}|${r.currency}`, replies[i].points]); });
  return { summary, alerts, started, histories };
}

// Gathering what the popup shows, through the background's runtime messages (testable with a stub).
export async function loadData(sendFn, now = new Date(), search = globalThis.location ? globalThis.location.search : "") {
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const [status, focus, dash] = await Promise.all([
    sendFn({ kind: 'status' }), sendFn({ kind: 'focus.take' }), sendFn({ kind: 'dashboard', since: midnight.toISOString() }),
  ]);
  const host = dash && dash.ok ? dash : {};
  const { summary, alerts, started } = host;
  // Today's tasks, latest first: what the worker did, as the pages named it (shown as text, never as HTML).
  const todayTasks = started && started.ok
    ? started.events.slice(-RECENT_TASKS).reverse().map((e) => ({ platform: e.platform, account: e.account,
      task_id: e.event.task_id, title: e.event.title || e.event.project || e.event.task_id, at: e.at }))
    : [];
  const fromUrl = Number(new URLSearchParams(search).get("alert")) || null;
  const hostError = !summary && dash && dash.error ? dash.error.message : null;
  return {
    status: status && status.ok ? status : null,
    summary: summary && summary.ok ? summary : null,
    summaryError: summary && !summary.ok ? summary.error && summary.error.message : hostError,
    alerts: alerts && alerts.ok ? alerts.alerts : [],
    focusAlert: fromUrl || (focus && focus.alert_id) || null,
    histories: new Map(Array.isArray(host.histories) ? host.histories : []), now, todayTasks,
  };
}
