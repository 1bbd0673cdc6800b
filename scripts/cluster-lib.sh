# shellcheck shell=bash
# Helpers for the cluster test's QEMU nodes; source after scripts/lib.sh.
# Used by scripts/cluster-run and tests/cluster/*.sh.
#
#   cluster_setup N [SERVICES]   make the work dir, the disks, boot nodes 1..N
#                                (SERVICES 0: no sbd/corosync/pacemaker)
#   node I CMD...                run CMD (a shell command line) on node I
#                                through ssh; its status is node's
#   node_script I < SCRIPT       run a bash script from stdin on node I
#   node_kill I                  QEMU monitor "quit": the node is gone at once
#   node_alive I                 its QEMU still runs
#   cluster_teardown             quit every node, remove the work dir
#                                (kept with CLUSTER_KEEP=1)
#
# Environment: CLUSTER_KDIR and CLUSTER_KO (as for scripts/cluster-image),
# CLUSTER_MEM (MiB per node, default 768), CLUSTER_WORK (the
# work dir; default a new one under $BUILD), CLUSTER_BOOT_TIMEOUT (seconds
# a node may take until ssh answers, default 600), CLUSTER_SBD_WATCHDOG and
# CLUSTER_SBD_MSGWAIT (SBD timeouts in seconds, default 2 and 4).
# The nodes: Debian 12 from scripts/cluster-image, our kernel, one vCPU,
# TCG or KVM as scripts/vm-run decides.  Disks: vda the node's root (a
# qcow2 overlay of node.img), vdb the shared SBD disk (16 MiB raw), vdc the
# shared data disk (512 MiB raw); both shared raw files are opened with
# file.locking=off and share-rw=on by every node.  Networks: the cluster
# network is a QEMU socket multicast hub on 127.0.0.1 (192.168.100.N/24);
# each node also has a user network whose port CLUSTER_SSH_PORT+N goes to
# its sshd.

cluster_pick_accel() {
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] && [ -f "$CACHE/kvm-usable" ] &&
		[ "$(cat "$CACHE/kvm-usable")" = yes ]; then
		echo kvm
	else
		echo tcg
	fi
}

cluster_setup() {
	local count=$1 services=${2:-1}
	KDIR=${CLUSTER_KDIR:-$(kernel_dir)}
	CLUSTER_BZIMAGE=$KDIR/obj/arch/x86/boot/bzImage
	[ -f "$CLUSTER_BZIMAGE" ] || die "no kernel (run: make kernel)"
	CLUSTER_IMAGE=$("$TOP/scripts/cluster-image") || die "scripts/cluster-image failed"
	CLUSTER_KEY=$(dirname "$CLUSTER_IMAGE")/id_ed25519
	CLUSTER_N=$count
	mkdir -p "$BUILD"
	CLUSTER_WORK=${CLUSTER_WORK:-$(mktemp -d "$BUILD/cluster.XXXXXX")}
	mkdir -p "$CLUSTER_WORK"
	# ports and the multicast group: from our pid, so that two runs on
	# one machine do not meet
	local base=$((20000 + ($$ % 400) * 100))
	CLUSTER_SSH_PORT=$base
	CLUSTER_MON_PORT=$((base + 50))
	CLUSTER_MCAST=230.0.$(($$ % 250)).1:$((base + 99))
	truncate -s 16M "$CLUSTER_WORK/sbd.img"
	truncate -s 512M "$CLUSTER_WORK/data.img"
	CLUSTER_ACCEL=$(cluster_pick_accel)
	local i
	for i in $(seq 1 "$count"); do
		node_boot "$i" "$services"
	done
	for i in $(seq 1 "$count"); do
		node_wait "$i" || return 1
	done
}

# node_boot I SERVICES: start node I's QEMU in the background
node_boot() {
	local i=$1 services=$2 cpu accel=$CLUSTER_ACCEL
	if [ "$accel" = kvm ]; then cpu="-enable-kvm -cpu host"; else cpu="-cpu qemu64"; fi
	qemu-img create -q -f qcow2 -b "$CLUSTER_IMAGE" -F raw "$CLUSTER_WORK/node$i.qcow2"
	echo "$services" >"$CLUSTER_WORK/services$i"
	local extra=""
	[ "$i" = 1 ] && extra=" cluster.sbd_create=1"
	# no_timer_check: under TCG on a busy host the kernel's check of the
	# IO-APIC timer can fail and panic ("IO-APIC + timer doesn't work")
	# shellcheck disable=SC2086
	qemu-system-x86_64 -nodefaults -display none -no-reboot $cpu -smp 1 \
		-m "${CLUSTER_MEM:-768}" -name "node$i" \
		-kernel "$CLUSTER_BZIMAGE" \
		-append "console=ttyS0 root=/dev/vda rw init=/sbin/node-init panic=-1 no_timer_check cluster.node=$i cluster.nodes=$CLUSTER_N cluster.services=$services cluster.time=$(date +%s) cluster.sbd_watchdog=${CLUSTER_SBD_WATCHDOG:-2} cluster.sbd_msgwait=${CLUSTER_SBD_MSGWAIT:-4}$extra" \
		-drive "file=$CLUSTER_WORK/node$i.qcow2,format=qcow2,if=none,id=root" \
		-device virtio-blk-pci,drive=root \
		-drive "file=$CLUSTER_WORK/sbd.img,format=raw,if=none,id=sbd,file.locking=off" \
		-device virtio-blk-pci,drive=sbd,share-rw=on \
		-drive "file=$CLUSTER_WORK/data.img,format=raw,if=none,id=data,file.locking=off" \
		-device virtio-blk-pci,drive=data,share-rw=on \
		-netdev "socket,id=cnet,mcast=$CLUSTER_MCAST,localaddr=127.0.0.1" \
		-device "virtio-net-pci,netdev=cnet,mac=52:54:00:00:00:0$i" \
		-netdev "user,id=mnet,hostfwd=tcp:127.0.0.1:$((CLUSTER_SSH_PORT + i))-:22" \
		-device "virtio-net-pci,netdev=mnet,mac=52:54:00:01:00:0$i" \
		-device virtio-rng-pci \
		-serial "file:$CLUSTER_WORK/console$i.log" \
		-monitor "tcp:127.0.0.1:$((CLUSTER_MON_PORT + i)),server,nowait" \
		-pidfile "$CLUSTER_WORK/qemu$i.pid" -daemonize ||
		die "cannot start QEMU for node$i"
}

node_ssh_args() {
	echo "-i $CLUSTER_KEY -p $((CLUSTER_SSH_PORT + $1)) -o StrictHostKeyChecking=no
		-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=20
		-o ServerAliveInterval=5 -o ServerAliveCountMax=6 -o BatchMode=yes"
}

# node I CMD...: run CMD on node I (a shell command line)
node() {
	local i=$1
	shift
	# shellcheck disable=SC2046
	ssh $(node_ssh_args "$i") root@127.0.0.1 "$@" </dev/null
}

# node_script I: run the bash script on stdin on node I
node_script() {
	local i=$1
	shift
	# shellcheck disable=SC2046
	ssh $(node_ssh_args "$i") root@127.0.0.1 bash -s -- "$@"
}

node_alive() {
	local pid
	pid=$(cat "$CLUSTER_WORK/qemu$1.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null
}

# node_early_death I: node I's kernel died before it ran node-init (a
# fault in the kernel's own early boot, no code of ours had run yet)
node_early_death() {
	local log=$CLUSTER_WORK/console$1.log
	! grep -q 'Run /sbin/node-init' "$log" &&
		grep -q 'Kernel panic' "$log"
}

# node_wait I: until node I answers on ssh.  A node whose kernel dies
# before it starts init is booted once more: under TCG, on a loaded host,
# Linux 6.12's early x86 boot has been seen to fault in an interrupt
# (io_apic_modify_irq, at 0.005 s; once in ~100 boots of CI, never
# reproduced here in 130 boots).  That boot runs none of our code (the
# module loads from init), so it is not what the cluster test tests; the
# first console is kept as consoleN.early.log and shown.
node_wait() {
	local i=$1 t0=$SECONDS retried=
	until node "$i" true 2>/dev/null; do
		if ! node_alive "$i" && [ -z "$retried" ] && node_early_death "$i"; then
			retried=1
			mv "$CLUSTER_WORK/console$i.log" "$CLUSTER_WORK/console$i.early.log"
			sed -n '/BUG\|Oops\|Kernel panic\|Call Trace/,$p' \
				"$CLUSTER_WORK/console$i.early.log" | head -n 60 >&2
			msg "node$i: its kernel died before init (above); booting it once more"
			node_boot "$i" "$(cat "$CLUSTER_WORK/services$i")"
			continue
		fi
		node_alive "$i" || { tail -n 30 "$CLUSTER_WORK/console$i.log" >&2; die "node$i died while booting"; }
		if [ $((SECONDS - t0)) -gt "${CLUSTER_BOOT_TIMEOUT:-600}" ]; then
			tail -n 30 "$CLUSTER_WORK/console$i.log" >&2
			die "node$i: no ssh after ${CLUSTER_BOOT_TIMEOUT:-600}s"
		fi
		sleep 3
	done
	msg "node$i up after $((SECONDS - t0))s more"
}

# node_kill I: the QEMU monitor's quit, the node is gone at once.  The
# monitor's greeting is read first: QEMU drops a connection that is gone
# before it wrote it, and the command with it.
node_kill() {
	local i=$1 w=0
	if exec 3<>"/dev/tcp/127.0.0.1/$((CLUSTER_MON_PORT + i))"; then
		read -r -t 10 -u 3 _
		echo quit >&3
		# until QEMU closes the connection (it exits)
		timeout 10 cat <&3 >/dev/null
		exec 3<&-
	fi 2>/dev/null
	while node_alive "$i" && [ $w -lt 50 ]; do sleep 0.1; w=$((w + 1)); done
	! node_alive "$i"
}

cluster_teardown() {
	set +e
	local i pid w
	for i in $(seq 1 "${CLUSTER_N:-0}"); do
		node_alive "$i" || continue
		node_kill "$i" && continue
		pid=$(cat "$CLUSTER_WORK/qemu$i.pid" 2>/dev/null) || continue
		kill "$pid" 2>/dev/null
		w=0
		while kill -0 "$pid" 2>/dev/null && [ $w -lt 50 ]; do sleep 0.1; w=$((w + 1)); done
		kill -9 "$pid" 2>/dev/null
	done
	if [ "${CLUSTER_KEEP:-0}" = 1 ]; then
		msg "kept $CLUSTER_WORK (consoles: console*.log)"
	else
		rm -rf "$CLUSTER_WORK"
	fi
}
