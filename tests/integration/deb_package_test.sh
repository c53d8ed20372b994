#!/bin/sh
# Builds the .deb with CPack and inspects it: the binaries, the system-wide manifests (identical to what
# `temoin install --system` writes), the systemd user units. Usage: deb_package_test.sh BUILD_DIR TEMOIN_BIN
set -eu
build=$1
temoin=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/temoin-deb-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "deb_package_test: $*" >&2; exit 1; }

cd "$build"
cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$work"/out/temoin_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no temoin_*.deb in $work/out"
echo "built $(basename "$deb")"

dpkg-deb -c "$deb" >"$work/contents"
for f in ./usr/bin/temoin ./usr/bin/temoin-host \
         ./etc/chromium/native-messaging-hosts/org.temoin.host.json \
         ./etc/opt/chrome/native-messaging-hosts/org.temoin.host.json \
         ./etc/opt/edge/native-messaging-hosts/org.temoin.host.json \
         ./etc/opt/vivaldi/native-messaging-hosts/org.temoin.host.json \
         ./usr/lib/mozilla/native-messaging-hosts/org.temoin.host.json \
         ./usr/lib/librewolf/native-messaging-hosts/org.temoin.host.json \
         ./usr/lib/systemd/user/temoin-check.service ./usr/lib/systemd/user/temoin-check.timer; do
  grep -q " $f\$" "$work/contents" || { cat "$work/contents" >&2; fail "missing $f"; }
done
grep " ./usr/bin/temoin-host\$" "$work/contents" | grep -q '^-rwxr-xr-x' || fail "temoin-host is not 0755"

dpkg-deb -f "$deb" Package | grep -qx temoin || fail "Package is not temoin"
dpkg-deb -I "$deb" conffiles | grep -q '^/etc/chromium/native-messaging-hosts/org.temoin.host.json$' \
  || fail "the /etc manifests are not conffiles"

# The packaged manifests are exactly what `temoin install --system` writes for /usr/bin/temoin-host.
dpkg-deb -x "$deb" "$work/root"
"$temoin" install --system --browser all --host /usr/bin/temoin-host --destdir "$work/staged" >"$work/install.log" \
  || { cat "$work/install.log" >&2; fail "temoin install --destdir failed"; }
for m in etc/chromium etc/opt/chrome etc/opt/edge etc/opt/vivaldi usr/lib/mozilla usr/lib/librewolf; do
  cmp "$work/root/$m/native-messaging-hosts/org.temoin.host.json" \
      "$work/staged/$m/native-messaging-hosts/org.temoin.host.json" \
    || fail "$m: the packaged manifest differs from temoin install's"
done
grep -qx 'ExecStart=/usr/bin/temoin check' "$work/root/usr/lib/systemd/user/temoin-check.service" \
  || fail "the service does not run /usr/bin/temoin check"

# A plain `cmake --install` (what install/build-and-run.sh runs, into ~/.local) installs the binaries only: the
# package's manifests and units name /usr/bin, and would send the browsers to a host that is not there.
DESTDIR="$work/plain" cmake --install . >"$work/plain.log" 2>&1 \
  || { cat "$work/plain.log" >&2; fail "cmake --install failed"; }
[ -n "$(find "$work/plain" -name temoin-host -type f)" ] || fail "a plain install has no temoin-host"
leaked=$(find "$work/plain" -name org.temoin.host.json -o -name 'temoin-check.*')
[ -z "$leaked" ] || fail "a plain install wrote the package's system files: $leaked"
echo "deb_package_test: ok"
