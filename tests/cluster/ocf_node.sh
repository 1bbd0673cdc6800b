#!/bin/bash
# Runs on one node of tests/cluster/ocf_test.sh (no cluster stack): the
# OCF agent against the real guest "web" (tests/cluster/guest.sh, already
# sourced above this script): ocf-tester at depth 0 and 10, then what
# ocf-tester does not look at.  TAP.
set -u
RA=/usr/lib/ocf/resource.d/vserver-ng/vserver
tmp=$(mktemp -d)
n=0
failed=0
check() {
	local desc=$1
	shift
	n=$((n + 1))
	if "$@" > "$tmp/out" 2>&1; then
		echo "ok $n $desc"
	else
		failed=$((failed + 1))
		echo "not ok $n $desc"
		sed 's/^/#   /' "$tmp/out" | tail -n 40
	fi
}
# ra [VAR=VALUE...] ACTION: the agent with OCF_RESKEY_name=web; prints rc
ra() {
	local rc=0 action=${*: -1}
	env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=web OCF_RESKEY_name=web \
		"${@:1:$#-1}" "$RA" "$action" >/dev/null 2>&1 || rc=$?
	echo $rc
}
rc_is() { local want=$1; shift; [ "$(ra "$@")" = "$want" ]; }
running() { vserver web running; }
# nothing_left: no context 200, no guest address on eth0
nothing_left() {
	[ ! -d /proc/virtual/$GUEST_XID ] && ! ip -o addr show dev eth0 | grep -q " $GUEST_IP/"
}

echo "TAP version 13"
echo "1..20"

check "the guest is built on /dev/vdc (guest_make)" guest_make
mount /dev/vdc "$MNT"

# ocf-tester: meta-data against the DTD, validate-all, probe, start, start
# again, monitor, stop, stop again, monitor (it prints "passed all tests")
tester() {
	ocf-tester -n web -o name=web "$@" "$RA" > "$tmp/tester" 2>&1
	local rc=$?
	cat "$tmp/tester"
	[ $rc = 0 ] && grep -q "passed all tests" "$tmp/tester"
}
check "ocf-tester, monitor depth 0: passed all tests" tester
tester10() {
	export OCF_CHECK_LEVEL=10
	tester -o "monitor_cmd=wget -q -O /dev/null http://$GUEST_IP/"
	local rc=$?
	unset OCF_CHECK_LEVEL
	return $rc
}
check "ocf-tester, depth 10 with monitor_cmd (OCF_CHECK_LEVEL=10): passed all tests" tester10
check "after ocf-tester: stopped, nothing left" eval '! running && nothing_left'

check "start: 0" rc_is 0 start
check "... the guest answers on $GUEST_IP:80" answers_soon
check "... monitor depth 0 and 10: 0" \
	eval 'rc_is 0 monitor && rc_is 0 OCF_CHECK_LEVEL=10 monitor'
check "depth 10, monitor_cmd false: 1; depth 0 still 0" \
	eval 'rc_is 1 OCF_CHECK_LEVEL=10 OCF_RESKEY_monitor_cmd=false monitor &&
		rc_is 0 OCF_RESKEY_monitor_cmd=false monitor'
ip addr del "$GUEST_IP/24" dev eth0
check "its address taken off eth0: depth 10 says 1, depth 0 says 0" \
	eval 'rc_is 1 OCF_CHECK_LEVEL=10 monitor && rc_is 0 monitor'
check "stop: 0, nothing left" eval 'rc_is 0 stop && ! running && nothing_left'
check "start again: 0, answers" eval 'rc_is 0 start && answers_soon'
vkill --xid $GUEST_XID -s KILL 1
sleep 1
check "its init killed (httpd left): monitor says 1 (failed), not 7" \
	eval '[ -d /proc/virtual/$GUEST_XID ] && rc_is 1 monitor'
check "stop clears the context: 0, nothing left, monitor 7" \
	eval 'rc_is 0 stop && nothing_left && rc_is 7 monitor'

# stop_timeout: a guest whose init ignores TERM and whose kill sequence
# waits 60 s before SIGKILL is killed after stop_timeout
cp "$MNT/root/web/sbin/init" "$tmp/init"
cat > "$MNT/root/web/sbin/init" <<-'INIT'
	#!/bin/sh
	trap '' TERM HUP INT QUIT
	/bin/httpd -f -p 80 -h /www &
	while :; do /bin/sleep 1; done
INIT
mkdir -p "$MNT/etc/web/apps/init"
echo "15 60 9" > "$MNT/etc/web/apps/init/killseq"
rc_is 0 start
t0=$SECONDS
check "stop_timeout=3, init ignoring TERM, killseq '15 60 9': stop 0 within 15 s, nothing left" \
	eval 'rc_is 0 OCF_RESKEY_stop_timeout=3 stop && echo "took $((SECONDS - t0)) s" &&
		[ $((SECONDS - t0)) -le 15 ] && nothing_left'
cp "$tmp/init" "$MNT/root/web/sbin/init"
rm "$MNT/etc/web/apps/init/killseq"

# a bad configuration: found by validate-all, starts nothing
echo 10.0.0.300 > "$MNT/etc/web/interfaces/0/ip"
check "interfaces/0/ip 10.0.0.300: validate-all 6, start 6, nothing started" \
	eval 'rc_is 6 validate-all && rc_is 6 start && nothing_left'
echo "$GUEST_IP" > "$MNT/etc/web/interfaces/0/ip"
check "repaired: validate-all 0" rc_is 0 validate-all

# a node without the guest: the shared disk is not mounted here
umount "$MNT"
check "shared disk unmounted: probe 7, stop 0" \
	eval 'rc_is 7 OCF_RESKEY_CRM_meta_interval=0 monitor && rc_is 0 stop'
check "... validate-all 5 (not installed here)" rc_is 5 validate-all
check "... start 5" rc_is 5 start
check "a guest name that is not there: probe 7" rc_is 7 OCF_RESKEY_name=nosuch monitor

echo "# ocf_node: $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ] && [ "$n" = 20 ]
