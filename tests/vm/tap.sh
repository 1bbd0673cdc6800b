# TAP helpers for the guest shell tests (busybox sh).  Source it, call
# plan N, then check DESCRIPTION COMMAND... for each test.
tap_n=0
plan() { echo "TAP version 13"; echo "1..$1"; }
check() {
	desc=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n $desc"
	else
		echo "not ok $tap_n $desc"
	fi
}
# wait_for PATH: until it exists (a context being created in the background)
wait_for() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 2000 ]; do usleep 1000; i=$((i + 1)); done
	[ -e "$1" ]
}
