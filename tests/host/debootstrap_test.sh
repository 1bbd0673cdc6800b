#!/usr/bin/env bash
# vserver NAME build -m debootstrap (TAP output, runs on the host; ctest's
# debootstrap).  Without debootstrap in PATH the build is refused and
# nothing is made; that is always checked.  The real run installs a
# minbase Debian into a temporary directory: it needs root, the network
# and debootstrap, and runs only with VSERVER_TEST_DEBOOTSTRAP=1 (else
# its checks are skipped, saying why).
#
#   debootstrap_test.sh PATH/TO/vserver
#
# VSERVER_TEST_SUITE (default bookworm) and VSERVER_TEST_MIRROR (default:
# debootstrap's) choose what is installed.
set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
	echo "usage: $0 PATH/TO/vserver" >&2
	exit 2
fi
tool=$1
suite=${VSERVER_TEST_SUITE:-bookworm}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/debootstrap-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
conf=$tmp/etc
roots=$tmp/vservers

source "$(dirname "$0")/tap.sh"
run() {
	rc=0
	"$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
}
err_has() { grep -qF -- "$1" "$tmp/err"; }

real=(
	"build -m debootstrap: exit 0"
	"... the root is a Debian $suite (etc/debian_version, usr/bin/apt-get)"
	"... with the skeleton's dev/null"
	"... and the configuration: context 180, vdir"
	"... debootstrap got its options (minbase: no apt-listchanges)"
)

echo "TAP version 13"
echo "1..$((2 + ${#real[@]}))"

# 1-2: no debootstrap in PATH
run env PATH=/nonexistent "$tool" --confdir "$conf" deb1 build -m debootstrap \
	--rootdir "$roots" --nobarrier -- -d "$suite"
check "without debootstrap: refused, exit 1, says so" \
	eval '[ $rc = 1 ] && err_has "debootstrap is not installed"'
check "... nothing made" eval '[ ! -e "$conf/deb1" ] && [ ! -e "$roots" ]'

why=
if [ "${VSERVER_TEST_DEBOOTSTRAP:-}" != 1 ]; then
	why="set VSERVER_TEST_DEBOOTSTRAP=1 to run debootstrap (root, network)"
elif [ "$(id -u)" != 0 ]; then
	why="debootstrap needs root"
elif ! PATH=$PATH:/usr/sbin:/sbin command -v debootstrap >/dev/null; then
	why="debootstrap not installed (apt-get install debootstrap)"
fi
if [ -n "$why" ]; then
	for d in "${real[@]}"; do skip "$d" "$why"; done
	[ $failed -eq 0 ]
	exit
fi

export PATH=$PATH:/usr/sbin:/sbin
mirror=()
[ -n "${VSERVER_TEST_MIRROR:-}" ] && mirror=(-m "$VSERVER_TEST_MIRROR")
run "$tool" --confdir "$conf" deb1 build -m debootstrap --context 180 \
	--rootdir "$roots" --nobarrier -- -d "$suite" "${mirror[@]}" -- --variant=minbase
check "${real[0]}" test $rc = 0
check "${real[1]}" eval '[ -s "$roots/deb1/etc/debian_version" ] && [ -x "$roots/deb1/usr/bin/apt-get" ]'
check "${real[2]}" test -c "$roots/deb1/dev/null"
check "${real[3]}" eval '[ "$(cat "$conf/deb1/context")" = 180 ] &&
	[ "$(readlink "$conf/deb1/vdir")" = "$roots/deb1" ]'
check "${real[4]}" test ! -e "$roots/deb1/usr/bin/apt-listchanges"
[ $failed -eq 0 ]
