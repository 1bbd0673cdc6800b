#!/bin/sh
# vserver-netif: a guest's interface addresses put on a host device with
# 'up', and exactly those taken off again with 'down'; an address that was
# there before is never touched.
. /tests/tap.sh
plan 24
tmp=$(mktemp -d)
cfg=$tmp/web
run=$tmp/run

# addrs DEV: the addresses on DEV but its link-local one, sorted, one line
addrs() {
	echo $(ip addr show dev $1 | sed -n 's/^ *inet6* \([^ ]*\).*/\1/p' | grep -v '^fe80:' | sort)
}
# netif ARGS...: vserver-netif with its output in $tmp/out and $tmp/err,
# its exit status in $rc
netif() {
	rc=0
	vserver-netif "$@" > $tmp/out 2> $tmp/err || rc=$?
}
# recorded: the addresses in the record, one line
recorded() {
	echo $(grep -v '^#' $run/interfaces)
}

ip link add vsnet0 type dummy
ip addr add 10.77.0.1/24 dev vsnet0		# the host's own, before the guest
mkdir -p $cfg/interfaces/0 $cfg/interfaces/1 $cfg/interfaces/2 $cfg/interfaces/3
echo vsnet0 > $cfg/interfaces/dev
echo 24 > $cfg/interfaces/prefix
echo 10.77.0.5 > $cfg/interfaces/0/ip
echo web > $cfg/interfaces/0/name
echo 2001:db8:77::5 > $cfg/interfaces/1/ip
echo 64 > $cfg/interfaces/1/prefix
echo 10.78.0.9 > $cfg/interfaces/2/ip
touch $cfg/interfaces/2/nodev
echo 10.77.0.1 > $cfg/interfaces/3/ip		# what the device has already

netif --cfgdir $cfg --rundir $run web show
shown() {
	[ $rc = 0 ] && [ "$(cat $tmp/out)" = "0: 10.77.0.5/24 dev vsnet0 broadcast 10.77.0.255 label vsnet0:web
1: 2001:db8:77::5/64 dev vsnet0
2: 10.78.0.9/24 nodev
3: 10.77.0.1/24 dev vsnet0 broadcast 10.77.0.255
network context: 10.77.0.5/24 2001:db8:77::5/64 10.78.0.9/24 10.77.0.1/24" ]
}
check "show: the interfaces as read, and what the network context gets" shown
check "show changes nothing" sh -c "[ '$(addrs vsnet0)' = '10.77.0.1/24' ] && [ ! -e $run ]"

netif --cfgdir $cfg --rundir $run web up
check "up: exit 0" test $rc = 0
check "up adds exactly the two addresses; the one there before stays as it was" \
	test "$(addrs vsnet0)" = "10.77.0.1/24 10.77.0.5/24 2001:db8:77::5/64"
check "... with its broadcast address and label vsnet0:web" \
	sh -c "ip addr show dev vsnet0 | grep -Eq 'inet 10\.77\.0\.5/24 brd 10\.77\.0\.255 .*vsnet0:web\$'"
check "... brings the device up" sh -c "ip link show dev vsnet0 | grep -q '<.*UP.*>'"
check "... the nodev address is on no device" sh -c "! ip addr show | grep -q 10.78.0.9"
check "... records exactly what it added" \
	test "$(recorded)" = "vsnet0 10.77.0.5/24 vsnet0 2001:db8:77::5/64"
said() {
	[ "$(cat $tmp/out)" = "added 10.77.0.5/24 to vsnet0
brought vsnet0 up
added 2001:db8:77::5/64 to vsnet0
10.77.0.1/24 is on vsnet0 already: left alone" ]
}
check "... and says so" said

netif --cfgdir $cfg --rundir $run web up
again() {
	[ $rc = 1 ] && grep -q 'the interfaces are up already' $tmp/err &&
		[ "$(addrs vsnet0)" = "10.77.0.1/24 10.77.0.5/24 2001:db8:77::5/64" ]
}
check "up again: refused (exit 1), nothing changes" again

netif --rundir $run web down
check "down: exit 0 (without the configuration)" test $rc = 0
check "down removes exactly those two; the host's address stays" \
	test "$(addrs vsnet0)" = "10.77.0.1/24"
check "... and the record" test ! -e $run/interfaces
netif --rundir $run web down
check "down again: nothing to do, exit 0" sh -c "[ $rc = 0 ] && [ ! -s $tmp/out ]"

# a bad configuration: nothing is done
echo 33 > $cfg/interfaces/0/prefix
netif --cfgdir $cfg --rundir $run web up
check "a bad prefix: exit 2" test $rc = 2
check "... the message names the file" grep -qF \
	"vserver-netif: $cfg/interfaces/0/prefix: 33 is not a prefix length for an IPv4 address (1..32)" \
	$tmp/err
check "... nothing changed, nothing recorded" \
	sh -c "[ '$(addrs vsnet0)' = '10.77.0.1/24' ] && [ ! -e $run/interfaces ]"
rm $cfg/interfaces/0/prefix

# a device that is not there: nothing is done
rm -rf $cfg/interfaces/1 $cfg/interfaces/3
echo vsnet9 > $cfg/interfaces/2/dev
rm $cfg/interfaces/2/nodev
netif --cfgdir $cfg --rundir $tmp/run2 web up
check "a missing device: exit 1" test $rc = 1
check "... the message says which" \
	grep -qF "vserver-netif: cannot add 10.78.0.9/24 to vsnet9: No such device" $tmp/err
check "... nothing left behind (no address, no record)" \
	sh -c "[ '$(addrs vsnet0)' = '10.77.0.1/24' ] && [ ! -e $tmp/run2 ]"

# the kernel refuses the second address: the first is taken back
ip link add vsnet1 type dummy
echo 1 > /proc/sys/net/ipv6/conf/vsnet1/disable_ipv6
echo 2001:db8:79::5 > $cfg/interfaces/2/ip
echo 64 > $cfg/interfaces/2/prefix
echo vsnet1 > $cfg/interfaces/2/dev
netif --cfgdir $cfg --rundir $run web up
refused() {
	[ $rc = 1 ] &&
		grep -qF "cannot add 2001:db8:79::5/64 to vsnet1: Permission denied" $tmp/err
}
check "a refused address: exit 1, the kernel's reason" refused
taken_back() {
	grep -qx "removed 10.77.0.5/24 from vsnet0" $tmp/out &&
		[ "$(addrs vsnet0)" = "10.77.0.1/24" ] && [ "$(addrs vsnet1)" = "" ] &&
		[ ! -e $run/interfaces ]
}
check "... what was added before is taken back, nothing recorded" taken_back
rm -rf $cfg/interfaces/2

# removing a primary address would take a secondary one of the host along
echo 10.80.0.5 > $cfg/interfaces/0/ip
netif --cfgdir $cfg --rundir $run web up
ip addr add 10.80.0.6/24 dev vsnet0		# secondary to the guest's
netif --rundir $run web down
kept() {
	[ $rc = 1 ] && grep -q 'promote_secondaries is 0' $tmp/err &&
		[ "$(addrs vsnet0)" = "10.77.0.1/24 10.80.0.5/24 10.80.0.6/24" ] &&
		[ "$(recorded)" = "vsnet0 10.80.0.5/24" ]
}
check "down does not remove an address that would take the host's along (exit 1)" kept
ip addr del 10.80.0.6/24 dev vsnet0
netif --rundir $run web down
check "... once that is gone, down removes it" \
	sh -c "[ $rc = 0 ] && [ '$(addrs vsnet0)' = '10.77.0.1/24' ] && [ ! -e $run/interfaces ]"

ip link del vsnet1
ip link del vsnet0
rm -rf $tmp
