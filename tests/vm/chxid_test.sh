#!/bin/sh
# chxid and lsxid: file tags on a loop ext4 with the project feature
# (mounted -o tag): set on a file, a directory, a tree (-R), unified files
# left alone (-U), one filesystem (-x), symbolic links and FIFOs passed
# over; what a context creates gets its tag; bad input changes nothing.
# xids 200-207.
. /tests/tap.sh
plan 22
tmp=$(mktemp -d)
export VSERVER_CONFDIR=$tmp/etc
img=/scratch/chxid-test.img
img2=/scratch/chxid-test2.img
m=/scratch/chxid-test
mkdir -p $VSERVER_CONFDIR/web $m
echo 201 > $VSERVER_CONFDIR/web/context

if ! fs_up $img $m; then
	skip_all 22 "no loop ext4 with project quota (mke2fs, loop devices)"
	rm -rf $tmp $img
	exit 0
fi

# line TAG PATH: an lsxid line
line() { printf '%20s  %s' "$1" "$2"; }
# tag_is TAG PATH: lsxid -n -d says PATH has TAG
tag_is() { [ "$(lsxid -n -d "$2")" = "$(line "$1" "$2")" ]; }
# quiet_ok: the last run exited 0 and printed nothing
quiet_ok() { [ $rc = 0 ] && [ ! -s $tmp/out ] && [ ! -s $tmp/err ]; }

t=$m/t
mkdir -p $t/sub
echo a > $t/a
echo dot > $t/.dot
echo b > $t/sub/b
ln -s a $t/link
mkfifo $t/fifo

run lsxid -d $t
check "lsxid -d DIR: a new file's tag is the host's, 0" out_is "$(line 0 $t)"
run lsxid $t
check "lsxid DIR: the directory, then its entries, no dot files; link and FIFO have none" \
	out_is "$(line 0 $t)
$(line 0 $t/a)
$(line - $t/fifo)
$(line - $t/link)
$(line 0 $t/sub)"

run chxid -c 200 $t/a
a_is_200() { quiet_ok && tag_is 200 $t/a; }
check "chxid -c 200 FILE: exit 0, silent, lsxid shows 200" a_is_200
chxid -c 200 $t
dir_only() { tag_is 200 $t && tag_is 0 $t/sub/b; }
check "chxid without -R tags a directory itself, not what it holds" dir_only

run chxid -R -c web $t
check "chxid -R -c NAME: exit 0, silent" quiet_ok
run lsxid -R -a -n $t
check "... every file and directory below, dot files too; link and FIFO passed over" \
	out_is "$(line 201 $t)
$(line 201 $t/.dot)
$(line 201 $t/a)
$(line - $t/fifo)
$(line - $t/link)
$(line 201 $t/sub)
$(line 201 $t/sub/b)"
run lsxid -d $t
check "lsxid shows the tag as the vserver's name" out_is "$(line web $t)"

echo u > $t/u
chxid -c 201 $t/u
setattr --iunlink $t/u
run chxid -R -U -c 202 $t
unified_kept() { [ $rc = 0 ] && tag_is 201 $t/u && tag_is 202 $t/sub/b && tag_is 202 $t; }
check "chxid -R -U: a unified file keeps its tag, the rest get the new one" unified_kept
chxid -c 202 $t/u
check "... without -U it is tagged like the others" tag_is 202 $t/u
setattr --~iunlink $t/u

# unchanged: what check_refused tests afterwards
unchanged() { tag_is 202 $t/a && tag_is 202 $t/sub/b && tag_is 202 $t; }
check_refused "a named symbolic link: exit 1, named, nothing changed" 1 \
	"cannot tag $t/link: a symbolic link has no tag" chxid -c 203 $t/a $t/link
check_refused "a named FIFO: exit 1, nothing changed" 1 "a FIFO has no tag" \
	chxid -c 203 $t/fifo $t/a
echo x > $tmp/notag
check_refused "a file on a filesystem without tags: exit 1, named, nothing changed" 1 \
	"cannot tag $tmp/notag: its filesystem keeps no tags" chxid -R -c 203 $t $tmp/notag
check_refused "a missing file: exit 1, named, nothing changed" 1 \
	"$t/missing: No such file or directory" chxid -c 203 $t/a $t/missing
check "... 'no file was changed' said" err_has "no file was changed"
rc_big=0 rc_name=0 rc_nofile=0 rc_noc=0 rc_opt=0
chxid -c 70000 $t/a 2> $tmp/err || rc_big=$?
chxid -c nosuchguest $t/a 2>> $tmp/err || rc_name=$?
chxid -c 203 2>> $tmp/err || rc_nofile=$?
chxid $t/a 2>> $tmp/err || rc_noc=$?
chxid -q -c 203 $t/a 2>> $tmp/err || rc_opt=$?
usage_refused() {
	[ "$rc_big $rc_name $rc_nofile $rc_noc $rc_opt" = "2 2 2 2 2" ] && err_has 70000 &&
		err_has nosuchguest && unchanged
}
check "usage errors (CTX out of range or unknown, no FILE, no -c, bad option): exit 2, nothing changed" \
	usage_refused

# -x: a filesystem mounted below is entered without it, not with it
x=$m/x
mkdir -p $x/inner
echo f > $x/f
if fs_up $img2 $x/inner; then
	echo g > $x/inner/g
	chxid -R -x -c 204 $x
	one_fs() { tag_is 204 $x/f && tag_is 0 $x/inner && tag_is 0 $x/inner/g; }
	check "chxid -R -x: the filesystem mounted below is left alone" one_fs
	chxid -R -c 205 $x
	check "chxid -R without -x goes into it" tag_is 205 $x/inner/g
	umount $x/inner
else
	tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no second loop filesystem"
	tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no second loop filesystem"
fi
mount -t tmpfs none $x/inner
echo h > $x/inner/h
run chxid -R -c 205 $x
check "chxid -R into a tmpfs: its files have no tag and are passed over (exit 0)" quiet_ok
run lsxid -n $x/inner/h
check "... lsxid shows '-' for them" out_is "$(line - $x/inner/h)"
umount $x/inner

# what a context creates on a filesystem mounted -o tag carries its tag
c=$m/ctx
mkdir $c
chcontext --silent --xid 206 -- sh -c "echo new > $c/new; mkdir $c/dir"
check "a file a context creates gets its context as tag" tag_is 206 $c/new
check "... a directory too" tag_is 206 $c/dir

run chcontext --silent --xid 207 -- chxid -c 207 $c
refused_in_context() { [ $rc = 1 ] && err_has "Operation not permitted" && tag_is 0 $c; }
check "chxid inside a context: exit 1, the kernel refuses (EPERM), nothing changed" \
	refused_in_context

umount $m
rm -rf $tmp $m $img $img2
