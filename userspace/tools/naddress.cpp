// naddress - add or remove addresses of a network context.
#include "address_options.hpp"
#include "tool.hpp"

#include <vserver/client.hpp>
#include <vserver/cmdline.hpp>
#include <vserver/naddr.hpp>
#include <vserver/xid.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the kernel refused, or no device

constexpr const char *footer = R"txt(--add gives network context N the addresses, --remove takes them away,
--set first removes every address (IPv4 and IPv6), then adds.  IP is an
IPv4 or IPv6 address; M a prefix length (1..32, 1..128) or, for IPv4, a
netmask (255.255.255.0); without /M the last --mask before --ip applies,
else /32 or /128.  --mask NET/M gives the whole network NET/M.  --range
A-B gives the IPv4 addresses A to B, both included.  --bcast and --lback
set the broadcast and loopback address (with --add or --set).  Every
argument is checked before the first change.  Unless --silent, each
change is reported on standard output.  N is a number, 'self' or a
vserver name; the default is the caller's network context.  Then PROG is
executed, if given.

Exit status: that of PROG; 0 without PROG; 1 if the kernel refused an
address (the others are still sent; PROG is not executed); 2 for a usage
error (bad option, N or address; nothing was sent); 255 if PROG could not
be executed.)txt";

using Kind = vserver::AddressOption::Kind;

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Add or remove addresses of a network context.", "naddress"};
	std::string nid_text = "self";
	bool add = false, remove = false, set = false, silent = false;

	tool::describe(app, "naddress (--add | --remove | --set) [--silent] [--nid N] "
			    "[--ip IP[/M]]... [--mask M | NET/M]... [--range A-B]... "
			    "[--bcast B] [--lback L] [--] [PROG ARGS...]", footer);
	app.add_flag("--add", add, "Add the addresses");
	app.add_flag("--remove", remove, "Remove the addresses");
	app.add_flag("--set", set, "Remove every address, then add these");
	app.add_flag("--silent", silent, "Don't report the changes");
	app.add_option("--nid", nid_text, "Network context: number, 'self' or vserver name")
		->type_name("N");
	tool::AddressOptions address_options(
		app, {Kind::ip, Kind::mask, Kind::range, Kind::bcast, Kind::lback});
	app.prefix_command();	// stop at PROG; its arguments are its own
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	std::vector<vserver::NetAddress> addresses;
	std::vector<std::string> command;
	vserver::nid_t nid;
	try {
		if (add + remove + set != 1)
			throw std::invalid_argument("say one of --add, --remove and --set");
		if (remove && (app.count("--bcast") || app.count("--lback")))
			throw std::invalid_argument("--bcast and --lback go with --add or --set");
		addresses = vserver::parse_addresses(address_options.given(app));
		if (addresses.empty() && !set)
			throw std::invalid_argument(fmt::format(
				"--{} needs an address (--ip, --mask NET/M, --range, --bcast, --lback)",
				add ? "add" : "remove"));
		command = vserver::take_optional_command(app.remaining());
		nid = vserver::resolve_nid(nid_text, vserver::current_nid);
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("naddress", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "naddress: {}\n", e.what());
		return exit_failure;
	}

	int failures = 0;
	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);
		auto report = [&](const vserver::NetAddress &addr, bool added) {
			if (!silent)
				fmt::print("{}", vserver::change_message(nid, addr, added));
		};

		if (set) {
			for (bool ipv6 : {false, true}) {
				client.net_remove(nid, vserver::all_addresses(ipv6));
				report(vserver::all_addresses(ipv6), false);
			}
		}
		for (const auto &addr : addresses) {
			try {
				if (remove)
					client.net_remove(nid, addr);
				else
					client.net_add(nid, addr);
				report(addr, !remove);
			} catch (const vserver::AddressError &e) {
				std::fflush(stdout);
				fmt::print(stderr, "naddress: {}\n", e.what());
				failures++;
			}
		}
		std::fflush(stdout);
	} catch (const std::system_error &e) {
		std::fflush(stdout);
		fmt::print(stderr, "naddress: {}\n", e.what());
		return exit_failure;
	}

	if (failures)
		return exit_failure;
	if (command.empty())
		return 0;
	return tool::exec_prog("naddress", std::move(command));
}
