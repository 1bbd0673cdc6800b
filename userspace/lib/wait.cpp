#include <vserver/wait.hpp>

#include <vserver/process.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <system_error>

namespace vserver {

namespace {

bool interrupted(const std::system_error &e)
{
	return e.code() == std::errc::interrupted;
}

} // namespace

WaitOutcome wait_context(Client &client, xid_t xid, bool terminate,
			 const std::function<void()> &arm_timer)
{
	try {
		arm_timer();
		return {WaitOutcome::finished, shell_status(client.wait_exit(xid).exit_code)};
	} catch (const std::system_error &e) {
		if (!interrupted(e))
			return {WaitOutcome::error, e.code().value()};
		if (!terminate)
			return {WaitOutcome::timeout};
	}

	bool killed = true;
	try {
		client.ctx_kill(xid, 0, SIGKILL);
	} catch (const std::system_error &e) {
		// No task left to kill (a persistent context, or one that just
		// ended): the wait below tells which.
		if (e.code() != std::errc::no_such_process)
			return {WaitOutcome::error, e.code().value()};
		killed = false;
	}
	try {
		arm_timer();
		return {WaitOutcome::killed, shell_status(client.wait_exit(xid).exit_code)};
	} catch (const std::system_error &e) {
		if (interrupted(e))
			return {WaitOutcome::timeout};
		// Our SIGKILL may end the context before we wait again; then it
		// is gone (ESRCH) and ended by our kill.
		if (killed && e.code() == std::errc::no_such_process)
			return {WaitOutcome::killed, 128 + SIGKILL};
		return {WaitOutcome::error, e.code().value()};
	}
}

std::string status_line(const WaitOutcome &outcome)
{
	switch (outcome.kind) {
	case WaitOutcome::finished:
		return fmt::format("FINISHED {}\n", outcome.value);
	case WaitOutcome::killed:
		return "KILLED\n";
	case WaitOutcome::timeout:
		return "TIMEOUT\n";
	case WaitOutcome::error:
		break;
	}
	return fmt::format("ERROR {}\n", outcome.value);
}

int exit_code(const WaitOutcome &outcome)
{
	switch (outcome.kind) {
	case WaitOutcome::finished:
		return 0;
	case WaitOutcome::killed:
		return 1;
	case WaitOutcome::timeout:
		return 2;
	case WaitOutcome::error:
		break;
	}
	return 127;
}

} // namespace vserver
