// Prolific (app.prolific.com), a single-page app: the content script follows URL changes.
export default {
  platform: 'prolific',
  name: 'Prolific',
  hosts: ['app.prolific.com'],
  dollarCurrency: 'USD',
  spa: true,
  identity: {
    selectors: ['[data-testid="participant-id"]', '[data-testid*="participant-id"]', '[data-participant-id]', 'header', 'nav'],
    pattern: /\b[0-9a-f]{24}\b/,
  },
  states: [
    { state: 'logged_out', page: 'login', url: /^\/(login|auth|sign-?in)\b/i, detail: 'Prolific sign-in page' },
    { state: 'logged_out', page: 'login', text: [/^(Log in|Sign in) to Prolific\b/i], scope: ['h1', 'h2'] },
    { state: 'suspended', text: [/your account (has been|is) (suspended|banned|deactivated)/i] },
    { state: 'locked', text: [/your account (has been put|has been placed|is) on hold/i] },
  ],
  pages: [
    {
      page: 'dashboard',
      url: /^\/(studies)?\/?$/,
      balance: { selectors: ['[data-testid="balance"]', '[data-testid="header-balance"]'], label: /^Balance:?$/i },
      pending: { selectors: ['[data-testid="pending-balance"]'], label: /^(Pending|Awaiting review):?$/i },
      tasksAvailable: { selectors: ['[data-testid="studies-count"]'], pattern: /([0-9][0-9,]*)\s+stud(y|ies)\s+available/i },
      noTasks: [/no studies (are )?available/i, /There are no studies/i],
      expect: [{ selector: '[data-testid="studies-list"]' }, { text: /no studies (are )?available|There are no studies/i },
        { text: /stud(y|ies) available/i }],
    },
    {
      page: 'payments',
      url: /^\/(account\/)?balance\/?$/,
      balance: { selectors: ['[data-testid="balance-approved"]', '[data-testid="balance"]'], label: /^(Balance|Approved balance|Available balance):?$/i },
      pending: { selectors: ['[data-testid="balance-pending"]'], label: /^(Pending|Pending balance|Awaiting review|Earnings awaiting approval):?$/i },
      expect: [{ text: /balance/i }],
      // Balances in GBP and USD can show side by side: one balance per currency, pending matched by currency.
      read(ctx, reading) {
        const money = (sel) => [...ctx.doc.querySelectorAll(sel)]
          .map((el) => ctx.parseMoney(ctx.visibleText(el, 200), { dollarCurrency: 'USD' })).filter(Boolean);
        const approved = money('[data-testid^="balance-approved"]');
        if (approved.length < 2) return {};
        const pending = money('[data-testid^="balance-pending"]');
        const seen = new Set();
        const balances = [];
        for (const b of approved) {
          if (seen.has(b.currency)) continue;
          seen.add(b.currency);
          const p = pending.find((x) => x.currency === b.currency);
          balances.push(p ? { ...b, pending: p.amount } : b);
        }
        return { balances };
      },
    },
    {
      page: 'task',
      url: /^\/studies\/([0-9a-f]{24})\/?/,
      task: {
        title: ['[data-testid="study-title"]', 'h1'],
        reward: { selectors: ['[data-testid="study-reward"]'], label: /^Reward:?$/i },
        rewardPer: 'task',
      },
    },
  ],
  submit: { selectors: ['button', 'a', '[role="button"]'], text: /^(I'?ve finished|I have finished|Submit|Complete study|Finish)\b/i },
  abandon: { selectors: ['button', 'a'], text: /^(Return submission|Return study|Return)\b/i },
  payout: { selectors: ['button', 'a'], text: /^(Cash out|Withdraw)\b/i, method: 'paypal' },
};
