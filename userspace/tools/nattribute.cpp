// nattribute - show or change the flags and capabilities of a network
// context.
#include "tool.hpp"

#include <vserver/cflags.hpp>
#include <vserver/cmdline.hpp>
#include <vserver/nid.hpp>
#include <vserver/xid.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the kernel refused, or no device

constexpr const char *footer = R"txt(--get prints the network context's flags as "flags: 0x<hex> (<names>)"
and its capabilities as "ncaps: 0x<hex> (<names>)".  --set changes them:
each --flag or --ncap is a comma-separated list of names; a name prefixed
with '~' or '!' is cleared, else set; later items win.  Flag names are
util-vserver's: private single_ip lback_remap lback_allow hide_netif
hide_lback state_setup state_admin sc_helper persistent (also with an
NXF_ prefix, in any case; 'lock' has no flag in this kernel and is
refused).  The one-time state_* flags can only be cleared.  Capability
names: tun_create raw_icmp multicast (also with an NXC_ prefix).
--secure sets util-vserver's secure flags (hide_netif).  N is a number,
'self' or a vserver name; the default is the caller's network context.
Then PROG is executed, if given.

Exit status: that of PROG; 0 without PROG; 1 if the kernel refused; 2
for a usage error (bad option, N, flag or capability; the kernel was not
touched); 255 if PROG could not be executed.)txt";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Show or change the flags and capabilities of a network context.",
		     "nattribute"};
	std::string nid_text = "self";
	std::vector<std::string> flag_lists, ncap_lists;
	bool get = false, set = false, secure = false;

	tool::describe(app, "nattribute [--nid N] (--get | --set [--flag [~!]F[,F...]]... "
			    "[--ncap [~!]C[,C...]]... [--secure]) [--] [PROG ARGS...]", footer);
	app.add_option("--nid", nid_text, "Network context: number, 'self' or vserver name")
		->type_name("N");
	app.add_flag("--get", get, "Print the network context's flags and capabilities");
	app.add_flag("--set", set, "Change the network context's flags or capabilities");
	app.add_option("--flag", flag_lists, "Flags to set, or with ~ or ! to clear")
		->type_name("LIST")->allow_extra_args(false);
	app.add_option("--ncap", ncap_lists, "Capabilities to grant, or with ~ or ! to take back")
		->type_name("LIST")->allow_extra_args(false);
	app.add_flag("--secure", secure, "Set the secure flags (hide_netif)");
	app.prefix_command();	// stop at PROG; its arguments are its own
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	vserver::FlagChange nflags, ncaps;
	std::vector<std::string> command;
	vserver::nid_t nid;
	try {
		if (get == set)
			throw std::invalid_argument("say either --get or --set");
		if (!set && (!flag_lists.empty() || !ncap_lists.empty() || secure))
			throw std::invalid_argument("--flag, --ncap and --secure need --set");
		if (secure)
			nflags.set = vserver::secure_nflags();
		for (const auto &list : flag_lists)
			vserver::merge_name_list(nflags, list, vserver::nflag_names());
		for (const auto &list : ncap_lists)
			vserver::merge_name_list(ncaps, list, vserver::ncap_names());
		command = vserver::take_optional_command(app.remaining());
		nid = vserver::resolve_nid(nid_text, vserver::current_nid);
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("nattribute", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "nattribute: {}\n", e.what());
		return exit_failure;
	}

	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);

		if (get) {
			fmt::print("{}", vserver::nflags_line(client.get_nflags(nid).flagword));
			fmt::print("{}", vserver::ncaps_line(client.get_ncaps(nid).ncaps));
			std::fflush(stdout);
		} else {
			// flags last: clearing state_setup may forbid the rest
			if (ncaps.mask())
				client.set_ncaps(nid, ncaps.set, ncaps.mask());
			if (nflags.mask())
				client.set_nflags(nid, nflags.set, nflags.mask());
		}
	} catch (const std::system_error &e) {
		fmt::print(stderr, "nattribute: {}\n", e.what());
		return exit_failure;
	}

	if (command.empty())
		return 0;
	return tool::exec_prog("nattribute", std::move(command));
}
