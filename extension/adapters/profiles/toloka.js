// Toloka (toloka.ai, platform.toloka.ai). No public page facts were gathered: a generic profile that reads
// labelled balances and the "no tasks" state, and says when a page no longer matches (docs/adapters.md).
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

export default {
  platform: 'toloka',
  name: 'Toloka',
  hosts: ['toloka.ai', 'platform.toloka.ai'],
  dollarCurrency: 'USD',
  spa: true,
  identity: { selectors: ['[data-testid="user-email"]', '[data-testid="user-login"]', 'header', 'nav'], pattern: EMAIL },
  states: [
    { state: 'logged_out', page: 'login', url: /^\/(auth|login|sign-?in)\b/i, detail: 'Toloka sign-in page' },
    { state: 'suspended', text: [/your account (has been|is) (suspended|banned)/i] },
    { state: 'locked', text: [/your account (has been|is) (blocked|locked|deactivated)/i] },
  ],
  pages: [
    {
      page: 'dashboard',
      url: /^\/tasks\/?$/,
      balance: { selectors: ['[data-testid="balance"]'], label: /^Balance:?$/i },
      tasksAvailable: { selectors: ['[data-testid="tasks-count"]'], pattern: /([0-9][0-9,]*)\s+tasks?\s+available/i },
      noTasks: [/no tasks (are )?available/i, /There are no tasks/i],
      expect: [{ text: /tasks?/i }],
    },
    {
      page: 'payments',
      url: /^\/(wallet|earnings|profile\/balance)\/?$/,
      balance: { selectors: ['[data-testid="wallet-balance"]', '[data-testid="balance"]'], label: /^(Balance|Available|Available balance):?$/i },
      pending: { selectors: ['[data-testid="pending-balance"]'], label: /^(Pending|On hold):?$/i },
      expect: [{ text: /balance|wallet/i }],
    },
    {
      page: 'task',
      url: /^\/task\/([A-Za-z0-9_-]{1,64})(\/[A-Za-z0-9_-]{1,64})?\/?$/,
      task: { title: ['[data-testid="task-title"]', 'h1'], reward: { selectors: ['[data-testid="task-reward"]'] }, rewardPer: 'task' },
    },
  ],
  submit: { selectors: ['button', '[role="button"]'], text: /^(submit|send|complete)\b/i },
  payout: { selectors: ['button', 'a'], text: /^(withdraw|transfer|cash out)\b/i, method: 'paypal' },
};
