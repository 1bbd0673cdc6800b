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
