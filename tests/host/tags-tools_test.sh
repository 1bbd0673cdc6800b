#!/usr/bin/env bash
# The option parsing of chxid, lsxid, vtag, vdlimit and vdu: every usage
# error exits 2 with a message that says what is wrong, before the kernel
# is asked (TAP output, runs on the host, with or without /dev/vserver;
# ctest's tags_tools).  What they do with the kernel: tests/vm.
#
#   tags-tools_test.sh BINDIR
set -u

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: $0 BINDIR" >&2
	exit 2
fi
bindir=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tags-tools-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export VSERVER_CONFDIR=$tmp/etc
mkdir -p "$VSERVER_CONFDIR/web" "$VSERVER_CONFDIR/bad"
echo 42 > "$VSERVER_CONFDIR/web/context"
echo x > "$VSERVER_CONFDIR/bad/context"

source "$(dirname "$0")/tap.sh"

# usage DESCRIPTION TEXT TOOL ARGS...: TOOL ARGS exits 2, nothing on
# standard output, TEXT in the message (which ends with the --help hint)
usage() {
	local desc=$1 text=$2 tool=$3
	shift 3
	local rc=0
	"$bindir/$tool" "$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
	check "$tool $desc: exit 2, '$text'" usage_said "$rc" "$tool" "$text"
}
usage_said() {
	[ "$1" = 2 ] && [ ! -s "$tmp/out" ] && grep -qF -- "$3" "$tmp/err" &&
		grep -qF -- "Try '$2 --help' for more information." "$tmp/err"
}

echo "TAP version 13"
echo "1..31"

usage "without -c" "-c is required" chxid /tmp
usage "without FILE" "FILE is required" chxid -c 42
usage "-c out of range" "invalid xid '70000'" chxid -c 70000 /tmp
usage "-c an unknown vserver" "nosuch" chxid -c nosuch /tmp
usage "-c a vserver with a bad context file" "$VSERVER_CONFDIR/bad/context" chxid -c bad /tmp
usage "a bad option" "-q" chxid -q -c 42 /tmp

usage "a bad option" "-c" lsxid -c 42

usage "without a mode" "say one of --create and --migrate" vtag --tag 42 -- true
usage "with both modes" "say one of --create and --migrate" vtag --create --migrate --tag 42 -- true
usage "without --tag" "--tag T is missing" vtag --migrate -- true
usage "without COMMAND" "missing command" vtag --migrate --tag 42
usage "--tag out of range" "invalid xid '65536'" vtag --migrate --tag 65536 -- true
usage "--tag an unknown vserver" "nosuch" vtag --migrate --tag nosuch -- true

usage "without --xid" "--xid is required" vdlimit /srv
usage "without MOUNTPOINT" "MOUNTPOINT is required" vdlimit --xid 42
usage "--set and --remove" "say either --set or --remove" vdlimit --xid 42 --set reserved=1 --remove /srv
usage "--set without =" "--set 'reserved': say LIMIT=VALUE" vdlimit --xid 42 --set reserved /srv
usage "an unknown limit" "unknown limit 'space'" vdlimit --xid 42 --set space=1 /srv
usage "a value that is no number" "invalid space_total '1G': not a decimal number or 'inf'" \
	vdlimit --xid 42 --set space_total=1G /srv
usage "reserved above 100" "invalid reserved '101': a percentage, 0..100" \
	vdlimit --xid 42 --set reserved=101 /srv
usage "a limit twice" "space_total is given twice" \
	vdlimit --xid 42 -s space_total=1 -s space_total=2 /srv
usage "used above total" "inodes_used 5 is above inodes_total 4" \
	vdlimit --xid 42 --set inodes_used=5 --set inodes_total=4 /srv
usage "--flags 1" "--flags 1: the kernel knows no disk limit flags (only 0)" \
	vdlimit --xid 42 --flags 1 /srv
usage "--flags x" "invalid --flags 'x': not a number" vdlimit --xid 42 -f x /srv
usage "--xid an unknown vserver" "nosuch" vdlimit --xid nosuch /srv

usage "without --space and --inodes" "say --space or --inodes (or both)" vdu --xid 42 /srv
usage "without --xid" "--xid is required" vdu --space /srv
usage "without DIR" "DIR is required" vdu --xid 42 --space
usage "--blocksize 0" "invalid --blocksize '0': a number of bytes, 1 or more" \
	vdu --xid 42 --space --blocksize 0 /srv
usage "--blocksize 1k" "invalid --blocksize '1k'" vdu --xid 42 --space --blocksize 1k /srv
usage "--xid out of range" "invalid xid '70000'" vdu --xid 70000 --inodes /srv

echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
