#!/usr/bin/env bash
# The OCF agent ocf:vserver-ng:vserver without a kernel (TAP; ctest's
# ocf_agent): its meta-data, the checks of its parameters and its exit
# codes on a machine that cannot run a guest (no /dev/vserver).  The runs
# against real guests are tests/cluster/ocf_test.sh (ocf-tester) and
# tests/cluster/failover_test.sh (Pacemaker).
#
#   ocf-agent_test.sh PATH/TO/userspace/ocf/vserver TOOLDIR
#
# TOOLDIR holds the built vserver, vserver-netif and vkill; it goes first
# in the agent's PATH.
set -u

if [ $# -ne 2 ] || [ ! -x "$1" ] || [ ! -x "$2/vserver" ]; then
	echo "usage: $0 PATH/TO/ocf/vserver TOOLDIR" >&2
	exit 2
fi
agent=$1
tools=$(cd "$2" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ocf-agent-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/tap.sh"

# ra ACTION [VAR=VALUE...]: run the agent with only the given OCF
# variables; $rc, $tmp/out, $tmp/err
ra() {
	local action=$1
	shift
	rc=0
	env -i PATH="$tools:/usr/sbin:/usr/bin:/sbin:/bin" OCF_ROOT=/usr/lib/ocf "$@" \
		"$agent" "$action" > "$tmp/out" 2> "$tmp/err" || rc=$?
}
is() { [ "$rc" = "$1" ]; }
err_has() { grep -qF -- "$1" "$tmp/err"; }

echo "TAP version 13"
echo "1..21"

ra meta-data
check "meta-data: exit 0" is 0
cp "$tmp/out" "$tmp/meta.xml"
if command -v xmllint >/dev/null; then
	check "... well-formed XML (xmllint)" xmllint --noout "$tmp/meta.xml"
else
	skip "... well-formed XML (xmllint)" "xmllint missing (libxml2-utils)"
fi
# xpath EXPR: the string value of EXPR in the meta-data
xpath() { xmllint --xpath "$1" "$tmp/meta.xml" 2>/dev/null; }
params() {
	[ "$(xpath 'string(/resource-agent/version)')" = 1.1 ] &&
	[ "$(xpath 'string(//parameter[@name="name"]/@required)')" = 1 ] &&
	[ "$(xpath 'string(//parameter[@name="name"]/@unique)')" = 1 ] &&
	[ "$(xpath 'count(//parameter)')" = 4 ] &&
	[ "$(xpath 'string(//parameter[@name="confdir"]/content/@default)')" = /etc/vservers ] &&
	[ "$(xpath 'string(//parameter[@name="stop_timeout"]/content/@type)')" = integer ] &&
	[ "$(xpath 'count(//parameter[@name="monitor_cmd"])')" = 1 ]
}
if command -v xmllint >/dev/null; then
	check "... OCF 1.1; name required and unique; confdir, monitor_cmd, stop_timeout" params
	actions() {
		local a
		for a in start stop meta-data validate-all; do
			[ "$(xpath "count(//actions/action[@name='$a'])")" = 1 ] || return 1
		done
		[ "$(xpath 'count(//action[@name="monitor"][@depth="0"])')" = 1 ] &&
		[ "$(xpath 'count(//action[@name="monitor"][@depth="10"])')" = 1 ]
	}
	check "... actions start, stop, monitor (depth 0 and 10), meta-data, validate-all" actions
else
	skip "... parameters" "xmllint missing (libxml2-utils)"
	skip "... actions" "xmllint missing (libxml2-utils)"
fi

# bad parameters: 6 (not configured), whatever the node has
ra validate-all
check "validate-all without name: 6, says name is required" \
	eval 'is 6 && err_has "parameter '\''name'\'' is required"'
ra validate-all OCF_RESKEY_name=../web
check "name ../web: 6" is 6
ra validate-all OCF_RESKEY_name=web OCF_RESKEY_stop_timeout=soon
check "stop_timeout soon: 6, names it" eval 'is 6 && err_has "stop_timeout '\''soon'\''"'
ra validate-all OCF_RESKEY_name=web OCF_RESKEY_stop_timeout=0
check "stop_timeout 0: 6" is 6
ra validate-all OCF_RESKEY_name=web OCF_RESKEY_confdir=etc/vservers
check "relative confdir: 6" is 6
ra monitor OCF_RESKEY_name=web OCF_CHECK_LEVEL=deep
check "monitor with OCF_CHECK_LEVEL deep: 6" is 6
ra monitor
check "probe without name: 6 (a configuration error, not 'not running')" is 6

# a node that cannot run guests
ra validate-all OCF_RESKEY_name=web VSERVER_OCF_TOOL=/nonexistent/vserver
check "validate-all without the vserver tool: 5 (not installed)" \
	eval 'is 5 && err_has "/nonexistent/vserver is not installed"'
if [ -e /dev/vserver ]; then
	for d in "validate-all without /dev/vserver: 5" "probe: 7" \
		"recurring monitor: 5" "start: 5" "stop: 0" "stop twice: 0"; do
		skip "$d" "this machine has /dev/vserver"
	done
else
	ra validate-all OCF_RESKEY_name=web
	check "validate-all without /dev/vserver: 5, says modprobe vserver" \
		eval 'is 5 && err_has "modprobe vserver"'
	ra monitor OCF_RESKEY_name=web
	check "probe (monitor, interval 0) without the module: 7 (not running)" is 7
	ra monitor OCF_RESKEY_name=web OCF_RESKEY_CRM_meta_interval=10000
	check "recurring monitor without the module: 5" is 5
	ra start OCF_RESKEY_name=web
	check "start without the module: 5" is 5
	ra stop OCF_RESKEY_name=web
	check "stop without the module: 0 (nothing runs)" is 0
	ra stop OCF_RESKEY_name=web
	check "stop again: 0" is 0
fi

ra reload OCF_RESKEY_name=web
check "an action it does not have (reload): 3 (unimplemented)" is 3
rc=0
env -i PATH=/usr/bin:/bin "$agent" > "$tmp/out" 2> "$tmp/err" || rc=$?
check "no action: 2 (bad arguments), usage on stderr" eval 'is 2 && err_has usage'
rc=0
env -i PATH=/usr/bin:/bin "$agent" start stop > "$tmp/out" 2> "$tmp/err" || rc=$?
check "two actions: 2" is 2

echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$n" = 21 ]
