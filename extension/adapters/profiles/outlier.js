// Outlier (app.outlier.ai), a single-page app. Few public facts: the profile leans on labels and says when
// a page no longer matches (docs/adapters.md).
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

export default {
  platform: 'outlier',
  name: 'Outlier',
  hosts: ['app.outlier.ai'],
  dollarCurrency: 'USD',
  spa: true,
  identity: { selectors: ['[data-testid="user-email"]', '[data-testid="account-menu"]', 'header', 'nav'], pattern: EMAIL },
  states: [
    { state: 'logged_out', page: 'login', url: /^\/(en\/)?(expert\/)?(login|sign-?in)\b/i, detail: 'Outlier sign-in page' },
    { state: 'suspended', text: [/your account (has been|is) (suspended|banned)/i] },
    { state: 'locked', text: [/your account (has been|is) (deactivated|disabled|locked)/i, /you no longer have access/i,
      /moved back to (an )?unapproved/i] },
  ],
  pages: [
    {
      page: 'dashboard',
      url: /^\/(en\/)?(expert\/?)?(home|dashboard)?\/?$/,
      tasksAvailable: { selectors: ['[data-testid="tasks-available"]'], pattern: /([0-9][0-9,]*)\s+tasks?\s+available/i },
      noTasks: [/no tasks (are )?available/i, /There are no tasks/i],
      expect: [{ text: /tasks?/i }],
    },
    {
      page: 'payments',
      url: /^\/(en\/)?(expert\/)?(earnings|payments|payouts)\/?$/,
      balance: { selectors: ['[data-testid="available-balance"]'], label: /^(Available balance|Current balance|Balance):?$/i },
      pending: { selectors: ['[data-testid="pending-balance"]'], label: /^(Pending|Pending earnings|Pending balance):?$/i },
      expect: [{ text: /earnings|balance|payout/i }],
    },
    {
      page: 'task',
      url: /^\/(en\/)?(expert\/)?tasks?\/([A-Za-z0-9_-]{4,64})\/?$/,
      task: { group: 3, title: ['[data-testid="task-title"]', 'h1'], project: ['[data-testid="project-name"]'] },
    },
  ],
  submit: { selectors: ['button', '[role="button"]'], text: /^(submit|submit task)\b/i },
  payout: { selectors: ['button', 'a'], text: /^(withdraw|cash out|request payout)\b/i, method: 'paypal' },
};
