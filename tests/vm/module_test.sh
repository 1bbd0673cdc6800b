#!/bin/sh
# The module: loaded by modprobe from /lib/modules/$(uname -r)/extra, not
# removable while a context exists, and without it the kernel looks plain.
. /tests/tap.sh
plan 8
tab=$(printf '\t')

check "modprobe loaded vserver from extra/" \
	sh -c "grep -q '^vserver ' /proc/modules && grep -q '^extra/vserver.ko:' /lib/modules/$(uname -r)/modules.dep"

chcontext --silent --xid 40 -- sleep 600 &
holder=$!
wait_for /proc/virtual/40
check "rmmod is refused while a context exists" \
	sh -c "! rmmod vserver 2>/dev/null && grep -q '^vserver ' /proc/modules"
kill $holder
wait $holder

check "rmmod works once the last context is gone" rmmod vserver
check "without the module: no /dev/vserver, no /proc/virtual" \
	sh -c "[ ! -e /dev/vserver ] && [ ! -e /proc/virtual ]"
check "without the module: no VxID line, empty /proc/self/vinfo" \
	sh -c "! grep -q '^VxID:' /proc/self/status && [ -z \"\$(cat /proc/self/vinfo)\" ]"
check "without the module: the vserver system call is ENOSYS (get_version)" \
	sh -c "[ \"\$(vsyscall 0 0)\" = '-38 ENOSYS' ]"
modprobe vserver
check "modprobe again: back, and VxID is 0 on the host" \
	sh -c "[ -c /dev/vserver ] && grep -qx 'VxID:${tab}0' /proc/self/status"
check "... and with it, 0x00020308 as Linux-VServer 2.3 said" \
	sh -c "[ \"\$(vsyscall 0 0)\" = 131848 ]"
