#!/bin/sh
# setattr and showattr: the chroot barrier as util-vserver users set it;
# a barrier set on the unmounted image (vattr-image, by scripts/vm-run on
# /vservers of the scratch disk) holds once it is mounted.
. /tests/tap.sh
plan 22
tmp=$(mktemp -d)
d=/scratch/setattr-test
mkdir -p $d/vs/guest $d/vs2 $d/vs3 $d/tree/a/b
echo data > $d/file
touch $d/tree/f $d/tree/a/g

# in_context XID CMD...: run CMD in a new context XID
in_context() {
	xid=$1
	shift
	chcontext --silent --xid $xid -- "$@"
}

run showattr -d $d/vs
check "showattr: a directory takes the barrier, which is not set" out_is "----b-i-x $d/vs"
run in_context 110 ls $d/vs
check "without the barrier a context lists the directory" out_is "guest"

run setattr --barrier $d/vs
check "setattr --barrier DIR: exit 0, silent" \
	sh -c "[ $rc = 0 ] && [ ! -s $tmp/out ] && [ ! -s $tmp/err ]"
run showattr -d $d/vs
check "showattr -d shows it: ----B-i--" out_is "----B-i-x $d/vs"
run showattr $d
check "showattr DIR lists the directory, then its entries in order" \
	out_is "----b-i-x $d
-----ui-x $d/file
----b-i-x $d/tree
----B-i-x $d/vs
----b-i-x $d/vs2
----b-i-x $d/vs3"

run in_context 111 ls $d/vs
check "a context cannot list a barrier directory" \
	sh -c "[ $rc != 0 ] && grep -q 'Permission denied' $tmp/err"
run in_context 112 sh -c "cd $d/vs/guest"
check "nor pass it to what lies below" test $rc != 0
check "the host lists it" sh -c "ls $d/vs | grep -qx guest"

run setattr --~barrier $d/vs
check "setattr --~barrier: exit 0, the barrier is gone" \
	sh -c "[ $rc = 0 ] && showattr -d $d/vs | grep -qx -- '----b-i-x $d/vs'"
run in_context 113 ls $d/vs
check "a context lists the directory again" out_is "guest"
setattr --barrier $d/vs
run setattr '--!barrier' $d/vs
check "setattr --!barrier clears too" \
	sh -c "[ $rc = 0 ] && showattr -d $d/vs | grep -qx -- '----b-i-x $d/vs'"

run setattr --barrier $d/file
check "--barrier on a regular file: exit 1, a clear message" \
	sh -c "[ $rc = 1 ] && grep -qxF \"setattr: attribute 'barrier' is not supported on $d/file (a regular file)\" $tmp/err"
run setattr --barrier --cow $d/vs2
check "--cow (not implemented): exit 1, named; the barrier was not set either" \
	sh -c "[ $rc = 1 ] && grep -qF \"attribute 'cow' is not supported on $d/vs2 (a directory)\" $tmp/err &&
	       showattr -d $d/vs2 | grep -qx -- '----b-i-x $d/vs2'"
run setattr --barrier $d/file $d/vs2
check "one file refused: exit 1, the other files still changed" \
	sh -c "[ $rc = 1 ] && showattr -d $d/vs2 | grep -qx -- '----B-i-x $d/vs2'"

echo data > $d/ifile
echo more >> $d/ifile
run setattr --immutable $d/ifile
check "setattr --immutable FILE: exit 0, showattr shows I, nobody writes or removes it" \
	sh -c "[ $rc = 0 ] && showattr $d/ifile | grep -qx -- '-----uI-x $d/ifile' &&
	       ! sh -c 'echo x >> $d/ifile' 2>/dev/null && ! rm -f $d/ifile 2>/dev/null &&
	       [ \"\$(cat $d/ifile)\" = 'data
more' ]"
run setattr --iunlink $d/ifile
ln $d/ifile $d/ifile.kept
check "setattr --iunlink FILE: showattr shows U and I; writing gives the name a copy, the shared file stays; removable" \
	sh -c "[ $rc = 0 ] && showattr $d/ifile.kept | grep -qx -- '-----UI-x $d/ifile.kept' &&
	       echo x >> $d/ifile && [ \"\$(cat $d/ifile.kept)\" = 'data
more' ] && showattr $d/ifile | grep -qx -- '-----ui-x $d/ifile' &&
	       rm -f $d/ifile $d/ifile.kept && [ ! -e $d/ifile.kept ]"

rc_bogus=0 rc_list=0 rc_nofile=0 rc_none=0 rc_show=0
setattr --bogus $d/vs3 2> $tmp/err || rc_bogus=$?
setattr --flags barrier,bogus $d/vs3 2>> $tmp/err || rc_list=$?
setattr --barrier 2>> $tmp/err || rc_nofile=$?
setattr $d/vs3 2>> $tmp/err || rc_none=$?
showattr -q $d 2>> $tmp/err > /dev/null || rc_show=$?
check "usage errors (bad option or attribute, no file, nothing to set): exit 2, nothing changed" \
	sh -c "[ '$rc_bogus $rc_list $rc_nofile $rc_none $rc_show' = '2 2 2 2 2' ] &&
	       grep -q \"unknown attribute 'bogus'\" $tmp/err &&
	       showattr -d $d/vs3 | grep -qx -- '----b-i-x $d/vs3'"

run in_context 114 setattr --barrier $d/vs3
check "inside a context setattr is refused: exit 1 (EPERM), nothing changed" \
	sh -c "[ $rc = 1 ] && grep -qF 'set_iattr($d/vs3): Operation not permitted' $tmp/err &&
	       showattr -d $d/vs3 | grep -qx -- '----b-i-x $d/vs3'"

run setattr -R --barrier $d/tree
run showattr -R $d/tree
check "setattr -R: every directory below gets the barrier, files are left alone" \
	sh -c "[ $rc = 0 ] && [ \"\$(cat $tmp/out)\" = '----B-i-x $d/tree
-----ui-x $d/tree/f
----B-i-x $d/tree/a
-----ui-x $d/tree/a/g
----B-i-x $d/tree/a/b' ]"
setattr -R --~barrier $d/tree
check "setattr -R --~barrier clears them all" \
	sh -c "! showattr -R $d/tree | grep -q B"

run showattr -d /scratch/vservers
check "/scratch/vservers, set with vattr-image before boot, has the barrier" \
	out_is "----B-i-x /scratch/vservers"
run in_context 115 ls /scratch/vservers
check "the barrier set offline stops a context" \
	sh -c "[ $rc != 0 ] && grep -q 'Permission denied' $tmp/err && ls /scratch/vservers > /dev/null"

rm -rf $d $tmp
