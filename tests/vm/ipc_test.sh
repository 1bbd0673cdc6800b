#!/bin/sh
# SysV IPC objects are per context: chcontext gives each context its own
# IPC namespace, and a task joining a context shares it.
. /tests/tap.sh
plan 6

# Without contexts, one process sees what another made: the "attack".
ipcobj create 0x5151
rc=0; ipcobj find 0x5151 || rc=$?
check "on the host, another process finds shm, sem and msg of key 0x5151" \
	test $rc = 0
ipcobj remove 0x5151

chcontext --silent --xid 90 -- sh -c 'ipcobj create 0x5150 && exec sleep 600' &
holder=$!
wait_for /proc/virtual/90
i=0
until chcontext --silent --xid 90 -- ipcobj find 0x5150 || [ $i -ge 100 ]; do
	usleep 20000; i=$((i + 1))
done

rc=0; chcontext --silent --xid 90 -- ipcobj find 0x5150 || rc=$?
check "a task joining context 90 finds its three objects" test $rc = 0
rc=0; chcontext --silent --xid 91 -- ipcobj find 0x5150 || rc=$?
check "context 91 finds none of them" test $rc = 1
rc=0; ipcobj find 0x5150 || rc=$?
check "the host finds none of them" test $rc = 1
rc=0; chcontext --silent --xid 91 -- sh -c 'ipcobj create 0x5150 && ipcobj find 0x5150' || rc=$?
check "context 91 makes its own objects under the same key" test $rc = 0

kill $holder
wait $holder
rc=0; chcontext --silent --xid 90 -- ipcobj find 0x5150 || rc=$?
check "a new context 90 starts with no objects" test $rc = 1
