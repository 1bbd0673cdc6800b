#!/bin/sh
# The per-guest firewall recipe of Documentation/network.md: the sockets of
# network context N carry mark N, which nftables matches.  A rule for one
# guest is shown to stop that guest and nobody else, and to be what stops
# it (without the rule the guest gets through).
. /tests/tap.sh
plan 5
if ! command -v nft > /dev/null; then
	for i in 1 2 3 4 5; do echo "ok $i # SKIP no nft in the guest image"; done
	exit 0
fi
tmp=$(mktemp -d)
ip link add vsnft0 type dummy
ip addr add 10.79.0.1/24 dev vsnft0
ip addr add 10.79.0.2/24 dev vsnft0
ip addr add 10.79.0.3/24 dev vsnft0
ip link set vsnft0 up
mkdir -p $tmp/www
echo hello > $tmp/www/index.html
httpd -p 10.79.0.1:7050 -h $tmp/www

# fetch [COMMAND...]: 0 when the page came (through COMMAND, e.g. chbind)
fetch() {
	printf 'GET /index.html HTTP/1.0\r\n\r\n' |
		"$@" nc -w 2 10.79.0.1 7050 2>/dev/null | grep -q '^hello'
}

nft -f - <<'RULES'
table inet vsguests {
	chain out {
		type filter hook output priority 0;
		meta mark 4996 tcp dport 7050 drop
	}
}
RULES
check "nft takes a rule on the mark of nid 4996" test $? = 0
check "the host gets through" fetch
check "guest 4997 gets through" fetch chbind --silent --nid 4997 --ip 10.79.0.3 --
fetch chbind --silent --nid 4996 --ip 10.79.0.2 --
check "guest 4996 is stopped" test $? != 0
nft delete table inet vsguests
check "without the rule guest 4996 gets through: the rule stopped it" \
	fetch chbind --silent --nid 4996 --ip 10.79.0.2 --
killall httpd
ip link del vsnft0
rm -rf $tmp
