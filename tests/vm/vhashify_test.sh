#!/bin/sh
# vhashify: two guests copied from one tree (each in its own context, so
# their files carry its tag) on a loop ext4 filesystem mounted with tags;
# after vhashify they share inodes, the shared files are immutable and
# unlinkable with tag 0, du shrinks; a guest writing a shared file gets a
# private copy, removing one removes its own name; -n changes nothing;
# build -m clone links the unified files; bad inputs change nothing.
# xids 231-233.
. /tests/tap.sh
plan 26
tmp=$(mktemp -d)
img=/scratch/vhashify.img
mnt=/scratch/vhashify-mnt
vs=$mnt/vservers
export VSERVER_CONFDIR=$tmp/etc

cleanup() {
	umount -d $mnt 2>/dev/null || umount $mnt 2>/dev/null
	rm -rf $tmp $img $mnt /scratch/vhashify-other
}
mkdir -p $mnt
if ! test -x /usr/sbin/mke2fs; then
	skip_all 26 "no mke2fs in the guest"
	cleanup
	exit 0
fi
/usr/sbin/mke2fs -q -F -t ext4 -O quota,project -I 256 $img 64M > $tmp/mkfs 2>&1
if ! mount -o loop,tag,prjquota $img $mnt 2> $tmp/mount; then
	echo "# mount -o loop,tag,prjquota: $(cat $tmp/mount)"
	skip_all 26 "cannot mount a tagged loop filesystem"
	cleanup
	exit 0
fi

# ino FILE, links FILE: inode number and link count
ino() { stat -c %i "$1"; }
links() { stat -c %h "$1"; }
# inodes: every regular file below $vs with inode and link count
inodes() { find $vs -type f -exec stat -c '%i %h %n' {} + | sort; }
# said WHAT N: the summary line WHAT of $tmp/out says N
said() { grep -q "^$1: *$2\( \|\$\)" $tmp/out; }
# kib: what du says $vs takes, in KiB
kib() { du -sk $vs | cut -f1; }
# skip_one REASON: the next test is skipped
skip_one() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1"; }

### The tree, copied into two guests from inside their contexts
base=$tmp/base
mkdir -p $base/usr/bin $base/usr/lib $base/usr/share/doc $base/etc $base/var/log
cp /bin/busybox $base/usr/bin/prog
i=1
while [ $i -le 20 ]; do
	seq 1 $((i * 500)) > $base/usr/lib/data$i
	i=$((i + 1))
done
echo "read me" > $base/usr/share/doc/readme
echo base > $base/etc/hostname
: > $base/usr/lib/empty
ln -s prog $base/usr/bin/link
mkdir -p $vs/g1 $vs/g2
for g in 1 2; do
	mkdir -p $VSERVER_CONFDIR/g$g
	echo 23$g > $VSERVER_CONFDIR/g$g/context
	ln -s $vs/g$g $VSERVER_CONFDIR/g$g/vdir
	chcontext --silent --xid 23$g -- cp -a $base/. $vs/g$g/
done
check "two guests, copied in their contexts: separate inodes, one link each" \
	sh -c "[ $(ino $vs/g1/usr/bin/prog) != $(ino $vs/g2/usr/bin/prog) ] &&
	       [ $(links $vs/g1/usr/bin/prog) = 1 ] && cmp -s $vs/g1/usr/bin/prog $vs/g2/usr/bin/prog"

### -n changes nothing
before=$(inodes)
run vhashify -n g1
check "vhashify -n g1: exit 0, says what it would do" \
	sh -c "[ $rc = 0 ] && grep -q '^dry run (-n): nothing was changed' $tmp/out"
check "... 'would unify' counts the files not excluded, not empty (prog, 20 data, readme)" \
	said "would unify" 22
unchanged() { [ "$(inodes)" = "$before" ]; }
nothing_made() { unchanged && [ ! -e $vs/.hash ]; }
check "... nothing changed: the same inodes and links, no hash directory made" nothing_made

### vhashify g1, then vserver g2 hashify
du_before=$(kib)
run vhashify g1
check "vhashify g1: exit 0, 22 files unified, all new in the hash directory" \
	sh -c "[ $rc = 0 ] && grep -q '^unified now: *22 (22 new in the hash directory)' $tmp/out"
check "... the hash directory is .hash beside the roots, mode 0700" \
	test "$(stat -c %a $vs/.hash)" = 700
run vserver g2 hashify -v
check "vserver g2 hashify -v: exit 0, one line per file, 22 unified, bytes saved" \
	sh -c "[ $rc = 0 ] && grep -q '^unified  $vs/g2/usr/bin/prog\$' $tmp/out &&
	       grep -q '^skipped  $vs/g2/usr/lib/empty (empty)\$' $tmp/out &&
	       grep -q '^unified now: *22 (0 new' $tmp/out && ! grep -q '^bytes saved: *0 ' $tmp/out"
check "the guests share the inode, which has three links (g1, g2, the store)" \
	sh -c "[ $(ino $vs/g1/usr/bin/prog) = $(ino $vs/g2/usr/bin/prog) ] &&
	       [ $(links $vs/g2/usr/bin/prog) = 3 ] && [ $(links $vs/g1/usr/lib/data7) = 3 ]"
check "the store file's name: sha256-size-mode-uid-gid" \
	sh -c "h=\$(sha256sum $base/usr/bin/prog | cut -c1-64)
	       s=$vs/.hash/\$(echo \$h | cut -c1-2)/\$(echo \$h | cut -c3-)-$(stat -c %s $base/usr/bin/prog)-755-0-0
	       [ \$(stat -c %i \$s) = $(ino $vs/g1/usr/bin/prog) ]"
run showattr $vs/g1/usr/bin/prog
check "shared files are immutable and unlinkable (showattr: UI)" \
	sh -c "grep -q '^-----UI.. $vs/g1/usr/bin/prog\$' $tmp/out"
check "excluded (/etc/), empty files and symbolic links are left alone" \
	sh -c "[ $(links $vs/g1/etc/hostname) = 1 ] &&
	       [ $(ino $vs/g1/etc/hostname) != $(ino $vs/g2/etc/hostname) ] &&
	       [ $(links $vs/g1/usr/lib/empty) = 1 ] && [ -L $vs/g2/usr/bin/link ] &&
	       showattr $vs/g1/etc/hostname | grep -q '^-----ui'"
du_after=$(kib)
prog_kib=$(du -k $base/usr/bin/prog | cut -f1)
check "du shrinks by about one copy ($du_before KiB -> $du_after KiB)" \
	test $((du_before - du_after)) -ge $prog_kib
run vhashify g1
check "again: everything already unified, nothing to do" \
	sh -c "[ $rc = 0 ] && grep -q '^unified now: *0 ' $tmp/out &&
	       grep -q '^already unified: *22\$' $tmp/out"

### Writing and removing a shared file
shared=$(ino $vs/g1/usr/share/doc/readme)
run chcontext --silent --xid 232 -- sh -c "echo x >> $vs/g2/usr/share/doc/readme"
check "a guest writing a shared file: it works" test $rc = 0
check "... and gets a private copy: another inode, old contents plus its line" \
	sh -c "[ $(ino $vs/g2/usr/share/doc/readme) != $shared ] &&
	       [ \"\$(cat $vs/g2/usr/share/doc/readme)\" = 'read me
x' ] && [ $(links $vs/g2/usr/share/doc/readme) = 1 ]"
check "... the other guest's file is unchanged and still shared" \
	sh -c "[ $(ino $vs/g1/usr/share/doc/readme) = $shared ] &&
	       [ \"\$(cat $vs/g1/usr/share/doc/readme)\" = 'read me' ] &&
	       [ $(links $vs/g1/usr/share/doc/readme) = 2 ]"
echo y >> $vs/g1/usr/lib/data2 2> $tmp/err
check "the host writing a shared file also gets a private copy; the guest's is unchanged" \
	sh -c "[ $(ino $vs/g1/usr/lib/data2) != $(ino $vs/g2/usr/lib/data2) ] &&
	       [ \"\$(tail -n 1 $vs/g1/usr/lib/data2)\" = y ] && cmp -s $vs/g2/usr/lib/data2 $base/usr/lib/data2"
run chcontext --silent --xid 232 -- rm $vs/g2/usr/lib/data1
check "a guest removing a shared file removes its own name only" \
	sh -c "[ $rc = 0 ] && [ ! -e $vs/g2/usr/lib/data1 ] && cmp -s $vs/g1/usr/lib/data1 $base/usr/lib/data1 &&
	       [ $(links $vs/g1/usr/lib/data1) = 2 ]"

### build -m clone links what is unified
run vserver g3 build -m clone --source g1 --rootdir $vs --context 233
check "build -m clone: exit 0, says how many unified files it linked" \
	sh -c "[ $rc = 0 ] && grep -q \"^Linked [0-9]* unified files of 'g1', copied the rest\" $tmp/out"
check "... the clone shares g1's unified files, has its own copy of the rest" \
	sh -c "[ $(ino $vs/g3/usr/bin/prog) = $(ino $vs/g1/usr/bin/prog) ] &&
	       [ $(ino $vs/g3/etc/hostname) != $(ino $vs/g1/etc/hostname) ] &&
	       [ \"\$(cat $vs/g3/etc/hostname)\" = base ] && [ -L $vs/g3/usr/bin/link ] &&
	       [ $(ino $vs/g3/usr/lib/data2) != $(ino $vs/g1/usr/lib/data2) ]"

### Bad inputs change nothing
before=$(inodes)
check_refused "an unknown guest: exit 5, 'no such guest'" 5 "nosuch: no such guest" \
	vhashify nosuch
mkdir -p /scratch/vhashify-other $VSERVER_CONFDIR/g2/apps/vunify
ln -s /scratch/vhashify-other $VSERVER_CONFDIR/g2/apps/vunify/hash
check_refused "a hash directory on another filesystem: exit 1, says so, nothing changed" 1 \
	"is not on the filesystem of $vs/g2.*hard links cannot cross filesystems" vhashify g2
rm $VSERVER_CONFDIR/g2/apps/vunify/hash
printf '/usr/share/\netc/passwd\n' > $VSERVER_CONFDIR/g2/apps/vunify/exclude
check_refused "a bad exclude list: exit 1, file and line named, nothing changed" 1 \
	"apps/vunify/exclude:2: 'etc/passwd' is neither an absolute path" vhashify g2
rm $VSERVER_CONFDIR/g2/apps/vunify/exclude
check_refused "a usage error (two names): exit 2" 2 "give one NAME" vhashify g1 g2

### Tags, read from the unmounted image
umount -d $mnt 2>/dev/null || umount $mnt
# project FILE: the tag (project id) of FILE below $vs, as debugfs reads it
project() { debugfs -R "stat /vservers/$1" $img 2>/dev/null | sed -n 's/.*Project: *\([0-9]*\).*/\1/p'; }
if command -v debugfs > /dev/null; then
	check "the guests' own files keep their context's tag (g2's /etc/hostname: 232)" \
		test "$(project g2/etc/hostname)" = 232
	check "shared files have tag 0: they count for no guest" \
		sh -c "[ \"$(project g2/usr/bin/prog)\" = 0 ] && [ \"$(project g1/usr/lib/data7)\" = 0 ]"
else
	skip_one "no debugfs in the guest"
	skip_one "no debugfs in the guest"
fi

cleanup
