#!/bin/sh
# chbind: a command in a network context with its addresses, as
# util-vserver's chbind puts it there.
. /tests/tap.sh
net_plan 20
tab=$(printf '\t')
tmp=$(mktemp -d)
set_up='flags: 0x0000000406000200 (lback_remap,hide_netif,hide_lback,state_admin)'

chbind --ip 10.5.0.1 -- cat /proc/self/ninfo > $tmp/out 2> $tmp/err
nid=$(nid_in $tmp/out)
dynamic() {
	[ "$(head -n 1 $tmp/out)" = "New network context is $nid" ] &&
		[ "$nid" -ge 49152 ] && [ "$nid" -le 65535 ] && [ ! -s $tmp/err ]
}
check "--ip 10.5.0.1: a dynamic network context ($nid), announced" dynamic
check "... the command sees its address" grep -qF 10.5.0.1 $tmp/out
check "... and it ends with the command" wait_gone /proc/virtnet/$nid

chbind --silent --nid 120 --ip 10.5.0.2 -- nattribute --get > $tmp/out
check "--silent --nid 120: nothing printed, the setup is over when the command runs" \
	test "$(head -n 1 $tmp/out)" = "$set_up"

chbind --silent --nid 121 --ip 10.5.0.3 --flag '~hide_lback,persistent' --ncap raw_icmp -- \
	nattribute --get > $tmp/out
check "--flag ~hide_lback,persistent: given before the setup ended" \
	test "$(head -n 1 $tmp/out)" = "flags: 0x0000004402000200 (lback_remap,hide_netif,state_admin,persistent)"
check "--ncap raw_icmp: given" sh -c "tail -n 1 $tmp/out | grep -q '^ncaps: .*raw_icmp'"
check "the address is the network context's" has_addr 121 10.5.0.3
nattribute --nid 121 --set --flag '~persistent'
wait_gone /proc/virtnet/121

chbind --silent --nid 122 --ip 2001:db8::5/64 --bcast 10.5.0.255 --ip 10.5.0.5/24 --flag persistent -- true
both() { has_addr 122 2001:db8::5/64 && has_addr 122 10.5.0.5/24; }
check "IPv6 and IPv4 addresses with a broadcast address: all there" both
nattribute --nid 122 --set --flag '~persistent'
wait_gone /proc/virtnet/122

chbind --silent --secure --ip 10.5.0.6 -- nattribute --get > $tmp/secure
chbind --silent --secure --flag '~hide_netif' --ip 10.5.0.6 -- nattribute --get > $tmp/open
secure() {
	head -n 1 $tmp/secure | grep -q 'hide_netif' && ! head -n 1 $tmp/open | grep -q 'hide_netif'
}
check "--secure sets hide_netif; a --flag ~hide_netif clears it" secure

# an existing network context is joined as it is
ncontext --create --silent --nid 123 -- sleep 600 &
holder=$!
wait_for /proc/virtnet/123
chbind --nid 123 --ip 10.5.0.7 --flag single_ip -- cat /proc/self/ninfo > $tmp/out
joined() { [ "$(head -n 1 $tmp/out)" = "New network context is 123" ] && [ "$(nid_in $tmp/out)" = 123 ]; }
check "--nid of an existing network context: joins it" joined
as_it_was() {
	lacks_addr 123 10.5.0.7 &&
		nflags_are 123 'flags: 0x0000000506000200 (lback_remap,hide_netif,hide_lback,state_setup,state_admin)'
}
check "... and changes nothing of it (no address, flags as they were)" as_it_was
kill $holder
wait $holder

chbind --silent --nid 126 --ip 10.5.0.11 -- chcontext --silent -- cat /proc/self/status /proc/self/ninfo > $tmp/out
chained() { [ "$(nid_in $tmp/out)" = 126 ] && ! grep -qx "VxID:${tab}0" $tmp/out && grep -q '^VxID:' $tmp/out; }
check "chbind -- chcontext: the command is in network context 126 and a security context" chained

# bad input: exit 2, a clear message, no network context created
nids > $tmp/before
# refused ARGS...: chbind ARGS exits 2 with a message, creating nothing
refused() {
	rc=0
	chbind "$@" > $tmp/out 2> $tmp/err
	rc=$?
	nids > $tmp/after
	[ $rc = 2 ] && [ ! -s $tmp/out ] && grep -q '^chbind: ' $tmp/err && cmp -s $tmp/before $tmp/after
}
check "a malformed address: exit 2, nothing created" \
	refused --nid 124 --ip 10.5.0.8 --ip 10.5.0.300 -- true
check "... the message names it" grep -q "chbind: --ip '10.5.0.300': '10.5.0.300' is not an IPv4 or IPv6 address" $tmp/err
bad_addresses() {
	refused --nid 124 --ip 10.5.0.8/33 -- true &&
		refused --nid 124 --ip 10.5.0.8 --ip 10.5.0.8/24 -- true &&
		refused --nid 124 --bcast ff02::1 -- true
}
check "a bad prefix, a duplicate, an IPv6 broadcast: exit 2 each, nothing created" bad_addresses
bad_names() {
	refused --nid 124 --ip 10.5.0.8 --flag bogus -- true &&
		refused --nid 124 --ip 10.5.0.8 --flag lock -- true &&
		refused --nid 124 --ip 10.5.0.8 --flag '~state_setup' -- true &&
		refused --nid 124 --ip 10.5.0.8 --ncap ping -- true
}
check "an unknown flag, lock, state_setup, an unknown capability: exit 2 each, nothing created" bad_names
check "no command: exit 2, nothing created" refused --nid 124 --ip 10.5.0.8

rc=0
chbind --nid 50000 --ip 10.5.0.9 -- true > /dev/null 2> $tmp/err || rc=$?
check "a static nid in the dynamic range: exit 1, the kernel's answer" \
	sh -c "[ $rc = 1 ] && grep -q 'chbind: net_create(50000): ' $tmp/err"

rc=0
chbind --silent --nid 127 --ip 10.5.0.12 -- /nonexistent/cmd 2> $tmp/err || rc=$?
exec_failed() { [ $rc = 255 ] && grep -q /nonexistent/cmd $tmp/err && wait_gone /proc/virtnet/127; }
check "a command that cannot run: exit 255, the network context ends" exec_failed

# --disconnect: back at once; the command goes on in a new session
bg_sleep='echo $$ > $0.t && mv $0.t $0 && exec sleep 600'
rc=0
timeout 10 chbind --nid 125 --ip 10.5.0.10 --disconnect -- sh -c "$bg_sleep" $tmp/pid125 \
	> $tmp/out125 2> $tmp/err125 || rc=$?
wait_for $tmp/pid125
pid=$(cat $tmp/pid125)
detached() {
	[ $rc = 0 ] && in_new_net_session $pid 125 &&
		[ "$(cat $tmp/out125)" = 'New network context is 125' ] && [ ! -s $tmp/err125 ]
}
check "--disconnect: exit 0 at once, the command runs on in 125 in a session of its own" detached
kill $pid
wait_gone /proc/virtnet/125
rm -rf $tmp
