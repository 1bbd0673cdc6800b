#!/bin/sh
# vspace, and the namespaces vserver start keeps for a guest (set_space):
# util-vserver's enter and stop run vspace --enter on them.  A busybox
# guest "spg" (xid 192) with hostname spg.test; its fstab's tmpfs on /tmp
# is mounted in its mount namespace only.
. /tests/tap.sh
plan 14
tmp=$(mktemp -d)
export VSERVER_CONFDIR=$tmp/etc
root=/scratch/vspace-test
mkdir -p $VSERVER_CONFDIR

# usage errors change nothing and need no kernel
run vspace -- true
check "no mode: exit 2" sh -c "[ $rc = 2 ] && grep -q 'one of --new, --enter and --set' $tmp/err"
run vspace --new --set -- true
check "two modes: exit 2" test $rc = 2
run vspace --set --mask 0x1 -- true
check "--mask with a bit that is no namespace: exit 2" sh -c "[ $rc = 2 ] && grep -q 'no kind of namespace' $tmp/err"
run vspace --set --index 2 -- true
check "--index 2: exit 2" test $rc = 2
run vspace --enter 192
check "no COMMAND: exit 2" test $rc = 2

# --new: a UTS namespace of its own, the host's name unchanged
host_name=$(cat /proc/sys/kernel/hostname)
run vspace --new --uts -- sh -c 'echo other > /proc/sys/kernel/hostname && cat /proc/sys/kernel/hostname'
check "--new --uts: the command renames its own UTS namespace only" \
	sh -c "[ $rc = 0 ] && [ \"\$(cat $tmp/out)\" = other ] &&
	       [ \"\$(cat /proc/sys/kernel/hostname)\" = '$host_name' ]"

img=$tmp/img
mkdir -p $img/bin $img/sbin $img/etc $img/tmp
cp /bin/busybox $img/bin/busybox
for applet in sh sleep cat; do ln -s busybox $img/bin/$applet; done
printf '#!/bin/sh\nexec /bin/sleep 100000\n' > $img/sbin/init
chmod 755 $img/sbin/init
echo "root:x:0:0:root:/root:/bin/sh" > $img/etc/passwd
(cd $img && tar -cf $tmp/root.tar .)
vserver spg build -m template -t $tmp/root.tar --context 192 --hostname spg.test \
	--initstyle plain --rootdir $root > /dev/null
echo "none /tmp tmpfs size=1m 0 0" > $VSERVER_CONFDIR/spg/fstab

run vspace --enter spg -- true
check "--enter before the guest runs: exit 1" test $rc = 1
vserver spg start > /dev/null 2>&1
check "the guest runs" test -d /proc/virtual/192

# without entering, the host's names and mounts
check "the host's hostname is not the guest's" sh -c "[ '$host_name' != spg.test ]"
check "... and its /tmp mount is not in the host's mount table" \
	sh -c "! grep -q ' $root/spg/tmp ' /proc/self/mounts"
run vspace --enter spg -- sh -c 'cat /proc/sys/kernel/hostname; pwd; cat /proc/self/mounts'
check "vspace --enter spg: the guest's hostname" sh -c "[ $rc = 0 ] && [ \"\$(sed -n 1p $tmp/out)\" = spg.test ]"
check "... its directory as the working directory" sh -c "[ \"\$(sed -n 2p $tmp/out)\" = $root/spg ]"
check "... its mount namespace (its /tmp)" grep -q " $root/spg/tmp " $tmp/out
run vspace --enter spg --index 1 --uts -- true
check "set 1 keeps nothing (no UTS namespace): exit 1, the kernel's error" \
	sh -c "[ $rc = 1 ] && grep -q 'enter_space(192): Invalid argument' $tmp/err"

vserver spg stop > /dev/null 2>&1
wait_gone /proc/virtual/192
rm -rf $tmp
