// What vwait does: wait for a context to end, with a timeout.
#pragma once

#include <vserver/client.hpp>

#include <functional>
#include <string>

namespace vserver {

struct WaitOutcome {
	enum Kind { finished, killed, timeout, error };

	Kind kind;
	// finished, killed: the exit status (shell_status) of the context's
	// init, or of its last task; error: the errno.
	int value = 0;

	bool operator==(const WaitOutcome &) const = default;
};

// wait_exit(xid).  arm_timer runs before each wait; a timer that fires
// interrupts it (EINTR): timeout, or with terminate, ctx_kill(xid, 0,
// SIGKILL) and a second wait (timer armed again): killed, or timeout if
// that one is interrupted too.  Any other error: error with its errno.
WaitOutcome wait_context(Client &client, xid_t xid, bool terminate,
			 const std::function<void()> &arm_timer);

// The line vwait writes to --status-fd: "FINISHED 3\n", "KILLED\n",
// "TIMEOUT\n", "ERROR 3\n".
std::string status_line(const WaitOutcome &outcome);

// vwait's exit status: 0 finished, 1 killed, 2 timeout, 127 error.
int exit_code(const WaitOutcome &outcome);

} // namespace vserver
