#!/usr/bin/env bash
# The README's first command: install the build dependencies, build, install temoin and temoin-host, register
# the host with every browser found, and show it working: `temoin doctor` where a browser is installed, else
# `temoin demo` (a realistic history driven through the real host into a separate demo folder).
set -euo pipefail
cd "$(dirname "$0")/.."

bash install/deps.sh
BUILD_DIR=${BUILD_DIR:-build}
PREFIX=${PREFIX:-$HOME/.local}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DTEMOIN_BUILD_TESTS=OFF -DCMAKE_INSTALL_PREFIX="$PREFIX" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target temoin temoin-host
cmake --install "$BUILD_DIR" >/dev/null
echo "Installed temoin and temoin-host into $PREFIX/bin"

temoin="$PREFIX/bin/temoin"
if "$temoin" install; then
  if "$temoin" doctor; then
    echo "Témoin is ready: load the extension (docs/install.md) and work as usual."
  fi
fi
if ! "$temoin" doctor >/dev/null 2>&1; then
  echo
  echo "No working browser set-up here: showing the demo instead."
  "$temoin" demo
fi
