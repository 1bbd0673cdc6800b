#!/bin/sh
# naddress: the addresses of a network context; bad input changes nothing.
. /tests/tap.sh
net_plan 26
tmp=$(mktemp -d)

# ran CMD...: run naddress with the arguments, rc, out and err kept
ran() {
	rc=0
	naddress "$@" > $tmp/out 2> $tmp/err || rc=$?
}
# usage_error MESSAGE: the last naddress exited 2 with MESSAGE, printed nothing
usage_error() {
	[ $rc = 2 ] && grep -qF -- "$1" $tmp/err && [ ! -s $tmp/out ]
}
# said LINE...: the last naddress exited 0 and printed exactly these lines
said() {
	[ $rc = 0 ] && [ "$(cat $tmp/out)" = "$(printf '%s\n' "$@")" ]
}

ncontext --create --silent --nid 110 -- sleep 600 &
holder=$!
wait_for /proc/virtnet/110

ran --add --nid 110 --ip 10.6.0.1/24 --bcast 10.6.0.255
check "--add --ip 10.6.0.1/24 --bcast: each change reported" \
	said 'network context 110: added 10.6.0.1/24' 'network context 110: broadcast is now 10.6.0.255'
ran --add --nid 110 --ip 10.6.0.1/255.255.255.0
check "adding it again: exit 1, 'already has address'" \
	sh -c "[ $rc = 1 ] && grep -qx 'naddress: net_add_ipv4(110): network context 110 already has address 10.6.0.1/24' $tmp/err"

ran --add --silent --nid 110 --ip 2001:db8::1/64 --lback 127.0.110.2
check "--silent --ip IPv6 --lback: added without a word" \
	sh -c "[ $rc = 0 ] && [ ! -s $tmp/out ] && [ ! -s $tmp/err ]"
check "... the IPv6 address is there" has_addr 110 2001:db8::1/64

ran --add --nid 110 --range 10.6.1.1-10.6.1.9 --mask 10.7.0.0/16
check "--range and --mask NET/M: added" \
	said 'network context 110: added 10.6.1.1-10.6.1.9' 'network context 110: added 10.7.0.0/16'
ran --add --nid 110 --range 10.6.1.1-10.6.1.9
check "the range is there: adding it again is refused" \
	sh -c "[ $rc = 1 ] && grep -q 'already has address 10.6.1.1-10.6.1.9' $tmp/err"

ran --add --nid 110 --mask 28 --ip 10.6.2.1 --ip 10.6.2.2/32
check "--mask applies to the --ip after it that has none" \
	said 'network context 110: added 10.6.2.1/28' 'network context 110: added 10.6.2.2'

ran --remove --nid 110 --ip 10.6.2.2
check "--remove: reported" said 'network context 110: removed 10.6.2.2'
ran --remove --nid 110 --ip 10.6.2.2
check "removing it again: exit 1, 'has no address'" \
	sh -c "[ $rc = 1 ] && grep -qx 'naddress: net_rem_ipv4(110): network context 110 has no address 10.6.2.2' $tmp/err"

ran --add --nid 110 --ip 10.6.0.1/24 --ip 10.6.3.1 -- echo ran
partly() {
	[ $rc = 1 ] && grep -q 'already has address 10.6.0.1/24' $tmp/err &&
		grep -qx 'network context 110: added 10.6.3.1' $tmp/out && ! grep -q ran $tmp/out
}
check "one refused of two: the other is added, exit 1, PROG not run" partly
check "... 10.6.3.1 is there" has_addr 110 10.6.3.1

# bad input: exit 2, a message naming the argument, nothing sent
ran --add --nid 110 --ip 10.6.4.1 --ip 10.6.4.300
check "a malformed address: exit 2, named" \
	usage_error "naddress: --ip '10.6.4.300': '10.6.4.300' is not an IPv4 or IPv6 address"
check "... and the good one before it was not sent" lacks_addr 110 10.6.4.1
ran --add --nid 110 --ip 10.6.4.1 --ip 10.6.4.2/33
check "a prefix above 32: exit 2" usage_error "--ip '10.6.4.2/33': prefix length 33 is out of range 1..32"
ran --add --nid 110 --ip 10.6.4.1 --ip 2001:db8::2/129
check "an IPv6 prefix above 128: exit 2" usage_error "prefix length 129 is out of range 1..128"
ran --add --nid 110 --ip 10.6.4.1 --ip 10.6.4.2/255.0.255.0
check "a netmask with holes: exit 2" usage_error "netmask 255.0.255.0 is not contiguous"
ran --add --nid 110 --ip 10.6.4.1 --range 10.6.5.9-10.6.5.1
check "a range backwards: exit 2" usage_error "--range '10.6.5.9-10.6.5.1': 10.6.5.9 comes after 10.6.5.1"
ran --add --nid 110 --ip 10.6.4.1 --range 10.6.5.1-2001:db8::9
check "a range of two families: exit 2" usage_error "mixes IPv4 and IPv6"
ran --remove --nid 110 --ip 10.6.3.1 --bcast 10.6.0.255
check "--bcast with --remove: exit 2" usage_error "--bcast and --lback go with --add or --set"
untouched() { lacks_addr 110 10.6.4.1 && has_addr 110 10.6.3.1; }
check "after all of these, 10.6.4.1 was never added, 10.6.3.1 is still there" untouched

ran --add --nid 119 --ip 10.6.0.1
check "a network context that does not exist: exit 1, said so" \
	sh -c "[ $rc = 1 ] && grep -qx 'naddress: net_add_ipv4(119): there is no network context 119' $tmp/err"

ran --set --nid 110 --ip 10.6.4.1 --ip bad
set_refused() { usage_error "--ip 'bad'" && has_addr 110 10.6.3.1; }
check "--set with a bad address: exit 2, nothing removed" set_refused
ran --set --nid 110 --ip 10.6.9.1
replaced() {
	said 'network context 110: removed every IPv4 address' \
	     'network context 110: removed every IPv6 address' \
	     'network context 110: added 10.6.9.1' &&
		lacks_addr 110 10.6.0.1/24 && lacks_addr 110 10.6.3.1 &&
		lacks_addr 110 2001:db8::1/64 && has_addr 110 10.6.9.1
}
check "--set: every address replaced, IPv4 and IPv6" replaced
kill $holder
wait $holder

# at most 64 addresses of a family
ncontext --create --silent --nid 111 -- sleep 600 &
holder=$!
wait_for /proc/virtnet/111
ips=
for i in $(seq 1 64); do ips="$ips --ip 10.9.0.$i"; done
ran --add --nid 111 $ips --ip 10.9.1.1
too_many() { usage_error "more than 64 IPv4 addresses" && lacks_addr 111 10.9.0.1; }
check "65 addresses in one go: exit 2, nothing sent" too_many
naddress --add --silent --nid 111 $ips
ran --add --nid 111 --ip 10.9.1.1
check "the 65th address: exit 1, the kernel's ENOSPC in words" \
	sh -c "[ $rc = 1 ] && grep -q 'net_add_ipv4(111): 10.9.1.1: No space left on device (network context 111 has 64 IPv4 addresses, the most it may have)' $tmp/err"
kill $holder
wait $holder

# from inside: nid self while in setup; refused once set up (from a
# security context, so that the caller is no root of the host)
rc=0
ncontext --create --silent --nid 112 -- chcontext --silent -- \
	naddress --add --ip 10.6.12.1 -- nattribute --set --flag '~state_setup' -- \
	naddress --add --ip 10.6.12.2 > $tmp/out 2> $tmp/err || rc=$?
inside() {
	[ $rc = 1 ] && grep -qx 'network context 112: added 10.6.12.1' $tmp/out &&
		grep -q 'net_add_ipv4(112): 10.6.12.2: Operation not permitted' $tmp/err
}
check "inside: its own address while in setup, none once set up" inside
rm -rf $tmp
