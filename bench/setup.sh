#!/bin/sh
# Installs the Debian packages the benchmark peers need. Idempotent: does
# nothing when they are already installed. The packaged services are not
# started (the harness runs its own instances on loopback with bench/peers/
# configs and stops them at the end).
set -eu

PACKAGES="prosody lua-event ejabberd"

missing=""
for pkg in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $pkg"
  fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "bench/setup.sh: need root to install:$missing" >&2
  exit 1
fi

echo "bench/setup.sh: installing$missing" >&2
# Keep the packages' own services from starting during installation.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  created_policy=1
fi
# (an if, not `&&`: under set -e a false test would become the script's exit status)
cleanup() { if [ "$created_policy" -eq 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
