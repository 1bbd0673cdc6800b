#!/bin/sh
# vtag: the caller's tag for the files COMMAND creates on a loop ext4
# mounted -o tag; --create and --migrate alike; COMMAND's exit status;
# bad input runs nothing; refused inside a context.  xids (tags) 230-234.
. /tests/tap.sh
plan 11
tmp=$(mktemp -d)
export VSERVER_CONFDIR=$tmp/etc
img=/scratch/vtag-test.img
m=/scratch/vtag-test
mkdir -p $VSERVER_CONFDIR/web $m
echo 232 > $VSERVER_CONFDIR/web/context

if ! fs_up $img $m; then
	skip_all 11 "no loop ext4 with project quota (mke2fs, loop devices)"
	rm -rf $tmp $img
	exit 0
fi
tag_is() { [ "$(lsxid -n -d "$2")" = "$(printf '%20s  %s' "$1" "$2")" ]; }

run vtag --migrate --tag 230 -- sh -c "echo x > $m/f230; mkdir $m/d230"
check "vtag --migrate --tag 230 -- CMD: exit 0, silent" \
	sh -c "[ $rc = 0 ] && [ ! -s $tmp/out ] && [ ! -s $tmp/err ]"
both_230() { tag_is 230 $m/f230 && tag_is 230 $m/d230; }
check "... the file and the directory CMD creates get tag 230" both_230
vtag --create --tag 231 -- touch $m/f231
check "--create does the same" tag_is 231 $m/f231
vtag --create --silentexist --tag 231 -- touch $m/g231
check "... --silentexist is accepted, no tag 'exists'" tag_is 231 $m/g231
vtag --migrate --tag web touch $m/fweb
check "--tag NAME: the vserver's context, COMMAND without --" tag_is 232 $m/fweb
touch $m/host
check "the host's own files still get 0" tag_is 0 $m/host

run vtag --migrate --tag 230 -- sh -c 'exit 7'
check "exit status: COMMAND's" test $rc = 7
run vtag --migrate --tag 230 -- /nonexistent/cmd
check "COMMAND that cannot be executed: exit 255, said" refused 255 "/nonexistent/cmd"

# none of these runs COMMAND
rcs=
for args in "--create --migrate --tag 230" "--tag 230" "--migrate" "--migrate --tag 70000" \
	    "--migrate --tag nosuchguest" "--migrate --bogus --tag 230"; do
	rc=0
	# shellcheck disable=SC2086
	vtag $args -- touch $m/never 2>> $tmp/err || rc=$?
	rcs="$rcs$rc "
done
rc=0
vtag --migrate --tag 230 2>> $tmp/err || rc=$?
rcs="$rcs$rc"
usage_refused() {
	[ "$rcs" = "2 2 2 2 2 2 2" ] && [ ! -e $m/never ] &&
		err_has "say one of --create and --migrate" && err_has "--tag T is missing" &&
		err_has 70000 && err_has nosuchguest && err_has "missing command"
}
check "usage errors (both or neither mode, no --tag, bad T, bad option, no COMMAND): exit 2, nothing run" \
	usage_refused

mkdir $m/ctx
run chcontext --silent --xid 234 -- vtag --migrate --tag 230 -- touch $m/ctx/never
check "inside a context: exit 1, the kernel refuses (host only), COMMAND not run" \
	sh -c "[ $rc = 1 ] && grep -q 'tag_migrate(230)' $tmp/err && [ ! -e $m/ctx/never ]"
chcontext --silent --xid 233 -- touch $m/ctx/c233
check "a context's files get its tag without vtag" tag_is 233 $m/ctx/c233

umount $m
rm -rf $tmp $m $img
