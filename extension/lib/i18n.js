// Messages: chrome.i18n in the extension, a messages.json object in tests. Same `t(key, ...subs)` shape.
export function makeT(messages) {
  return (key, ...subs) => {
    const entry = messages[key];
    if (!entry) return key;
    return entry.message.replace(/\$(\d)/g, (_, n) => (subs[Number(n) - 1] ?? ''));
  };
}

export function browserT() {
  const api = globalThis.chrome;
  return (key, ...subs) => api.i18n.getMessage(key, subs.map(String)) || key;
}

export function uiLang() {
  const api = globalThis.chrome;
  const l = (api && api.i18n && api.i18n.getUILanguage && api.i18n.getUILanguage()) || 'en';
  return l.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

// Fill elements carrying data-i18n (text) and data-i18n-label (aria-label) from t.
export function localise(root, t) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.getAttribute('data-i18n'));
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.getAttribute('data-i18n-label')));
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.setAttribute('placeholder', t(el.getAttribute('data-i18n-placeholder')));
}
