// SPDX-License-Identifier: GPL-2.0
/*
 * capprobe - print the caller's effective capability set as one hex
 * number ("%016llx\n"), for the guest tests (run as a setuid or
 * file-capability binary, it shows what the exec granted).
 */
#include <linux/capability.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data)) {
		perror("capprobe: capget");
		return 3;
	}
	printf("%016llx\n", (unsigned long long)data[1].effective << 32 |
	       data[0].effective);
	return 0;
}
