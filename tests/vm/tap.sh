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
# wait_gone PATH: until it no longer exists (a context ending)
wait_gone() {
	i=0
	while [ -e "$1" ] && [ $i -lt 2000 ]; do usleep 1000; i=$((i + 1)); done
	[ ! -e "$1" ]
}
# in_new_session PID XID: PID leads a session of its own, not the test's,
# and runs in context XID, which exists (a --disconnect'ed command)
in_new_session() {
	sid=$(cut -d' ' -f6 /proc/$1/stat)
	[ "$sid" = "$1" ] && [ "$sid" != "$(cut -d' ' -f6 /proc/$$/stat)" ] &&
		grep -qx "VxID:$(printf '\t')$2" /proc/$1/status && [ -d /proc/virtual/$2 ]
}
# wait_exec PID NAME: until process PID runs NAME (a tool has exec'd it)
wait_exec() {
	i=0
	while [ "$(cat /proc/$1/comm 2>/dev/null)" != "$2" ] && [ $i -lt 2000 ]; do
		usleep 1000
		i=$((i + 1))
	done
	[ "$(cat /proc/$1/comm 2>/dev/null)" = "$2" ]
}
