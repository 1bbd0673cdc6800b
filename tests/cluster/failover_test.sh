#!/usr/bin/env bash
# The guest "web" as a Pacemaker service on a real cluster: boots
# CLUSTER_NODES (default 3) Debian 12 nodes of scripts/cluster-image
# (our kernel, module, tools and agent; sbd, corosync, pacemaker started
# by scripts/cluster/node-init) on a QEMU multicast network with a shared
# SBD disk and a shared data disk, then
#
#   - makes the resource group web = Filesystem (/dev/vdc on /srv/vs/web)
#     + ocf:vserver-ng:vserver, fenced by fence_sbd on /dev/vdb, with pcs
#     as Documentation/cluster.md says;
#   - checks the guest runs on one node and answers on 192.168.100.50
#     from another;
#   - relocates it (pcs resource move) and checks it answers there;
#   - writes data in the guest (synced), hard-kills the node running it
#     (QEMU monitor "quit") and measures how long the guest did not answer,
#     seen from a survivor: from its last answer before the kill to its
#     first after;
#   - checks the data is intact on the new node and that the dead node
#     was fenced.
#
# TAP on stdout and "failover_test: N passed, N failed"; the times are
# printed as "# failover: ..." lines.  Needs root, QEMU, debootstrap and
# `make kmod userspace`.  CLUSTER_KEEP=1 keeps the work directory (console
# logs).  CLUSTER_NODES=2 runs a two-node cluster (two_node quorum).
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../scripts/lib.sh"
source "$here/../../scripts/cluster-lib.sh"
set +e

N=${CLUSTER_NODES:-3}
case "$N" in 2|3) ;; *) die "CLUSTER_NODES must be 2 or 3" ;; esac
PLAN=11
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"
	[ -z "${2:-}" ] || echo "$2" | sed 's/^/#   /' | tail -n 30
}
# check DESC CMD...: CMD's output shown when it fails
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$desc"; else notok "$desc" "$out"; fi
}
finish() {
	local rc=$?
	# the rest of the plan did not run
	while [ $n -lt $PLAN ]; do notok "not reached"; done
	echo "failover_test: $((n - failed)) passed, $failed failed"
	if [ "$failed" != 0 ] || [ $rc != 0 ]; then
		for i in $(seq 1 "$N"); do
			[ -f "$CLUSTER_WORK/console$i.log" ] || continue
			echo "# console of node$i (last lines):"
			tail -n 15 "$CLUSTER_WORK/console$i.log" | sed 's/^/#   /'
		done
	fi
	cluster_teardown
	[ "$failed" = 0 ] && [ $rc = 0 ] && exit 0
	exit 1
}
trap finish EXIT

# on I SCRIPT: run SCRIPT (bash, with tests/cluster/guest.sh) on node I
on() {
	local i=$1
	shift
	{ cat "$here/guest.sh"; echo "$*"; } | node_script "$i"
}
# until_ok SECONDS CMD...: retry CMD every 2 s
until_ok() {
	local limit=$1 t0=$SECONDS
	shift
	until "$@" >/dev/null 2>&1; do
		[ $((SECONDS - t0)) -lt "$limit" ] || return 1
		sleep 2
	done
}
# where: the node the guest runs on, "nodeN", by Pacemaker; empty when
# none (asked on node $ask)
ask=1
where() {
	node "$ask" "crm_resource --locate --resource web-vs 2>/dev/null" |
		sed -n 's/^resource web-vs is running on: \(node[0-9]*\).*/\1/p' | head -n 1
}
runs_on() { [ "$(where)" = "$1" ]; }
runs_somewhere() { [ -n "$(where)" ]; }
# answers_from I: the guest answers node I
answers_from() { on "$1" answers; }
num() { echo "${1#node}"; }

echo "TAP version 13"
echo "1..$PLAN"
t0=$SECONDS
cluster_setup "$N" 1
echo "# $N nodes booted in $((SECONDS - t0)) s ($CLUSTER_ACCEL)"

online() {
	local want
	want="Online: [ $(for i in $(seq 1 "$N"); do printf 'node%s ' "$i"; done)]"
	node 1 "crm_mon -1 2>/dev/null" | grep -qF "$want"
}
t1=$SECONDS
check "the cluster forms: all $N nodes online (crm_mon)" until_ok 600 online
echo "# cluster online $((SECONDS - t1)) s after the nodes answered ssh"
[ $failed = 0 ] || exit 1

# The guest on the shared disk, the symlink on every node
check "the guest is built on the shared disk (node1)" on 1 guest_make
for i in $(seq 1 "$N"); do on "$i" guest_link; done

# The recipe of Documentation/cluster.md
setup_pcs() {
	node 1 "
	set -e
	pcs property set stonith-enabled=true
	pcs property set stonith-timeout=60s
	pcs property set load-threshold=1000%
	pcs resource defaults update resource-stickiness=100
	pcs stonith create sbd-fence fence_sbd devices=/dev/vdb \
		pcmk_host_list='$(for i in $(seq 1 "$N"); do printf 'node%s ' "$i"; done)' \
		pcmk_host_check=static-list
	pcs resource create web-fs ocf:heartbeat:Filesystem device=/dev/vdc \
		directory=/srv/vs/web fstype=ext4 --group web
	pcs resource create web-vs ocf:vserver-ng:vserver name=web \
		op monitor interval=10s timeout=20s \
		op monitor interval=30s timeout=30s OCF_CHECK_LEVEL=10 --group web
	"
}
check "pcs: fence_sbd, resource group web (Filesystem + vserver)" setup_pcs
t1=$SECONDS
check "the group starts on one node" until_ok 300 runs_somewhere
first=$(where)
echo "# web started on $first in $((SECONDS - t1)) s"
[ -n "$first" ] || exit 1
# a node that does not run the guest asks it
other() {
	local i
	for i in $(seq 1 "$N"); do
		[ "node$i" = "$1" ] || [ "node$i" = "${2:-}" ] || { echo "$i"; return; }
	done
}
obs=$(other "$first")
ask=$obs
check "it answers on 192.168.100.50 from node$obs" until_ok 60 answers_from "$obs"
only_there() {
	local i c
	for i in $(seq 1 "$N"); do
		c=$(node "$i" "vserver web running && echo yes || echo no")
		if [ "node$i" = "$first" ]; then [ "$c" = yes ]; else [ "$c" = no ]; fi || {
			echo "node$i: running=$c"; return 1; }
	done
}
check "vserver web running: yes on $first only" only_there

# (1) relocation: to the DC (Pacemaker's designated controller) if the
# guest runs elsewhere, so that (2) kills the DC too: the case with the
# most to do, the survivors elect a new DC before they can schedule
# anything
dc() { node "$ask" "crm_mon -1" | sed -n 's/.*Current DC: \([^ ]*\) .*/\1/p'; }
dc_before=$(dc)
if [ -n "$dc_before" ] && [ "$dc_before" != "$first" ]; then
	target=$dc_before
else
	target=node$(other "$first")
fi
t1=$SECONDS
check "pcs resource move web $target: runs there, answers" eval "
	node $(num "$first") 'pcs resource move web $target' &&
	until_ok 300 runs_on $target && until_ok 60 answers_from $(other "$target")"
echo "# relocation $first -> $target: $((SECONDS - t1)) s (pcs included)"
node "$ask" "pcs resource clear web" >/dev/null 2>&1

# (2) hard kill of the node running it, (3) the data
victim=$(where)
obs=$(other "$victim")
ask=$obs
dc_before=$(dc)
token=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
check "data written in the guest on $victim and synced" \
	node "$(num "$victim")" "vserver web exec sh -c 'echo $token > /data/token && sync'"
# the poller on the observer: one line per try, "up|down EPOCH" (bash's
# clock: the fewer processes, the less it slows the emulated node)
node "$obs" "setsid bash -c 'while :; do
	t=\$EPOCHREALTIME
	if [ \"\$(timeout 1 busybox wget -q -O - http://192.168.100.50/ 2>/dev/null)\" = \"hello from web\" ]
	then echo \"up \$t\"; else echo \"down \$t\"; fi
	sleep 0.2
done' > /tmp/poll.log 2>&1 < /dev/null &"
sleep 3
kill_t=$(date +%s.%N)
node_kill "$(num "$victim")" || echo "# $victim did not stop"
echo "# killed $victim (QEMU quit; $([ "$victim" = "$dc_before" ] && echo "the DC" || echo "not the DC, $dc_before was")); observing from node$obs"
# outage: the poller's last "up" before its first "down", and its first
# "up" after that
outage() {
	node "$obs" "cat /tmp/poll.log" | awk '
		$1 == "up" && !down { last = $2 }
		$1 == "down" && last { down = 1 }
		$1 == "up" && down { printf "%.1f %s %s\n", $2 - last, last, $2; found = 1; exit }
		END { if (!found) exit 1 }'
}
back() { outage >/dev/null; }
if until_ok 300 back; then
	read -r gap _ _ < <(outage)
	host_t=$(awk -v a="$(date +%s.%N)" -v b="$kill_t" 'BEGIN { printf "%.1f", a - b }')
	newhome=$(where)
	echo "# failover: the guest did not answer for $gap s (node$obs's clock: last answer before the kill to the first after, poll every 0.2 s + wget's 1 s timeout); on $newhome now; the host saw it back within $host_t s of the kill"
	ok "after the hard kill of $victim the guest answers again from node$obs (outage $gap s, on $newhome)"
else
	notok "after the hard kill of $victim the guest answers again within 300 s" \
		"$(node "$obs" 'tail -n 5 /tmp/poll.log; crm_mon -1' 2>&1)"
	newhome=$(where)
fi
# where the time went: the survivors' logs (corosync, pacemaker)
timeline() {
	node "$1" "grep -hE 'Token has not been received|A new membership|Members left|lost|will be fenced|Requesting fencing|Requesting peer fencing|Operation .reboot. .*targeting|Operation .off. .*targeting|Result of (start|stop|monitor) operation for|Initiating (start|stop|monitor) operation|throttle mode' \
		/var/log/cluster/corosync.log /var/log/pacemaker/pacemaker.log 2>/dev/null |
		sort -k3,3 | tail -n 60" 2>/dev/null | sed "s/^/# $1: /"
}
[ -z "$newhome" ] || timeline "$(num "$newhome")"
[ "node$obs" = "$newhome" ] || timeline "$obs"

check "the data written before the crash is intact on $newhome" eval "
	[ -n '$newhome' ] && [ '$newhome' != '$victim' ] &&
	[ \"\$(node $(num "${newhome:-node0}") 'vserver web exec cat /data/token')\" = $token ]"
fenced() {
	node "$obs" "stonith_admin --history $victim" 2>&1 | grep -Eq "(reboot|off) of $victim successful|$victim was able to (reboot|turn off)"
}
check "$victim was fenced (stonith_admin --history)" fenced
echo "# sbd timeouts: watchdog ${CLUSTER_SBD_WATCHDOG:-2} s, msgwait ${CLUSTER_SBD_MSGWAIT:-4} s; corosync token: default"
