#!/bin/sh
# vtop: top across contexts, as the spectator, sorted and filtered by context.
. /tests/tap.sh
plan 10
tmp=$(mktemp -d)

chcontext --silent --xid 60 -- sh -c 'while :; do :; done' &
loop=$!
wait_for /proc/virtual/60
wait_exec $loop sh
rc=0
vtop -b -n 1 -d 0.5 --xid 60 > $tmp/out || rc=$?
check "vtop -b -n 1 --xid 60 runs (exit $rc): one frame, 1 context, 1 task" \
	sh -c "[ $rc = 0 ] && [ \$(grep -c '^vtop - up' $tmp/out) = 1 ] && grep -q '^vtop - up .*, 1 context, 1 task, ' $tmp/out"
check "the summary shows context 60: no name, 1 task, non-zero %CPU" \
	sh -c "awk '\$1 == 60 && \$2 == \"-\" && \$3 == 1 && \$4 > 0' $tmp/out | grep -q ."
check "the busy loop's row: PID, CTX 60, non-zero %CPU, COMMAND sh" \
	sh -c "awk -v p=$loop '\$1 == p && \$2 == 60 && \$3 == \"-\" && \$4 > 0 && \$6 == \"sh\"' $tmp/out | grep -q ."
check "--xid 60 shows no task of another context" \
	sh -c "! awk '/^ *PID CTX/ { t = 1; next } t && \$2 != 60' $tmp/out | grep -q ."

vtop -b -n 1 -d 0.5 > $tmp/all
check "without --xid, sorted by %CPU: the busy loop first, vtop itself in context 1" \
	sh -c "awk '/^ *PID CTX/ { getline; print \$1; exit }' $tmp/all | grep -qx $loop && awk '\$2 == 1 && \$NF == \"vtop\"' $tmp/all | grep -q ."
vtop -b -n 1 -d 0.2 --sort pid > $tmp/pid
vtop -b -n 1 -d 0.2 --sort ctx > $tmp/ctx
check "--sort pid ascends by PID, --sort ctx by CTX" \
	sh -c "awk '/^ *PID CTX/ { t = 1; next } t { if (n++ && \$1 <= last) bad = 1; last = \$1 } END { exit bad || !n }' $tmp/pid &&
	       awk '/^ *PID CTX/ { t = 1; next } t { if (n++ && \$2 < last) bad = 1; last = \$2 } END { exit bad || !n }' $tmp/ctx"

vtop -b -n 2 -d 0.2 --xid 60 > $tmp/two
check "-n 2 prints two frames" sh -c "[ \$(grep -c '^vtop - up' $tmp/two) = 2 ]"
vtop --json -n 1 -d 0.2 --xid 60 > $tmp/json
check "--json: one line holding context 60 and the loop" \
	sh -c "[ \$(wc -l < $tmp/json) = 1 ] && grep -q '\"xid\":60,' $tmp/json && grep -q '\"pid\":$loop,' $tmp/json"

rc=0
vtop -b -n 1 --xid no-such-vserver > /dev/null 2>&1 || rc=$?
check "a bad --xid is a usage error (exit $rc)" [ $rc = 2 ]
rc=0
vtop -b --sort size > /dev/null 2>&1 || rc=$?
check "a bad --sort is a usage error (exit $rc)" [ $rc = 2 ]

vkill --xid 60 -s KILL
wait $loop
rm -rf $tmp
