// vkill - send a signal to the tasks of a security context.
#include "tool.hpp"

#include <vserver/kill.hpp>
#include <vserver/signal.hpp>
#include <vserver/xid.hpp>

#include <csignal>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// a signal could not be sent

constexpr const char *footer = R"(With --xid and no PID every task of context XID gets SIG.  With PIDs
each of them gets it, looked up in context XID, or without --xid in the
context the task is in.  With --xid, PID 1 means the context's init, 0
every task and -1 every task but the init.  XID is a number, 'self' or
the name of a vserver in /etc/vservers.  SIG is a number or a name
(HUP, SIGHUP); the default is TERM.

Exit status: 0 if every signal was sent; 1 if one could not be; 2 for a
usage error (bad option, XID, SIG or PID; no PID and no --xid).)";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Send a signal to tasks of a security context.", "vkill"};
	std::string xid_text, sig_text = "TERM";
	std::vector<std::string> pid_args;

	tool::describe(app, "vkill [--xid|-c XID] [-s SIG] [--] [PID...]", footer);
	app.add_option("-c,--xid", xid_text, "Context: number, 'self' or vserver name")
		->type_name("XID");
	app.add_option("-s", sig_text, "Signal, number or name (default TERM)")->type_name("SIG");
	app.add_option("PID", pid_args, "Tasks to signal")->type_name("");
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	std::optional<vserver::xid_t> xid;
	std::vector<pid_t> pids;
	int sig = SIGTERM;
	try {
		sig = vserver::parse_signal(sig_text);
		pids = vserver::parse_pids(pid_args, app.count("--xid") > 0);
		if (app.count("--xid"))
			xid = vserver::resolve_xid(xid_text, vserver::current_xid);
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vkill", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vkill: {}\n", e.what());
		return exit_failure;
	}

	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);
		auto errors = vserver::kill_tasks(client, xid, pids, sig);

		for (const auto &error : errors)
			fmt::print(stderr, "vkill: {}\n", error);
		return errors.empty() ? 0 : exit_failure;
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vkill: {}\n", e.what());
		return exit_failure;
	}
}
