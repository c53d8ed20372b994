#!/bin/sh
# The install, checked by real browsers: `temoin install` writes the manifest, then the browser itself starts
# temoin-host for a probe extension that carries Témoin's key and gecko id (so Témoin's ids) and pings it.
#   Chromium: `temoin install --profile DIR`, headless with --user-data-dir=DIR.
#   Firefox ESR: `temoin install --browser firefox` in a temporary HOME (~/.mozilla/native-messaging-hosts),
#   headless, the unsigned probe side-loaded into a profile with xpinstall.signatures.required = false.
# Exit 77 (skipped) when neither browser is installed.
# Usage: install_browser_probe.sh SOURCE_DIR TEMOIN_BIN
set -u
src=$1
temoin=$2
chromium=$(command -v chromium || true)
firefox=$(command -v firefox-esr || true)
[ -n "$chromium$firefox" ] || { echo "no chromium or firefox-esr: skipped"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/temoin-probe-XXXXXX")
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
fail=0

command -v jq >/dev/null || { echo "jq is needed to read extension/manifest.json: skipped"; exit 77; }
key=$(jq -r .key "$src/extension/manifest.json")
gecko=$(jq -r .browser_specific_settings.gecko.id "$src/extension/manifest.json")
[ -n "$key" ] && [ -n "$gecko" ] || { echo "cannot read the key and gecko id of extension/manifest.json"; exit 1; }
mkdir -p "$work/ext"
cat >"$work/ext/manifest.json" <<JSON
{"manifest_version": 3, "name": "temoin install probe", "version": "1.0", "key": "$key",
 "browser_specific_settings": {"gecko": {"id": "$gecko", "strict_min_version": "121.0"}},
 "permissions": ["nativeMessaging"], "background": {"service_worker": "bg.js", "scripts": ["bg.js"]}}
JSON
cat >"$work/ext/bg.js" <<'JS'
chrome.runtime.sendNativeMessage('org.temoin.host', {v: 1, type: 'ping', id: 'probe-1'}, (reply) => {
  const err = chrome.runtime.lastError ? chrome.runtime.lastError.message : '';
  console.log('PROBE ' + JSON.stringify(reply) + ' ' + err);
});
JS

# Runs "$@" in the background until its log ($1) shows the probe's answer or 60 s pass.
await_probe() {
  log=$1; shift
  "$@" >"$log" 2>&1 &
  pid=$!; pids="$pids $pid"
  i=0
  while [ $i -lt 300 ] && ! grep -q 'PROBE' "$log" 2>/dev/null; do sleep 0.2; i=$((i + 1)); done
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  grep 'PROBE' "$log" | head -n 1
  grep 'PROBE' "$log" | grep -q '\\\?"ok\\\?":true'
}

if [ -n "$chromium" ]; then
  mkdir -p "$work/chome"
  HOME="$work/chome" TEMOIN_DATA_DIR="$work/cdata" "$temoin" install --profile "$work/cprofile" >/dev/null || fail=1
  if await_probe "$work/chromium.log" env HOME="$work/chome" TEMOIN_DATA_DIR="$work/cdata" "$chromium" \
       --headless=new --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/cprofile" \
       --load-extension="$work/ext" --enable-logging=stderr about:blank; then
    echo "chromium: the host answered through $work/cprofile/NativeMessagingHosts"
  else
    echo "chromium: FAILED"; tail -n 20 "$work/chromium.log"; fail=1
  fi
fi

if [ -n "$firefox" ]; then
  mkdir -p "$work/fhome/.mozilla" "$work/fprofile/extensions"
  HOME="$work/fhome" TEMOIN_DATA_DIR="$work/fdata" "$temoin" install --browser firefox --no-timer >/dev/null || fail=1
  (cd "$work/ext" && zip -qr "$work/fprofile/extensions/$gecko.xpi" .) || { echo "zip is needed"; exit 1; }
  cat >"$work/fprofile/user.js" <<'PREFS'
user_pref("xpinstall.signatures.required", false);
user_pref("extensions.autoDisableScopes", 0);
user_pref("extensions.enabledScopes", 15);
user_pref("devtools.console.stdout.chrome", true);
user_pref("devtools.console.stdout.content", true);
user_pref("browser.dom.window.dump.enabled", true);
PREFS
  if await_probe "$work/firefox.log" env HOME="$work/fhome" TEMOIN_DATA_DIR="$work/fdata" "$firefox" \
       --headless --no-remote --profile "$work/fprofile" about:blank; then
    echo "firefox: the host answered through ~/.mozilla/native-messaging-hosts"
  else
    echo "firefox: FAILED"; tail -n 20 "$work/firefox.log"; fail=1
  fi
fi
exit $fail
