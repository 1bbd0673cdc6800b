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
# own_session PID: PID leads a session of its own, not the test's
own_session() {
	sid=$(cut -d' ' -f6 /proc/$1/stat)
	[ "$sid" = "$1" ] && [ "$sid" != "$(cut -d' ' -f6 /proc/$$/stat)" ]
}
# in_new_session PID XID: PID leads a session of its own, not the test's,
# and runs in context XID, which exists (a --disconnect'ed command)
in_new_session() {
	own_session $1 &&
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
# attempt CMD...: run CMD, its exit status in $rc, its standard error in
# $tmp/err (a test's scratch directory)
attempt() {
	rc=0
	"$@" 2> $tmp/err || rc=$?
}
# run CMD...: as attempt, and its standard output in $tmp/out
run() {
	rc=0
	"$@" > $tmp/out 2> $tmp/err || rc=$?
}
out_is() { [ "$(cat $tmp/out)" = "$1" ]; }
out_has() { grep -qF -- "$1" $tmp/out; }
err_has() { grep -qF -- "$1" $tmp/err; }
# refused STATUS TEXT: the last attempt exited STATUS, its message has TEXT
refused() { [ $rc = $1 ] && grep -q -- "$2" $tmp/err; }
# check_refused DESCRIPTION STATUS TEXT CMD...: a test that CMD exits
# STATUS, saying TEXT, and that the test's own function "unchanged" holds
check_refused() {
	desc=$1
	status=$2
	text=$3
	shift 3
	attempt "$@"
	check "$desc" refused_unchanged "$status" "$text"
}
refused_unchanged() { refused "$1" "$2" && unchanged; }
# skip_all N REASON: report the N tests of the plan as skipped
skip_all() {
	i=0
	while [ $i -lt $1 ]; do i=$((i + 1)); echo "ok $i # SKIP $2"; done
}

# Network contexts.  net_plan N: plan N tests; if the module has no
# network contexts yet (creating one is ENOSYS), skip them all and end.
net_plan() {
	plan $1
	if ncontext --create --silent -- true 2>&1 | grep -q 'Function not implemented'; then
		skip_all $1 "the module has no network contexts yet"
		exit 0
	fi
}
# in_new_net_session PID NID: PID leads a session of its own and runs in
# network context NID, which exists
in_new_net_session() {
	own_session $1 && grep -qx "NID:[[:space:]]*$2" /proc/$1/ninfo && [ -d /proc/virtnet/$2 ]
}
# nid_in FILE: the nid of the "NID:" line of /proc/PID/ninfo output in FILE
nid_in() {
	sed -n 's/^NID:[[:space:]]*//p' "$1"
}
# nids: the network contexts there are, one per line
nids() {
	ls /proc/virtnet | grep -E '^[0-9]+$' | sort -n
}
# has_addr NID ADDR: NID has ADDR (naddress --ip syntax): adding it again
# is refused with "already has address"; nothing changes either way
has_addr() {
	if naddress --add --silent --nid $1 --ip $2 2> /tmp/has_addr.$$; then
		naddress --remove --silent --nid $1 --ip $2
		return 1
	fi
	grep -q "network context $1 already has address" /tmp/has_addr.$$
}
# lacks_addr NID ADDR: removing ADDR is refused with "has no address"
lacks_addr() {
	if naddress --remove --silent --nid $1 --ip $2 2> /tmp/lacks_addr.$$; then
		naddress --add --silent --nid $1 --ip $2
		return 1
	fi
	grep -q "network context $1 has no address" /tmp/lacks_addr.$$
}
# nflags_are NID LINE: the flags line of nattribute --get for NID is LINE
nflags_are() {
	[ "$(nattribute --nid $1 --get | head -n 1)" = "$2" ]
}

# fs_up IMAGE DIR [SIZE]: a fresh ext4 with project quota (tags, disk
# limits) on IMAGE, SIZE (default 32M), loop-mounted on DIR with "tag"
# and "prjquota".  e2fsprogs' mke2fs: busybox's applet knows no -O.
fs_up() {
	mkdir -p "$2" &&
		/usr/sbin/mke2fs -q -F -t ext4 -O quota,project -I 256 "$1" "${3:-32M}" \
			> /dev/null 2>&1 &&
		mount -o loop,tag,prjquota "$1" "$2"
}
