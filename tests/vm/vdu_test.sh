#!/bin/sh
# vdu: the space and inodes the files of one context use below a
# directory, on a loop ext4 with the project feature (mounted -o tag):
# hard links once, symbolic links and the host's files not counted, no
# other filesystem entered; util-vserver's output; bad input.  xids 220-221.
. /tests/tap.sh
plan 16
tmp=$(mktemp -d)
export VSERVER_CONFDIR=$tmp/etc
img=/scratch/vdu-test.img
img2=/scratch/vdu-test2.img
m=/scratch/vdu-test
mkdir -p $VSERVER_CONFDIR/web $m
echo 220 > $VSERVER_CONFDIR/web/context

if ! fs_up $img $m; then
	skip_all 16 "no loop ext4 with project quota (mke2fs, loop devices)"
	rm -rf $tmp $img
	exit 0
fi

# blocks FILE...: the 512-byte blocks the files take, summed
blocks() {
	n=0
	for f in "$@"; do n=$((n + $(stat -c %b "$f"))); done
	echo $n
}

d=$m/d
mkdir -p $d/m
# context 220 writes a (100 KiB), sub/, sub/b (50 KiB), a second link to a
# and a symbolic link; the host a file of its own
chcontext --silent --xid 220 -- sh -c "
	dd if=/dev/zero of=$d/a bs=1k count=100 2> /dev/null &&
	mkdir $d/sub &&
	dd if=/dev/zero of=$d/sub/b bs=1k count=50 2> /dev/null &&
	ln $d/a $d/sub/a2 && ln -s a $d/l"
dd if=/dev/zero of=$d/host bs=1k count=30 2> /dev/null
# another filesystem below, where context 220 writes too
have_inner=0
if fs_up $img2 $d/m; then
	chcontext --silent --xid 220 -- dd if=/dev/zero of=$d/m/c bs=1k count=70 2> /dev/null
	have_inner=1
fi

space=$(($(blocks $d/a $d/sub $d/sub/b) * 512 / 1024))
run vdu --xid 220 --space $d
check "--space: 'DIR KiB' of the context's files, a hard link once, the symlink not" \
	out_is "$d $space"
check "... at least a's 100 and b's 50 KiB" test $space -ge 150
run vdu --xid 220 --inodes $d
check "--inodes: a (once), sub, sub/b" out_is "$d 3"
run vdu --xid 220 --space --inodes $d
check "--space --inodes: the space first" out_is "$d $space 3"
run vdu --xid web --space --inodes --script $d
check "--script, --xid NAME: only the values" out_is "$space 3"
run vdu --xid 220 --space --blocksize 512 --script $d
check "--blocksize 512: twice the KiB" out_is "$((space * 2))"
run vdu --xid 0 --inodes --script $d
# d itself and host; m too when nothing is mounted on it (a filesystem
# below is not entered at all)
check "--xid 0: the host's files; not the filesystem below" out_is $((3 - have_inner))
if [ $have_inner = 1 ]; then
	run vdu --xid 220 --space --script $d/m
	check "the filesystem below counted on its own: c (70 KiB)" \
		test "$(cat $tmp/out)" = $(($(blocks $d/m/c) * 512 / 1024))
	umount $d/m
else
	tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no second loop filesystem"
fi

run vdu --xid 221 --space --inodes $d
check "a context with no files: 0 0" out_is "$d 0 0"

echo x > $tmp/f
run vdu --xid 220 --space $tmp $d
notags() { [ $rc = 1 ] && err_has "vdu: $tmp: its filesystem keeps no tags" && out_is "$d $space"; }
check "a DIR without tags: exit 1, said; the other DIR still counted" notags
run vdu --xid 220 --inodes $d/missing
check "a missing DIR: exit 1, said" refused 1 "get_iattr($d/missing): No such file or directory"

run vdu --xid 220 $d
check "neither --space nor --inodes: exit 2" refused 2 "say --space or --inodes"
run vdu --xid 220 --space --blocksize 0 $d
check "--blocksize 0: exit 2" refused 2 "invalid --blocksize '0'"
run vdu --space $d
check "no --xid: exit 2" refused 2 "xid"
run vdu --xid 220 --space
check "no DIR: exit 2" refused 2 "DIR"
run vdu --xid 70000 --space $d
check "a bad XID: exit 2" refused 2 70000

umount $m
rm -rf $tmp $m $img $img2
