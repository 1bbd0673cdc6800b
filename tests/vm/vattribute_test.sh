#!/bin/sh
# vattribute: context flags as util-vserver names them; persistent contexts.
. /tests/tap.sh
plan 18
tab=$(printf '\t')
tmp=$(mktemp -d)

vcontext --create --silent --xid 70 -- sleep 600 &
holder=$!
wait_for /proc/virtual/70
vattribute --xid 70 --get > $tmp/out
check "--get: a new context is in setup, init and admin state" \
	test "$(head -n 1 $tmp/out)" = "flags: 0x0000000700000000 (state_setup,state_init,state_admin)"
check "--get: a new context may create no namespace once set up" \
	test "$(tail -n 1 $tmp/out)" = "umask: 0x0000000000000000 ()"
check "--get: a new context has every capability" \
	test "$(sed -n 2p $tmp/out)" = "bcaps: 0x000001ffffffffff (all)"

vattribute --xid 70 --set --bcap '~sys_time,!CAP_MKNOD'
check "--set --bcap ~sys_time,!CAP_MKNOD: the kernel has it" \
	grep -qx "BCaps:${tab}000001fff5ffffff" /proc/virtual/70/status
rc=0
vattribute --xid 70 --set --bcap sys_time 2> $tmp/err || rc=$?
check "a dropped capability cannot come back: exit 1, set unchanged" \
	sh -c "[ $rc = 1 ] && grep -q 'set_bcaps(70): Invalid argument' $tmp/err && grep -qx 'BCaps:${tab}000001fff5ffffff' /proc/virtual/70/status"

vattribute --xid 70 --set --ccap utsname
check "--set --ccap utsname: the kernel has set_utsname" \
	grep -qx "CCaps:${tab}0000000000000001" /proc/virtual/70/status
rc=0
vattribute --xid 70 --set --ccap binary_mount 2> $tmp/err || rc=$?
check "a context capability the kernel does not implement: exit 1, unchanged" \
	sh -c "[ $rc = 1 ] && grep -q 'set_ccaps(70): Invalid argument' $tmp/err && grep -qx 'CCaps:${tab}0000000000000001' /proc/virtual/70/status"

vattribute --xid 70 --set --umask newuts,CLONE_NEWIPC,newnet --umask '~newnet'
check "--set --umask newuts,newipc: the kernel has it" \
	grep -qx "Umask:${tab}         c000000" /proc/virtual/70/status

vattribute --xid 70 --set --flag persistent
check "--set --flag persistent: the kernel has it" \
	grep -qx "Flags:${tab}0000004700000000" /proc/virtual/70/status

kill $holder
wait $holder
check "persistent: the context outlives its last task" \
	sh -c "[ -e /proc/virtual/70 ] && grep -qx 'Tasks:${tab}0' /proc/virtual/70/status"

vattribute --xid 70 --set --flag '~persistent'
check "--flag ~persistent: the context without tasks ends" test ! -e /proc/virtual/70

vcontext --create --silent --xid 71 -- vattribute --set --flag '!state_setup' -- vattribute --get > $tmp/out
check "inside a context (xid self): clear state_setup, then run PROG" \
	test "$(head -n 1 $tmp/out)" = "flags: 0x0000000600000000 (state_init,state_admin)"

vcontext --create --silent --xid 72 -- vattribute --set --flag '~state_setup' -- sleep 600 &
holder=$!
i=0
while ! grep -qx "Flags:${tab}0000000600000000" /proc/virtual/72/status 2>/dev/null &&
	[ $i -lt 2000 ]; do usleep 1000; i=$((i + 1)); done
rc=0
vattribute --xid 72 --set --flag STATE_SETUP 2> $tmp/err || rc=$?
check "a cleared one-time flag cannot be set again: exit 1, flags unchanged" \
	sh -c "[ $rc = 1 ] && grep -q 'set_cflags(72): Invalid argument' $tmp/err && grep -qx 'Flags:${tab}0000000600000000' /proc/virtual/72/status"
kill $holder
wait $holder

rc=0
vattribute --xid 73 --set --flag bogus > /dev/null 2> $tmp/err || rc=$?
check "an unknown flag: exit 2, named in the message" \
	sh -c "[ $rc = 2 ] && grep -q \"unknown flag 'bogus'\" $tmp/err"
vcontext --create --silent --xid 76 -- vattribute --set --secure -- sh -c 'grep CapBnd /proc/self/status' > $tmp/out
check "--secure: a program run in the context is bounded (CapBnd)" \
	grep -qx "CapBnd:${tab}00000000b00405fb" $tmp/out
rc=0
vattribute --xid 73 --set --bcap chown,bogus > /dev/null 2> $tmp/err || rc=$?
check "an unknown capability: exit 2, named in the message" \
	sh -c "[ $rc = 2 ] && grep -q \"unknown capability 'bogus'\" $tmp/err"

rc=0
vattribute --xid 73 --set --umask newns,bogus > /dev/null 2> $tmp/err || rc=$?
check "an unknown unshare flag: exit 2, named in the message" \
	sh -c "[ $rc = 2 ] && grep -q \"unknown unshare flag 'bogus'\" $tmp/err"

# set up with an unshare mask, then a task of the context may not widen it
vcontext --create --silent --xid 74 -- vattribute --set --umask newuts --flag '~state_setup' -- \
	vattribute --set --umask newns 2> $tmp/err || rc=$?
check "once set up, a context cannot widen its own unshare mask" \
	sh -c "[ $rc = 1 ] && grep -q 'set_umask(74): Operation not permitted' $tmp/err"
rm -rf $tmp
