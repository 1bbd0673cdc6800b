// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: what is reached by name alone, with no path a chroot could
 * hide: abstract unix sockets and keys.
 *
 * A socket or key made in one place is tried from its own context, from
 * the host and from another context.  Abstract sockets: the same context
 * and the host reach it, another context does not.  Keys: only the
 * context that made it, the host included (escape_test shows the guest
 * side: reading the host root's key from a chroot works, from a context
 * not).
 */
#define _GNU_SOURCE
#include <linux/keyctl.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define REACHED		0
#define REFUSED		11
#define OTHER_ERROR	12
#define SETUP_FAILED	13

FIXTURE(names) {
	int fd;
};

FIXTURE_SETUP(names)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(names)
{
	close(self->fd);
}

static int result(int ret, int refused_errno)
{
	if (ret >= 0)
		return REACHED;
	return errno == refused_errno ? REFUSED : OTHER_ERROR;
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path + 1, name);
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

/*
 * In a child: into context @xid (0: stay on the host; @join: migrate into
 * the existing context, else create it), then @probe(@arg).
 */
static int in_context(int fd, uint32_t xid, int join,
		      int (*probe)(const char *), const char *arg)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	pid_t pid = fork();

	if (pid == 0) {
		if (xid && join && vs_call(fd, VCMD_ctx_migrate, xid, NULL, 0))
			_exit(SETUP_FAILED);
		if (xid && !join && vs_call(fd, VCMD_ctx_create, xid, &create,
					    sizeof(create)) != xid)
			_exit(SETUP_FAILED);
		_exit(probe(arg));
	}
	return vs_wait(pid);
}

static int connect_stream(const char *name)
{
	struct sockaddr_un a;
	socklen_t len = abstract_addr(&a, name);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	int ret = result(connect(s, (struct sockaddr *)&a, len), ECONNREFUSED);

	close(s);
	return ret;
}

static int send_dgram(const char *name)
{
	struct sockaddr_un a;
	socklen_t len = abstract_addr(&a, name);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	int ret = result(sendto(s, "x", 1, 0, (struct sockaddr *)&a, len) == 1 ?
			 0 : -1, ECONNREFUSED);

	close(s);
	return ret;
}

/*
 * A child in context @xid binds abstract stream and datagram sockets
 * "<name>-s" and "<name>-d" and keeps them until @hold closes.  With the
 * context's other tasks (the same xid) it is @xid's daemon.
 */
static pid_t daemon_in(int fd, uint32_t xid, const char *name, int hold[2],
		       int ready[2])
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	struct sockaddr_un a;
	char n[64], c;
	int s, d;
	pid_t pid;

	if (pipe(hold) || pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(hold[1]);
		close(ready[0]);
		if (xid && vs_call(fd, VCMD_ctx_create, xid, &create,
				   sizeof(create)) != xid)
			_exit(SETUP_FAILED);
		snprintf(n, sizeof(n), "%s-s", name);
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		if (bind(s, (struct sockaddr *)&a, abstract_addr(&a, n)) ||
		    listen(s, 8))
			_exit(SETUP_FAILED);
		snprintf(n, sizeof(n), "%s-d", name);
		d = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (bind(d, (struct sockaddr *)&a, abstract_addr(&a, n)))
			_exit(SETUP_FAILED);
		if (write(ready[1], "r", 1) != 1)
			_exit(SETUP_FAILED);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(hold[0]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		return -1;
	close(ready[0]);
	return pid;
}

TEST_F(names, abstract_unix_sockets_stay_in_their_context)
{
	int hold[2], ready[2];
	pid_t daemon;

	/* a daemon in context 4960 */
	daemon = daemon_in(self->fd, 4960, "vs-names-a", hold, ready);
	ASSERT_LT(0, daemon);
	EXPECT_EQ(REACHED, in_context(self->fd, 4960, 1, connect_stream, "vs-names-a-s"));
	EXPECT_EQ(REACHED, in_context(self->fd, 4960, 1, send_dgram, "vs-names-a-d"));
	EXPECT_EQ(REACHED, in_context(self->fd, 0, 0, connect_stream, "vs-names-a-s"));
	EXPECT_EQ(REACHED, in_context(self->fd, 0, 0, send_dgram, "vs-names-a-d"));
	EXPECT_EQ(REFUSED, in_context(self->fd, 4961, 0, connect_stream, "vs-names-a-s"));
	EXPECT_EQ(REFUSED, in_context(self->fd, 4961, 0, send_dgram, "vs-names-a-d"));
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(daemon));

	/* a host daemon: no context reaches it */
	daemon = daemon_in(self->fd, 0, "vs-names-h", hold, ready);
	ASSERT_LT(0, daemon);
	EXPECT_EQ(REACHED, in_context(self->fd, 0, 0, connect_stream, "vs-names-h-s"));
	EXPECT_EQ(REFUSED, in_context(self->fd, 4962, 0, connect_stream, "vs-names-h-s"));
	EXPECT_EQ(REFUSED, in_context(self->fd, 4962, 0, send_dgram, "vs-names-h-d"));
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(daemon));
}

#define KEY_PAYLOAD	"vs-names payload"

/*
 * Read key @arg (its serial, as text) by serial, not through a keyring.
 * Refused, keyctl(KEYCTL_READ) says ENOKEY: as if there were no such key.
 */
static int read_key(const char *arg)
{
	char buf[64] = "";
	long n = syscall(SYS_keyctl, KEYCTL_READ, strtol(arg, NULL, 10), buf,
			 sizeof(buf) - 1);

	if (n < 0)
		return result(-1, ENOKEY);
	return strcmp(buf, KEY_PAYLOAD) ? OTHER_ERROR : REACHED;
}

/*
 * A child in context @xid (0: the host) makes a key anybody with its uid
 * may read, in a session keyring of its own, and keeps it until @hold
 * closes; its serial is written to @serial.
 */
static pid_t key_holder(int fd, uint32_t xid, int hold[2], char *serial,
			size_t size)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	int ready[2];
	long id;
	pid_t pid;
	ssize_t n;
	char c;

	if (pipe(hold) || pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(hold[1]);
		close(ready[0]);
		if (xid && vs_call(fd, VCMD_ctx_create, xid, &create,
				   sizeof(create)) != xid)
			_exit(SETUP_FAILED);
		if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
			_exit(SETUP_FAILED);
		id = syscall(SYS_add_key, "user", "vs-names", KEY_PAYLOAD,
			     strlen(KEY_PAYLOAD), KEY_SPEC_SESSION_KEYRING);
		/* possessor and user: everything */
		if (id < 0 || syscall(SYS_keyctl, KEYCTL_SETPERM, id, 0x3f3f0000))
			_exit(SETUP_FAILED);
		dprintf(ready[1], "%ld", id);
		close(ready[1]);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(hold[0]);
	close(ready[1]);
	n = read(ready[0], serial, size - 1);
	close(ready[0]);
	if (n <= 0)
		return -1;
	serial[n] = '\0';
	return pid;
}

TEST_F(names, keys_stay_in_the_context_that_made_them)
{
	char serial[32];
	int hold[2];
	pid_t holder;

	/* a key of the host: the host reads it, no context does */
	holder = key_holder(self->fd, 0, hold, serial, sizeof(serial));
	ASSERT_LT(0, holder);
	EXPECT_EQ(REACHED, in_context(self->fd, 0, 0, read_key, serial));
	EXPECT_EQ(REFUSED, in_context(self->fd, 4965, 0, read_key, serial));
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));

	/* a key of context 4966: its context reads it, the host and 4967 not */
	holder = key_holder(self->fd, 4966, hold, serial, sizeof(serial));
	ASSERT_LT(0, holder);
	EXPECT_EQ(REACHED, in_context(self->fd, 4966, 1, read_key, serial));
	EXPECT_EQ(REFUSED, in_context(self->fd, 0, 0, read_key, serial));
	EXPECT_EQ(REFUSED, in_context(self->fd, 4967, 0, read_key, serial));
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

TEST_HARNESS_MAIN
