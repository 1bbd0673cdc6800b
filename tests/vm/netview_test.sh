#!/bin/sh
# What a guest with hide_netif (the default of a new network context) sees
# of the host's network: its own addresses, the devices that carry them
# and lo, its own sockets.  The host sees everything (so the test can
# fail).  Devices: vsview0 with the host's 10.81.0.1, fd81::1 and the
# guest's 10.81.0.2, fd81::2; vsview1 with only the host's 10.82.0.1.
. /tests/tap.sh
plan 10
tmp=$(mktemp -d)
ip link add vsview0 type dummy
echo 0 > /proc/sys/net/ipv6/conf/vsview0/accept_dad
ip addr add 10.81.0.1/24 dev vsview0
ip addr add 10.81.0.2/24 dev vsview0
ip addr add fd81::1/64 dev vsview0
ip addr add fd81::2/64 dev vsview0
ip link set vsview0 up
ip link add vsview1 type dummy
ip addr add 10.82.0.1/24 dev vsview1
ip link set vsview1 up

# until FILE... has a line matching PATTERN (5 s at most)
wait_grep() {
	pattern=$1
	shift
	i=0
	while ! cat "$@" 2>/dev/null | grep -q "$pattern"; do
		[ $i -lt 50 ] || return 1
		usleep 100000
		i=$((i + 1))
	done
}

# guest CMD...: CMD in network context 4970 with the guest's addresses
guest() { chbind --silent --nid 4970 --ip 10.81.0.2/24 --ip fd81::2/64 -- "$@"; }

ip addr > $tmp/host
guest ip addr > $tmp/guest
check "the host's ip addr shows every address" \
	sh -c "grep -q 10.81.0.1/ $tmp/host && grep -q 10.82.0.1/ $tmp/host && grep -q fd81::1/ $tmp/host"
check "the guest's shows its own addresses" \
	sh -c "grep -q 10.81.0.2/ $tmp/guest && grep -q fd81::2/ $tmp/guest"
check "... and none of the host's, nor its device" \
	sh -c "! grep -Eq '10\.81\.0\.1/|10\.82\.0\.1/|fd81::1/|vsview1' $tmp/guest"

guest cat /proc/net/dev > $tmp/dev
check "/proc/net/dev: the host has both devices, the guest only its own and lo" \
	sh -c "grep -q vsview1 /proc/net/dev && grep -q vsview0 $tmp/dev && grep -q 'lo:' $tmp/dev &&
	       ! grep -q vsview1 $tmp/dev"

guest cat /proc/net/if_inet6 > $tmp/if6
check "/proc/net/if_inet6: the guest sees fd81::2, not fd81::1" \
	sh -c "grep -q '^fd810000000000000000000000000001' /proc/net/if_inet6 &&
	       grep -q '^fd810000000000000000000000000002' $tmp/if6 &&
	       ! grep -q '^fd810000000000000000000000000001' $tmp/if6"

# sockets: a listener of the host on port 7090 (1BB2), one of the guest
# on 7091 (1BB3)
nc -l -p 7090 > /dev/null &
hostnc=$!
wait_grep ':1BB2 ' /proc/net/tcp /proc/net/tcp6
guest sh -c "nc -l -p 7091 > /dev/null & i=0
	while ! grep -q ':1BB3 ' /proc/net/tcp /proc/net/tcp6 && [ \$i -lt 50 ]; do
		usleep 100000; i=\$((i + 1)); done
	cat /proc/net/tcp /proc/net/tcp6 > $tmp/tcp; kill \$!"
check "/proc/net/tcp: the host sees its listener" grep -q ':1BB2 ' /proc/net/tcp /proc/net/tcp6
check "the guest sees its own listener" grep -q ':1BB3 ' $tmp/tcp
check "... and not the host's" sh -c "! grep -q ':1BB2 ' $tmp/tcp"
kill $hostnc

# unix sockets go by security context: syslogd's /dev/log is the host's
syslogd -n -O /dev/null &
logd=$!
wait_grep /dev/log /proc/net/unix
host_unix=$(grep -c /dev/log /proc/net/unix)
chcontext --silent --xid 4971 -- cat /proc/net/unix > $tmp/unix
kill $logd
check "/proc/net/unix: the host sees syslogd's /dev/log" test "$host_unix" -ge 1
check "a context does not" sh -c "! grep -q /dev/log $tmp/unix"

ip link del vsview0
ip link del vsview1
rm -rf $tmp
