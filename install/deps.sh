#!/usr/bin/env bash
# Installs what Témoin needs to build (and, with --test, to run every test) from Debian's packages and npm.
# Idempotent: a second run installs nothing new. Run as root or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

packages=(build-essential cmake pkg-config nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev sqlite3 libboost-dev
          libssl-dev libcli11-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev)
if [ $want_tests = 1 ]; then
  # ninja for the test builds; clang + compiler-rt for the libFuzzer target; dpkg-dev for the .deb test; browsers
  # for the end-to-end suite.
  packages+=(ninja-build clang libclang-rt-14-dev dpkg-dev file chromium firefox-esr xvfb xdg-user-dirs util-linux)
fi
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "Installing from Debian: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ $want_tests = 1 ]; then
  # The lock file pins every npm package; no package downloads a browser (Debian's are used).
  npm ci --no-audit --no-fund --loglevel=error
fi
