// vattribute - show or change the flags, capabilities and unshare mask of a
// security context.
#include "tool.hpp"

#include <vserver/caps.hpp>
#include <vserver/cflags.hpp>
#include <vserver/cmdline.hpp>
#include <vserver/xid.hpp>

#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the kernel refused, or no device

constexpr const char *footer = R"txt(--get prints the context's flags as "flags: 0x<hex> (<names>)", its
bounding set of capabilities as "bcaps: 0x<hex> (all | ~<missing>,...)"
and its unshare mask as "umask: 0x<hex> (<names>)".  --set changes them:
each --flag, --bcap or --umask is a comma-separated list of names; a name
prefixed with '~' or '!' is cleared, else set.  Capabilities are libcap's
names (sys_time, CAP_SYS_TIME, ...); the bounding set can only shrink.
--ccap grants context capabilities, narrow slices of what the bounding
set lacks (util-vserver's names; so far set_utsname: root of the context
may name its own UTS namespace).
--secure clears the capabilities that reach beyond the context (module
loading, clock, reboot, raw I/O and sockets, mounts, mknod, rlimits, ...).  Flag names are util-vserver's
(private, fakeinit, hideinfo, sched_hard, ..., persistent; also with a
VXF_ prefix), in any case.  The one-time state_* flags can only be
cleared.  The unshare mask names the namespaces the context may still
create or join once set up: fs newns newuts newipc newuser newpid newnet
newcgroup newtime (also with a CLONE_ prefix).  XID is a number, 'self' or a vserver name;
the default is the caller's context.  Then PROG is executed, if given.

Exit status: that of PROG; 0 without PROG; 1 if the kernel refused; 2
for a usage error (bad option, XID or flag; the kernel was not touched);
255 if PROG could not be executed.)txt";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Show or change the flags of a security context.", "vattribute"};
	std::string xid_text = "self";
	std::vector<std::string> flag_lists, umask_lists, bcap_lists, ccap_lists;
	bool get = false, set = false, secure = false;

	tool::describe(app, "vattribute [--xid XID] (--get | --set [--flag [~!]F[,F...]]... "
			    "[--bcap [~!]C[,C...]]... [--ccap [~!]C[,C...]]... [--secure] "
			    "[--umask [~!]U[,U...]]...) "
			    "[--] [PROG ARGS...]", footer);
	app.add_option("--xid", xid_text, "Context: number, 'self' or vserver name")
		->type_name("XID");
	app.add_flag("--get", get, "Print the context's flags and unshare mask");
	app.add_flag("--set", set, "Change the context's flags or unshare mask");
	app.add_option("--flag", flag_lists, "Flags to set, or with ~ or ! to clear")
		->type_name("LIST")->allow_extra_args(false);
	app.add_option("--bcap", bcap_lists, "Capabilities to keep, or with ~ or ! to drop")
		->type_name("LIST")->allow_extra_args(false);
	app.add_option("--ccap", ccap_lists,
		       "Context capabilities to grant, or with ~ or ! to take back")
		->type_name("LIST")->allow_extra_args(false);
	app.add_flag("--secure", secure, "Drop the capabilities that reach beyond the context");
	app.add_option("--umask", umask_lists,
		       "Namespaces to allow, or with ~ or ! to forbid")
		->type_name("LIST")->allow_extra_args(false);
	app.prefix_command();	// stop at PROG; its arguments are its own
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	vserver::FlagChange change, umask, bcaps, ccaps;
	std::vector<std::string> command;
	vserver::xid_t xid;
	try {
		if (get == set)
			throw std::invalid_argument("say either --get or --set");
		if (!set && !flag_lists.empty())
			throw std::invalid_argument("--flag needs --set");
		if (!set && !umask_lists.empty())
			throw std::invalid_argument("--umask needs --set");
		if (!set && (!bcap_lists.empty() || !ccap_lists.empty() || secure))
			throw std::invalid_argument("--bcap, --ccap and --secure need --set");
		for (const auto &list : ccap_lists)
			vserver::merge_name_list(ccaps, list, vserver::ccap_names());
		if (secure)
			bcaps.clear = vserver::insecure_capabilities();
		for (const auto &list : bcap_lists)
			vserver::merge_name_list(bcaps, list, vserver::capability_names());
		for (const auto &list : flag_lists)
			vserver::merge_flag_list(change, list);
		for (const auto &list : umask_lists)
			vserver::merge_name_list(umask, list, vserver::umask_names());
		command = vserver::take_optional_command(app.remaining());
		xid = vserver::resolve_xid(xid_text, vserver::current_xid);
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vattribute", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vattribute: {}\n", e.what());
		return exit_failure;
	}

	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);

		if (get) {
			fmt::print("{}", vserver::flags_line(client.get_cflags(xid).flagword));
			fmt::print("{}", vserver::bcaps_line(client.get_bcaps(xid).bcaps));
			fmt::print("{}", vserver::ccaps_line(client.get_ccaps(xid).ccaps));
			fmt::print("{}", vserver::umask_line(client.get_umask(xid).umask));
			std::fflush(stdout);
		} else {
			// flags last: clearing state_setup may forbid the rest
			if (umask.mask())
				client.set_umask(xid, umask.set, umask.mask());
			if (bcaps.mask())
				client.set_bcaps(xid, bcaps.set, bcaps.mask());
			if (ccaps.mask())
				client.set_ccaps(xid, ccaps.set, ccaps.mask());
			if (change.mask())
				client.set_cflags(xid, change.set, change.mask());
		}
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vattribute: {}\n", e.what());
		return exit_failure;
	}

	if (command.empty())
		return 0;
	return tool::exec_prog("vattribute", std::move(command));
}
