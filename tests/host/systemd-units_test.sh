#!/usr/bin/env bash
# The systemd units (userspace/systemd/*.in), with @SBINDIR@ the build's
# tool directory, pass `systemd-analyze verify` without a word (TAP
# output, runs on the host; ctest's systemd_units).  Skipped when there
# is no systemd-analyze.
#
#   systemd-units_test.sh UNITDIR BINDIR
set -u

if [ $# -ne 2 ] || [ ! -d "$1" ] || [ ! -d "$2" ]; then
	echo "usage: $0 UNITDIR BINDIR" >&2
	exit 2
fi
unitdir=$1
bindir=$(cd "$2" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/systemd-units-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

units=()
for f in "$unitdir"/*.in; do
	units+=("$(basename "$f" .in)")
done

echo "TAP version 13"
echo "1..${#units[@]}"
n=0
failed=0
if ! command -v systemd-analyze >/dev/null; then
	for u in "${units[@]}"; do
		n=$((n + 1))
		echo "ok $n $u # SKIP systemd-analyze not found (package systemd)"
	done
	exit 0
fi

for u in "${units[@]}"; do
	n=$((n + 1))
	sed "s|@SBINDIR@|$bindir|g" "$unitdir/$u.in" > "$tmp/$u"
	# verify exits 0 on some mistakes (a bad Type=) but says them: any
	# output is a failure.
	out=$(systemd-analyze verify --man=no "$tmp/$u" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ -z "$out" ]; then
		echo "ok $n $u: systemd-analyze verify"
	else
		failed=$((failed + 1))
		echo "not ok $n $u: systemd-analyze verify (exit $rc)"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
done
[ $failed -eq 0 ]
