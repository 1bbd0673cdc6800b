// vwait - wait until a security context has ended.
#include "tool.hpp"

#include <vserver/wait.hpp>
#include <vserver/xid.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>

namespace {

constexpr int exit_error = 127;

constexpr const char *footer = R"(Waits for context XID (a number, 'self' or a vserver name) to end and
writes one line to FD: "FINISHED <status>" with the exit status of the
context's init (or of its last task; 128+N when signal N ended it),
"KILLED" when --terminate ended it after the timeout, "TIMEOUT", or
"ERROR <errno>".

Exit status: 0 finished; 1 killed; 2 timeout, or a usage error (bad
option or XID; the kernel was not touched); 127 error.)";

void on_alarm(int)
{
	// Nothing: the signal only interrupts the wait.
}

// SIGALRM interrupts the wait instead of restarting it (no SA_RESTART).
void catch_alarm()
{
	struct sigaction sa{};
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	::sigaction(SIGALRM, &sa, nullptr);
}

void report(std::optional<int> fd, const std::string &line)
{
	if (!fd)
		return;
	std::string_view rest(line);
	while (!rest.empty()) {
		ssize_t n = ::write(*fd, rest.data(), rest.size());
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fmt::print(stderr, "vwait: writing to fd {}: {}\n", *fd, std::strerror(errno));
			return;
		}
		rest.remove_prefix(static_cast<std::size_t>(n));
	}
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Wait until a security context has ended.", "vwait"};
	unsigned timeout = 0;
	int fd_arg = -1;
	bool terminate = false;
	std::string xid_text;

	tool::describe(app, "vwait [--timeout S] [--terminate] [--status-fd FD] [--] XID", footer);
	app.add_option("--timeout", timeout, "Give up after S seconds")->type_name("S");
	app.add_flag("--terminate", terminate, "After the timeout, kill the context and wait again");
	app.add_option("--status-fd", fd_arg, "Write the result line to file descriptor FD")
		->type_name("FD");
	app.add_option("XID", xid_text, "Context")->required()->type_name("");
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	if (app.count("--timeout") && timeout == 0)
		return tool::usage_error("vwait", "--timeout must be at least 1 second");
	std::optional<int> status_fd;
	if (app.count("--status-fd")) {
		if (::fcntl(fd_arg, F_GETFD) < 0)
			return tool::usage_error("vwait", fmt::format("--status-fd {}: {}", fd_arg,
								      std::strerror(errno)));
		status_fd = fd_arg;
	}

	vserver::xid_t xid;
	try {
		xid = vserver::resolve_xid(xid_text, vserver::current_xid);
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vwait", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vwait: {}\n", e.what());
		report(status_fd, vserver::status_line({vserver::WaitOutcome::error, e.code().value()}));
		return exit_error;
	}

	vserver::WaitOutcome outcome{vserver::WaitOutcome::error};
	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);

		catch_alarm();
		outcome = vserver::wait_context(client, xid, terminate, [&] {
			if (timeout)
				::alarm(timeout);
		});
		::alarm(0);
		if (outcome.kind == vserver::WaitOutcome::error)
			fmt::print(stderr, "vwait: context {}: {}\n", xid,
				   std::strerror(outcome.value));
	} catch (const std::system_error &e) {	// no /dev/vserver
		fmt::print(stderr, "vwait: {}\n", e.what());
		outcome.value = e.code().value();
	}
	report(status_fd, vserver::status_line(outcome));
	return vserver::exit_code(outcome);
}
