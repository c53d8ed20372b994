// Content scripts cannot be ES modules: this classic script loads the module that does the work.
(() => {
  if (globalThis.__temoinLoaded) return;
  globalThis.__temoinLoaded = true;
  import(chrome.runtime.getURL('content/main.js'))
    .then((m) => m.start())
    .catch((e) => console.warn('Témoin: the page watcher did not start', e));
})();
