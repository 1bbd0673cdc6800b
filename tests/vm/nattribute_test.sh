#!/bin/sh
# nattribute: network flags and capabilities as util-vserver names them.
. /tests/tap.sh
net_plan 17
tmp=$(mktemp -d)
init_set='flags: 0x0000000506000200 (lback_remap,hide_netif,hide_lback,state_setup,state_admin)'

ncontext --create --silent --nid 100 -- sleep 600 &
holder=$!
wait_for /proc/virtnet/100
nattribute --nid 100 --get > $tmp/out
check "--get: a new network context has util-vserver's default flags, in setup" \
	test "$(head -n 1 $tmp/out)" = "$init_set"
ncaps_line() { [ $(wc -l < $tmp/out) = 2 ] && tail -n 1 $tmp/out | grep -Eq '^ncaps: 0x[0-9a-f]{16} \(.*\)$'; }
check "--get: then its capabilities, in the same form" ncaps_line

nattribute --nid 100 --set --flag persistent,single_ip
check "--set --flag persistent,single_ip: the kernel has them" \
	nflags_are 100 "flags: 0x0000004506000300 (single_ip,lback_remap,hide_netif,hide_lback,state_setup,state_admin,persistent)"
nattribute --nid 100 --set --flag '~hide_netif,!NXF_HIDE_LBACK'
check "--flag ~hide_netif,!NXF_HIDE_LBACK clears both" \
	nflags_are 100 "flags: 0x0000004500000300 (single_ip,lback_remap,state_setup,state_admin,persistent)"
nattribute --nid 100 --set --secure
check "--secure sets hide_netif" \
	nflags_are 100 "flags: 0x0000004502000300 (single_ip,lback_remap,hide_netif,state_setup,state_admin,persistent)"

nattribute --nid 100 --set --ncap 'NXC_RAW_ICMP'
check "--set --ncap NXC_RAW_ICMP: the kernel has it" \
	test "$(nattribute --nid 100 --get | tail -n 1)" = "ncaps: 0x0000000000000100 (raw_icmp)"
rc=0
nattribute --nid 100 --set --ncap 'multicast,~tun_create' 2> $tmp/err || rc=$?
check "capabilities the kernel does not implement: exit 1, nothing changed" \
	sh -c "[ $rc = 1 ] && grep -q 'set_ncaps(100): Invalid argument' $tmp/err &&
	       [ \"\$(nattribute --nid 100 --get | tail -n 1)\" = 'ncaps: 0x0000000000000100 (raw_icmp)' ]"

kill $holder
wait $holder
persists() { usleep 100000; [ -e /proc/virtnet/100 ] && nattribute --nid 100 --get > /dev/null; }
check "persistent: the network context outlives its last task" persists
nattribute --nid 100 --set --flag '~persistent'
check "--flag ~persistent: the network context without tasks ends" wait_gone /proc/virtnet/100

# the kernel clears single_ip when a second address comes
ncontext --create --silent --nid 101 -- sleep 600 &
holder=$!
wait_for /proc/virtnet/101
nattribute --nid 101 --set --flag single_ip
naddress --add --silent --nid 101 --ip 10.8.0.1 --ip 10.8.0.2
check "a second address clears single_ip" nflags_are 101 "$init_set"
kill $holder
wait $holder

ncontext --create --silent --nid 102 -- nattribute --set --flag '!state_setup' -- nattribute --get > $tmp/out
check "inside (nid self), in setup: clear state_setup, then run PROG" \
	test "$(head -n 1 $tmp/out)" = "flags: 0x0000000406000200 (lback_remap,hide_netif,hide_lback,state_admin)"

ncontext --create --silent --nid 103 -- nattribute --set --flag '~state_setup' -- sleep 600 &
holder=$!
set_up='flags: 0x0000000406000200 (lback_remap,hide_netif,hide_lback,state_admin)'
i=0
while ! nflags_are 103 "$set_up" 2>/dev/null && [ $i -lt 2000 ]; do usleep 1000; i=$((i + 1)); done
rc=0
nattribute --nid 103 --set --flag STATE_SETUP 2> $tmp/err || rc=$?
one_time() { [ $rc = 1 ] && grep -q 'set_nflags(103): Invalid argument' $tmp/err && nflags_are 103 "$set_up"; }
check "a cleared one-time flag cannot be set again: exit 1, flags unchanged" one_time

rc=0
nattribute --nid 103 --set --flag persistent,bogus > /dev/null 2> $tmp/err || rc=$?
bad_flag() { [ $rc = 2 ] && grep -q "unknown network flag 'bogus'" $tmp/err && nflags_are 103 "$set_up"; }
check "an unknown flag: exit 2, named in the message, nothing changed" bad_flag
rc=0
nattribute --nid 103 --set --flag 'persistent,~lock' > /dev/null 2> $tmp/err || rc=$?
lock_flag() {
	[ $rc = 2 ] && grep -q "network flag 'lock' is not supported by this kernel" $tmp/err &&
		nflags_are 103 "$set_up"
}
check "util-vserver's lock: exit 2, said to be unsupported, nothing changed" lock_flag
rc=0
nattribute --nid 103 --set --ncap raw_icmp,ping > /dev/null 2> $tmp/err || rc=$?
bad_ncap() {
	[ $rc = 2 ] && grep -q "unknown network capability 'ping'" $tmp/err &&
		! nattribute --nid 103 --get | grep -q raw_icmp
}
check "an unknown capability: exit 2, named in the message, nothing changed" bad_ncap
kill $holder
wait $holder

# once set up, a network context cannot change itself (from a security
# context, so that the caller is no root of the host)
rc=0
ncontext --create --silent --nid 104 -- nattribute --set --flag '~state_setup' -- \
	chcontext --silent -- nattribute --set --flag persistent 2> $tmp/err || rc=$?
check "once set up, a network context cannot change its own flags" \
	sh -c "[ $rc = 1 ] && grep -q 'set_nflags(104): Operation not permitted' $tmp/err"

rc=0
nattribute --nid 109 --get > $tmp/out 2> $tmp/err || rc=$?
check "--get of a network context that does not exist: exit 1, the kernel's answer" \
	sh -c "[ $rc = 1 ] && grep -q 'get_nflags(109)' $tmp/err && [ ! -s $tmp/out ]"
rm -rf $tmp
