// vapt-get - apt-get inside a running guest (util-vserver's), with the
// host's package cache when the guest is externalized.
#include "tool.hpp"

#include <vserver/guest.hpp>
#include <vserver/pkgmgmt.hpp>
#include <vserver/transport.hpp>
#include <vserver/vconfig.hpp>
#include <vserver/xid.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr int exit_failure = 1;
constexpr int exit_no_guest = 5;

constexpr const char *footer = R"(Runs the guest's /usr/bin/apt-get with APT-ARGS inside the running guest
NAME of DIR (default $VSERVER_CONFDIR or /etc/vservers), as 'vserver NAME
exec' does.  When the guest is externalized ('vserver NAME pkgmgmt
externalize': the file apps/pkgmgmt/external), the host's
/var/cache/apt/archives is bound on the guest's for this run only, in a
mount namespace of its own: packages are fetched once for host and guests.

Exit status: that of apt-get, 255 if it could not be executed; 1 if the
guest is not running or has no /usr/bin/apt-get; 2 for a usage error; 5
if there is no such guest.)";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Run apt-get inside a running guest.", "vapt-get"};
	std::string confdir, name;
	std::vector<std::string> args;

	tool::describe(app, "vapt-get [--confdir DIR] NAME -- APT-ARGS...", footer);
	app.add_option("--confdir", confdir,
		       "The guests' configurations (default $VSERVER_CONFDIR or /etc/vservers)")
		->type_name("DIR");
	app.add_option("NAME", name, "The guest")->required()->type_name("");
	app.add_option("APT-ARGS", args, "apt-get's arguments")->type_name("");
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;
	if (!vserver::is_vserver_name(name))
		return tool::usage_error("vapt-get", fmt::format("'{}' is not a vserver name", name));

	fs::path cfgdir = (confdir.empty() ? vserver::vserver_confdir() : fs::path(confdir)) / name;
	std::vector<std::string> command;
	try {
		if (!fs::is_directory(cfgdir)) {
			fmt::print(stderr, "vapt-get: {}: no such guest ({} is not a directory)\n",
				   name, cfgdir.string());
			return exit_no_guest;
		}
		auto guest = vserver::read_vserver_identity(cfgdir);
		vserver::DeviceTransport device;
		vserver::Client client(device);
		auto xid = vserver::running_xid(client, guest);
		if (!xid) {
			fmt::print(stderr, "vapt-get: {}: Vserver '{}' is not running\n", name,
				   guest.name);
			return exit_failure;
		}
		command = vserver::enter_for_apt_get(client, guest, *xid, args);
	} catch (const std::exception &e) {
		fmt::print(stderr, "vapt-get: {}: {}\n", name, e.what());
		return exit_failure;
	}
	return tool::exec_prog("vapt-get", std::move(command));
}
