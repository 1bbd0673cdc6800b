#!/usr/bin/env bash
# vattr-image on a small ext4 image made with mke2fs -d, checked with
# debugfs and e2fsck (TAP output, runs on the host; ctest's vattr_image):
# attributes, and tags (project ids) on an image with quota,project.
#
#   vattr-image_test.sh PATH/TO/vattr-image
set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
	echo "usage: $0 PATH/TO/vattr-image" >&2
	exit 2
fi
tool=$1
PATH=$PATH:/sbin:/usr/sbin
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vattr-image-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/tap.sh"

# run ARGS...: the tool's output in out and err, its status in rc
run() {
	rc=0
	"$tool" "$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
}
# the security.vserver value of PATH as debugfs prints it ("" for none)
xattr() { debugfs -R "ea_get $1 security.vserver" "$img" 2>/dev/null | sed -n 's/^security.vserver (4) = //p'; }
out_is() { [ "$(cat "$tmp/out")" = "$1" ]; }
err_has() { grep -qF -- "$1" "$tmp/err"; }

echo "TAP version 13"
echo "1..21"

if ! command -v mke2fs >/dev/null; then
	for i in $(seq 21); do skip "vattr-image" "mke2fs not found (e2fsprogs)"; done
	exit 0
fi
have_debugfs=1
command -v debugfs >/dev/null || have_debugfs=0

mkdir -p "$tmp/root/vservers/guest"
echo data > "$tmp/root/file"
img=$tmp/disk.img
mke2fs -q -F -t ext4 -E root_owner=0:0 -d "$tmp/root" "$img" 8M >/dev/null 2>&1

run --show "$img" /vservers /file
check "--show: a fresh directory takes barrier and immutable, a file immutable and iunlink" \
	out_is $'----b-i-- /vservers\n-----ui-- /file'

run "$img" --barrier /vservers
check "--barrier on a directory: exit 0, silent" test "$rc" = 0 -a ! -s "$tmp/out" -a ! -s "$tmp/err"
if [ $have_debugfs = 1 ]; then
	check "debugfs reads security.vserver = IATTR_BARRIER, little-endian" \
		test "$(xattr /vservers)" = "00 00 01 00 "
else
	skip "debugfs reads security.vserver" "debugfs not found"
fi
run --show "$img" /vservers /vservers/guest
check "--show: the barrier is set on /vservers only" \
	out_is $'----B-i-- /vservers\n----b-i-- /vservers/guest'
fsck_clean() { e2fsck -fn "$img" > "$tmp/out" 2>&1; }
check "e2fsck finds the filesystem clean" fsck_clean

sum=$(md5sum < "$img")
run "$img" --barrier /file
check "--barrier on a regular file: exit 1, the image and path named" \
	eval '[ "$rc" = 1 ] && err_has "attribute '"'"'barrier'"'"' is not supported on $img:/file (a regular file)"'
run "$img" --cow /vservers
check "--cow (not implemented): exit 1, named" \
	eval '[ "$rc" = 1 ] && err_has "attribute '"'"'cow'"'"' is not supported on $img:/vservers (a directory)"'
run "$img" --barrier /vservers/missing
check "a missing path: exit 1, named" \
	eval '[ "$rc" = 1 ] && err_has "$img:/vservers/missing: No such file or directory"'
run "$img" --barrier vservers
rc_relative=$rc
run "$img" --bogus /vservers
rc_bogus=$rc
run "$img" /vservers
check "usage errors (relative PATH, unknown attribute, nothing to do): exit 2" \
	test "$rc_relative $rc_bogus $rc" = "2 2 2"
check "nothing of that changed the image" test "$(md5sum < "$img")" = "$sum"

run "$img" --~barrier /vservers
check "--~barrier: exit 0, the barrier is gone" \
	eval '[ "$rc" = 0 ] && "$tool" --show "$img" /vservers | grep -qx -- "----b-i-- /vservers"'
if [ $have_debugfs = 1 ]; then
	check "debugfs: no security.vserver left" test -z "$(xattr /vservers)"
else
	skip "debugfs: no security.vserver left" "debugfs not found"
fi
run "$img" --barrier --show /vservers/guest
run2=$(cat "$tmp/out")
run "$img" '--!barrier' /vservers/guest
check "--barrier --show prints the result; --!barrier clears" \
	eval '[ "$run2" = "----B-i-- /vservers/guest" ] && [ "$rc" = 0 ] &&
	      "$tool" --show "$img" /vservers/guest | grep -qx -- "----b-i-- /vservers/guest"'
run /nonexistent.img --barrier /vservers
check "a missing image: exit 1, named" \
	eval '[ "$rc" = 1 ] && err_has "/nonexistent.img: cannot open the filesystem"'

### Tags: the project id, on an image with the project feature
run "$img" --tag 5 /file
check "--tag on a filesystem without the project feature: exit 1, says how to make one" \
	eval '[ "$rc" = 1 ] && err_has "$img: the filesystem keeps no tags (no project feature; make it with mke2fs -O quota,project -I 256"'

mkdir -p "$tmp/root2/dir/sub"
echo data > "$tmp/root2/file"
echo more > "$tmp/root2/dir/a"
echo deep > "$tmp/root2/dir/sub/b"
ln -s a "$tmp/root2/dir/link"
img2=$tmp/tags.img
mke2fs -q -F -t ext4 -O quota,project -I 256 -E root_owner=0:0 -d "$tmp/root2" "$img2" 16M \
	>/dev/null 2>&1
e2fsck -fp "$img2" >/dev/null 2>&1	# mke2fs -d leaves the quota uncounted
# project ID1 ID2...: the project ids of the paths, as debugfs says
project() {
	local p
	for p in "$@"; do
		debugfs -R "stat $p" "$img2" 2>/dev/null | sed -n 's/.*Project: *\([0-9]*\).*/\1/p'
	done | tr '\n' ' '
}
run "$img2" --tag 42 /file
if [ $have_debugfs = 1 ]; then
	check "--tag 42 FILE: exit 0, debugfs says Project: 42; a note to run e2fsck for the quota" \
		eval '[ "$rc" = 0 ] && [ "$(project /file)" = "42 " ] &&
		      err_has "run e2fsck -fp $img2 before mounting it"'
else
	skip "--tag 42 FILE: debugfs says Project: 42" "debugfs not found"
fi
fsck_fixes() { e2fsck -fp "$img2" > "$tmp/out" 2>&1; e2fsck -fn "$img2" > "$tmp/out" 2>&1; }
check "after e2fsck -fp (the quota recounted) e2fsck finds the image clean" fsck_fixes

run "$img2" -R --tag 7 /dir
if [ $have_debugfs = 1 ]; then
	check "-R --tag 7 DIR: the directory and all below, not the symbolic link" \
		eval '[ "$rc" = 0 ] && [ "$(project /dir /dir/a /dir/sub /dir/sub/b /dir/link /file)" = "7 7 7 7 0 42 " ]'
else
	skip "-R --tag 7 DIR" "debugfs not found"
fi
sum2=$(md5sum < "$img2")
run "$img2" --tag 7 /dir/link
check "--tag on a named symbolic link: exit 1, says so" \
	eval '[ "$rc" = 1 ] && err_has "$img2:/dir/link: only regular files and directories have tags, not a symbolic link"'
run "$img2" --tag 65536 /file
rc_big=$rc
run "$img2" --tag x1 /file
check "--tag 65536 or x1: exit 2, 'a tag is a number from 0 to 65535'; the image unchanged" \
	eval '[ "$rc_big $rc" = "2 2" ] && err_has "a tag is a number from 0 to 65535" &&
	      [ "$(md5sum < "$img2")" = "$sum2" ]'
run "$img2" --unified --show /dir/a
check "--unified is immutable and ixunlink; --show has the tag column on such a filesystem" \
	out_is "-----UI-x /dir/a"

echo "$((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
