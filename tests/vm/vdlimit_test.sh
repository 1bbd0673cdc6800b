#!/bin/sh
# vdlimit: the disk limits of a tag on a loop ext4 with project quota
# (mounted -o tag,prjquota): set, printed util-vserver's way, changed,
# removed; bad values change nothing; a context that writes past
# space_total or inodes_total gets EDQUOT, and df in it shows the limit;
# a guest's dlimits/ set by start and removed by stop, a bad one starts
# nothing.  xids 210-213.
. /tests/tap.sh
plan 37
tmp=$(mktemp -d)
export VSERVER_CONFDIR=$tmp/etc
img=/scratch/vdlimit-test.img
m=/scratch/vdlimit-test
mkdir -p $VSERVER_CONFDIR $m

if ! fs_up $img $m 64M; then
	skip_all 37 "no loop ext4 with project quota (mke2fs, loop devices)"
	rm -rf $tmp $img
	exit 0
fi

# field NAME [XID]: NAME's value in the listing of XID (210) on $m
field() { vdlimit --xid ${2:-210} $m | sed -n "s/^$1=//p"; }
listing() { vdlimit --xid 210 $m 2>&1; }
quiet_ok() { [ $rc = 0 ] && [ ! -s $tmp/out ] && [ ! -s $tmp/err ]; }
tag_is() { [ "$(lsxid -n -d "$2")" = "$(printf '%20s  %s' "$1" "$2")" ]; }
# no_dlimit XID: XID has no disk limit on $m
no_dlimit() { ! vdlimit --xid $1 $m > /dev/null 2>&1; }

mkdir $m/g
echo data > $m/g/file
chxid -R -c 210 $m/g

run vdlimit --xid 210 $m
check "no limit yet: exit 1, the kernel's ESRCH with a hint" \
	refused 1 "get_dlimit(210, $m): No such process (there is no disk limit for that tag there)"

run vdlimit --xid 210 --set space_total=10240 --set inodes_total=100 --set reserved=0 $m
check "--set: exit 0, silent" quiet_ok
run vdlimit --xid 210 $m
listing_ok() {
	[ $rc = 0 ] && [ "$(sed -n 1p $tmp/out)" = "210 $m" ] &&
		[ "$(sed -n '2,$p' $tmp/out | cut -d= -f1 | tr '\n' ' ')" = \
		  "space_used space_total inodes_used inodes_total reserved " ] &&
		grep -qx space_total=10240 $tmp/out && grep -qx inodes_total=100 $tmp/out &&
		grep -qx reserved=0 $tmp/out
}
check "... printed util-vserver's way: 'XID MOUNTPOINT', then NAME=VALUE lines" listing_ok
used_counted() { [ "$(field inodes_used)" -ge 2 ] && [ "$(field space_used)" -ge 2 ]; }
check "... the quota counts what the tag's files use (space_used, inodes_used)" used_counted

vdlimit --xid 210 --set reserved=5 $m
check "--set of one limit leaves the others" \
	test "$(field space_total) $(field inodes_total) $(field reserved)" = "10240 100 5"
vdlimit --xid 210 --set inodes_total=inf $m
check "inf: no limit, printed as -1" test "$(field inodes_total)" = -1
vdlimit -x 210 -s inodes_total=200 $m
check "util-vserver's short options -x and -s" test "$(field inodes_total)" = 200
mkdir -p $VSERVER_CONFDIR/web
echo 210 > $VSERVER_CONFDIR/web/context
run vdlimit --xid web $m
check "--xid NAME: the vserver's context" sh -c "[ $rc = 0 ] && grep -qx inodes_total=200 $tmp/out"

before=$(listing)
unchanged() { [ "$(listing)" = "$before" ]; }
check_refused "space_total=10G: exit 2, nothing changed" 2 \
	"invalid space_total '10G': not a decimal number or 'inf'" \
	vdlimit --xid 210 --set space_total=10G $m
check_refused "reserved=101: exit 2, nothing changed" 2 \
	"invalid reserved '101': a percentage, 0..100" vdlimit --xid 210 --set reserved=101 $m
check_refused "a value above 32 bits: exit 2, nothing changed" 2 "too large" \
	vdlimit --xid 210 --set inodes_total=4294967296 $m
check_refused "an unknown limit: exit 2, nothing changed" 2 "unknown limit 'space'" \
	vdlimit --xid 210 --set space=1 $m
check_refused "a limit given twice: exit 2, nothing changed" 2 "space_total is given twice" \
	vdlimit --xid 210 --set space_total=20000 --set space_total=30000 $m
check_refused "a used value above its total: exit 2, nothing changed" 2 \
	"space_used 100 is above space_total 10" \
	vdlimit --xid 210 --set space_used=100 --set space_total=10 $m
check_refused "--set and --remove: exit 2, nothing changed" 2 "say either --set or --remove" \
	vdlimit --xid 210 --set reserved=1 --remove $m
check_refused "--flags other than 0: exit 2, nothing changed" 2 "no disk limit flags" \
	vdlimit --xid 210 --flags 1 --set reserved=1 $m
check_refused "no MOUNTPOINT: exit 2, nothing changed" 2 "MOUNTPOINT" \
	vdlimit --xid 210 --set reserved=1
check_refused "an unknown vserver as XID: exit 2, nothing changed" 2 "nosuchguest" \
	vdlimit --xid nosuchguest --set reserved=1 $m
check_refused "space_total below what is used: exit 1, the kernel's EINVAL with a hint" 1 \
	"set_dlimit(210, $m): Invalid argument (a total below what is used" \
	vdlimit --xid 210 --set space_total=1 $m
used=$(field space_used)
run vdlimit --xid 210 --set space_used=$used $m
check "space_used as the quota counts it (util-vserver's start scripts): exit 0" quiet_ok
vdlimit --xid 210 --set space_used=$((used + 100)) $m
check "space_used other than the count: ignored, the quota's count stays" \
	test "$(field space_used)" = "$used"
check_refused "a filesystem without project quota: exit 1, said" 1 \
	"Operation not supported (not a filesystem with project quota" \
	vdlimit --xid 210 --set space_total=100 $tmp

# what a context may write: space
mkdir $m/q
vdlimit --xid 211 --set space_total=1024 --set inodes_total=inf $m
# --secure: a root holding CAP_SYS_RESOURCE passes any quota (files.md)
run chcontext --silent --secure --xid 211 -- dd if=/dev/zero of=$m/q/big bs=1k count=4096
edquot() { [ $rc != 0 ] && err_has "Disk quota exceeded" && [ "$(stat -c %s $m/q/big)" -le 1048576 ]; }
check "a context that writes past space_total (1024 KiB) gets EDQUOT" edquot
check "... the quota counts at most the limit" test "$(field space_used 211)" -le 1024
chcontext --silent --xid 211 -- df -k $m > $tmp/df
# the 1K-blocks column, counted from the end (a long device name may wrap)
df_total() { tail -n 1 $1 | awk '{ print $(NF - 4) }'; }
check "df in the context shows space_total as the filesystem's size" test "$(df_total $tmp/df)" = 1024
df -k $m > $tmp/hostdf
check "... the host's df shows the whole filesystem" test "$(df_total $tmp/hostdf)" -gt 50000
rm -f $m/q/big

# and inodes
mkdir $m/i
vdlimit --xid 212 --set space_total=inf --set inodes_total=10 $m
run chcontext --silent --secure --xid 212 -- sh -c "i=0; while [ \$i -lt 20 ]; do touch $m/i/f\$i || exit 3; i=\$((i + 1)); done"
inodes_refused() { [ $rc = 3 ] && err_has "Disk quota exceeded" && [ "$(ls $m/i | wc -l)" -le 10 ]; }
check "a context that creates more than inodes_total files gets EDQUOT" inodes_refused

run vdlimit --xid 211 --remove $m
check "--remove: exit 0, silent" quiet_ok
check "... the limit is gone (ESRCH)" no_dlimit 211
run chcontext --silent --xid 211 -- dd if=/dev/zero of=$m/q/big bs=1k count=2048
check "... and the context writes past the old limit" test $rc = 0
run vdlimit -x 211 -d $m
check "--remove again (-d): exit 1, there is none" \
	refused 1 "rem_dlimit(211, $m): No such process (there is no disk limit for that tag there)"
vdlimit --xid 210 --remove $m
vdlimit --xid 212 --remove $m

### a guest's dlimits/ (213): set by start, removed by stop
root=$tmp/img
mkdir -p $root/bin $root/sbin $root/etc
cp /bin/busybox $root/bin/busybox
for applet in sh sleep dd; do ln -s busybox $root/bin/$applet; done
printf '#!/bin/sh\nexec sleep 100000\n' > $root/sbin/init
chmod 755 $root/sbin/init
echo "root:x:0:0:root:/root:/bin/sh" > $root/etc/passwd
(cd $root && tar -cf $tmp/root.tar .)
cfg=$VSERVER_CONFDIR/dl
run vserver dl build -m template -t $tmp/root.tar --context 213 --initstyle plain --rootdir $m/vs
built_tagged() {
	[ $rc = 0 ] && out_has "Tagged " && tag_is 213 $m/vs/dl && tag_is 213 $m/vs/dl/bin/busybox
}
check "build on a filesystem with tags: the root's files get the guest's context, said" built_tagged

used=$(vdu --xid 213 --space --script $m/vs/dl)
mkdir -p $cfg/dlimits/0
echo $m > $cfg/dlimits/0/directory
echo $((used + 1024)) > $cfg/dlimits/0/space_total
echo 1000 > $cfg/dlimits/0/inodes_total
echo 0 > $cfg/dlimits/0/reserved
run vserver dl start
started() {
	[ $rc = 0 ] && [ "$(field space_total 213)" = $((used + 1024)) ] &&
		[ "$(field inodes_total 213)" = 1000 ] && grep -qx "213 $m" /run/vservers/dl/dlimits
}
check "start with dlimits/0: the guest's tag has the limit, recorded in /run/vservers/dl/dlimits" \
	started
run vserver dl exec dd if=/dev/zero of=/big bs=1k count=4096
check "... the guest writing past it gets EDQUOT" \
	sh -c "[ $rc != 0 ] && grep -q 'Disk quota exceeded' $tmp/err"
run vserver dl stop
stopped() { [ $rc = 0 ] && no_dlimit 213 && [ ! -e /run/vservers/dl/dlimits ]; }
check "stop: the limit and its record are removed" stopped

not_started() { ! vserver dl running && no_dlimit 213 && [ ! -e /run/vservers/dl/dlimits ]; }
echo 150 > $cfg/dlimits/0/reserved
run vserver dl start
bad_file() { [ $rc = 1 ] && err_has "$cfg/dlimits/0/reserved:1: invalid reserved '150'" && not_started; }
check "a bad dlimits/ file: start refused (exit 1), FILE:LINE said, nothing started" bad_file
echo 0 > $cfg/dlimits/0/reserved
echo 1 > $cfg/dlimits/0/space_total
run vserver dl start
refused_limit() { [ $rc = 1 ] && err_has "dlimits/0: set_dlimit(213, $m): Invalid argument" && not_started; }
check "a limit the kernel refuses (below what is used): start fails, exit 1, nothing left" \
	refused_limit

vserver --silent dl delete > /dev/null 2>&1
umount $m
rm -rf $tmp $m $img
