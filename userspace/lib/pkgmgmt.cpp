#include <vserver/pkgmgmt.hpp>

#include <vserver/guest.hpp>
#include <vserver/spaces.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fstream>
#include <stdexcept>
#include <sys/mount.h>
#include <system_error>

namespace vserver {

namespace fs = std::filesystem;

namespace {

fs::path marker(const VserverConfig &guest)
{
	return guest.cfgdir / "apps/pkgmgmt/external";
}

bool has_apt_get(const VserverConfig &guest)
{
	std::error_code ec;
	return fs::exists(fs::symlink_status(guest.vdir / "usr/bin/apt-get", ec));
}

std::runtime_error no_apt_get(const VserverConfig &guest)
{
	return std::runtime_error(fmt::format(
		"the guest has no /usr/bin/apt-get ({} is not a Debian root?)",
		(guest.vdir / "usr/bin/apt-get").string()));
}

} // namespace

bool pkgmgmt_external(const VserverConfig &guest)
{
	std::error_code ec;
	return fs::exists(fs::symlink_status(marker(guest), ec));
}

std::string set_pkgmgmt(const VserverConfig &guest, bool external, const fs::path &host_archives)
{
	const auto file = marker(guest);
	if (external == pkgmgmt_external(guest))
		return fmt::format("{} already ({})", external ? "externalized" : "internalized",
				   file.string());
	if (!external) {
		fs::remove(file);
		return fmt::format("internalized: vapt-get uses the guest's own {} ({} removed)",
				   apt_archives.string(), file.string());
	}
	std::error_code ec;
	if (!fs::is_directory(host_archives, ec))
		throw std::runtime_error(fmt::format("the host has no {} to share",
						     host_archives.string()));
	if (!has_apt_get(guest))
		throw no_apt_get(guest);
	fs::create_directories(file.parent_path());
	std::ofstream out(file);
	out.close();
	if (!out)
		throw std::system_error(errno ? errno : EIO, std::generic_category(), file.string());
	return fmt::format("externalized: vapt-get shares the host's {} ({} made)",
			   host_archives.string(), file.string());
}

std::vector<std::string> apt_get_command(const VserverConfig &guest,
					 const std::vector<std::string> &args)
{
	if (!has_apt_get(guest))
		throw no_apt_get(guest);
	std::vector<std::string> argv{"/usr/bin/apt-get"};
	argv.insert(argv.end(), args.begin(), args.end());
	return argv;
}

void bind_host_archives(const VserverConfig &guest, const fs::path &host_archives)
{
	std::error_code ec;
	if (!fs::is_directory(host_archives, ec))
		throw std::runtime_error(fmt::format("the host has no {} to share",
						     host_archives.string()));
	SystemNamespaces spaces;
	spaces.unshare(mount_space);
	spaces.make_slave("/");
	auto target = guest_mount_point(guest, apt_archives.string(), "the package cache: ");
	if (::mount(host_archives.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) < 0)
		throw std::system_error(errno, std::generic_category(),
					fmt::format("mount --bind {} {}", host_archives.string(),
						    target.string()));
}

std::vector<std::string> enter_for_apt_get(Client &client, const VserverConfig &guest, xid_t xid,
					   const std::vector<std::string> &args)
{
	auto command = apt_get_command(guest, args);
	std::function<void()> bind;
	if (pkgmgmt_external(guest))
		bind = [&] { bind_host_archives(guest); };
	enter_guest(client, guest, xid, std::nullopt, bind);
	return command;
}

} // namespace vserver
