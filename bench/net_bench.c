// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng network benchmark, run in the guest by `make bench`: TCP
 * request/response and bulk throughput to a server of the host, from
 *
 *   - the host itself (10.83.0.1 -> 10.83.0.1's server),
 *   - a network context (guest address 10.83.0.2, the same stack: the
 *     shared-stack model; target: <= 1.02 x the host's time),
 *   - a network namespace on a veth pair (10.84.0.2 -> 10.84.0.1), the
 *     container-style peer (expected slower).
 *
 * All three run side by side in one run, in alternating rounds; the best
 * round of each is compared.  Local addresses go over loopback.
 *
 * With a pair of virtio NICs (scripts/vm-run with VM_NIC_PAIR=1, as
 * `make bench` does: eth0 and eth1 joined by QEMU), the same three go
 * over virtio to a server behind eth1, in a network namespace of its own
 * (10.85.0.9): the host from 10.85.0.1, the network context from
 * 10.85.0.2, the netns peer from 10.84.0.2 routed by the host.
 *
 * Usage: net_bench [ROUNDTRIPS] [MEGABYTES] [ROUNDS]  (2000, 64, 5)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vserver.h>

#define RR_PORT		7400
#define BULK_PORT	7401
#define CHUNK		65536

static int vsfd;
static pid_t nspid;	/* holds the peer's network namespace */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int sh(const char *cmd)
{
	return system(cmd) == 0 ? 0 : -1;
}

static int listen_on(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, ip, &a.sin_addr);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 16))
		die("server");
	return s;
}

/* The host's servers: echo one byte (RR) and swallow (bulk), forever */
static void serve(const char *ip)
{
	int rr = listen_on(ip, RR_PORT), bulk = listen_on(ip, BULK_PORT);
	static char buf[CHUNK];

	if (fork() == 0) {
		for (;;) {
			int c = accept(rr, NULL, NULL);
			char b;

			if (fork() == 0) {
				setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 },
					   sizeof(int));
				while (read(c, &b, 1) == 1 && write(c, &b, 1) == 1)
					;
				_exit(0);
			}
			close(c);
		}
	}
	for (;;) {
		int c = accept(bulk, NULL, NULL);

		if (fork() == 0) {
			while (read(c, buf, sizeof(buf)) > 0)
				;
			_exit(0);
		}
		close(c);
	}
}

static int connect_to(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, ip, &a.sin_addr);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	return s;
}

/* Seconds for @n round trips of one byte */
static double rr(const char *ip, long n)
{
	int s = connect_to(ip, RR_PORT);
	double t = now();
	char b = 'x';
	long i;

	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	for (i = 0; i < n; i++)
		if (write(s, &b, 1) != 1 || read(s, &b, 1) != 1)
			die("rr");
	t = now() - t;
	close(s);
	return t;
}

/* Seconds to send @mb MiB */
static double bulk(const char *ip, long mb)
{
	static char buf[CHUNK];
	int s = connect_to(ip, BULK_PORT);
	long left = mb * 1024 * 1024;
	double t = now();
	ssize_t w;

	while (left > 0) {
		w = write(s, buf, left < CHUNK ? left : CHUNK);
		if (w <= 0)
			die("bulk");
		left -= w;
	}
	shutdown(s, SHUT_WR);
	while (read(s, buf, sizeof(buf)) > 0)
		;
	t = now() - t;
	close(s);
	return t;
}

enum where { HOST, GUEST, NETNS, V_HOST, V_GUEST, V_NETNS, NWHERE };

static const struct {
	const char *name;
	const char *target;	/* the server's address */
	const char *guest;	/* a network context with this address */
	int netns;		/* from the netns peer */
} places[NWHERE] = {
	[HOST] = { "host", "10.83.0.1" },
	[GUEST] = { "network context", "10.83.0.1", "10.83.0.2" },
	[NETNS] = { "netns+veth", "10.84.0.1", NULL, 1 },
	[V_HOST] = { "virtio host", "10.85.0.9" },
	[V_GUEST] = { "virtio context", "10.85.0.9", "10.85.0.2" },
	[V_NETNS] = { "virtio netns+veth", "10.85.0.9", NULL, 1 },
};

/* In a child placed as @w: the time of one RR run and one bulk run */
static void measure(enum where w, long n, long mb, double *t_rr, double *t_bulk)
{
	struct vcmd_net_addr_ipv4_v2 a = { .type = NXA_TYPE_ADDR };
	struct vserver_call create = { .cmd = VCMD_net_create, .id = 4960 };
	struct vserver_call add = { .cmd = VCMD_net_add_ipv4, .id = 4960,
				    .data = (uintptr_t)&a, .size = sizeof(a) };
	double res[2];
	int p[2];

	if (pipe(p))
		die("pipe");
	if (fork() == 0) {
		if (places[w].guest) {
			inet_pton(AF_INET, places[w].guest, &a.ip);
			a.mask = htonl(0xffffff00);
			if (ioctl(vsfd, VSERVER_IOC_CALL, &create) != 4960 ||
			    ioctl(vsfd, VSERVER_IOC_CALL, &add))
				die("network context");
		}
		if (places[w].netns) {
			char path[64];
			int ns;

			snprintf(path, sizeof(path), "/proc/%d/ns/net", nspid);
			ns = open(path, O_RDONLY);

			if (ns < 0 || setns(ns, CLONE_NEWNET))
				die("netns");
		}
		res[0] = rr(places[w].target, n);
		res[1] = bulk(places[w].target, mb);
		if (write(p[1], res, sizeof(res)) != sizeof(res))
			die("write");
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], res, sizeof(res)) != sizeof(res))
		die("measure");
	close(p[0]);
	wait(NULL);
	*t_rr = res[0];
	*t_bulk = res[1];
}

/* In the network namespace of @pid: run @fn(@ip) in a child */
static pid_t forked_in(pid_t pid, void (*fn)(const char *), const char *ip)
{
	pid_t child = fork();

	if (child == 0) {
		char path[64];
		int ns;

		snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
		ns = pid ? open(path, O_RDONLY) : -1;
		if (pid && (ns < 0 || setns(ns, CLONE_NEWNET)))
			die("setns");
		fn(ip);
		_exit(0);
	}
	return child;
}

static void sleep_forever(const char *unused)
{
	pause();
}

/* A process holding a new, empty network namespace */
static pid_t new_netns(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (unshare(CLONE_NEWNET))
			die("unshare");
		sleep_forever(NULL);
	}
	usleep(200000);
	return pid;
}

/*
 * The virtio part, if the VM has a NIC pair: eth1 goes into a namespace
 * of its own with the server (10.85.0.9); the host talks from eth0
 * (10.85.0.1, the network context's 10.85.0.2) and routes the netns
 * peer's packets.  Returns the namespace's holder, or 0 without a pair.
 */
static pid_t virtio_peer(void)
{
	char cmd[512];
	pid_t peer;

	if (access("/sys/class/net/eth0", F_OK) ||
	    access("/sys/class/net/eth1", F_OK))
		return 0;
	peer = new_netns();
	snprintf(cmd, sizeof(cmd),
		 "ip addr add 10.85.0.1/24 dev eth0 && ip addr add 10.85.0.2/24 dev eth0 &&"
		 " ip link set eth0 up && echo 1 > /proc/sys/net/ipv4/ip_forward &&"
		 " ip link set eth1 netns %d && nsenter -t %d -n sh -c"
		 " \"ip addr add 10.85.0.9/24 dev eth1 && ip link set eth1 up &&"
		 " ip route add 10.84.0.0/24 via 10.85.0.1\" &&"
		 " nsenter -t %d -n ip route add default via 10.84.0.1",
		 peer, peer, nspid);
	if (sh(cmd))
		die("virtio peer");
	return peer;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000;
	long mb = argc > 2 ? atol(argv[2]) : 64;
	int rounds = argc > 3 ? atoi(argv[3]) : 5;
	double best_rr[NWHERE], best_bulk[NWHERE], r, b;
	pid_t servers[3], vpeer;
	int i, w, nwhere;
	char cmd[512];

	vsfd = open("/dev/vserver", O_RDWR);
	if (vsfd < 0)
		die("/dev/vserver");
	/* the host's and the guest's addresses; a netns peer on a veth pair */
	if (sh("ip link add vsbench0 type dummy && ip addr add 10.83.0.1/24 dev vsbench0 &&"
	       " ip addr add 10.83.0.2/24 dev vsbench0 && ip link set vsbench0 up &&"
	       " ip link set lo up && ip link add vsbv0 type veth peer name vsbv1 &&"
	       " ip addr add 10.84.0.1/24 dev vsbv0 && ip link set vsbv0 up"))
		die("setup");
	nspid = new_netns();
	/* busybox ip names the veth peer itself */
	snprintf(cmd, sizeof(cmd),
		 "p=$(ip -o link | sed -n 's/^[0-9]*: *\\([^@:]*\\)@vsbv0.*/\\1/p') &&"
		 " ip link set $p netns %d && nsenter -t %d -n sh -c"
		 " \"ip addr add 10.84.0.2/24 dev $p && ip link set $p up && ip link set lo up\"",
		 nspid, nspid);
	if (sh(cmd))
		die("netns peer");
	vpeer = virtio_peer();
	nwhere = vpeer ? NWHERE : V_HOST;
	servers[0] = forked_in(0, serve, "10.83.0.1");
	servers[1] = forked_in(0, serve, "10.84.0.1");
	servers[2] = vpeer ? forked_in(vpeer, serve, "10.85.0.9") : 0;
	usleep(300000);

	for (w = 0; w < nwhere; w++)
		best_rr[w] = best_bulk[w] = 1e9;
	for (i = 0; i < rounds; i++) {
		for (w = 0; w < nwhere; w++) {
			measure(w, n, mb, &r, &b);
			if (r < best_rr[w])
				best_rr[w] = r;
			if (b < best_bulk[w])
				best_bulk[w] = b;
		}
	}
	printf("# net: %ld round trips, %ld MiB, best of %d rounds\n", n, mb, rounds);
	for (w = 0; w < nwhere; w++)
		printf("# net: %-18s rr %8.0f/s  bulk %8.1f MiB/s\n", places[w].name,
		       n / best_rr[w], mb / best_bulk[w]);
	for (w = 0; w < nwhere; w += V_HOST) {
		const char *over = w ? "virtio" : "loopback";

		printf("net: %s: network context / host, RR time: %.3f (target <= 1.02)\n",
		       over, best_rr[w + GUEST] / best_rr[w + HOST]);
		printf("net: %s: network context / host, bulk time: %.3f (target <= 1.02)\n",
		       over, best_bulk[w + GUEST] / best_bulk[w + HOST]);
		printf("net: %s: netns+veth / host, RR time: %.3f (expected slower)\n",
		       over, best_rr[w + NETNS] / best_rr[w + HOST]);
		printf("net: %s: netns+veth / host, bulk time: %.3f (expected slower)\n",
		       over, best_bulk[w + NETNS] / best_bulk[w + HOST]);
	}
	if (!vpeer)
		printf("# net: no virtio NIC pair (VM_NIC_PAIR=1 scripts/vm-run)\n");
	for (i = 0; i < 3; i++)
		if (servers[i])
			kill(servers[i], SIGKILL);
	kill(nspid, SIGKILL);
	if (vpeer)
		kill(vpeer, SIGKILL);
	return 0;
}
