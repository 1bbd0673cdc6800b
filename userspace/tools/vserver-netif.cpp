// vserver-netif - put a guest's interface addresses on the host's devices
// and take exactly those off again (util-vserver's enableInterfaces and
// disableInterfaces of 'vserver NAME start' and 'stop').
#include "tool.hpp"

#include <vserver/interfaces.hpp>
#include <vserver/netif.hpp>
#include <vserver/netlink.hpp>
#include <vserver/xid.hpp>

#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace {

constexpr int exit_failure = 1;		// failed; nothing changed

constexpr const char *footer = R"txt(up: adds the address of each interface of the guest
NAME (the directories of DIR/interfaces, DIR being /etc/vservers/NAME
unless --cfgdir) that is neither nodev nor disabled to its device, with
its prefix, broadcast address and label, brings the device up, and
records what it added in RUNDIR/interfaces (RUNDIR: /run/vservers/NAME
unless --rundir).  An address the device has already is left alone and
not recorded.  Every device is looked up first; after a failure, what
was done is taken back.  down: removes the recorded addresses that are
still there, then the record.  show: prints the interfaces as read, and
what is recorded.

Exit status: 0; 1 if it failed (up: nothing was changed; down: what
could not be removed stays in the record); 2 for a usage error or a bad
configuration (the message names the file; nothing was done).)txt";

// Each line of a message on standard error, after the tool's name.
void report(std::string_view message)
{
	std::istringstream lines{std::string(message)};
	for (std::string line; std::getline(lines, line);)
		fmt::print(stderr, "vserver-netif: {}\n", line);
}

void say(std::string_view line)
{
	fmt::print("{}\n", line);
	std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Put a guest's interface addresses on the host's devices, or take them off.",
		     "vserver-netif"};
	std::string cfgdir, rundir, name, verb;

	tool::describe(app,
		       "vserver-netif [--cfgdir DIR] [--rundir RUNDIR] NAME (up|down|show)",
		       footer);
	app.add_option("--cfgdir", cfgdir,
		       "The guest's configuration (default /etc/vservers/NAME)")
		->type_name("DIR");
	app.add_option("--rundir", rundir,
		       "Keep the record in RUNDIR/interfaces (default /run/vservers/NAME)")
		->type_name("RUNDIR");
	app.add_option("NAME", name, "The guest")->required()->type_name("");
	app.add_option("VERB", verb, "up, down or show")->required()->type_name("");
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	if (!vserver::is_vserver_name(name))
		return tool::usage_error("vserver-netif", "'" + name + "' is not a vserver name");
	if (verb != "up" && verb != "down" && verb != "show")
		return tool::usage_error("vserver-netif", "say up, down or show, not '" + verb + "'");
	if (cfgdir.empty())
		cfgdir = (vserver::default_confdir / name).string();
	if (rundir.empty())
		rundir = "/run/vservers/" + name;
	vserver::AddressRecord record(std::filesystem::path(rundir) / "interfaces");

	vserver::InterfacesConfig config;
	if (verb != "down") {
		try {
			config = vserver::read_interfaces(cfgdir);
		} catch (const std::invalid_argument &e) {
			report(e.what());
			return tool::exit_usage;
		}
	}

	try {
		if (verb == "show") {
			fmt::print("{}", vserver::show_interfaces(config));
			if (record.exists())
				for (const auto &added : record.read())
					fmt::print("added: {}\n", vserver::to_string(added));
			return 0;
		}
		vserver::NetlinkNetwork net;
		if (verb == "up")
			vserver::interfaces_up(net, config, record, say);
		else
			vserver::interfaces_down(net, record, say);
	} catch (const std::exception &e) {
		report(e.what());
		return exit_failure;
	}
	return 0;
}
