#!/usr/bin/env bash
# The OCF agent against a real guest: boots one Debian 12 node of
# scripts/cluster-image (our kernel, module and tools, resource-agents'
# ocf-tester, no cluster stack) and runs tests/cluster/ocf_node.sh on it.
# TAP on stdout; exit 0 when every check passed.
#
#   tests/cluster/ocf_test.sh
#
# Needs root, QEMU, debootstrap and `make kmod userspace` (see
# Documentation/cluster.md, "The tests").  CLUSTER_KEEP=1 keeps the work
# directory with the node's console log.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../scripts/lib.sh"
source "$here/../../scripts/cluster-lib.sh"
set +e

trap cluster_teardown EXIT
t0=$SECONDS
cluster_setup 1 0
msg "node up after $((SECONDS - t0)) s"
rc=0
cat "$here/guest.sh" "$here/ocf_node.sh" | node_script 1 | tee "$CLUSTER_WORK/ocf.tap" || rc=$?
summary=$(grep -c '^ok ' "$CLUSTER_WORK/ocf.tap")
bad=$(grep -c '^not ok ' "$CLUSTER_WORK/ocf.tap")
echo "ocf_test: $summary passed, $bad failed"
[ "$rc" = 0 ] && [ "$bad" = 0 ] && [ "$summary" -gt 0 ]
