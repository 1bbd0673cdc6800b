// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: network contexts.
 *
 * A dummy interface carries the addresses: 10.77.0.1 and fd77::1 are the
 * host's, .2/::2 guest A's, .3/::3 guest B's.  Each rule is first shown
 * on the host (where everything works, so the test can fail), then in
 * network contexts: what they may bind, what their wildcard sockets
 * receive, the source address they send with, their own 127.0.0.1, raw
 * ICMP, the socket mark, and bad address requests.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/capability.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define OK		0
#define REFUSED		11
#define OTHER_ERROR	12
#define SETUP_FAILED	13
#define IN_USE		14

#define HOST4	"10.77.0.1"
#define A4	"10.77.0.2"
#define B4	"10.77.0.3"
#define HOST6	"fd77::1"
#define A6	"fd77::2"
#define B6	"fd77::3"
#define NID_A	4990
#define NID_B	4991
#define NID_C	4992

FIXTURE(net) {
	int fd;
};

static int sh(const char *cmd)
{
	int ret = system(cmd);

	return WIFEXITED(ret) ? WEXITSTATUS(ret) : -1;
}

FIXTURE_SETUP(net)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
	if (sh("ip link show vsdum0 >/dev/null 2>&1") != 0)
		/* IPv6 addresses usable at once: no duplicate detection */
		ASSERT_EQ(0, sh("ip link add vsdum0 type dummy &&"
				" echo 0 > /proc/sys/net/ipv6/conf/vsdum0/accept_dad &&"
				" ip addr add 10.77.0.1/24 dev vsdum0 &&"
				" ip addr add 10.77.0.2/24 dev vsdum0 &&"
				" ip addr add 10.77.0.3/24 dev vsdum0 &&"
				" ip addr add fd77::1/64 dev vsdum0 &&"
				" ip addr add fd77::2/64 dev vsdum0 &&"
				" ip addr add fd77::3/64 dev vsdum0 &&"
				" ip link set lo up && ip link set vsdum0 up"));
}

FIXTURE_TEARDOWN(net)
{
	close(self->fd);
}

/* An IPv4 or IPv6 socket address for @ip (textual) and @port */
static socklen_t sockaddr_of(struct sockaddr_storage *ss, const char *ip,
			     int port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(ip, ':')) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		inet_pton(AF_INET6, ip, &in6->sin6_addr);
		return sizeof(*in6);
	}
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	inet_pton(AF_INET, ip, &in->sin_addr);
	return sizeof(*in);
}

/* "ip" of a socket address, in @buf */
static const char *ip_of(const struct sockaddr_storage *ss, char *buf,
			 size_t size)
{
	if (ss->ss_family == AF_INET6)
		return inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ss)->sin6_addr,
				 buf, size);
	return inet_ntop(AF_INET, &((struct sockaddr_in *)ss)->sin_addr, buf,
			 size);
}

/*
 * Network context @nid with the addresses in @ips (NULL-terminated, IPv4
 * or IPv6 text), flags @flags (0: NXF_INIT_SET) and caps @ncaps, made
 * and entered by the caller.  0 or -errno.
 */
static int enter_nx(int fd, uint32_t nid, uint64_t flags, uint64_t ncaps,
		    const char *const *ips)
{
	struct vcmd_net_create create = { .flagword = flags ? flags : NXF_INIT_SET };
	struct vcmd_net_caps_v0 caps = { ncaps, ncaps };
	int tries;
	long ret;

	/*
	 * One of an earlier test may not have ended yet: join it.  It ends
	 * when its last task is freed, an RCU grace period after our wait()
	 * reaped it, so it may also end between the two calls: try again.
	 */
	for (tries = 0; tries < 1000; tries++) {
		ret = vs_call(fd, VCMD_net_create, nid, &create, sizeof(create));
		if (ret == (long)nid) {
			ret = 0;
			break;
		}
		if (ret != -EEXIST && ret != -EBUSY)
			break;
		ret = vs_call(fd, VCMD_net_migrate, nid, NULL, 0);
		if (ret != -ESRCH)
			break;
	}
	for (; !ret && ips && *ips; ips++) {
		if (strchr(*ips, ':')) {
			struct vcmd_net_addr_ipv6_v1 a = { .type = NXA_TYPE_ADDR,
							    .prefix = 64 };

			inet_pton(AF_INET6, *ips, a.ip);
			ret = vs_call(fd, VCMD_net_add_ipv6, nid, &a, sizeof(a));
		} else {
			struct vcmd_net_addr_ipv4_v2 a = { .type = NXA_TYPE_ADDR };

			inet_pton(AF_INET, *ips, &a.ip);
			a.mask = htonl(0xffffff00);
			ret = vs_call(fd, VCMD_net_add_ipv4, nid, &a, sizeof(a));
		}
		if (ret == -EEXIST)
			ret = 0;
	}
	if (!ret && ncaps)
		ret = vs_call(fd, VCMD_set_ncaps, nid, &caps, sizeof(caps));
	return ret;
}

/* The text of a (small) file into @buf: its length, or -1 */
static ssize_t read_text(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

static const char *const guest_a[] = { A4, A6, NULL };
static const char *const guest_b[] = { B4, B6, NULL };
static const char *const guest_c[] = { A4, NULL };	/* shares A's */

/* bind(@ip, port 0): OK, REFUSED (EADDRNOTAVAIL) or OTHER_ERROR */
static int try_bind(const char *ip)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(&ss, ip, 0);
	int s = socket(ss.ss_family, SOCK_STREAM, 0);
	int ret = bind(s, (struct sockaddr *)&ss, len);

	close(s);
	if (!ret)
		return OK;
	return errno == EADDRNOTAVAIL ? REFUSED : OTHER_ERROR;
}

/* In a child: (network context @nid with @ips if @nid), then bind @ip */
static int bind_in(int fd, uint32_t nid, const char *const *ips,
		   const char *ip)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (nid && enter_nx(fd, nid, 0, 0, ips))
			_exit(SETUP_FAILED);
		_exit(try_bind(ip));
	}
	return vs_wait(pid);
}

TEST_F(net, bind_only_own_addresses)
{
	static const char *const all[] = {
		A4, A6, B4, B6, HOST4, HOST6, "0.0.0.0", "::", "127.0.0.1",
	};
	static const int in_a[] = {
		OK, OK, REFUSED, REFUSED, REFUSED, REFUSED, OK, OK, OK,
	};
	int i;

	for (i = 0; i < 9; i++) {
		TH_LOG("bind %s", all[i]);
		EXPECT_EQ(OK, bind_in(self->fd, 0, NULL, all[i]));
		EXPECT_EQ(in_a[i], bind_in(self->fd, NID_A, guest_a, all[i]));
	}
	/* a context that ended binds nothing: its sockets outlive it */
}

/*
 * A child listens on @ip:@port (TCP: @type SOCK_STREAM), in network
 * context @nid if not 0, and accepts one connection after another,
 * writing each peer address to its stdout pipe @out; or (SOCK_DGRAM)
 * receives datagrams and writes each one's text there.  @reuseport sets
 * SO_REUSEPORT.  It ends when @hold closes.
 */
static pid_t serve(int fd, uint32_t nid, const char *const *ips,
		   const char *ip, int port, int type, int reuseport,
		   int hold[2], int out[2])
{
	struct sockaddr_storage ss, peer;
	socklen_t len, plen;
	char buf[64], c;
	pid_t pid;
	int s, i, ready[2];

	if (pipe(hold) || pipe(out) || pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		/* nothing of other servers: they end when their @hold closes */
		for (i = 3; i < 1024; i++)
			if (i != fd && i != hold[0] && i != out[1] && i != ready[1])
				close(i);
		if (nid && enter_nx(fd, nid, 0, 0, ips))
			_exit(SETUP_FAILED);
		len = sockaddr_of(&ss, ip, port);
		s = socket(ss.ss_family, type, 0);
		/* UDP: SO_REUSEADDR would let two sockets share any port */
		if (type == SOCK_STREAM)
			setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 },
				   sizeof(int));
		if (reuseport)
			setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &(int){ 1 },
				   sizeof(int));
		if (bind(s, (struct sockaddr *)&ss, len) ||
		    (type == SOCK_STREAM && listen(s, 8)))
			_exit(SETUP_FAILED);
		if (write(ready[1], "r", 1) != 1)
			_exit(SETUP_FAILED);
		if (fork() == 0) {	/* until @hold closes */
			while (read(hold[0], &c, 1) > 0)
				;
			kill(getppid(), SIGTERM);
			_exit(0);
		}
		while (type == SOCK_DGRAM) {
			ssize_t n = recv(s, buf, sizeof(buf) - 1, 0);

			if (n < 0)
				_exit(0);
			buf[n] = '\0';
			dprintf(out[1], "%s\n", buf);
		}
		for (;;) {
			int c2;

			plen = sizeof(peer);
			c2 = accept(s, (struct sockaddr *)&peer, &plen);
			if (c2 < 0)
				_exit(0);
			dprintf(out[1], "%s\n", ip_of(&peer, buf, sizeof(buf)));
			close(c2);
		}
	}
	close(hold[0]);
	close(out[1]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	return pid;
}

static pid_t server(int fd, uint32_t nid, const char *const *ips,
		    const char *ip, int port, int hold[2], int out[2])
{
	return serve(fd, nid, ips, ip, port, SOCK_STREAM, 0, hold, out);
}

/*
 * In a child: network context @nid (if not 0) with @ips, then a socket of
 * @type for @ip:@port, that address in @ss and @len.
 */
static int child_socket(int fd, uint32_t nid, const char *const *ips,
			const char *ip, int port, int type,
			struct sockaddr_storage *ss, socklen_t *len)
{
	*len = sockaddr_of(ss, ip, port);
	if (nid && enter_nx(fd, nid, 0, 0, ips))
		_exit(SETUP_FAILED);
	return socket(ss->ss_family, type, 0);
}

/* In a child (in @nid if not 0): connect to @ip:@port; OK or REFUSED */
static int connect_in(int fd, uint32_t nid, const char *const *ips,
		      const char *ip, int port)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sockaddr_storage ss;
		socklen_t len;
		int s = child_socket(fd, nid, ips, ip, port, SOCK_STREAM,
				     &ss, &len);

		if (!connect(s, (struct sockaddr *)&ss, len))
			_exit(OK);
		_exit(errno == ECONNREFUSED || errno == ENETUNREACH ?
		      REFUSED : OTHER_ERROR);
	}
	return vs_wait(pid);
}

/* The next peer a server() accepted, "" if none within a second */
static const char *accepted(int out)
{
	static char line[64];
	struct timeval tv = { 1, 0 };
	fd_set set;
	ssize_t n;

	FD_ZERO(&set);
	FD_SET(out, &set);
	line[0] = '\0';
	if (select(out + 1, &set, NULL, NULL, &tv) == 1) {
		n = read(out, line, sizeof(line) - 1);
		line[n > 0 ? n - 1 : 0] = '\0';
	}
	return line;
}

static void stop(pid_t pid, int hold[2], int out[2])
{
	close(hold[1]);
	close(out[0]);
	waitpid(pid, NULL, 0);
}

TEST_F(net, wildcard_listener_receives_only_its_addresses)
{
	int hold[2], out[2];
	pid_t srv;

	/* on the host, a wildcard listener gets every address */
	srv = server(self->fd, 0, NULL, "::", 7001, hold, out);
	ASSERT_LT(0, srv);
	EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, HOST4, 7001));
	EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, B4, 7001));
	EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, HOST6, 7001));
	stop(srv, hold, out);

	/* guest A's: only A's */
	srv = server(self->fd, NID_A, guest_a, "::", 7002, hold, out);
	ASSERT_LT(0, srv);
	EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, A4, 7002));
	EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, A6, 7002));
	EXPECT_EQ(REFUSED, connect_in(self->fd, 0, NULL, HOST4, 7002));
	EXPECT_EQ(REFUSED, connect_in(self->fd, 0, NULL, B4, 7002));
	EXPECT_EQ(REFUSED, connect_in(self->fd, 0, NULL, HOST6, 7002));
	EXPECT_EQ(REFUSED, connect_in(self->fd, 0, NULL, "127.0.0.1", 7002));
	stop(srv, hold, out);
}

TEST_F(net, two_guests_one_port_own_addresses)
{
	int hold_a[2], out_a[2], hold_b[2], out_b[2];
	pid_t a, b;

	a = server(self->fd, NID_A, guest_a, A4, 7010, hold_a, out_a);
	ASSERT_LT(0, a);
	b = server(self->fd, NID_B, guest_b, B4, 7010, hold_b, out_b);
	ASSERT_LT(0, b);
	EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, A4, 7010));
	EXPECT_STREQ(HOST4, accepted(out_a[0]));
	EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, B4, 7010));
	EXPECT_STREQ(HOST4, accepted(out_b[0]));
	EXPECT_STREQ("", accepted(out_a[0]));
	stop(a, hold_a, out_a);
	stop(b, hold_b, out_b);
}

/* Bind @s to @ss (and listen, TCP): OK, IN_USE or OTHER_ERROR */
static int bind_socket(int s, const struct sockaddr_storage *ss,
		       socklen_t len, int type)
{
	if (type == SOCK_STREAM)
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	if (!bind(s, (const struct sockaddr *)ss, len) &&
	    (type != SOCK_STREAM || !listen(s, 1)))
		return OK;
	return errno == EADDRINUSE ? IN_USE : OTHER_ERROR;
}

/* In a child (in @nid if not 0): bind (and listen) @ip:@port; OK, IN_USE */
static int bind_port_in(int fd, uint32_t nid, const char *const *ips,
			const char *ip, int port, int type)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sockaddr_storage ss;
		socklen_t len;
		int s = child_socket(fd, nid, ips, ip, port, type, &ss, &len);

		_exit(bind_socket(s, &ss, len, type));
	}
	return vs_wait(pid);
}

/* From the host: a datagram to @ip:@port that says @ip */
static int send_to(const char *ip, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(&ss, ip, port);
	int s = socket(ss.ss_family, SOCK_DGRAM, 0);
	ssize_t n = sendto(s, ip, strlen(ip), 0, (struct sockaddr *)&ss, len);

	close(s);
	return n == (ssize_t)strlen(ip) ? OK : OTHER_ERROR;
}

TEST_F(net, two_guests_one_wildcard_port)
{
	int hold[2], out[2], hold_a[2], out_a[2], hold_b[2], out_b[2];
	pid_t h, a, b;

	/*
	 * On the host a second wildcard listener of a port is refused; so
	 * is a guest's beside the host's, whose wildcard reaches every
	 * address (Linux-VServer's rule).
	 */
	h = server(self->fd, 0, NULL, "::", 7020, hold, out);
	ASSERT_LT(0, h);
	EXPECT_EQ(IN_USE, bind_port_in(self->fd, 0, NULL, "0.0.0.0", 7020,
				       SOCK_STREAM));
	EXPECT_EQ(IN_USE, bind_port_in(self->fd, NID_A, guest_a, "::", 7020,
				       SOCK_STREAM));
	stop(h, hold, out);

	/* the host on its own address, A and B each on the wildcard */
	h = server(self->fd, 0, NULL, HOST4, 7021, hold, out);
	ASSERT_LT(0, h);
	a = server(self->fd, NID_A, guest_a, "::", 7021, hold_a, out_a);
	ASSERT_LT(0, a);
	b = server(self->fd, NID_B, guest_b, "0.0.0.0", 7021, hold_b, out_b);
	ASSERT_LT(0, b);
	/* a guest with an address of A's does not get the port */
	EXPECT_EQ(IN_USE, bind_port_in(self->fd, NID_C, guest_c, "::", 7021,
				       SOCK_STREAM));

	/* each connection reaches the one that owns the address */
	EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, A4, 7021));
	EXPECT_STRNE("", accepted(out_a[0]));
	EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, A6, 7021));
	EXPECT_STRNE("", accepted(out_a[0]));
	EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, B4, 7021));
	EXPECT_STRNE("", accepted(out_b[0]));
	EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, HOST4, 7021));
	EXPECT_STRNE("", accepted(out[0]));
	/* and each guest's 127.0.0.1 its own */
	EXPECT_EQ(OK, connect_in(self->fd, NID_A, guest_a, "127.0.0.1", 7021));
	EXPECT_STRNE("", accepted(out_a[0]));
	EXPECT_EQ(OK, connect_in(self->fd, NID_B, guest_b, "127.0.0.1", 7021));
	EXPECT_STRNE("", accepted(out_b[0]));
	/* B listens on IPv4 only; the host on HOST4 only */
	EXPECT_EQ(REFUSED, connect_in(self->fd, 0, NULL, B6, 7021));
	EXPECT_EQ(REFUSED, connect_in(self->fd, 0, NULL, HOST6, 7021));
	EXPECT_STREQ("", accepted(out_a[0]));
	EXPECT_STREQ("", accepted(out_b[0]));
	EXPECT_STREQ("", accepted(out[0]));
	stop(a, hold_a, out_a);
	stop(b, hold_b, out_b);
	stop(h, hold, out);
}

/*
 * In a child: network context @nid with one entry (an IPv4 network
 * @ip/@mask or range @ip..@ip2, or the IPv6 network @ip/@prefix), then
 * bind and listen on the wildcard of @port; OK or IN_USE.
 */
static int listen_with_entry(int fd, uint32_t nid, int type, const char *ip,
			     const char *ip2, int prefix, int port)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct vcmd_net_addr_ipv4_v2 a4 = { .type = type };
		struct vcmd_net_addr_ipv6_v1 a6 = { .type = type, .prefix = prefix };
		long ret = enter_nx(fd, nid, 0, 0, NULL);
		struct sockaddr_storage ss;
		socklen_t len;
		int s;

		if (!ret && strchr(ip, ':')) {
			inet_pton(AF_INET6, ip, a6.ip);
			ret = vs_call(fd, VCMD_net_add_ipv6, nid, &a6, sizeof(a6));
		} else if (!ret) {
			inet_pton(AF_INET, ip, &a4.ip);
			if (ip2)
				inet_pton(AF_INET, ip2, &a4.ip2);
			a4.mask = htonl(~0U << (32 - prefix));
			ret = vs_call(fd, VCMD_net_add_ipv4, nid, &a4, sizeof(a4));
		}
		if (ret && ret != -EEXIST)
			_exit(SETUP_FAILED);
		s = child_socket(fd, 0, NULL, "::", port, SOCK_STREAM, &ss, &len);
		_exit(bind_socket(s, &ss, len, SOCK_STREAM));
	}
	return vs_wait(pid);
}

TEST_F(net, networks_and_ranges_that_meet_share_no_port)
{
	/* one entry each: those holding one of A's addresses, then not */
	static const struct {
		int type;
		const char *ip, *ip2;
		int prefix, expect;
	} cases[] = {
		{ NXA_TYPE_MASK, "10.77.0.0", NULL, 24, IN_USE },
		{ NXA_TYPE_RANGE, "10.77.0.1", "10.77.0.3", 32, IN_USE },
		{ NXA_TYPE_MASK, "fd77::", NULL, 64, IN_USE },
		{ NXA_TYPE_MASK, "10.78.0.0", NULL, 24, OK },
		{ NXA_TYPE_RANGE, "10.77.0.3", "10.77.0.9", 32, OK },
		{ NXA_TYPE_MASK, "fd77:0:0:1::", NULL, 64, OK },
	};
	int hold_a[2], out_a[2], i;
	pid_t a;

	/* A (10.77.0.2, fd77::2) on the wildcard of 7023 */
	a = server(self->fd, NID_A, guest_a, "::", 7023, hold_a, out_a);
	ASSERT_LT(0, a);
	for (i = 0; i < 6; i++) {
		TH_LOG("%s %s", cases[i].ip, cases[i].ip2 ? cases[i].ip2 : "");
		EXPECT_EQ(cases[i].expect,
			  listen_with_entry(self->fd, 4993 + i, cases[i].type,
					    cases[i].ip, cases[i].ip2,
					    cases[i].prefix, 7023));
	}
	stop(a, hold_a, out_a);
}

TEST_F(net, two_guests_one_port_reuseport)
{
	int hold_a[2], out_a[2], hold_b[2], out_b[2], i;
	pid_t a, b;

	/*
	 * Both with SO_REUSEPORT, as root: one group would hand a
	 * connection to either socket (and the other guest's would be
	 * dropped, a reset).  Each guest gets a group of its own.
	 */
	a = serve(self->fd, NID_A, guest_a, "::", 7022, SOCK_STREAM, 1,
		  hold_a, out_a);
	ASSERT_LT(0, a);
	b = serve(self->fd, NID_B, guest_b, "::", 7022, SOCK_STREAM, 1,
		  hold_b, out_b);
	ASSERT_LT(0, b);
	for (i = 0; i < 8; i++) {
		EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, A4, 7022));
		EXPECT_STRNE("", accepted(out_a[0]));
		EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, B4, 7022));
		EXPECT_STRNE("", accepted(out_b[0]));
	}
	stop(a, hold_a, out_a);
	stop(b, hold_b, out_b);
}

TEST_F(net, two_guests_one_udp_port)
{
	int hold[2], out[2], hold_a[2], out_a[2], hold_b[2], out_b[2];
	pid_t h, a, b;

	/* on the host a second wildcard socket of a UDP port is refused */
	h = serve(self->fd, 0, NULL, "0.0.0.0", 7030, SOCK_DGRAM, 0, hold, out);
	ASSERT_LT(0, h);
	EXPECT_EQ(IN_USE, bind_port_in(self->fd, 0, NULL, "0.0.0.0", 7030,
				       SOCK_DGRAM));
	stop(h, hold, out);

	a = serve(self->fd, NID_A, guest_a, "0.0.0.0", 7031, SOCK_DGRAM, 0,
		  hold_a, out_a);
	ASSERT_LT(0, a);
	b = serve(self->fd, NID_B, guest_b, "::", 7031, SOCK_DGRAM, 0,
		  hold_b, out_b);
	ASSERT_LT(0, b);
	/* one at a time: accepted() reads what the pipe holds */
	EXPECT_EQ(OK, send_to(A4, 7031));
	EXPECT_STREQ(A4, accepted(out_a[0]));
	EXPECT_EQ(OK, send_to(B4, 7031));
	EXPECT_STREQ(B4, accepted(out_b[0]));
	EXPECT_EQ(OK, send_to(B6, 7031));
	EXPECT_STREQ(B6, accepted(out_b[0]));
	EXPECT_EQ(OK, send_to(HOST4, 7031));
	EXPECT_STREQ("", accepted(out_a[0]));
	EXPECT_STREQ("", accepted(out_b[0]));
	stop(a, hold_a, out_a);
	stop(b, hold_b, out_b);
}

/*
 * What ss(8) asks: sock_diag over netlink for the IPv4 TCP listeners.
 * With @ip, the one socket listening on @ip:@port (an exact query), else
 * a dump.  1 if a listener on @port is in the answer, 0 if not, -1 on
 * an error other than "no such socket".
 */
static int diag_sees(const char *ip, int port)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg = {
		.nlh = { .nlmsg_len = sizeof(msg),
			 .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			 .nlmsg_flags = NLM_F_REQUEST | (ip ? 0 : NLM_F_DUMP) },
		.req = { .sdiag_family = AF_INET,
			 .sdiag_protocol = IPPROTO_TCP,
			 .idiag_states = 1 << TCP_LISTEN },
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	long buf[2048];
	int s, seen = 0, done = 0;

	if (ip) {
		inet_pton(AF_INET, ip, &msg.req.id.idiag_src[0]);
		msg.req.id.idiag_sport = htons(port);
		msg.req.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
		msg.req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	}
	s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (s < 0 || sendto(s, &msg, sizeof(msg), 0,
			    (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		done = seen = -1;
	while (!done) {
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n <= 0) {
			seen = -1;
			break;
		}
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
			} else if (h->nlmsg_type == NLMSG_ERROR) {
				int err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;

				if (err && err != -ENOENT)
					seen = -1;
				done = 1;
			} else {
				struct inet_diag_msg *m = NLMSG_DATA(h);

				if (ntohs(m->id.idiag_sport) == port && seen >= 0)
					seen = 1;
				done = done || ip;	/* one answer */
			}
		}
	}
	if (s >= 0)
		close(s);
	return seen;
}

TEST_F(net, sock_diag_shows_only_own_sockets)
{
	int hold[2], out[2], hold_a[2], out_a[2];
	pid_t h, a, pid;

	h = server(self->fd, 0, NULL, HOST4, 7040, hold, out);
	ASSERT_LT(0, h);
	a = server(self->fd, NID_A, guest_a, A4, 7041, hold_a, out_a);
	ASSERT_LT(0, a);

	/* the host sees both, dumped and asked for */
	EXPECT_EQ(1, diag_sees(NULL, 7040));
	EXPECT_EQ(1, diag_sees(NULL, 7041));
	EXPECT_EQ(1, diag_sees(HOST4, 7040));
	EXPECT_EQ(1, diag_sees(A4, 7041));

	/* guest A (hiding the host's network) only its own */
	pid = fork();
	if (pid == 0) {
		if (enter_nx(self->fd, NID_A, 0, 0, guest_a))
			_exit(SETUP_FAILED);
		_exit((diag_sees(NULL, 7041) == 1 ? 0 : 1) |
		      (diag_sees(A4, 7041) == 1 ? 0 : 2) |
		      (diag_sees(NULL, 7040) == 0 ? 0 : 4) |
		      (diag_sees(HOST4, 7040) == 0 ? 0 : 8));
	}
	/* 1: no own listener in the dump, 2: nor asked for; 4, 8: the host's */
	EXPECT_EQ(0, vs_wait(pid));
	stop(a, hold_a, out_a);
	stop(h, hold, out);
}

TEST_F(net, connect_sends_with_the_guest_address)
{
	int hold[2], out[2];
	pid_t srv;

	srv = server(self->fd, 0, NULL, "::", 7020, hold, out);
	ASSERT_LT(0, srv);
	/* to a local address the host sends from that address */
	EXPECT_EQ(OK, connect_in(self->fd, 0, NULL, HOST4, 7020));
	EXPECT_STREQ("::ffff:" HOST4, accepted(out[0]));
	EXPECT_EQ(OK, connect_in(self->fd, NID_A, guest_a, HOST4, 7020));
	EXPECT_STREQ("::ffff:" A4, accepted(out[0]));
	EXPECT_EQ(OK, connect_in(self->fd, NID_A, guest_a, HOST6, 7020));
	EXPECT_STREQ(A6, accepted(out[0]));
	EXPECT_EQ(OK, connect_in(self->fd, NID_B, guest_b, HOST4, 7020));
	EXPECT_STREQ("::ffff:" B4, accepted(out[0]));
	stop(srv, hold, out);
}

TEST_F(net, loopback_is_the_guest_own)
{
	struct vcmd_net_flags_v0 show = { 0, NXF_HIDE_LBACK };
	int hold_a[2], out_a[2], hold_b[2], out_b[2];
	char lback_a[32];
	pid_t a, b;

	snprintf(lback_a, sizeof(lback_a), "::ffff:127.%u.%u.1",
		 NID_A >> 8 & 0xff, NID_A & 0xff);
	/* both listen on 127.0.0.1:5432 */
	a = server(self->fd, NID_A, guest_a, "127.0.0.1", 5432, hold_a, out_a);
	ASSERT_LT(0, a);
	b = server(self->fd, NID_B, guest_b, "127.0.0.1", 5432, hold_b, out_b);
	ASSERT_LT(0, b);
	/*
	 * Each reaches its own, from its own loopback address, which accept()
	 * shows as 127.0.0.1 (NXF_HIDE_LBACK, in the default flags)...
	 */
	EXPECT_EQ(OK, connect_in(self->fd, NID_A, guest_a, "127.0.0.1", 5432));
	EXPECT_STREQ("127.0.0.1", accepted(out_a[0]));
	EXPECT_STREQ("", accepted(out_b[0]));
	EXPECT_EQ(OK, connect_in(self->fd, NID_B, guest_b, "127.0.0.1", 5432));
	EXPECT_STRNE("", accepted(out_b[0]));
	/* ... and as it is without the flag */
	EXPECT_EQ(0, vs_call(self->fd, VCMD_set_nflags, NID_A, &show,
			     sizeof(show)));
	EXPECT_EQ(OK, connect_in(self->fd, NID_A, guest_a, "127.0.0.1", 5432));
	EXPECT_STREQ(lback_a + 7, accepted(out_a[0]));
	/* the host's 127.0.0.1:5432 is nobody's */
	EXPECT_EQ(REFUSED, connect_in(self->fd, 0, NULL, "127.0.0.1", 5432));
	stop(a, hold_a, out_a);
	stop(b, hold_b, out_b);
}

/* An echo request to @ip on raw ICMP socket @s: OK when the reply comes */
static int ping(int s, const char *ip)
{
	struct icmphdr req = { .type = ICMP_ECHO, .un.echo.id = htons(0x5653) };
	struct sockaddr_storage to;
	socklen_t len = sockaddr_of(&to, ip, 0);
	struct timeval tv = { 2, 0 };
	unsigned char buf[256];
	uint32_t sum = 0;
	int i, n;

	for (i = 0; i < (int)sizeof(req) / 2; i++)
		sum += ((uint16_t *)&req)[i];
	sum = (sum & 0xffff) + (sum >> 16);
	req.checksum = ~(sum + (sum >> 16));
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sendto(s, &req, sizeof(req), 0, (struct sockaddr *)&to, len) < 0)
		return OTHER_ERROR;
	for (;;) {	/* the request itself comes by too, on loopback */
		n = recv(s, buf, sizeof(buf), 0);
		if (n < 0)
			return OTHER_ERROR;
		if (n >= 28 && buf[20] == ICMP_ECHOREPLY)
			return OK;
	}
}

/*
 * A raw socket of protocol @proto in a child: on the host as root (@nid
 * 0), or without CAP_NET_RAW in network context @nid with @ncaps.
 */
static int raw_in(int fd, uint32_t nid, uint64_t ncaps, int proto, int hdrincl)
{
	pid_t pid = fork();

	if (pid == 0) {
		int s;

		if (nid && enter_nx(fd, nid, 0, ncaps, guest_a))
			_exit(SETUP_FAILED);
		if (nid && prctl(PR_CAPBSET_DROP, CAP_NET_RAW))
			_exit(SETUP_FAILED);
		if (nid &&
		    syscall(SYS_capset, &(struct __user_cap_header_struct){
				_LINUX_CAPABILITY_VERSION_3, 0 },
			    (struct __user_cap_data_struct[2]){
				{ ~(1u << CAP_NET_RAW), ~(1u << CAP_NET_RAW), 0 },
				{ ~0u, ~0u, 0 } }))
			_exit(SETUP_FAILED);
		s = socket(AF_INET, SOCK_RAW, proto);
		if (s < 0)
			_exit(errno == EPERM ? REFUSED : OTHER_ERROR);
		if (hdrincl &&
		    setsockopt(s, IPPROTO_IP, IP_HDRINCL, &(int){ 1 }, sizeof(int)))
			_exit(errno == EPERM ? REFUSED : OTHER_ERROR);
		_exit(proto == IPPROTO_ICMP ? ping(s, HOST4) : OK);
	}
	return vs_wait(pid);
}

/* ... and ping works: the echo request and its reply */
TEST_F(net, raw_icmp_only_with_the_ncap)
{
	/* root with CAP_NET_RAW: anything */
	EXPECT_EQ(OK, raw_in(self->fd, 0, 0, IPPROTO_ICMP, 0));
	/* without it, and in a context without RAW_ICMP: nothing */
	EXPECT_EQ(REFUSED, raw_in(self->fd, NID_A, 0, IPPROTO_ICMP, 0));
	/* with RAW_ICMP: ICMP, but no other protocol and no IP_HDRINCL */
	EXPECT_EQ(OK, raw_in(self->fd, NID_A + 10, NXC_RAW_ICMP, IPPROTO_ICMP, 0));
	EXPECT_EQ(REFUSED, raw_in(self->fd, NID_A + 11, NXC_RAW_ICMP, IPPROTO_UDP, 0));
	EXPECT_EQ(REFUSED, raw_in(self->fd, NID_A + 12, NXC_RAW_ICMP, IPPROTO_ICMP, 1));
}

static int sock_mark(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0), mark = -1;
	socklen_t len = sizeof(mark);

	if (getsockopt(s, SOL_SOCKET, SO_MARK, &mark, &len))
		mark = -1;
	close(s);
	return mark;
}

TEST_F(net, sockets_carry_the_nid_as_mark)
{
	pid_t pid;

	EXPECT_EQ(0, sock_mark());
	pid = fork();
	if (pid == 0) {
		if (enter_nx(self->fd, NID_A, 0, 0, guest_a))
			_exit(SETUP_FAILED);
		_exit(sock_mark() == NID_A ? 0 : 1);
	}
	EXPECT_EQ(0, vs_wait(pid));
}

TEST_F(net, bad_addresses_change_nothing)
{
	struct vcmd_net_addr_ipv4_v2 a4 = { .type = NXA_TYPE_ADDR };
	struct vcmd_net_addr_ipv6_v1 a6 = { .type = NXA_TYPE_ADDR };
	struct vcmd_net_flags_v0 f;
	char before[512], after[512];
	int hold[2], out[2];
	pid_t srv;

	/* a context that stays while we poke at it */
	srv = server(self->fd, NID_A, guest_a, A4, 7030, hold, out);
	ASSERT_LT(0, srv);
	ASSERT_LT(0, read_text("/proc/virtnet/4990/info", before, sizeof(before)));

	inet_pton(AF_INET, A4, &a4.ip);
	EXPECT_EQ(-EEXIST, vs_call(self->fd, VCMD_net_add_ipv4, NID_A, &a4, sizeof(a4)));
	a4.mask = htonl(0xff00ff00);	/* not a netmask */
	inet_pton(AF_INET, "10.77.0.9", &a4.ip);
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_net_add_ipv4, NID_A, &a4, sizeof(a4)));
	a4 = (struct vcmd_net_addr_ipv4_v2){ .type = NXA_TYPE_RANGE };
	inet_pton(AF_INET, "10.77.0.9", &a4.ip);
	inet_pton(AF_INET, "10.77.0.5", &a4.ip2);
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_net_add_ipv4, NID_A, &a4, sizeof(a4)));
	a4.type = 0x77;
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_net_add_ipv4, NID_A, &a4, sizeof(a4)));
	a4 = (struct vcmd_net_addr_ipv4_v2){ .type = NXA_TYPE_ADDR };
	inet_pton(AF_INET, "10.77.0.9", &a4.ip);
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_net_rem_ipv4, NID_A, &a4, sizeof(a4)));
	a6.prefix = 129;
	inet_pton(AF_INET6, "fd77::9", a6.ip);
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_net_add_ipv6, NID_A, &a6, sizeof(a6)));
	a6.prefix = 64;
	inet_pton(AF_INET6, A6, a6.ip);
	EXPECT_EQ(-EEXIST, vs_call(self->fd, VCMD_net_add_ipv6, NID_A, &a6, sizeof(a6)));
	inet_pton(AF_INET6, "fd77::9", a6.ip);
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_net_remove_ipv6, NID_A, &a6, sizeof(a6)));
	/* wrong sizes, ids, flags */
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_net_add_ipv4, NID_A, &a4, sizeof(a4) - 1));
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_net_add_ipv4, 0, &a4, sizeof(a4)));
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_net_add_ipv4, 4999, &a4, sizeof(a4)));
	f = (struct vcmd_net_flags_v0){ 1ULL << 60, 1ULL << 60 };
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_nflags, NID_A, &f, sizeof(f)));

	ASSERT_LT(0, read_text("/proc/virtnet/4990/info", after, sizeof(after)));
	EXPECT_STREQ(before, after);
	stop(srv, hold, out);
}

/* The v1 forms util-vserver's netv2 calls use: add, use, remove */
TEST_F(net, ipv4_v1_commands)
{
	struct vcmd_net_addr_ipv4_v1 a = { .type = NXA_TYPE_ADDR };
	char info[512];
	int hold[2], out[2];
	pid_t srv;

	srv = server(self->fd, NID_A, guest_a, A4, 7040, hold, out);
	ASSERT_LT(0, srv);
	/* B4 is a host address, not the guest's */
	EXPECT_EQ(REFUSED, bind_in(self->fd, NID_A, guest_a, B4));
	inet_pton(AF_INET, B4, &a.ip);
	a.mask = htonl(0xffffff00);
	EXPECT_EQ(0, vs_call(self->fd, VCMD_net_add_ipv4_v1, NID_A, &a, sizeof(a)));
	EXPECT_EQ(-EEXIST, vs_call(self->fd, VCMD_net_add_ipv4_v1, NID_A, &a,
				   sizeof(a)));
	ASSERT_LT(0, read_text("/proc/virtnet/4990/info", info, sizeof(info)));
	EXPECT_NE(NULL, strstr(info, B4)) TH_LOG("%s", info);
	EXPECT_EQ(OK, bind_in(self->fd, NID_A, guest_a, B4));
	EXPECT_EQ(0, vs_call(self->fd, VCMD_net_rem_ipv4_v1, NID_A, &a, sizeof(a)));
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_net_rem_ipv4_v1, NID_A, &a,
				  sizeof(a)));
	EXPECT_EQ(REFUSED, bind_in(self->fd, NID_A, guest_a, B4));
	/* v1 has no second address: no ranges; the v2 size is refused */
	a.type = NXA_TYPE_RANGE;
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_net_add_ipv4_v1, NID_A, &a,
				   sizeof(a)));
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_net_add_ipv4_v1, NID_A, &a,
				   sizeof(struct vcmd_net_addr_ipv4_v2)));
	stop(srv, hold, out);
}

TEST_HARNESS_MAIN
