// Amazon Mechanical Turk (worker.mturk.com). OFF by default: MTurk's script policy asks tools not to extract
// and store data from its site; the worker turns it on in the options page (docs/adapters.md).
export default {
  platform: 'mturk',
  name: 'Mechanical Turk',
  hosts: ['worker.mturk.com'],
  dollarCurrency: 'USD',
  spa: false,
  optIn: true,
  identity: {
    selectors: ['[data-testid="worker-id"]', '.me-bar .worker-id', '.me-bar', 'header'],
    pattern: /\bA(?=[0-9A-Z]*[0-9])[0-9A-Z]{11,20}\b/,
  },
  states: [
    { state: 'suspended', text: [/Your Amazon Payments account has been suspended/i, /your (worker )?account has been suspended/i] },
    { state: 'locked', text: [/your (worker )?account has been (closed|blocked|locked)/i] },
    { state: 'logged_out', page: 'login', text: [/Sign in as a Worker/i, /Please sign in to continue/i], scope: ['h1', 'h2', '.sign-in', '[data-testid="sign-in"]'] },
  ],
  pages: [
    {
      page: 'dashboard',
      url: /^\/dashboard\/?$/,
      balance: { selectors: ['[data-testid="current-earnings"]', '#dashboard-available-earnings .amount'], label: /^(Current Earnings|Available Earnings|Available for Transfer):?$/i },
      pending: { selectors: ['[data-testid="pending-earnings"]'], label: /^(Pending Earnings|Pending approval):?$/i },
      expect: [{ text: /Earnings/i }],
    },
    {
      page: 'hits',
      url: /^\/(projects)?\/?$/,
      tasksAvailable: { selectors: ['[data-testid="hit-count"]', '.result-count-info'], pattern: /([0-9][0-9,]*)\s+(HITs?|results?)/i },
      noTasks: [/There are (currently )?no HITs available/i, /No HITs (are )?available/i],
    },
    {
      page: 'payments',
      url: /^\/earnings\/?$/,
      balance: { selectors: ['[data-testid="available-for-transfer"]'], label: /^(Available for Transfer|Current Earnings):?$/i },
      expect: [{ text: /Earnings|Transfer/i }],
    },
    {
      page: 'task',
      url: /^\/projects\/([A-Z0-9]+)\/tasks\/([A-Z0-9]+)\/?$/,
      task: {
        group: 2,
        title: ['[data-testid="project-title"]', '.project-detail-bar .project-title', 'h1'],
        project: ['[data-testid="requester-name"]', '.requester-name'],
        reward: { selectors: ['[data-testid="reward"]'], label: /^Reward:?$/i },
        rewardPer: 'task',
      },
    },
  ],
  submit: { selectors: ['button', 'input[type="submit"]'], text: /^submit\b/i },
  abandon: { selectors: ['button', 'input[type="submit"]', 'a'], text: /^return\b/i },
  payout: { selectors: ['button', 'input[type="submit"]', 'a'], text: /^transfer( earnings)?\b/i, method: 'amazon' },
};
