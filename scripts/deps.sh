#!/bin/sh
# deps.sh - install the Debian packages rvisor needs to build, test and run
# its guests. Idempotent and quick when everything is there: apt is only
# consulted for packages that are missing.
set -eu

PKGS="make gcc clang libclang-rt-14-dev libc6-dev libfdt-dev libcmocka-dev
gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu
qemu-system-misc opensbi device-tree-compiler
cpio e2fsprogs python3 liburing-dev libslirp-dev libglib2.0-dev pkg-config
gnuplot-nox"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
