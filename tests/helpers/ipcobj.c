// SPDX-License-Identifier: GPL-2.0
/*
 * ipcobj - make, find or remove one SysV shared memory segment, semaphore
 * set and message queue under a key, for the guest tests.
 *
 *   ipcobj create KEY   create all three (exclusive); exit 0
 *   ipcobj find KEY     exit 0 if all three exist, 1 if none, 2 if some
 *   ipcobj remove KEY   remove all three; exit 0 if all three were there
 *
 * Exit 3 for a usage or system error, with a message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

static int fail(const char *what)
{
	fprintf(stderr, "ipcobj: %s: %s\n", what, strerror(errno));
	return 3;
}

int main(int argc, char **argv)
{
	int shm, sem, msg, found;
	char *end;
	key_t key;

	if (argc != 3)
		goto usage;
	key = (key_t)strtol(argv[2], &end, 0);
	if (*end || key == IPC_PRIVATE)
		goto usage;

	if (!strcmp(argv[1], "create")) {
		if (shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600) < 0)
			return fail("shmget");
		if (semget(key, 1, IPC_CREAT | IPC_EXCL | 0600) < 0)
			return fail("semget");
		if (msgget(key, IPC_CREAT | IPC_EXCL | 0600) < 0)
			return fail("msgget");
		return 0;
	}

	shm = shmget(key, 0, 0);
	sem = semget(key, 0, 0);
	msg = msgget(key, 0);
	found = (shm >= 0) + (sem >= 0) + (msg >= 0);
	if (!strcmp(argv[1], "find"))
		return found == 3 ? 0 : found == 0 ? 1 : 2;
	if (!strcmp(argv[1], "remove")) {
		if (shm >= 0 && shmctl(shm, IPC_RMID, NULL))
			return fail("shmctl");
		if (sem >= 0 && semctl(sem, 0, IPC_RMID))
			return fail("semctl");
		if (msg >= 0 && msgctl(msg, IPC_RMID, NULL))
			return fail("msgctl");
		return found == 3 ? 0 : 1;
	}
usage:
	fprintf(stderr, "usage: ipcobj create|find|remove KEY\n");
	return 3;
}
