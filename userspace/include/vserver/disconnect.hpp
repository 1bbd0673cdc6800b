// --disconnect of chcontext and vcontext, as util-vserver's: the tool goes
// on in a child of its own, in a session of its own, and the caller (a
// shell, a start script) gets control back at once.
#pragma once

#include <optional>
#include <sys/types.h>

namespace vserver {

// What disconnecting asks of the kernel; a mock in the tests.
class Sessions {
public:
	virtual ~Sessions() = default;
	// fork(2): the child's pid in the parent, 0 in the child; throws
	// std::system_error.
	virtual pid_t fork() = 0;
	// setsid(2); throws std::system_error.
	virtual void setsid() = 0;
};

class SystemSessions : public Sessions {
public:
	pid_t fork() override;
	void setsid() override;
};

// Fork.  The parent gets the status to exit with at once (0: the child
// carries on, nobody waits for it).  The child starts a new session - it is
// the leader of it and of a new process group, with no controlling
// terminal - and gets nullopt: it goes on with the tool's work.  Nothing is
// redirected; stdio buffers are flushed before the fork so nothing is
// written twice.  Throws std::system_error when fork fails (in the caller,
// nothing forked) or setsid fails (in the child).
std::optional<int> disconnect(Sessions &sessions);

} // namespace vserver
