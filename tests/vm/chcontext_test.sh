#!/bin/sh
# chcontext as util-vserver users know it.
. /tests/tap.sh
plan 28
tab=$(printf '\t')
tmp=$(mktemp -d)

chcontext --xid 33 -- cat /proc/self/status > $tmp/out 2> $tmp/err
check "--xid 33: says 'New security context is 33'" \
	test "$(head -n 1 $tmp/out)" = "New security context is 33"
check "--xid 33: the command runs with VxID 33" \
	grep -qx "VxID:${tab}33" $tmp/out
check "the context ended with its command" test ! -e /proc/virtual/33

chcontext -- cat /proc/self/status > $tmp/dyn
xid=$(sed -n 's/^New security context is //p' $tmp/dyn)
check "no --xid: a dynamic context ($xid)" \
	sh -c "[ '$xid' -ge 49152 ] && [ '$xid' -le 65535 ] && grep -qx 'VxID:${tab}$xid' $tmp/dyn"

chcontext --silent --xid 34 -- sleep 600 &
holder=$!
wait_for /proc/virtual/34
chcontext --xid 34 -- cat /proc/self/status > $tmp/join
check "--xid of a running context joins it" \
	sh -c "head -n 1 $tmp/join | grep -qx 'New security context is 34' && grep -qx 'VxID:${tab}34' $tmp/join"
kill $holder
wait $holder

chcontext --silent --xid 35 -- cat /proc/self/status > $tmp/silent
check "--silent prints nothing of its own" \
	sh -c "head -n 1 $tmp/silent | grep -q '^Name:'"

rc=0
chcontext --xid abc -- true > $tmp/out 2> $tmp/err || rc=$?
check "bad --xid: exit 2, a clear message, nothing created" \
	sh -c "[ $rc = 2 ] && grep -q abc $tmp/err && grep -qx '#CActive:${tab}0' /proc/virtual/status"

rc=0
chcontext --xid 36 -- /nonexistent/cmd > /dev/null 2> $tmp/err || rc=$?
check "a command that cannot run: exit 255" \
	sh -c "[ $rc = 255 ] && grep -q /nonexistent/cmd $tmp/err"
# UTS and IPC namespaces: a context has its own, joiners share them
host_name=$(hostname)
host_ipc=$(readlink /proc/self/ns/ipc)
chcontext --silent --xid 37 --hostname guest37 -- hostname > $tmp/name
check "--hostname names the context, not the host" \
	sh -c "[ \"\$(cat $tmp/name)\" = guest37 ] && [ \"\$(hostname)\" = '$host_name' ]"

chcontext --silent --xid 38 --hostname guest38 -- sleep 600 &
holder=$!
wait_exec $holder sleep
chcontext --silent --xid 38 -- sh -c 'hostname; readlink /proc/self/ns/ipc' > $tmp/join38
check "a task joining the context gets its hostname" \
	sh -c "[ \"\$(head -n 1 $tmp/join38)\" = guest38 ]"
check "... and its IPC namespace, not the host's" \
	sh -c "[ \"\$(tail -n 1 $tmp/join38)\" = \"\$(readlink /proc/$holder/ns/ipc)\" ] && [ \"\$(tail -n 1 $tmp/join38)\" != '$host_ipc' ]"
kill $holder
wait $holder

rc=0
chcontext --xid 39 --hostname "$(printf '%070d' 0)" -- true 2> $tmp/err || rc=$?
check "a hostname over 64 characters: exit 2, nothing created" \
	sh -c "[ $rc = 2 ] && grep -q 64 $tmp/err && [ ! -e /proc/virtual/39 ]"
chcontext --silent --xid 71 --flag fakeinit -- sh -c 'echo $$; cat /proc/virtual/71/info' > $tmp/fake
check "--flag fakeinit: the command is pid 1 and the context's init" \
	sh -c "[ \"\$(head -n 1 $tmp/fake)\" = 1 ] && grep -q '^Init:${tab}[1-9]' $tmp/fake"

rc=0
chcontext --xid 72 --flag nosuchflag -- true 2> $tmp/err || rc=$?
check "an unknown --flag: exit 2, named, nothing created" \
	sh -c "[ $rc = 2 ] && grep -q nosuchflag $tmp/err && [ ! -e /proc/virtual/72 ]"

# fakeinit: a mount namespace of its own with a proc of the PID namespace
chcontext --silent --xid 73 --flag fakeinit -- sh -c 'cat /proc/1/comm; ls /proc | grep -c "^[0-9]"' > $tmp/fakeproc
check "--flag fakeinit: /proc/1 is the command, /proc shows $(tail -n 1 $tmp/fakeproc) pids, not the host's" \
	sh -c "[ \"\$(head -n 1 $tmp/fakeproc)\" = sh ] && [ \"\$(tail -n 1 $tmp/fakeproc)\" -le 4 ] &&
	       [ \"\$(ls /proc | grep -c '^[0-9]')\" -gt 10 ]"

chcontext --silent --xid 74 --flag fakeinit -- sh -c 'sleep 600 & echo $!; ps -o pid,comm; kill $!' > $tmp/ps
bg=$(head -n 1 $tmp/ps)
check "--flag fakeinit: ps inside lists the context's tasks, pid 1 first" \
	sh -c "[ \"\$(sed -n '3p' $tmp/ps | awk '{print \$1, \$2}')\" = '1 sh' ] &&
	       awk 'NR > 3 {print \$1}' $tmp/ps | grep -qx '$bg' &&
	       [ \$(awk 'NR > 2' $tmp/ps | wc -l) -le 4 ] && [ \$(awk 'NR > 2 && \$1 > 10' $tmp/ps | wc -l) = 0 ]"

# With / shared, a proc mounted in a copied namespace would show on the
# host too; fakeinit's comes in a namespace whose mounts are slaves.
unshare -m sh -c "mount --make-rshared / && grep -c . /proc/self/mountinfo &&
	chcontext --silent --xid 75 --flag fakeinit -- grep -c . /proc/self/mountinfo &&
	grep -c . /proc/self/mountinfo" > $tmp/mounts
before=$(sed -n 1p $tmp/mounts) inside=$(sed -n 2p $tmp/mounts) after=$(sed -n 3p $tmp/mounts)
check "--flag fakeinit: one mount more inside ($inside), none on the host ($before before, $after after)" \
	sh -c "[ -n '$before' ] && [ '$after' = '$before' ] && [ '$inside' = \$(($before + 1)) ]"

# No /proc directory to mount on: a chroot with the tool and busybox only
mkdir -p $tmp/root/bin $tmp/root/dev
cp /bin/busybox $(command -v chcontext) $tmp/root/bin/
cp -a /dev/vserver $tmp/root/dev/
rc=0
unshare -m sh -c "mount --bind $tmp/root $tmp/root &&
	exec chroot $tmp/root /bin/chcontext --xid 76 --flag fakeinit -- /bin/busybox true" \
	> $tmp/out 2> $tmp/err || rc=$?
check "--flag fakeinit without a /proc: exit 1, says why, no context left" \
	sh -c "[ $rc = 1 ] && grep -q 'chcontext: mount -t proc proc /proc: No such file' $tmp/err &&
	       [ ! -e /proc/virtual/76 ]"

# --disconnect: back at once; the command goes on in a new session
bg_sleep='echo $$ > $0.t && mv $0.t $0 && exec sleep 600'
rc=0
timeout 10 chcontext --disconnect --xid 77 -- sh -c "$bg_sleep" $tmp/pid77 > $tmp/out77 2> $tmp/err77 || rc=$?
check "--disconnect: exit 0 at once" test $rc = 0
wait_for $tmp/pid77
pid=$(cat $tmp/pid77)
check "--disconnect: the command runs on in context 77, in a session of its own" \
	in_new_session $pid 77
check "--disconnect: still says 'New security context is 77'" \
	sh -c "[ \"\$(cat $tmp/out77)\" = 'New security context is 77' ] && [ ! -s $tmp/err77 ]"
kill $pid
check "... and the context ends with it" wait_gone /proc/virtual/77

rc=0
timeout 10 chcontext --disconnect --silent --xid 78 -- sh -c "$bg_sleep" $tmp/pid78 > $tmp/out78 2> $tmp/err78 || rc=$?
wait_for $tmp/pid78
pid=$(cat $tmp/pid78)
silent_detached() {
	[ $rc = 0 ] && [ ! -s $tmp/out78 ] && [ ! -s $tmp/err78 ] && in_new_session $pid 78
}
check "--disconnect --silent: exit 0, nothing printed, the command runs on in 78" \
	silent_detached
kill $pid
wait_gone /proc/virtual/78

rc=0
timeout 10 chcontext --disconnect --xid abc -- true > $tmp/out 2> $tmp/err || rc=$?
check "--disconnect with a bad --xid: exit 2 before forking, nothing created" \
	sh -c "[ $rc = 2 ] && grep -q abc $tmp/err && grep -qx '#CActive:${tab}0' /proc/virtual/status"
chcontext --silent --xid 36 -- sh -c 'cat /proc/virtual/36/status' > $tmp/out
check "a context chcontext made has ended its setup (Flags without state_setup)" \
	grep -qx "Flags:${tab}0000000600000000" $tmp/out
rc=0
chcontext --silent --xid 37 -- vattribute --set --flag persistent 2> $tmp/err || rc=$?
check "so its tasks cannot change it" \
	sh -c "[ $rc = 1 ] && grep -q 'set_cflags(37): Operation not permitted' $tmp/err"
chcontext --silent --xid 38 --secure --cap net_raw,'!chown' -- sh -c 'grep CapBnd /proc/self/status; cat /proc/virtual/38/status' > $tmp/out
check "--secure --cap net_raw,!chown: that bounding set, in the kernel and the task" \
	sh -c "grep -qx 'CapBnd:${tab}00000000b00425fa' $tmp/out && grep -qx 'BCaps:${tab}00000000b00425fa' $tmp/out"
rc=0
chcontext --silent --xid 39 --cap bogus -- true 2> $tmp/err || rc=$?
check "--cap with an unknown name: exit 2, nothing created" \
	sh -c "[ $rc = 2 ] && grep -q \"unknown capability 'bogus'\" $tmp/err && [ ! -e /proc/virtual/39 ]"
rm -rf $tmp
