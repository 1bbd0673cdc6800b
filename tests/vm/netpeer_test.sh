#!/bin/sh
# A guest's server seen from outside: a peer in another network namespace
# on a veth pair.  The host has 10.80.0.1 and the guest 10.80.0.2 on the
# host end; the peer is 10.80.0.9.  The guest's wildcard server answers
# the peer on the guest's address only; the guest's connections to the
# peer come from the guest's address.  The same server run by the host
# answers on both (so the test can fail).
. /tests/tap.sh
plan 6
tmp=$(mktemp -d)
mkdir -p $tmp/www
echo hello > $tmp/www/index.html

ip link add vsout0 type veth peer name vsout1
# busybox names the peer itself: find it
peer=$(ip -o link | sed -n 's/^[0-9]*: *\([^@:]*\)@vsout0.*/\1/p')
unshare -n sleep 600 &
ns=$!
i=0
while [ "$(readlink /proc/$ns/ns/net)" = "$(readlink /proc/self/ns/net)" ] &&
      [ $i -lt 50 ]; do
	usleep 100000
	i=$((i + 1))
done
ip link set "$peer" netns $ns
ip addr add 10.80.0.1/24 dev vsout0
ip addr add 10.80.0.2/24 dev vsout0
ip link set vsout0 up
in_peer() { nsenter -t $ns -n "$@"; }
in_peer ip addr add 10.80.0.9/24 dev "$peer"
in_peer ip link set "$peer" up
in_peer ip link set lo up

# listening PORT [COMMAND]: until a TCP socket listens on PORT (5 s at most)
listening() {
	port=$1
	shift
	i=0
	while ! "$@" netstat -ltn 2>/dev/null | grep -q ":$port "; do
		[ $i -lt 50 ] || return 1
		usleep 100000
		i=$((i + 1))
	done
}

# get ADDRESS: from the peer, 0 when the page came
get() {
	printf 'GET /index.html HTTP/1.0\r\n\r\n' |
		in_peer nc -w 2 "$1" 8080 2>/dev/null | grep -q '^hello'
}

httpd -f -p 8080 -h $tmp/www &
srv=$!
listening 8080
check "a server of the host answers the peer on the host's address" get 10.80.0.1
check "... and on the guest's (it is the host's wildcard)" get 10.80.0.2
kill $srv; wait $srv 2>/dev/null

chbind --silent --nid 4980 --ip 10.80.0.2/24 -- httpd -f -p 8080 -h $tmp/www &
srv=$!
listening 8080
check "the guest's wildcard server answers the peer on the guest's address" get 10.80.0.2
get 10.80.0.1
check "... and not on the host's" test $? != 0
kill $srv; wait $srv 2>/dev/null

# the guest connects out: the peer sees the guest's address
in_peer nc -l -p 9000 > /dev/null &
listener=$!
listening 9000 in_peer
chbind --silent --nid 4981 --ip 10.80.0.2/24 -- sh -c "sleep 3 | nc 10.80.0.9 9000" &
client=$!
i=0
while ! in_peer netstat -tn 2>/dev/null | grep -q ':9000 '; do
	[ $i -lt 50 ] || break
	usleep 100000
	i=$((i + 1))
done
in_peer netstat -tn > $tmp/conns 2>/dev/null
check "a guest's connection to the peer comes from the guest's address" \
	grep -Eq '10\.80\.0\.9:9000 +(::ffff:)?10\.80\.0\.2:' $tmp/conns
check "... not from the host's" sh -c "! grep -Eq '10\.80\.0\.9:9000 +(::ffff:)?10\.80\.0\.1:' $tmp/conns"
kill $listener $client 2>/dev/null
kill $ns
ip link del vsout0 2>/dev/null
rm -rf $tmp
