#!/bin/sh
# vserver-stat: the running contexts, as util-vserver lists them.
. /tests/tap.sh
plan 5
tmp=$(mktemp -d)

chcontext --silent --xid 90 -- sleep 600 &
holder=$!
wait_for /proc/virtual/90
vserver-stat > $tmp/out
check "the header is util-vserver's" \
	test "$(head -n 1 $tmp/out)" = "CTX   PROC    VSZ    RSS  userTIME   sysTIME    UPTIME NAME"
check "the host: xid 0, 'root server', its processes" \
	sh -c "awk '\$1 == 0 && \$2 > 1 && / root server\$/' $tmp/out | grep -q ."
check "context 90: one process, no name" \
	sh -c "awk '\$1 == 90 && \$2 == 1 && \$NF == \"-\"' $tmp/out | grep -q ."

vserver-stat --json > $tmp/json
check "--json: an object for context 90 with one process" \
	sh -c "tr -d ' \n' < $tmp/json | grep -q '{\"xid\":90,\"name\":null,\"processes\":1,\"vsz\":[1-9]'"

kill $holder
wait $holder
vserver-stat > $tmp/out
check "once its task is gone, context 90 is not listed" \
	sh -c "! awk '\$1 == 90' $tmp/out | grep -q ."
rm -rf $tmp
