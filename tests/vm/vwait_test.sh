#!/bin/sh
# vwait: waits for a context to end and says how it ended.
. /tests/tap.sh
plan 6
tmp=$(mktemp -d)

# blocked PID: until the task sleeps (vwait inside wait_exit)
blocked() {
	i=0
	while [ "$(sed 's/.*) //' /proc/$1/stat | cut -d' ' -f1)" != S ] && [ $i -lt 2000 ]; do
		usleep 1000
		i=$((i + 1))
	done
	usleep 100000
}

chcontext --silent --xid 60 -- sh -c "while [ ! -e $tmp/go ]; do usleep 10000; done; exit 3" &
holder=$!
wait_for /proc/virtual/60
vwait --status-fd 3 60 3> $tmp/status &
waiter=$!
blocked $waiter
touch $tmp/go
rc=0
wait $waiter || rc=$?
check "FINISHED with the exit status of the context's last task, exit 0" \
	sh -c "[ $rc = 0 ] && [ \"\$(cat $tmp/status)\" = 'FINISHED 3' ]"
wait $holder

chcontext --silent --xid 61 -- sleep 600 &
holder=$!
wait_for /proc/virtual/61
vwait --status-fd 3 -- 61 3> $tmp/status &
waiter=$!
blocked $waiter
kill $holder
rc=0
wait $waiter || rc=$?
check "a task ended by SIGTERM: FINISHED 143" \
	sh -c "[ $rc = 0 ] && [ \"\$(cat $tmp/status)\" = 'FINISHED 143' ]"
wait $holder

chcontext --silent --xid 62 -- sleep 600 &
holder=$!
wait_for /proc/virtual/62
rc=0
vwait --timeout 1 --status-fd 3 62 3> $tmp/status || rc=$?
check "--timeout 1 on a running context: TIMEOUT, exit 2, it still runs" \
	sh -c "[ $rc = 2 ] && [ \"\$(cat $tmp/status)\" = TIMEOUT ] && [ -e /proc/virtual/62 ]"

rc=0
vwait --timeout 1 --terminate --status-fd 3 62 3> $tmp/status || rc=$?
hrc=0
wait $holder || hrc=$?
check "--terminate: KILLED, exit 1, its task got SIGKILL ($hrc)" \
	sh -c "[ $rc = 1 ] && [ \"\$(cat $tmp/status)\" = KILLED ] && [ $hrc = 137 ] && [ ! -e /proc/virtual/62 ]"

rc=0
vwait --status-fd 3 63 3> $tmp/status 2> $tmp/err || rc=$?
check "no such context: ERROR 3 (ESRCH), exit 127" \
	sh -c "[ $rc = 127 ] && [ \"\$(cat $tmp/status)\" = 'ERROR 3' ] && grep -q 'context 63' $tmp/err"

rc1=0
vwait > /dev/null 2>&1 || rc1=$?
rc2=0
vwait --status-fd 9 63 2> $tmp/err || rc2=$?
check "no XID, or a closed --status-fd: exit 2" \
	sh -c "[ $rc1 = 2 ] && [ $rc2 = 2 ] && grep -q 'status-fd 9' $tmp/err"
rm -rf $tmp
