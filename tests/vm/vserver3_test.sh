#!/bin/sh
# vserver, the third: build -m skeleton; a guest from -m template with two
# interfaces (a veth to a peer in another network namespace, a dummy
# device), the flags virt_uptime and virt_mem, util-vserver's rlimits/ and
# sched/ directories; its server answers the peer on its own addresses
# only; enter on a pty (ptyrun); status, vserver-stat, vps; stop leaves
# nothing behind, restart; a broken configuration line or rlimits file
# starts nothing.  xids 190-199; 10.81.0.0/24 on the veth (host .1, guest
# .2, peer .9), 10.81.1.0/24 on the dummy (guest .2).
. /tests/tap.sh
plan 45
tmp=$(mktemp -d)
export VSERVER_CONFDIR=$tmp/etc
root=/scratch/vserver3-test
cfg=$VSERVER_CONFDIR/vs3
mkdir -p $VSERVER_CONFDIR

# wait_until CMD...: until CMD succeeds, 5 s at most
wait_until() {
	n=0
	until "$@"; do
		[ $n -lt 50 ] || return 1
		usleep 100000
		n=$((n + 1))
	done
}
# tasks_in XID: the pids of the live (not zombie) processes of context XID
tasks_in() {
	for st in /proc/[0-9]*/status; do
		awk -v xid="$1" '$1 == "VxID:" && $2 == xid { in_xid = 1 }
			$1 == "State:" && $2 == "Z" { zombie = 1 }
			END { exit !(in_xid && !zombie) }' $st 2>/dev/null && echo ${st%/status}
	done
}
# on_dev DEV ADDR: ADDR is on DEV
on_dev() { ip -o addr show dev $1 | grep -q "inet $2/"; }
# nothing_left: no context 190, no task of it, neither guest address, no
# mount below the guest's root on the host
nothing_left() {
	[ ! -d /proc/virtual/190 ] && [ -z "$(tasks_in 190)" ] &&
		! on_dev vs3h 10.81.0.2 && ! on_dev vs3d 10.81.1.2 &&
		! grep -q " $root/vs3[ /]" /proc/mounts
}
running_at_190() {
	vserver vs3 status > $tmp/status && grep -qx "Vserver 'vs3' is running at context '190'" $tmp/status
}
# centis: the first number of /proc/uptime on stdin, in hundredths
centis() { awk '{ split($1, t, "."); print t[1] * 100 + t[2] }'; }
# limit_hard ROW: the hard limit of ROW (PROC, RSS, ...) in /proc/virtual/190/limit
limit_hard() {
	awk -F'[[:space:]/]+' -v row="$1:" '$1 == row { print $6 }' /proc/virtual/190/limit
}

### The network: a veth pair to a peer namespace, a dummy device
ip link add vs3h type veth peer name vs3p
# busybox's ip may name the peer itself: the link whose peer is vs3h
peer=$(ip -o link show | awk -F': ' '$2 ~ /@vs3h$/ { sub(/@.*/, "", $2); print $2 }')
unshare -n sleep 1000 &
peer_pid=$!
net_of() { readlink /proc/$1/ns/net; }
own_net() { [ -n "$(net_of $peer_pid)" ] && [ "$(net_of $peer_pid)" != "$(net_of $$)" ]; }
wait_until own_net
in_peer() { nsenter -t $peer_pid -n "$@"; }
ip link set "$peer" netns $peer_pid
ip addr add 10.81.0.1/24 dev vs3h
ip link set vs3h up
in_peer ip link set lo up
in_peer ip addr add 10.81.0.9/24 dev "$peer"
in_peer ip link set "$peer" up
# the dummy's addresses are the host's too: reached through 10.81.0.1
in_peer ip route add 10.81.1.0/24 via 10.81.0.1
ip link add vs3d type dummy
ip link set vs3d up

# page ADDR: what the server on ADDR:8080 gives the peer
page() { in_peer timeout 5 wget -q -Y off -O - "http://$1:8080/" 2>/dev/null; }
answers() { [ "$(page $1)" = "hello from vs3" ]; }
silent() { [ -z "$(page $1)" ]; }

### build -m skeleton (191): the configuration tree and an empty root
run vserver sk build -m skeleton --context 191 --hostname sk.test --rootdir $root
check "build -m skeleton: exit 0" test $rc = 0
[ $rc = 0 ] || sed 's/^/# /' $tmp/err
skeleton_config() {
	c=$VSERVER_CONFDIR/sk
	[ "$(cat $c/context)" = 191 ] && [ "$(cat $c/uts/nodename)" = sk.test ] &&
		[ "$(readlink $c/vdir)" = $root/sk ] && [ "$(readlink $c/run)" = /run/vservers/sk/run ] &&
		grep -q '^none[[:space:]]*/proc[[:space:]]*proc' $c/fstab
}
check "... the configuration: context, uts, vdir, run, fstab" skeleton_config
skeleton_root() {
	for d in dev dev/pts etc proc tmp; do [ -d $root/sk/$d ] || return 1; done
	[ "$(stat -c %a $root/sk/tmp)" = 1777 ] || return 1
	for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0 ptmx:5:2; do
		[ -c $root/sk/dev/${n%%:*} ] &&
			[ "$(stat -c %t:%T $root/sk/dev/${n%%:*})" = "${n#*:}" ] || return 1
	done
}
check "... the root: dev (null zero full random urandom tty ptmx), dev/pts, etc, proc, tmp" \
	skeleton_root
run vserver sk status
check "... status: stopped, exit 3" test $rc = 3
run vserver --silent sk delete
check "delete the skeleton: exit 0, root and configuration gone" \
	sh -c "[ $rc = 0 ] && [ ! -e $root/sk ] && [ ! -e $VSERVER_CONFDIR/sk ]"

### A guest from a template (190): busybox, an init that runs httpd
img=$tmp/img
mkdir -p $img/bin $img/sbin $img/etc $img/www
cp /bin/busybox $img/bin/busybox
for applet in sh sleep cat echo grep hostname httpd; do
	ln -s busybox $img/bin/$applet
done
cat > $img/sbin/init <<'INIT'
#!/bin/sh
/bin/httpd -f -p 8080 -h /www &
exec /bin/sleep 100000
INIT
chmod 755 $img/sbin/init
echo "root:x:0:0:root:/root:/bin/sh" > $img/etc/passwd
echo "hello from vs3" > $img/www/index.html
(cd $img && tar -cf $tmp/root.tar .)

run vserver vs3 build -m template -t $tmp/root.tar --context 190 --hostname vs3.test \
	--interface vs3h:10.81.0.2/24 --interface vs3d:10.81.1.2/24 \
	--flags virt_uptime,virt_mem --initstyle plain --rootdir $root
check "build -m template with two interfaces: exit 0" test $rc = 0
[ $rc = 0 ] || sed 's/^/# /' $tmp/err
two_interfaces() {
	[ "$(cat $cfg/interfaces/0/ip)" = 10.81.0.2 ] && [ "$(cat $cfg/interfaces/0/dev)" = vs3h ] &&
		[ "$(cat $cfg/interfaces/0/prefix)" = 24 ] &&
		[ "$(cat $cfg/interfaces/1/ip)" = 10.81.1.2 ] && [ "$(cat $cfg/interfaces/1/dev)" = vs3d ] &&
		[ "$(cat $cfg/interfaces/1/prefix)" = 24 ] && [ ! -e $cfg/interfaces/2 ]
}
check "... interfaces/0 and interfaces/1" two_interfaces
check "... cflags: virt_uptime and virt_mem, a line each" \
	test "$(sort $cfg/cflags | tr '\n' ' ')" = "virt_mem virt_uptime "
# util-vserver's limits and bucket, as an administrator writes them
mkdir -p $cfg/rlimits $cfg/sched
echo 50 > $cfg/rlimits/nproc
echo 16384 > $cfg/rlimits/rss
# not the default bucket (1/4), so that the test can fail
echo 1 > $cfg/sched/fill-rate
echo 5 > $cfg/sched/interval

host_before=$(centis < /proc/uptime)
run vserver vs3 start
check "start: exit 0" test $rc = 0
[ $rc = 0 ] || sed 's/^/# /' $tmp/err
check "status: running at context 190" running_at_190
check "10.81.0.2 is on vs3h, beside the host's 10.81.0.1" \
	eval 'on_dev vs3h 10.81.0.2 && on_dev vs3h 10.81.0.1'
check "10.81.1.2 is on vs3d" on_dev vs3d 10.81.1.2

check "rlimits/nproc: PROC hard 50 in /proc/virtual/190/limit" test "$(limit_hard PROC)" = 50
check "rlimits/rss: RSS hard 16384 pages" test "$(limit_hard RSS)" = 16384
run vsched --xid 190 --get
check "sched/: vsched --get says fill-rate=1, interval=5" \
	sh -c "[ $rc = 0 ] && grep -qx fill-rate=1 $tmp/out && grep -qx interval=5 $tmp/out"

run vserver vs3 exec cat /proc/meminfo
memtotal=$(awk '$1 == "MemTotal:" { print $2 }' $tmp/out)
check "virt_mem: the guest's MemTotal is its RSS limit, 65536 kB" test "$rc:$memtotal" = 0:65536
run vserver vs3 exec cat /proc/uptime
guest_up=$(centis < $tmp/out)
since=$(($(centis < /proc/uptime) - host_before + 1))
# started after host_before was read: its uptime is at most the time since
check "virt_uptime: the guest's uptime counts from its start" \
	sh -c "[ $rc = 0 ] && [ '$guest_up' -le $since ]"
[ "$guest_up" -le $since ] 2>/dev/null ||
	echo "# the guest's uptime: '$guest_up' hundredths; since before its start: $since"

### Its server, seen from the peer
check "the guest's httpd answers the peer on 10.81.0.2" wait_until answers 10.81.0.2
check "... and on its other address, 10.81.1.2" answers 10.81.1.2
check "... not on the host's 10.81.0.1 (its wildcard gets its own addresses only)" \
	silent 10.81.0.1

### status, vserver-stat, vps
run vserver vs3 status
processes=$(awk -F: '/^Number of processes/ { print $2 + 0 }' $tmp/out)
check "status: exit 0, at least 2 processes (init, httpd)" \
	test "$rc" = 0 -a "${processes:-0}" -ge 2
check "vserver-stat lists context 190 as vs3" \
	sh -c "vserver-stat | awk '\$1 == 190 && \$NF == \"vs3\" { found = 1 } END { exit !found }'"
check "vps shows the guest's httpd in 190, vs3" \
	sh -c "vps | awk '\$2 == 190 && \$3 == \"vs3\" && /httpd/ { found = 1 } END { exit !found }'"

### enter, on a pseudo-terminal
printf 'echo "name:$(hostname):"; grep VxID /proc/self/status; exit 0\n' > $tmp/typed
run ptyrun vserver vs3 enter < $tmp/typed
check "enter on a pty: exit 0" test $rc = 0
[ $rc = 0 ] || sed 's/^/# /' $tmp/err $tmp/out
check "... a shell of the guest: its hostname" grep -q 'name:vs3.test:' $tmp/out
check "... in context 190" grep -q "VxID:[[:space:]]*190" $tmp/out
echo 'exit 7' > $tmp/typed
run ptyrun vserver vs3 enter < $tmp/typed
check "... the shell's exit status is enter's (7)" test $rc = 7

### stop, restart
run vserver vs3 stop
check "stop: exit 0" test $rc = 0
check "... no context, no task, neither address, no mount left" nothing_left
check "... the host's own 10.81.0.1 stays" on_dev vs3h 10.81.0.1
run vserver vs3 status
check "status: stopped, exit 3" sh -c "[ $rc = 3 ] && grep -qx \"Vserver 'vs3' is stopped\" $tmp/out"
check "... its server is gone" silent 10.81.0.2

run vserver vs3 restart
check "restart of the stopped guest: exit 0, running" sh -c "[ $rc = 0 ] && vserver vs3 running"
check "... both addresses back" eval 'on_dev vs3h 10.81.0.2 && on_dev vs3d 10.81.1.2'
check "... its server answers the peer again" wait_until answers 10.81.0.2
old_tasks=$(tasks_in 190 | tr '\n' ' ')
run vserver vs3 restart
new_tasks=$(tasks_in 190 | tr '\n' ' ')
check "restart of the running guest: exit 0, running, other processes" \
	sh -c "[ $rc = 0 ] && vserver vs3 running && [ -n '$old_tasks' ] && [ '$new_tasks' != '$old_tasks' ]"
check "... its server answers the peer" wait_until answers 10.81.0.2
vserver vs3 stop > /dev/null 2>&1
check "... stopped: nothing left" nothing_left

### A broken configuration line: nothing is started, nothing added
cp $cfg/interfaces/1/ip $tmp/ip
echo 10.81.1.300 > $cfg/interfaces/1/ip
run vserver vs3 start
check "a broken interfaces/1/ip: start fails, exit 1" test $rc = 1
check "... the message names FILE:LINE" \
	err_has "$cfg/interfaces/1/ip:1: '10.81.1.300' is not an IPv4 or IPv6 address"
check "... nothing was done: no context, not even the first address" nothing_left
cp $tmp/ip $cfg/interfaces/1/ip

### A broken rlimits file: found after the context was made; taken back
echo many > $cfg/rlimits/nproc
run vserver vs3 start
check "a broken rlimits/nproc: start fails, exit 1" test $rc = 1
check "... vlimit names FILE:LINE" err_has "$cfg/rlimits/nproc:1: invalid limit 'many'"
check "... nothing left (the context killed, both addresses removed)" wait_until nothing_left
echo 50 > $cfg/rlimits/nproc

run vserver --silent vs3 delete
check "delete: exit 0, root and configuration gone" \
	sh -c "[ $rc = 0 ] && [ ! -e $root/vs3 ] && [ ! -e $cfg ]"

kill $peer_pid 2>/dev/null
wait $peer_pid 2>/dev/null
ip link del vs3h 2>/dev/null
ip link del vs3d 2>/dev/null
rm -rf $tmp $root
