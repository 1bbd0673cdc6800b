#!/bin/sh
# vcontext: create, migrate, migrate-self; init, end of setup, chroot.
. /tests/tap.sh
plan 15
tab=$(printf '\t')
tmp=$(mktemp -d)

# init_is XID PID: until /proc/virtual/XID/info says Init: PID
init_is() {
	i=0
	while ! grep -qx "Init:${tab}$2" /proc/virtual/$1/info 2>/dev/null && [ $i -lt 2000 ]; do
		usleep 1000
		i=$((i + 1))
	done
	grep -qx "Init:${tab}$2" /proc/virtual/$1/info
}

vcontext --create --xid 80 -- cat /proc/self/status > $tmp/out
check "--create --xid 80: says so and runs the command in 80" \
	sh -c "head -n 1 $tmp/out | grep -qx 'New security context is 80' && grep -qx 'VxID:${tab}80' $tmp/out"

vcontext --create --silent -- cat /proc/self/status > $tmp/dyn
xid=$(sed -n "s/^VxID:${tab}//p" $tmp/dyn)
check "--create --silent, no --xid: a dynamic context ($xid), nothing printed" \
	sh -c "head -n 1 $tmp/dyn | grep -q '^Name:' && [ '$xid' -ge 49152 ] && [ '$xid' -le 65535 ]"

chcontext --silent --xid 81 -- sleep 600 &
holder=$!
wait_for /proc/virtual/81
rc=0
vcontext --create --xid 81 -- true > $tmp/out 2> $tmp/err || rc=$?
check "--create of an existing context: exit 254 with the kernel's answer" \
	sh -c "[ $rc = 254 ] && grep -q 'ctx_create(81)' $tmp/err"
rc=0
vcontext --create --xid 81 --silentexist -- true > $tmp/out 2> $tmp/err || rc=$?
check "--silentexist: exit 254, nothing said" \
	sh -c "[ $rc = 254 ] && [ ! -s $tmp/out ] && [ ! -s $tmp/err ]"

vcontext --migrate --xid 81 -- cat /proc/self/status > $tmp/out
check "--migrate --xid 81: the command runs in 81" \
	sh -c "head -n 1 $tmp/out | grep -qx 'New security context is 81' && grep -qx 'VxID:${tab}81' $tmp/out"

vcontext --migrate --xid 81 --initpid --silent -- sleep 600 &
init=$!
check "--migrate --initpid: the command is the context's init" init_is 81 $init
kill $init $holder
wait $init
wait $holder

vcontext --create --xid 82 --initpid --silent -- sleep 600 &
init=$!
check "--create --initpid: the command is the new context's init" init_is 82 $init
kill $init
wait $init

vcontext --create --xid 83 --silent --endsetup -- vattribute --get > $tmp/out
check "--create --endsetup: state_setup is cleared" \
	test "$(head -n 1 $tmp/out)" = "flags: 0x0000000600000000 (state_init,state_admin)"

chcontext --silent --xid 84 -- vcontext --migrate-self --endsetup -- vattribute --get > $tmp/out
check "--migrate-self --endsetup from inside: stays in 84, ends its setup" \
	test "$(head -n 1 $tmp/out)" = "flags: 0x0000000600000000 (state_init,state_admin)"

mkdir -p $tmp/root/bin
cp /bin/busybox $tmp/root/bin/busybox
(cd $tmp/root && vcontext --create --silent --chroot -- /bin/busybox ls /) > $tmp/out
check "--chroot: the command sees the current directory as /" test "$(cat $tmp/out)" = "bin"

rc1=0
vcontext --migrate -- true > /dev/null 2> $tmp/err1 || rc1=$?
rc2=0
vcontext --migrate-self -- true > /dev/null 2> $tmp/err2 || rc2=$?
check "--migrate without --xid: exit 2; --migrate-self on the host: exit 1" \
	sh -c "[ $rc1 = 2 ] && grep -q 'needs --xid' $tmp/err1 && [ $rc2 = 1 ] && grep -q 'not in a context' $tmp/err2"

# --disconnect: back at once; the command goes on in a new session
bg_sleep='echo $$ > $0.t && mv $0.t $0 && exec sleep 600'
rc=0
timeout 10 vcontext --create --xid 85 --disconnect -- sh -c "$bg_sleep" $tmp/pid85 > $tmp/out85 2> $tmp/err85 || rc=$?
wait_for $tmp/pid85
pid=$(cat $tmp/pid85)
detached() {
	[ $rc = 0 ] && in_new_session $pid 85 &&
		[ "$(cat $tmp/out85)" = 'New security context is 85' ] && [ ! -s $tmp/err85 ]
}
check "--create --disconnect: exit 0 at once, the command runs on in 85 in a session of its own" \
	detached
kill $pid
check "... and the context ends with it" wait_gone /proc/virtual/85

rc=0
timeout 10 vcontext --create --xid 86 --initpid --disconnect --silent -- sh -c "$bg_sleep" $tmp/pid86 \
	> $tmp/out86 2> $tmp/err86 || rc=$?
wait_for $tmp/pid86
pid=$(cat $tmp/pid86)
silent_detached() {
	[ $rc = 0 ] && [ ! -s $tmp/out86 ] && [ ! -s $tmp/err86 ] && in_new_session $pid 86 &&
		init_is 86 $pid
}
check "--disconnect --silent --initpid: nothing printed, the command is 86's init in a new session" \
	silent_detached
kill $pid
wait_gone /proc/virtual/86

rc=0
timeout 10 vcontext --disconnect -- true > $tmp/out 2> $tmp/err || rc=$?
check "--disconnect without a mode: exit 2 before forking, nothing created" \
	sh -c "[ $rc = 2 ] && grep -q 'say one of' $tmp/err && grep -qx '#CActive:${tab}0' /proc/virtual/status"
rm -rf $tmp
