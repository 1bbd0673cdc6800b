#!/bin/sh
# util-vserver's secure defaults (chcontext --secure): root of the guest
# still installs packages and runs services, and cannot touch the machine.
# Each thing it must not do is first done by root on the host (so the
# test can fail), then refused in the context.
. /tests/tap.sh
plan 18
tmp=$(mktemp -d /scratch/secure-XXXXXX)
xid=120

# guest CMD...: run CMD as root of a fresh --secure context; its status
guest() {
	xid=$((xid + 1))
	chcontext --silent --xid $xid --secure -- "$@"
}
# ok_if STATUS: for check
ok_if() { [ "$1" = 0 ]; }
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1"; }

# --- what root of the guest still does ---------------------------------
guest sh -c "
	mkdir -p $tmp/pkg/usr/bin $tmp/pkg/var/lib/svc &&
	echo '#!/bin/sh' > $tmp/pkg/usr/bin/tool &&
	chown 65534:65534 $tmp/pkg/var/lib/svc $tmp/pkg/usr/bin/tool &&
	chmod 4755 $tmp/pkg/usr/bin/tool"
check "a package unpacks: owners and a setuid mode on a file it does not own (chown, fowner)" \
	test "$(stat -c '%u:%g' $tmp/pkg/var/lib/svc) $(stat -c '%u %a' $tmp/pkg/usr/bin/tool)" = \
	     "65534:65534 65534 4755"

echo secret > $tmp/private
chown 65534 $tmp/private
chmod 600 $tmp/private
guest sh -c "cat $tmp/private > /dev/null && echo more >> $tmp/private"
check "it reads and writes files of other users (dac_override)" ok_if $?

check "it becomes another user (setuid, setgid)" \
	test "$(guest su -s /bin/sh nobody -c 'id -u')" = 65534

mkdir -p $tmp/www
echo hello > $tmp/www/index.html
guest sh -c "
	httpd -p 80 -u nobody -h $tmp/www
	sleep 1
	wget -q -O $tmp/got http://127.0.0.1:80/index.html
	ps -o user,comm | grep -q '^nobody *httpd' && touch $tmp/as-nobody
	killall httpd"
check "a service binds port 80, runs as nobody (net_bind_service); root stops it (kill)" \
	sh -c "[ \"\$(cat $tmp/got 2>/dev/null)\" = hello ] && [ -e $tmp/as-nobody ] && ! pidof httpd"

# --- what it cannot do: the host can, the guest not ----------------------
# (busybox date -s says "can't set date" but exits 0)
now=$(date +%Y.%m.%d-%H:%M:%S)
date -s "$now" 2>&1 > /dev/null | grep -q "can't set"
check "the host root sets the clock" test $? != 0
guest date -s "$now" 2>&1 > /dev/null | grep -q "can't set date: Operation not permitted"
check "the guest root does not (sys_time)" ok_if $?

mknod $tmp/blk b 254 0 && rm $tmp/blk
check "the host root makes a block device node" ok_if $?
rc=0
guest mknod $tmp/blk b 254 0 2>/dev/null && rc=1
guest mknod $tmp/chr c 1 3 2>/dev/null && rc=1
check "the guest root does not, nor any device node (mknod)" \
	sh -c "[ $rc = 0 ] && [ ! -e $tmp/blk ] && [ ! -e $tmp/chr ]"

mkdir $tmp/mnt
mount -t tmpfs none $tmp/mnt && umount $tmp/mnt
check "the host root mounts a filesystem" ok_if $?
guest mount -t tmpfs none $tmp/mnt 2>/dev/null
check "the guest root does not (sys_admin)" \
	sh -c "[ $? != 0 ] && ! grep -q ' $tmp/mnt ' /proc/mounts"

sh -c "ulimit -Sn 128 && ulimit -Hn 256 && ulimit -Hn 1024"
check "the host root raises a hard limit again" ok_if $?
guest sh -c "ulimit -Sn 128 && ulimit -Hn 256 && ulimit -Hn 1024" 2> $tmp/err
check "the guest root does not (sys_resource)" \
	sh -c "[ $? != 0 ] && grep -q 'Operation not permitted' $tmp/err"

# another context: the host changes it, the guest root cannot
vcontext --create --silent --xid 150 -- sleep 600 &
holder=$!
wait_for /proc/virtual/150
vattribute --xid 150 --set --flag persistent
check "the host root changes another context" \
	sh -c "vattribute --xid 150 --get | grep -q persistent"
guest vattribute --xid 150 --set --flag '~persistent' 2>/dev/null
check "the guest root does not" \
	sh -c "[ $? != 0 ] && vattribute --xid 150 --get | grep -q persistent"
vattribute --xid 150 --set --flag '~persistent'
kill $holder

# the machine's memory: /dev/mem (Linux has had no /dev/kmem since 5.13)
if [ -c /dev/mem ]; then
	dd if=/dev/mem of=/dev/null bs=16 count=1 2>/dev/null
	check "the host root reads /dev/mem" ok_if $?
	guest dd if=/dev/mem of=/dev/null bs=16 count=1 2>/dev/null
	check "the guest root does not (sys_rawio)" test $? != 0
else
	skip "no /dev/mem in this kernel"
	skip "no /dev/mem in this kernel"
fi
if [ -e /proc/kcore ]; then
	dd if=/proc/kcore of=/dev/null bs=16 count=1 2>/dev/null
	check "the host root reads /proc/kcore" ok_if $?
	guest sh -c "! ls /proc | grep -qx kcore && ! dd if=/proc/kcore of=/dev/null bs=16 count=1 2>/dev/null"
	check "the guest root neither lists nor opens it" ok_if $?
else
	skip "no /proc/kcore in this kernel"
	skip "no /proc/kcore in this kernel"
fi
rm -rf $tmp
