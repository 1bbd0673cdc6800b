#!/usr/bin/env bash
# vattr-image on a small ext4 image made with mke2fs -d, checked with
# debugfs and e2fsck (TAP output, runs on the host; ctest's vattr_image).
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
echo "1..14"

if ! command -v mke2fs >/dev/null; then
	for i in $(seq 14); do skip "vattr-image" "mke2fs not found (e2fsprogs)"; done
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

echo "$((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
