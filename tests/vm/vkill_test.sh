#!/bin/sh
# vkill: signals reach the tasks of a context, by xid, by pid, by name.
. /tests/tap.sh
plan 6
tmp=$(mktemp -d)

chcontext --silent --xid 50 -- sleep 600 &
holder=$!
wait_for /proc/virtual/50
vkill --xid 50
rc=0
wait $holder || rc=$?
check "--xid 50: its sleep ends by SIGTERM (status $rc)" test $rc = 143
check "the context ended with its last task" test ! -e /proc/virtual/50

chcontext --silent --xid 51 -- sleep 600 &
holder=$!
wait_for /proc/virtual/51
vkill -s KILL $holder
rc=0
wait $holder || rc=$?
check "-s KILL PID, no --xid: the task gets SIGKILL in its context (status $rc)" \
	test $rc = 137

mkdir -p /etc/vservers/vkill-test
echo 52 > /etc/vservers/vkill-test/context
chcontext --silent --xid 52 -- sleep 600 &
holder=$!
wait_for /proc/virtual/52
vkill -c vkill-test -s sighup
rc=0
wait $holder || rc=$?
check "-c NAME resolves /etc/vservers/NAME/context; -s sighup (status $rc)" test $rc = 129
rm -rf /etc/vservers/vkill-test

chcontext --silent --xid 53 -- sleep 600 &
a=$!
chcontext --silent --xid 54 -- sleep 600 &
b=$!
wait_for /proc/virtual/53
wait_for /proc/virtual/54
rc=0
vkill --xid 53 -s 9 -- $b 2> $tmp/err || rc=$?
check "--xid 53 with a pid of context 54: exit 1, that task lives" \
	sh -c "[ $rc = 1 ] && grep -q 'pid $b: ctx_kill(53)' $tmp/err && kill -0 $b"
vkill --xid 53 -s 9
vkill --xid 54 -s 9
wait $a
wait $b

rc1=0
vkill > /dev/null 2> $tmp/err1 || rc1=$?
rc2=0
vkill -s BOGUS 1 > /dev/null 2> $tmp/err2 || rc2=$?
check "no PID and no --xid, or a bad signal: exit 2 with a message" \
	sh -c "[ $rc1 = 2 ] && grep -q 'No pid specified' $tmp/err1 && [ $rc2 = 2 ] && grep -q BOGUS $tmp/err2"
rm -rf $tmp
