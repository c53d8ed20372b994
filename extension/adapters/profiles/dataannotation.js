// DataAnnotation (app.dataannotation.tech). Server-rendered pages with React "hybrid roots" whose JSON props
// (data-props) are read in preference to visible text. See docs/adapters.md.
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

function cents(ctx, v) {
  // amountInCents-style integers only; a bare number of unknown unit is not read (a missed figure beats a wrong one).
  if (v && typeof v === 'object') {
    for (const k of ['amountInCents', 'cents', 'inCents']) if (k in v) return ctx.fromMinorUnits(v[k], 'USD');
    if (typeof v.amount === 'string') return (ctx.parseMoney(v.amount, { dollarCurrency: 'USD', defaultCurrency: 'USD' }) || {}).amount || null;
    return null;
  }
  if (typeof v === 'string') {
    const m = ctx.parseMoney(v, { dollarCurrency: 'USD', defaultCurrency: 'USD' });
    return m && m.currency === 'USD' ? m.amount : null;
  }
  return null;
}

function emailFromProps(props) {
  if (!props || typeof props !== 'object') return undefined;
  for (const k of ['currentUser', 'user', 'worker']) {
    const u = props[k];
    if (u && typeof u.email === 'string' && EMAIL.test(u.email)) return u.email;
  }
  return undefined;
}

export default {
  platform: 'dataannotation',
  name: 'DataAnnotation',
  hosts: ['app.dataannotation.tech'],
  dollarCurrency: 'USD',
  spa: false,
  identity: {
    // Not any nav: a breadcrumb nav holds project names, which task authors control.
    selectors: ['[data-testid="user-email"]', '[data-user-email]', '.navbar .dropdown-header', 'nav.navbar', 'header'],
    pattern: EMAIL,
  },
  states: [
    { state: 'logged_out', page: 'login', url: /^\/users\/sign_in\/?$/, detail: 'DataAnnotation sign-in page' },
    { state: 'suspended', text: [/your account (has been|is) (suspended|banned)/i] },
    { state: 'locked', text: [/your account (has been|is) (deactivated|disabled|locked|blocked)/i] },
  ],
  pages: [
    {
      page: 'dashboard',
      url: /^\/workers\/projects\/?$/,
      noTasks: [/Your projects are currently empty/i],
      expect: [{ root: 'WorkerProjectsTable' }, { text: /Your projects are currently empty/i }],
      read(ctx, reading) {
        const root = ctx.findRoot('WorkerProjectsTable');
        if (!root) return {};
        const props = root.props;
        const list = Array.isArray(props) ? props : props && (props.projects || props.rows || props.data);
        if (!Array.isArray(list)) return { recognisedRoot: false, account: reading.account || emailFromProps(props) };
        let available = 0;
        let counted = false;
        const projects = [];
        for (const p of list) {
          if (!p || typeof p !== 'object') continue;
          const n = p.availableTasksFor;
          if (Number.isSafeInteger(n) && n >= 0) { available += n; counted = true; }
          else if (typeof n === 'string' && /^[0-9]{1,7}$/.test(n)) { available += Number.parseInt(n, 10); counted = true; }
          const rate = ctx.fromMinorUnits(p.payPerHourInCents, 'USD');
          if (typeof p.name === 'string' && rate) {
            projects.push({ name: ctx.cleanText(p.name), rate: { amount: rate, currency: 'USD', per: 'hour' } });
          }
        }
        const out = { projects, account: reading.account || emailFromProps(props) };
        if (counted) out.tasksAvailable = Math.min(available, 1000000);
        if (list.length === 0) { out.noTasks = true; out.tasksAvailable = 0; }
        return out;
      },
    },
    {
      page: 'payments',
      url: /^\/workers\/payments\/?$/,
      balance: true,
      expect: [{ reading: (r) => r.paymentsRoot === true }],
      read(ctx, reading) {
        const root = ctx.findRoot('TransferFundsPage');
        if (!root || !root.props || typeof root.props !== 'object') return { paymentsRoot: false };
        const props = root.props;
        const status = props.paymentStatus;
        const out = { paymentsRoot: !!status && typeof status === 'object', account: reading.account || emailFromProps(props) };
        if (!out.paymentsRoot) return out;
        const amount = ctx.fromMinorUnits(status.amountInCents, 'USD');
        if (amount !== null) {
          const b = { amount, currency: 'USD' };
          const pending = cents(ctx, props.unapprovedAmountInCents !== undefined
            ? { amountInCents: props.unapprovedAmountInCents } : props.unapprovedAmount);
          if (pending) b.pending = pending;
          out.balances = [b];
        }
        return out;
      },
    },
    {
      page: 'task',
      url: /^\/workers\/tasks\/([0-9a-fA-F-]{8,64})\/?$/,
      task: {
        project: ['.breadcrumb-item.active', '.breadcrumb .active', 'nav[aria-label="breadcrumb"] [aria-current="page"]',
          '[aria-current="page"]'],
        title: ['h1'],
      },
    },
  ],
  submit: { selectors: ['button', 'input[type="submit"]', '[role="button"]'], text: /^(submit|submit task|send)\b/i },
  payout: { selectors: ['button', 'a', 'input[type="submit"]'], text: /^(withdraw|transfer)\b/i, method: 'paypal' },
};
