#!/bin/sh
# vuname: a context's name and the names uname shows inside it.
. /tests/tap.sh
plan 22
tmp=$(mktemp -d)
host_name=$(uname -n)
host_release=$(uname -r)
host_domain=$(cat /proc/sys/kernel/domainname)

# what a task joining context $1 sees: uname -n, uname -r, the domain name
inside() {
	chcontext --silent --xid "$1" -- sh -c 'uname -n; uname -r; cat /proc/sys/kernel/domainname' |
		tr '\n' ' '
}
# the host's names are what they were
host_unchanged() {
	[ "$(uname -n)" = "$host_name" ] && [ "$(uname -r)" = "$host_release" ] &&
		[ "$(cat /proc/sys/kernel/domainname)" = "$host_domain" ]
}
# exited RC, said nothing on stderr, context $1 shows "$2" inside
set_and_seen() { [ $rc = 0 ] && [ ! -s $tmp/err ] && [ "$(inside $1)" = "$2" ]; }
# exited $1, stderr has $2, context $3 shows "$4" inside
refused() { [ $rc = $1 ] && grep -q -- "$2" $tmp/err && [ "$(inside $3)" = "$4" ]; }

# A context with a UTS namespace of its own.
chcontext --silent --xid 120 --hostname guest120 -- sleep 600 &
holder=$!
wait_exec $holder sleep
check "--get nodename: the name chcontext --hostname gave" \
	test "$(vuname --xid 120 --get nodename)" = guest120

rc=0
vuname --xid 120 --set -t nodename=x -t release=9.9 2> $tmp/err || rc=$?
check "--set -t nodename=x -t release=9.9: uname -n and -r inside show them" \
	set_and_seen 120 "x 9.9 $host_domain "
check "... the host's names stay" host_unchanged

check "-g TAG TAG: the values on one line, in the order given" \
	test "$(vuname --xid 120 -g release nodename)" = "9.9 x"
chcontext --silent --xid 120 -- sh -c 'uname -s; uname -v; uname -m' > $tmp/uts
want="$(vuname --xid 120 context) $(sed -n 1p $tmp/uts) x 9.9 $(sed -n 2p $tmp/uts) $(sed -n 3p $tmp/uts) $host_domain"
check "no TAG: context sysname nodename release version machine domainname" \
	test "$(vuname --xid 120)" = "$want"

vuname --xid 120 --set -t context=/etc/vservers/web120
check "context name round trip: --set -t context=..., then -g context" \
	test "$(vuname --xid 120 -g context)" = /etc/vservers/web120
check "... vserver-stat shows the name" \
	sh -c "vserver-stat | grep -q '^120 .*/etc/vservers/web120\$'"

# util-vserver's /etc/vservers/NAME/uts directory
mkdir $tmp/uts120
echo fromdir > $tmp/uts120/nodename
printf 'example.org\nsecond line\n' > $tmp/uts120/domainname
rc=0
vuname --xid 120 --dir $tmp/uts120 2> $tmp/err || rc=$?
check "--dir: nodename, domainname from the files' first lines, release kept" \
	set_and_seen 120 "fromdir 9.9 example.org "
check "... the host's names stay" host_unchanged

rc=0
vuname --xid 120 --dir $tmp/nouts -t nodename=no 2> $tmp/err || rc=$?
check "--dir DIR that does not exist: exit 2, nothing changed" \
	refused 2 "$tmp/nouts: No such file or directory" 120 "fromdir 9.9 example.org "
rc=0
vuname --xid 120 --dir $tmp/nouts --missingok -- sh -c 'exit 7' 2> $tmp/err || rc=$?
check "... with --missingok: PROG runs, its exit status" \
	sh -c "[ $rc = 7 ] && [ ! -s $tmp/err ]"

rc=0
vuname --xid 120 --set -t nodename=y -t bogus=1 2> $tmp/err || rc=$?
check "an unknown tag: exit 2, named, nothing changed" \
	refused 2 "unknown tag 'bogus'" 120 "fromdir 9.9 example.org "
rc=0
vuname --xid 120 --set -t nodename=y -t "release=$(printf '%065d' 0)" 2> $tmp/err || rc=$?
check "a value of 65 bytes: exit 2, nothing changed" \
	refused 2 "release: value of 65 bytes is too long (at most 64)" 120 "fromdir 9.9 example.org "
rc=0
vuname --xid 120 --set -t nodename 2> $tmp/err || rc=$?
check "-t without '=': exit 2, nothing changed" \
	refused 2 "invalid -t 'nodename': not TAG=VALUE" 120 "fromdir 9.9 example.org "
rc=0
vuname --xid 120 -s -t node=short -- /nonexistent/prog 2> $tmp/err || rc=$?
check "-s, a tag's beginning; PROG that cannot run: exit 255, the name is set" \
	refused 255 /nonexistent/prog 120 "short 9.9 example.org "
kill $holder
wait $holder

# A context sharing the host's UTS namespace (vcontext does not unshare).
vcontext --create --silent --xid 121 -- sleep 600 &
holder=$!
wait_exec $holder sleep
check "-g nodename of a context in the host's UTS namespace: the host's" \
	test "$(vuname --xid 121 -g nodename)" = "$host_name"
rc=0
vuname --xid 121 --set -t nodename=hacked -t context=web121 2> $tmp/err || rc=$?
check "--set nodename there: exit 1, EPERM named" \
	sh -c "[ $rc = 1 ] && grep -q 'nodename: set_vhi_name(121): Operation not permitted' $tmp/err"
check "... the host's names stay" host_unchanged
check "... and the context's name, set last, was not set" \
	test "$(vuname --xid 121 context)" = ""
kill $holder
wait $holder

# From inside a context still in setup, as util-vserver's start chain does.
mkdir $tmp/uts122
echo inner > $tmp/uts122/nodename
unshare -u vcontext --create --silent --xid 122 -- \
	vuname --xid self --dir $tmp/uts122 --missingok -- \
	vuname --xid self --set -t context=web122 -- \
	sh -c 'uname -n; vuname context' > $tmp/out 2> $tmp/err
check "inside, in setup: --xid self --dir, then -t context=..., then PROG" \
	sh -c "[ \"\$(tr '\n' ' ' < $tmp/out)\" = 'inner web122 ' ] && [ ! -s $tmp/err ]"

# A persistent context without tasks has a name but no UTS namespace.
vcontext --create --silent --xid 123 -- sh -c \
	'vuname --set -t context=web123 && vattribute --set --flag persistent'
rc=0
vuname --xid 123 context nodename > $tmp/out 2> $tmp/err || rc=$?
check "a context without tasks: its name, ??? for nodename, exit 1" \
	sh -c "[ $rc = 1 ] && [ \"\$(cat $tmp/out)\" = 'web123 ???' ] &&
	       grep -q 'nodename: get_vhi_name(123): No such process' $tmp/err"
vattribute --xid 123 --set --flag '~persistent'
check "... it ends when no longer persistent" wait_gone /proc/virtual/123
rm -rf $tmp
