# shellcheck shell=bash
# Runs on a cluster node (bash), sourced by the node scripts: the test
# guest "web" on the shared data disk /dev/vdc, as Documentation/cluster.md
# lays it out:
#
#   /srv/vs/web            the mount point of /dev/vdc (ocf:heartbeat:Filesystem)
#   /srv/vs/web/etc/web    the guest's configuration; /etc/vservers/web on
#                          every node is a symlink to it
#   /srv/vs/web/root/web   its root (busybox, httpd on port 80 serving /www)
#
# Context 200, address 192.168.100.50/24 on eth0 (the cluster network).
GUEST=web
GUEST_XID=200
GUEST_IP=192.168.100.50
MNT=/srv/vs/web
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# guest_link: /etc/vservers/web -> the configuration on the shared disk
guest_link() {
	mkdir -p /etc/vservers "$MNT"
	ln -sfn "$MNT/etc/$GUEST" "/etc/vservers/$GUEST"
}

# guest_make: a new ext4 on /dev/vdc with the guest built on it, unmounted
guest_make() {
	local tmp img
	tmp=$(mktemp -d)
	img=$tmp/img
	guest_link
	mke2fs -q -F -t ext4 /dev/vdc || return 1
	mount /dev/vdc "$MNT" || return 1
	mkdir -p "$img/bin" "$img/sbin" "$img/etc" "$img/www" "$img/data"
	cp /bin/busybox "$img/bin/busybox"
	local a
	for a in sh sleep cat echo grep hostname httpd wget sync ls; do
		ln -s busybox "$img/bin/$a"
	done
	cat > "$img/sbin/init" <<-'INIT'
		#!/bin/sh
		/bin/httpd -f -p 80 -h /www &
		exec /bin/sleep 1000000
	INIT
	chmod 755 "$img/sbin/init"
	echo "root:x:0:0:root:/root:/bin/sh" > "$img/etc/passwd"
	echo "hello from web" > "$img/www/index.html"
	(cd "$img" && tar -cf "$tmp/root.tar" .)
	vserver --silent --confdir "$MNT/etc" "$GUEST" build -m template -t "$tmp/root.tar" \
		--context "$GUEST_XID" --hostname web.test --interface "eth0:$GUEST_IP/24" \
		--initstyle plain --rootdir "$MNT/root" || return 1
	rm -rf "$tmp"
	umount "$MNT"
}

# page [ADDR]: what the guest's httpd says (from outside the guest)
page() {
	# (timeout: busybox 1.35's wget -T segfaults)
	timeout 3 busybox wget -q -O - "http://${1:-$GUEST_IP}/" 2>/dev/null
}
answers() { [ "$(page "$@")" = "hello from web" ]; }
# answers_soon: it answers within 10 s (its init starts httpd in the
# background)
answers_soon() {
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		answers && return 0
		sleep 1
	done
	return 1
}
