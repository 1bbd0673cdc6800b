#!/bin/sh
# Runs inside the guest (scripts/vm-run): every kselftest program and every
# shell test in /tests, each printing TAP, each followed by a line
# "# vm-test NAME exit=STATUS" that tests/run-vm-tests checks.
echo "# vm: $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpus"
echo "# vm: modules: $(cut -d' ' -f1,3 /proc/modules | tr '\n' ' ')"
for t in /tests/*_test /tests/*_test.sh; do
	[ -f "$t" ] || continue
	name=${t##*/}
	case "$name" in
	*.sh) sh "$t" ;;
	*) "$t" ;;
	esac
	echo "# vm-test $name exit=$?"
done

# Last: ask kmemleak (debug kernel) for anything the tests leaked.  Two
# scans, because an object is reported only once it stayed unreferenced.
if [ -d /sys/kernel/debug ] && mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null &&
   [ -e /sys/kernel/debug/kmemleak ]; then
	echo "TAP version 13"
	echo "1..1"
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	if [ "$leaks" = 0 ]; then
		echo "ok 1 kmemleak: no leaks"
	else
		sed 's/^/# /' /sys/kernel/debug/kmemleak | head -n 60
		echo "not ok 1 kmemleak: $leaks leaked objects"
	fi
	echo "# vm-test kmemleak exit=0"
fi
