// chbind - run a command in a new network context with the addresses
// given (or in an existing one).
#include "address_options.hpp"
#include "enter.hpp"
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

constexpr const char *footer = R"txt(Creates a network context (N, or without --nid a dynamic one), gives it
the flags, capabilities and addresses, ends its setup and executes COMMAND
in it: its sockets then bind and send only with those addresses.  If
network context N exists, COMMAND joins it as it is (the other options
are not applied).  IP is an IPv4 or IPv6 address, MASK a prefix length or
an IPv4 netmask.  --flag and --ncap take nattribute's names, ~ or ! in
front to clear (a new network context has lback_remap, hide_netif,
hide_lback and state_admin); --secure sets hide_netif.  N is a number,
'self' or a vserver name.  Everything is checked before the network
context is created.  Unless --silent, prints "New network context is N".
--disconnect: go on in the background, in a new session; chbind itself
exits 0 at once.

Exit status: that of COMMAND; 1 if the kernel refused; 2 for a usage
error (bad option, N, address, flag, no COMMAND; nothing was done); 255
if COMMAND could not be executed.  With --disconnect: 0 as soon as the
process that carries on is forked (it reports its own errors), 1 if it
could not be, 2 for a usage error.)txt";

using Kind = vserver::AddressOption::Kind;

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Run COMMAND in a network context with the addresses given.", "chbind"};
	std::string nid_text;
	std::vector<std::string> flag_lists, ncap_lists;
	bool silent = false, secure = false, disconnect = false;

	tool::describe(app, "chbind [--silent] [--nid N] [--ip IP[/MASK]]... [--bcast B] "
			    "[--lback L] [--flag [~!]F[,F...]]... [--ncap [~!]C[,C...]]... "
			    "[--secure] [--disconnect] [--] COMMAND [ARGS...]", footer);
	app.add_flag("--silent", silent, "Don't print 'New network context is N'");
	app.add_option("--nid", nid_text, "Network context: number, 'self' or vserver name")
		->type_name("N");
	tool::AddressOptions address_options(app, {Kind::ip, Kind::bcast, Kind::lback},
					     "IP[/MASK]");
	app.add_option("--flag", flag_lists, "Network flags to set, or with ~ or ! to clear")
		->type_name("LIST")->allow_extra_args(false);
	app.add_option("--ncap", ncap_lists,
		       "Network capabilities to grant, or with ~ or ! to take back")
		->type_name("LIST")->allow_extra_args(false);
	app.add_flag("--secure", secure, "Set the secure flags (hide_netif)");
	app.add_flag("--disconnect", disconnect,
		     "Run in the background in a new session; exit 0 at once");
	app.prefix_command();	// stop at COMMAND; its arguments are its own
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	vserver::ChbindRequest request;
	std::vector<std::string> command;
	try {
		if (secure)
			request.nflags.set = vserver::secure_nflags();
		for (const auto &list : flag_lists)
			vserver::merge_name_list(request.nflags, list, vserver::nflag_names());
		if (request.nflags.mask() & NXF_STATE_SETUP)
			throw std::invalid_argument("--flag: chbind ends the setup itself "
						    "(use ncontext to keep one in setup)");
		for (const auto &list : ncap_lists)
			vserver::merge_name_list(request.ncaps, list, vserver::ncap_names());
		request.addresses = vserver::parse_addresses(address_options.given(app));
		command = vserver::take_command(app.remaining());
		if (app.count("--nid"))
			request.nid = vserver::resolve_nid(nid_text, vserver::current_nid);
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("chbind", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "chbind: {}\n", e.what());
		return exit_failure;
	}

	try {
		if (auto status = tool::disconnect_if(disconnect))
			return *status;
		vserver::DeviceTransport device;
		vserver::Client client(device);
		auto entry = vserver::run_chbind(client, request);

		if (!silent) {
			fmt::print("{}", vserver::new_network_message(entry.nid));
			std::fflush(stdout);
		}
	} catch (const std::system_error &e) {
		fmt::print(stderr, "chbind: {}\n", e.what());
		return exit_failure;
	}

	return tool::exec_prog("chbind", std::move(command));
}
