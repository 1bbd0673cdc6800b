#!/bin/sh
# vserver: a guest built from a tarball of a tiny busybox root, with an
# address on a dummy device; started, seen by status, vserver-stat and
# vps, entered with exec, stopped (no task, no address, no mount left),
# restarted; a broken configuration line or a missing init starts
# nothing and leaves nothing behind.  xids 170-179, 10.79.0.0/24.
. /tests/tap.sh
plan 33
tmp=$(mktemp -d)
export VSERVER_CONFDIR=$tmp/etc
root=/scratch/vserver-test
cfg=$VSERVER_CONFDIR/vs1
mkdir -p $VSERVER_CONFDIR

# tasks XID: how many processes (zombies aside) are in context XID
tasks() {
	n=0
	for f in /proc/[0-9]*/status; do
		grep -q "^VxID:[[:space:]]*$1\$" $f 2>/dev/null &&
			! grep -q '^State:[[:space:]]*Z' $f 2>/dev/null && n=$((n + 1))
	done
	echo $n
}
has_addr() { ip addr show dev vsv0 | grep -q "inet $1/"; }
# nothing_left: no context 170, no task of it, no guest address on vsv0,
# no mount of the guest on the host
nothing_left() {
	[ ! -d /proc/virtual/170 ] && [ "$(tasks 170)" = 0 ] && ! has_addr 10.79.0.5 &&
		! grep -q " $root/vs1" /proc/mounts
}
running_at_170() {
	vserver vs1 status > $tmp/status
	[ $? = 0 ] && grep -qx "Vserver 'vs1' is running at context '170'" $tmp/status
}

ip link add vsv0 type dummy
ip link set vsv0 up

# A tiny root: busybox, a few applets, an init that sleeps.
img=$tmp/img
mkdir -p $img/bin $img/sbin $img/etc $img/tmp
cp /bin/busybox $img/bin/busybox
for applet in sh sleep cat hostname ls echo grep; do
	ln -s busybox $img/bin/$applet
done
printf '#!/bin/sh\necho started > /tmp/init-ran\nexec sleep 100000\n' > $img/sbin/init
chmod 755 $img/sbin/init
echo "root:x:0:0:root:/root:/bin/sh" > $img/etc/passwd
echo "guest-only" > $img/etc/marker
(cd $img && tar -cf $tmp/root.tar .)

run vserver vs1 build -m template -t $tmp/root.tar --context 170 --hostname vs1.test \
	--interface vsv0:10.79.0.5/24 --flags virt_uptime --initstyle plain --rootdir $root
check "build -m template: exit 0" test $rc = 0
built() {
	[ "$(cat $cfg/context)" = 170 ] && [ "$(cat $cfg/uts/nodename)" = vs1.test ] &&
		[ "$(cat $cfg/interfaces/0/ip)" = 10.79.0.5 ] &&
		[ "$(cat $cfg/interfaces/0/dev)" = vsv0 ] && [ "$(cat $cfg/cflags)" = virt_uptime ] &&
		[ "$(cat $cfg/apps/init/style)" = plain ] &&
		[ "$(readlink $cfg/vdir)" = $root/vs1 ]
}
check "... writes util-vserver's configuration tree" built
check "... unpacks the tarball into the root, with dev/null" \
	sh -c "[ -x $root/vs1/sbin/init ] && [ -c $root/vs1/dev/null ]"
check "... puts the barrier on the root's parent" sh -c "showattr -d $root | grep -q '^----B'"
run vserver vs1 build -m skeleton --rootdir $root
check "build again without --force: refused, exit 1" \
	sh -c "[ $rc = 1 ] && grep -q 'exists already' $tmp/err && [ \"\$(cat $cfg/context)\" = 170 ]"

run vserver vs1 status
check "status of the built guest: stopped, exit 3" \
	sh -c "[ $rc = 3 ] && [ \"\$(cat $tmp/out)\" = \"Vserver 'vs1' is stopped\" ]"

run vserver vs1 start
check "start: exit 0" test $rc = 0
[ $rc = 0 ] || sed 's/^/# /' $tmp/err
check "status: running at context 170, exit 0" running_at_170
check "running: exit 0" vserver vs1 running
check "the context is in /proc/virtual" test -d /proc/virtual/170
check "its init runs in it" test "$(tasks 170)" -ge 1
check "vserver-stat lists it by name" \
	sh -c "vserver-stat | awk '\$1 == 170 && \$NF == \"vs1\"' | grep -q ."
check "vps shows its init as xid 170, vs1" \
	sh -c "vps | awk '\$2 == 170 && \$3 == \"vs1\"' | grep -q ."
check "its address is on vsv0" has_addr 10.79.0.5

run vserver vs1 exec hostname
check "exec: the guest's hostname" sh -c "[ $rc = 0 ] && [ \"\$(cat $tmp/out)\" = vs1.test ]"
run vserver vs1 exec cat /etc/marker
check "exec: in the guest's root" sh -c "[ $rc = 0 ] && [ \"\$(cat $tmp/out)\" = guest-only ]"
run vserver vs1 exec sh -c 'grep VxID /proc/self/status'
check "exec: in context 170" grep -q "VxID:[[:space:]]*170" $tmp/out
run vserver vs1 start
again() { [ $rc = 0 ] && err_has "already running" && running_at_170; }
check "start of a running guest: exit 0, said, still running" again

run vserver vs1 stop
check "stop: exit 0" test $rc = 0
check "... no context, no task, no address, no mount left" nothing_left
run vserver vs1 status
check "status: stopped, exit 3" sh -c "[ $rc = 3 ] && grep -qx \"Vserver 'vs1' is stopped\" $tmp/out"
run vserver vs1 running
check "running: exit 1" test $rc = 1
run vserver vs1 stop
check "stop of a stopped guest: exit 0, said" sh -c "[ $rc = 0 ] && grep -q 'is not running' $tmp/err"

run vserver vs1 restart
restarted() { [ $rc = 0 ] && running_at_170; }
check "restart of a stopped guest starts it" restarted
run vserver vs1 restart
check "restart of the running guest: exit 0, running again" restarted
vserver vs1 stop

# A broken line: nothing is started.
echo bogus_flag >> $cfg/cflags
run vserver vs1 start
check "a broken cflags line: start fails, exit 1" test $rc = 1
check "... the message names FILE:LINE" err_has "$cfg/cflags:2: unknown flag 'bogus_flag'"
check "... nothing left (no context, no address)" nothing_left
echo virt_uptime > $cfg/cflags

# An init that is not there: what was done is taken back.
echo /sbin/nosuch > $cfg/apps/init/cmd.start
run vserver vs1 start
check "a missing init: start fails, exit 1" test $rc = 1
check "... says why" err_has "/sbin/nosuch (in the guest): No such file or directory"
check "... nothing left (the context killed, the address removed)" nothing_left
rm $cfg/apps/init/cmd.start

run vserver --silent vs1 delete
check "delete: exit 0, root and configuration gone" \
	sh -c "[ $rc = 0 ] && [ ! -e $root/vs1 ] && [ ! -e $cfg ]"
run vserver vs1 status
check "status of a deleted guest: exit 5" test $rc = 5

ip link del vsv0
rm -rf $tmp $root
