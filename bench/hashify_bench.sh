#!/bin/sh
# hashify_bench.sh [MB] [GUESTS] [ROUNDS]: unification, inside the guest
# (scripts/vm-run bench/hashify_bench.sh, or from bench/run.sh).
#
# Builds GUESTS (default 10) copies of one generated tree of about MB
# (default 16) MiB of mixed files (many small, some medium, a few large)
# on an ext4 loop filesystem, then
#   1. disk used by the guests before and after
#      `vhashify --manually HASHDIR GUESTS /dev/null` (goal: >= 90% saved;
#      GUESTS identical copies can save at most (GUESTS-1)/GUESTS);
#   2. throughput (MiB of guest files per second, best of ROUNDS, default
#      2) of vhashify, util-linux's hardlink and rdfind, each on fresh
#      identical copies, with the page cache dropped before each run, and
#      the ratios; a tool not in the guest is skipped.
# The loop image goes to /scratch if it has room, else to /tmp (RAM).
mb=${1:-16}
guests=${2:-10}
rounds=${3:-2}
case "$mb$guests$rounds" in
*[!0-9]*) echo "usage: hashify_bench.sh [MB] [GUESTS] [ROUNDS]" >&2; exit 2 ;;
esac
[ "$guests" -ge 2 ] || { echo "hashify_bench: GUESTS must be 2 or more" >&2; exit 2; }

say() { echo "hashify_bench: $*"; }
# now: seconds since boot, in hundredths
now() { awk '{ split($1, t, "."); print t[1] * 100 + t[2] }' /proc/uptime; }
# free_mib DIR: free space of DIR's filesystem
free_mib() { df -k "$1" 2>/dev/null | awk 'NR == 2 { print int($4 / 1024) }'; }
# kib DIR: disk used below DIR (hard links counted once)
kib() { du -sk "$1" | cut -f1; }
# ratio A B [DIGITS]: A / B
# (busybox's awk knows no "%.*f": the format is built)
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-3}" 'BEGIN { if (b > 0) printf "%." d "f", a / b; else print "n/a" }'; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; }

for tool in /usr/sbin/mke2fs vhashify; do
	if ! command -v $tool > /dev/null; then
		say "$tool is not in the guest: nothing measured"
		exit 0
	fi
done

need=$((mb * (guests + 1) * 13 / 10 + 48))
where=""
for dir in /scratch /tmp; do
	free=$(free_mib $dir)
	if [ -n "$free" ] && [ "$free" -ge $((need + 16)) ]; then
		where=$dir
		break
	fi
done
if [ -z "$where" ]; then
	say "no room for a ${need} MiB image in /scratch or /tmp: try fewer MB or GUESTS, or more VM_MEM"
	exit 0
fi
work=$where/hashify-bench.$$
img=$work.img
mnt=$work.mnt
cleanup() {
	umount -d $mnt 2>/dev/null || umount $mnt 2>/dev/null
	rm -rf $img $mnt
}
trap cleanup EXIT
mkdir -p $mnt
/usr/sbin/mke2fs -q -F -t ext4 -O quota,project -I 256 $img ${need}M > /dev/null 2>&1 &&
	mount -o loop $img $mnt || { say "cannot make or mount the loop filesystem"; exit 1; }

### One tree of about MB MiB: 70% of the files small (1-16 KiB), 28%
### medium (32-256 KiB), 2% large (1-2 MiB); about 12% of the bytes
### small, 48% medium, 40% large.
base=$mnt/base
mkdir -p $base
small=$((mb * 1024 * 12 / 100 / 8))	# files of 8 KiB on average
medium=$((mb * 1024 * 48 / 100 / 144))
large=$((mb * 40 / 100 * 2 / 3))
[ $large -ge 1 ] || large=1
i=0
while [ $i -lt $small ]; do
	d=$base/usr/share/s$((i % 16))
	mkdir -p $d
	head -c $(((i % 16 + 1) * 1024)) /dev/urandom > $d/f$i
	i=$((i + 1))
done
i=0
while [ $i -lt $medium ]; do
	d=$base/usr/lib/m$((i % 8))
	mkdir -p $d
	head -c $(((i % 8 + 1) * 32 * 1024)) /dev/urandom > $d/f$i
	i=$((i + 1))
done
i=0
mkdir -p $base/usr/bin
while [ $i -lt $large ]; do
	head -c $(((i % 2 + 1) * 1024 * 1024)) /dev/urandom > $base/usr/bin/big$i
	i=$((i + 1))
done
files=$(find $base -type f | wc -l)
tree_kib=$(kib $base)
say "$(uname -r); a tree of $files files, $((tree_kib / 1024)) MiB; $guests guests; image in $where"

# guests: fresh copies of the tree in $mnt/vservers/g1..gN, nothing else
make_guests() {
	rm -rf $mnt/vservers
	mkdir -p $mnt/vservers/.hash
	g=1
	while [ $g -le $guests ]; do
		cp -a $base $mnt/vservers/g$g
		g=$((g + 1))
	done
	drop_caches
}

### 1. Disk used before and after vhashify
make_guests
before=$(kib $mnt/vservers)
vhashify --manually $mnt/vservers/.hash $mnt/vservers /dev/null > $work.out 2>&1
rc=$?
after=$(kib $mnt/vservers)
if [ $rc != 0 ]; then
	say "vhashify failed (exit $rc):"
	sed 's/^/# /' $work.out
	exit 1
fi
saved=$(ratio $((100 * (before - after))) $before 1)
best=$(ratio $((100 * (guests - 1))) $guests 1)
say "disk: $((before / 1024)) MiB before, $((after / 1024)) MiB after vhashify: ${saved}% saved (goal: 90%; at most ${best}% for $guests copies)"
sed 's/^/# /' $work.out

### 2. Throughput, side by side on identical copies
total_mib=$(ratio $((tree_kib * guests)) 1024 1)
# run_tool NAME CMD...: best time of ROUNDS runs on fresh guests, in
# hundredths, into t_NAME
run_tool() {
	name=$1
	shift
	best_t=""
	r=0
	while [ $r -lt $rounds ]; do
		make_guests
		t0=$(now)
		"$@" > $work.out 2>&1 || { say "$name failed:"; sed 's/^/# /' $work.out; return 1; }
		t=$(($(now) - t0))
		[ $t -ge 1 ] || t=1
		if [ -z "$best_t" ] || [ $t -lt $best_t ]; then best_t=$t; fi
		r=$((r + 1))
	done
	eval "t_$name=$best_t"
	say "$name: $(ratio $best_t 100 2) s for $total_mib MiB: $(ratio "$total_mib" "$(ratio $best_t 100 2)" 1) MiB/s (best of $rounds), $(($(kib $mnt/vservers) / 1024)) MiB left"
}
t_vhashify="" t_hardlink="" t_rdfind=""
run_tool vhashify vhashify --manually $mnt/vservers/.hash $mnt/vservers /dev/null
if command -v hardlink > /dev/null; then
	run_tool hardlink hardlink $mnt/vservers
else
	say "hardlink (util-linux) is not in the guest: skipped"
fi
if command -v rdfind > /dev/null; then
	run_tool rdfind rdfind -makehardlinks true -outputname $work.rdfind $mnt/vservers
else
	say "rdfind is not in the guest: skipped"
fi
# the same work in less time: a ratio above 1 means vhashify is faster
[ -n "$t_vhashify" ] && [ -n "$t_hardlink" ] &&
	say "throughput vhashify / hardlink: $(ratio $t_hardlink $t_vhashify)"
[ -n "$t_vhashify" ] && [ -n "$t_rdfind" ] &&
	say "throughput vhashify / rdfind: $(ratio $t_rdfind $t_vhashify)"
rm -f $work.out $work.rdfind
exit 0
