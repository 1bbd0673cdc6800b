#!/bin/sh
# ncontext: create, migrate, migrate-self for network contexts.
. /tests/tap.sh
net_plan 16
tab=$(printf '\t')
tmp=$(mktemp -d)

# announced_in FILE NID: FILE starts with "New network context is NID" and
# has the ninfo of a task in NID
announced_in() {
	[ "$(head -n 1 $1)" = "New network context is $2" ] && [ "$(nid_in $1)" = $2 ]
}
# silently_in FILE NID: no "New network context" line, a task in NID
silently_in() {
	! grep -q 'New network context' $1 && [ "$(nid_in $1)" = $2 ]
}

ncontext --create --nid 90 -- cat /proc/self/ninfo > $tmp/out 2> $tmp/err
check "--create --nid 90: says so and runs the command in 90" announced_in $tmp/out 90
check "the network context ended with its command" wait_gone /proc/virtnet/90

ncontext --create --silent -- cat /proc/self/ninfo > $tmp/dyn
nid=$(nid_in $tmp/dyn)
check "--create --silent, no --nid: a dynamic nid ($nid), nothing printed" \
	sh -c "! grep -q 'New network context' $tmp/dyn && [ '$nid' -ge 49152 ] && [ '$nid' -le 65535 ]"

ncontext --create --silent --nid 92 -- nattribute --get > $tmp/out
check "a new network context is in setup with util-vserver's default flags" \
	test "$(head -n 1 $tmp/out)" = "flags: 0x0000000506000200 (lback_remap,hide_netif,hide_lback,state_setup,state_admin)"

ncontext --create --silent --nid 93 -- cat /proc/self/status /proc/self/ninfo > $tmp/out
host_xid_in() { grep -qx "VxID:${tab}0" $1 && [ "$(nid_in $1)" = $2 ]; }
check "the security context stays as it was (host), the network context is 93" \
	host_xid_in $tmp/out 93

ncontext --create --silent --nid 91 -- sleep 600 &
holder=$!
wait_for /proc/virtnet/91
rc=0
ncontext --create --nid 91 -- true > $tmp/out 2> $tmp/err || rc=$?
check "--create of an existing network context: exit 254 with the kernel's answer" \
	sh -c "[ $rc = 254 ] && grep -q 'net_create(91)' $tmp/err && [ ! -s $tmp/out ]"
rc=0
ncontext --create --nid 91 --silentexist -- true > $tmp/out 2> $tmp/err || rc=$?
check "--silentexist: exit 254, nothing said" \
	sh -c "[ $rc = 254 ] && [ ! -s $tmp/out ] && [ ! -s $tmp/err ]"

ncontext --migrate --nid 91 -- cat /proc/self/ninfo > $tmp/out
check "--migrate --nid 91: says so, the command runs in 91" announced_in $tmp/out 91

ncontext --migrate --nid 91 --silent -- ncontext --migrate-self -- cat /proc/self/ninfo > $tmp/out
check "--migrate-self from inside: stays in 91, prints nothing" silently_in $tmp/out 91
kill $holder
wait $holder
wait_gone /proc/virtnet/91

rc=0
ncontext --migrate-self -- true > /dev/null 2> $tmp/err || rc=$?
check "--migrate-self on the host: exit 1, not in a network context" \
	sh -c "[ $rc = 1 ] && grep -q 'not in a network context (nid 0)' $tmp/err"

rc=0
ncontext --migrate --nid 99 -- true > /dev/null 2> $tmp/err || rc=$?
check "--migrate to a network context that does not exist: exit 1, the kernel's answer" \
	sh -c "[ $rc = 1 ] && grep -q 'net_migrate(99)' $tmp/err"

nids > $tmp/before
rc=0
ncontext --migrate -- true > /dev/null 2> $tmp/err || rc=$?
nids > $tmp/after
check "--migrate without --nid: exit 2, nothing created" \
	sh -c "[ $rc = 2 ] && grep -q 'needs --nid' $tmp/err && cmp -s $tmp/before $tmp/after"
rc=0
ncontext --create --nid abc -- true > /dev/null 2> $tmp/err || rc=$?
nids > $tmp/after
check "a bad --nid: exit 2, named in the message, nothing created" \
	sh -c "[ $rc = 2 ] && grep -q \"invalid nid 'abc'\" $tmp/err && cmp -s $tmp/before $tmp/after"

rc=0
ncontext --create --nid 94 -- /nonexistent/cmd > /dev/null 2> $tmp/err || rc=$?
exec_failed() { [ $rc = 255 ] && grep -q /nonexistent/cmd $tmp/err && wait_gone /proc/virtnet/94; }
check "a command that cannot run: exit 255, the network context ends" exec_failed

# --disconnect: back at once; the command goes on in a new session
bg_sleep='echo $$ > $0.t && mv $0.t $0 && exec sleep 600'
rc=0
timeout 10 ncontext --create --nid 95 --disconnect -- sh -c "$bg_sleep" $tmp/pid95 > $tmp/out95 2> $tmp/err95 || rc=$?
wait_for $tmp/pid95
pid=$(cat $tmp/pid95)
detached() {
	[ $rc = 0 ] && in_new_net_session $pid 95 &&
		[ "$(cat $tmp/out95)" = 'New network context is 95' ] && [ ! -s $tmp/err95 ]
}
check "--create --disconnect: exit 0 at once, the command runs on in 95 in a session of its own" \
	detached
kill $pid
check "... and the network context ends with it" wait_gone /proc/virtnet/95
rm -rf $tmp
