#!/bin/sh
# vserver, continued: start-vservers (apps/init/mark and depends), vapt-get
# and pkgmgmt externalize/internalize, the init styles minit and systemd
# (a PID namespace of its own), gentoo and arch, start --rescue, dynamic
# contexts.  Tiny
# busybox guests with fake inits; xids 180-189, 10.79.1.0/24.
. /tests/tap.sh
plan 52
tmp=$(mktemp -d)
export VSERVER_CONFDIR=$tmp/etc
root=/scratch/vserver2-test
mkdir -p $VSERVER_CONFDIR

alive() { [ -d /proc/virtual/$1 ]; }
# running NAME XID: vserver status says NAME runs at XID
running() {
	vserver $1 status > $tmp/status 2>&1 &&
		grep -qx "Vserver '$1' is running at context '$2'" $tmp/status
}
stopped() { ! vserver $1 running; }
none_of_180_to_183() { ! alive 180 && ! alive 181 && ! alive 182 && ! alive 183; }
has_addr() { ip addr show dev vsv1 | grep -q "inet $1/"; }

ip link add vsv1 type dummy
ip link set vsv1 up

# A tiny root: busybox, a few applets, fake inits that record how they
# ran in /var/log (not /tmp: the guest's /tmp is a tmpfs of its own).
img=$tmp/img
mkdir -p $img/bin $img/sbin $img/etc $img/var/log $img/usr/bin $img/lib/systemd $img/lib/rc/sh \
	$img/var/cache/apt/archives
cp /bin/busybox $img/bin/busybox
for applet in sh sleep cat echo grep ls env; do
	ln -s busybox $img/bin/$applet
done
printf '#!/bin/sh\nexec sleep 100000\n' > $img/sbin/init
printf '#!/bin/sh\necho started > /var/log/minit\nexec sleep 100000\n' > $img/sbin/minit-start
printf '#!/bin/sh\necho stopped >> /var/log/minit\n' > $img/sbin/minit-stop
# systemd: pid 1 of its PID namespace; SIGRTMIN+4 (38) is poweroff
cat > $img/lib/systemd/systemd <<'INIT'
#!/bin/sh
echo "pid=$$ container=$container" > /var/log/systemd
trap 'echo poweroff >> /var/log/systemd; exit 0' 38
while :; do sleep 1; done
INIT
# gentoo/openrc and arch, as util-vserver starts and stops them
printf '#!/bin/sh\necho "start $*" > /var/log/rc\nexec sleep 100000\n' > $img/lib/rc/sh/init-vserver.sh
printf '#!/bin/sh\necho "$* RUNLEVEL=$RUNLEVEL" >> /var/log/rc\n' > $img/sbin/rc
printf '#!/bin/sh\necho started > /var/log/arch\nexec sleep 100000\n' > $img/etc/rc.multi
printf '#!/bin/sh\necho stopped >> /var/log/arch\n' > $img/etc/rc.shutdown
chmod 755 $img/lib/rc/sh/init-vserver.sh $img/sbin/rc $img/etc/rc.multi $img/etc/rc.shutdown
chmod 755 $img/sbin/init $img/sbin/minit-start $img/sbin/minit-stop $img/lib/systemd/systemd
echo "root:x:0:0:root:/root:/bin/sh" > $img/etc/passwd
echo guest > $img/var/cache/apt/archives/guest-only.deb
(cd $img && tar -cf $tmp/root.tar .)

# build NAME STYLE [OPTIONS...]: a guest from the tarball, init style STYLE
build() {
	name=$1
	style=$2
	shift 2
	vserver $name build -m template -t $tmp/root.tar --initstyle $style --rootdir $root "$@" \
		> /dev/null
}

### start-vservers: m1 (mark default, depends on m2), m2 (no mark),
### m3 (mark default), m4 (mark other).  Their pre-start and pre-stop
### scripts record the order.
for g in m1:180 m2:181 m3:182 m4:183; do
	build ${g%:*} plain --context ${g#*:}
	mkdir -p $VSERVER_CONFDIR/${g%:*}/scripts
	echo "echo \"\$1 \$2\" >> $tmp/order" > $VSERVER_CONFDIR/${g%:*}/scripts/pre-start
	cp $VSERVER_CONFDIR/${g%:*}/scripts/pre-start $VSERVER_CONFDIR/${g%:*}/scripts/pre-stop
done
echo default > $VSERVER_CONFDIR/m1/apps/init/mark
echo m2 > $VSERVER_CONFDIR/m1/apps/init/depends
echo default > $VSERVER_CONFDIR/m3/apps/init/mark
echo other > $VSERVER_CONFDIR/m4/apps/init/mark

run start-vservers --test --start
check "start-vservers --test: the order, nothing started" \
	sh -c "[ $rc = 0 ] && [ \"\$(awk '{ print \$(NF-1), \$NF }' $tmp/out | tr '\n' ' ')\" = 'm2 start m1 start m3 start ' ] && ! [ -d /proc/virtual/181 ]"

rm -f $tmp/order
run start-vservers --start
check "start-vservers --start: exit 0" test $rc = 0
[ $rc = 0 ] || sed 's/^/# /' $tmp/err
check "... the dependency first, then by name" \
	sh -c "[ \"\$(tr '\n' ' ' < $tmp/order)\" = 'pre-start m2 pre-start m1 pre-start m3 ' ]"
check "... all three run" sh -c "vserver m1 running && vserver m2 running && vserver m3 running"
check "... not the guest of another mark" stopped m4

rm -f $tmp/order
run start-vservers --stop
check "start-vservers --stop: exit 0" test $rc = 0
check "... in the reverse order" \
	sh -c "[ \"\$(tr '\n' ' ' < $tmp/order)\" = 'pre-stop m3 pre-stop m1 pre-stop m2 ' ]"
check "... none left running" none_of_180_to_183

echo m1 > $VSERVER_CONFDIR/m2/apps/init/depends
run start-vservers --start
check "a cycle: exit 1, named, nothing started" \
	sh -c "[ $rc = 1 ] && grep -qF \"'m1' -> 'm2' -> 'm1'\" $tmp/err && grep -q 'nothing was started' $tmp/err"
check "... no context" none_of_180_to_183
rm $VSERVER_CONFDIR/m2/apps/init/depends

echo nosuch > $VSERVER_CONFDIR/m3/apps/init/depends
run start-vservers --start
check "an unknown dependency: exit 1, named, nothing started" \
	sh -c "[ $rc = 1 ] && grep -qF \"apps/init/depends of 'm3': 'nosuch' is no guest\" $tmp/err"
check "... no context" none_of_180_to_183
rm $VSERVER_CONFDIR/m3/apps/init/depends

echo /sbin/nosuch > $VSERVER_CONFDIR/m2/apps/init/cmd.start
run start-vservers --start
check "a dependency that fails: exit 1, what depends on it is not started" \
	sh -c "[ $rc = 1 ] && grep -qF \"m1: not started: it depends on 'm2', which did not start\" $tmp/err"
check "... the others are" sh -c "vserver m3 running && ! vserver m1 running && ! vserver m2 running"
rm $VSERVER_CONFDIR/m2/apps/init/cmd.start
start-vservers --stop > /dev/null 2>&1
check "... and stopped again" none_of_180_to_183

### vapt-get and pkgmgmt: a1 (184); the host's cache has host-only.deb
host_cache_made=
if [ ! -d /var/cache/apt/archives ]; then
	mkdir -p /var/cache/apt/archives
	host_cache_made=1
fi
echo host > /var/cache/apt/archives/host-only.deb
build a1 plain --context 184
run vapt-get a1 -- update
check "vapt-get of a stopped guest: exit 1, said" \
	sh -c "[ $rc = 1 ] && grep -q 'is not running' $tmp/err"
vserver a1 start
run vapt-get a1 -- update
check "vapt-get without /usr/bin/apt-get in the guest: exit 1, said" \
	sh -c "[ $rc = 1 ] && grep -qF 'the guest has no /usr/bin/apt-get' $tmp/err"
run vserver a1 pkgmgmt externalize
check "pkgmgmt externalize without apt-get: exit 1, nothing made" \
	sh -c "[ $rc = 1 ] && [ ! -e $VSERVER_CONFDIR/a1/apps/pkgmgmt/external ]"
# a fake apt-get: its arguments, its context, the cache it sees
printf '#!/bin/sh\necho "args: $*"\ngrep VxID /proc/self/status\nls /var/cache/apt/archives\n' \
	> $root/a1/usr/bin/apt-get
chmod 755 $root/a1/usr/bin/apt-get
run vapt-get a1 -- install -y less
check "vapt-get: the guest's apt-get with the arguments, exit 0" \
	sh -c "[ $rc = 0 ] && grep -qx 'args: install -y less' $tmp/out"
check "... in context 184" grep -q "VxID:[[:space:]]*184" $tmp/out
check "... internalized: the guest's own cache" \
	sh -c "grep -qx guest-only.deb $tmp/out && ! grep -q host-only.deb $tmp/out"
run vserver a1 pkgmgmt externalize
check "pkgmgmt externalize: exit 0, apps/pkgmgmt/external" \
	sh -c "[ $rc = 0 ] && [ -e $VSERVER_CONFDIR/a1/apps/pkgmgmt/external ]"
run vapt-get a1 -- install less
check "externalized: vapt-get sees the host's cache" \
	sh -c "[ $rc = 0 ] && grep -qx host-only.deb $tmp/out && ! grep -q guest-only.deb $tmp/out"
run vserver a1 exec ls /var/cache/apt/archives
check "... for that run only: the guest still has its own" \
	sh -c "[ $rc = 0 ] && grep -qx guest-only.deb $tmp/out && ! grep -q host-only.deb $tmp/out"
check "... and no mount of it is left on the host" \
	sh -c "! grep -q ' $root/a1/var/cache/apt/archives ' /proc/mounts"
run vserver a1 apt-get check
check "vserver NAME apt-get: the same" sh -c "[ $rc = 0 ] && grep -qx 'args: check' $tmp/out"
run vserver a1 pkgmgmt internalize
run vapt-get a1 -- install less
check "pkgmgmt internalize: the guest's own cache again" \
	sh -c "[ $rc = 0 ] && [ ! -e $VSERVER_CONFDIR/a1/apps/pkgmgmt/external ] && grep -qx guest-only.deb $tmp/out"
vserver a1 stop
rm -f /var/cache/apt/archives/host-only.deb
[ -n "$host_cache_made" ] && rm -rf /var/cache/apt

# file_is FILE TEXT: FILE says TEXT within 5 s (an init writes it after
# vserver start returned)
file_is() {
	i=0
	while [ "$(cat "$1" 2>/dev/null)" != "$2" ] && [ $i -lt 50 ]; do
		usleep 100000
		i=$((i + 1))
	done
	[ "$(cat "$1" 2>/dev/null)" = "$2" ]
}

### init style minit (186) and start --rescue
build n1 minit --context 186
check "build --initstyle minit" test "$(cat $VSERVER_CONFDIR/n1/apps/init/style)" = minit
run vserver n1 start
check "minit: started with /sbin/minit-start" \
	eval '[ $rc = 0 ] && running n1 186 && file_is $root/n1/var/log/minit started'
run vserver n1 stop
check "... stopped with /sbin/minit-stop, context gone" \
	sh -c "[ $rc = 0 ] && [ \"\$(tail -n 1 $root/n1/var/log/minit)\" = stopped ] && ! [ -d /proc/virtual/186 ]"
rm -f $root/n1/var/log/minit
run vserver n1 start --rescue /bin/sh -c 'echo rescued > /var/log/rescue; exec sleep 100000'
check "start --rescue CMD: CMD instead of the init" \
	eval '[ $rc = 0 ] && running n1 186 && file_is $root/n1/var/log/rescue rescued &&
		[ ! -e $root/n1/var/log/minit ]'
vserver n1 stop > /dev/null 2>&1
check "... stopped" stopped n1

### init style systemd (187): pid 1 of a PID namespace, SIGRTMIN+4 to stop
build s1 systemd --context 187
run vserver s1 start
check "systemd: started, exit 0" eval '[ $rc = 0 ] && running s1 187'
[ $rc = 0 ] || sed 's/^/# /' $tmp/err
i=0
while [ ! -s $root/s1/var/log/systemd ] && [ $i -lt 50 ]; do usleep 100000; i=$((i + 1)); done
check "... /lib/systemd/systemd is pid 1, with container=vserver" \
	test "$(head -n 1 $root/s1/var/log/systemd)" = "pid=1 container=vserver"
run vserver s1 exec cat /proc/1/comm
check "exec joins its PID namespace and sees its /proc (pid 1: systemd)" \
	sh -c "[ $rc = 0 ] && [ \"\$(cat $tmp/out)\" = systemd ]"
run vserver s1 exec sh -c 'echo $$'
check "... its own pid there is small, not the host's" \
	sh -c "[ $rc = 0 ] && [ \"\$(cat $tmp/out)\" -lt 100 ]"
run vserver s1 stop
check "stop: exit 0, the context gone" sh -c "[ $rc = 0 ] && ! [ -d /proc/virtual/187 ]"
check "... the init got SIGRTMIN+4 (poweroff)" grep -qx poweroff $root/s1/var/log/systemd

### init styles gentoo (188) and arch (189): util-vserver's commands
build g1 gentoo --context 188
run vserver g1 start
check "gentoo: started with /lib/rc/sh/init-vserver.sh default" \
	eval '[ $rc = 0 ] && running g1 188 && file_is $root/g1/var/log/rc "start default"'
run vserver g1 stop
check "... stopped with env -i RUNLEVEL=0 /sbin/rc shutdown, context gone" \
	sh -c "[ $rc = 0 ] && [ \"\$(tail -n 1 $root/g1/var/log/rc)\" = 'shutdown RUNLEVEL=0' ] &&
	       ! [ -d /proc/virtual/188 ]"
build r1 arch --context 189
run vserver r1 start
check "arch: started with /etc/rc.multi" \
	eval '[ $rc = 0 ] && running r1 189 && file_is $root/r1/var/log/arch started'
run vserver r1 stop
check "... stopped with /etc/rc.shutdown, context gone" \
	sh -c "[ $rc = 0 ] && [ \"\$(tail -n 1 $root/r1/var/log/arch)\" = stopped ] && ! [ -d /proc/virtual/189 ]"

### a dynamic context: no context file, the kernel's xid in the run file
build d1 plain --context dynamic --interface vsv1:10.79.1.9/24
check "build --context dynamic: no context file" test ! -e $VSERVER_CONFDIR/d1/context
run vserver d1 start
check "start: exit 0" test $rc = 0
[ $rc = 0 ] || sed 's/^/# /' $tmp/err
dxid=$(cat /run/vservers/d1/run 2>/dev/null)
check "... the run file holds a dynamic xid (49152..65535)" \
	sh -c "[ -n '$dxid' ] && [ '$dxid' -ge 49152 ] && [ '$dxid' -le 65535 ]"
check "... status says it runs there, /proc/virtual has it" \
	eval 'running d1 "$dxid" && [ -d /proc/virtual/$dxid ]'
check "... its address is on vsv1" has_addr 10.79.1.9
run vserver d1 exec grep VxID /proc/self/status
check "exec: in that context" grep -q "VxID:[[:space:]]*$dxid\$" $tmp/out
run vserver d1 stop
check "stop: exit 0, the context and the address gone" \
	sh -c "[ $rc = 0 ] && ! [ -d /proc/virtual/$dxid ] && ! ip addr show dev vsv1 | grep -q 10.79.1.9"
check "... status: stopped, exit 3" sh -c "vserver d1 status > /dev/null; [ \$? = 3 ]"
run vserver d1 start
dxid2=$(cat /run/vservers/d1/run 2>/dev/null)
check "started again: running at the xid in the run file" \
	eval '[ $rc = 0 ] && [ -n "$dxid2" ] && running d1 "$dxid2"'
vserver d1 stop > /dev/null 2>&1
check "... stopped again" stopped d1

for g in m1 m2 m3 m4 a1 n1 s1 d1; do
	vserver $g stop > /dev/null 2>&1
	vserver --silent $g delete > /dev/null 2>&1
done
ip link del vsv1
rm -rf $tmp $root
