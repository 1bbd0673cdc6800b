#!/bin/sh
# vps: ps of every context with a context column after PID.
. /tests/tap.sh
plan 5
tmp=$(mktemp -d)

chcontext --silent --xid 95 -- sleep 600 &
holder=$!
wait_for /proc/virtual/95
rc=0
vps > $tmp/out || rc=$?
check "vps runs ps (exit $rc) and puts CTX NAME after PID in the header" \
	sh -c "[ $rc = 0 ] && head -n 1 $tmp/out | grep -q 'PID *CTX NAME'"
check "the sleep of context 95 shows xid 95, no name" \
	sh -c "awk -v p=$holder '\$1 == p && \$2 == 95 && \$3 == \"-\"' $tmp/out | grep -q ."
check "the host's init shows xid 0, MAIN" \
	sh -c "awk '\$1 == 1 && \$2 == 0 && \$3 == \"MAIN\"' $tmp/out | grep -q ."
check "vps itself runs as the spectator: xid 1, ALL_PROC" \
	sh -c "awk '\$2 == 1 && \$3 == \"ALL_PROC\" && /vps/' $tmp/out | grep -q ."

vps -o pid,comm > $tmp/out
check "PS-ARGS go to ps: -o pid,comm" \
	sh -c "head -n 1 $tmp/out | grep -q 'PID *CTX NAME *COMMAND' && awk -v p=$holder '\$1 == p && \$2 == 95 && \$4 == \"sleep\"' $tmp/out | grep -q ."
kill $holder
wait $holder
rm -rf $tmp
