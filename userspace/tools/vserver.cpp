// vserver - build, start, stop and enter a guest configured as util-vserver
// configures it (/etc/vservers/NAME).
#include "tool.hpp"
#include "vhashify_main.hpp"

#include <vserver/guest.hpp>
#include <vserver/iattr.hpp>
#include <vserver/netlink.hpp>
#include <vserver/pkgmgmt.hpp>
#include <vserver/tags.hpp>
#include <vserver/transport.hpp>
#include <vserver/vbuild.hpp>
#include <vserver/vconfig.hpp>
#include <vserver/xid.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr int exit_failure = 1;		// failed; what was done was taken back
constexpr int exit_stopped = 3;		// status: the guest is stopped (util-vserver)
constexpr int exit_no_guest = 5;	// no such guest (util-vserver)

constexpr const char *usage =
	"vserver [--silent|--verbose|--debug] [--confdir DIR] NAME VERB [ARGS...]";

constexpr const char *footer = R"txt(Verbs:
  build -m METHOD [OPTIONS]  make a new guest: its configuration in
                             DIR/NAME and its root ROOTDIR/NAME
                             (vserver NAME build --help for the options)
  start [--rescue [CMD...]]  start the guest (CMD: instead of its init)
  stop                       stop it
  restart                    stop it if it runs, then start it
  condrestart                restart it only if it runs
  running                    exit 0 if it runs, 1 if not
  status                     say whether it runs; exit 0 if it does, 3 if not
  enter                      a login shell in the running guest
  exec CMD [ARGS...]         run CMD in the running guest, as root
  suexec USER CMD [ARGS...]  run CMD in the running guest as USER
  delete                     remove the stopped guest's root and
                             configuration (asks first unless --silent)
  apt-get ARGS...            the guest's apt-get in the running guest
                             (as vapt-get NAME -- ARGS)
  pkgmgmt externalize|internalize
                             share the host's /var/cache/apt/archives
                             with apt-get runs of vapt-get, or stop it
  hashify [-nv] [--refresh]  unify the guest's files with other guests'
                             through a hash directory (as vhashify NAME)

DIR is /etc/vservers unless --confdir or $VSERVER_CONFDIR says otherwise.
A configuration with errors starts nothing: each error is printed as
FILE:LINE: what is wrong.

Exit status: 0; 1 if the verb failed (a failed build or start leaves
nothing behind); 2 for a usage error; 3 from status for a stopped
guest, 1 from running; 5 if there is no such guest; enter, exec,
suexec and apt-get: that of CMD, 255 if it could not be executed;
hashify: that of vhashify.)txt";

struct Global {
	bool silent = false;
	bool verbose = false;
	bool debug = false;
	fs::path confdir;
	std::string name;
};

void error(const std::string &name, std::string_view message)
{
	if (name.empty())
		fmt::print(stderr, "vserver: {}\n", message);
	else
		fmt::print(stderr, "vserver {}: {}\n", name, message);
}

vserver::Say sayer(const Global &g)
{
	return [verbose = g.verbose || g.debug](std::string_view line) {
		if (verbose) {
			fmt::print("{}\n", line);
			std::fflush(stdout);
		}
	};
}

// The whole configuration; nullopt (errors printed) if it has errors.
std::optional<vserver::VserverConfig> read_config(const Global &g)
{
	try {
		return vserver::read_vserver_config(g.confdir / g.name);
	} catch (const vserver::ConfigError &e) {
		for (const auto &line : e.errors())
			fmt::print(stderr, "vserver {}: {}\n", g.name, line);
		fmt::print(stderr, "vserver {}: the configuration has errors; nothing was done\n",
			   g.name);
	}
	return std::nullopt;
}

int build(const Global &g, std::vector<std::string> args)
{
	CLI::App app{"Build a new guest.", "vserver NAME build"};
	std::string method, context, initstyle, source;
	std::vector<std::string> templates, interfaces, flags;
	vserver::BuildRequest request;
	std::string hostname, rootdir = "/vservers";

	tool::describe(app, "vserver NAME build -m skeleton|template|rsync|clone|debootstrap "
			    "[OPTIONS] [--] [-t TARBALL]... [--source DIR|GUEST] [-d SUITE] "
			    "[-m MIRROR] [-- DEBOOTSTRAP-OPTIONS]",
		       "template: unpacks each TARBALL (.tar, .tar.gz, .tar.bz2, .tar.xz) into the "
		       "root; rsync: copies DIR with rsync, or cp -a without it; clone: copies the "
		       "root of the guest GUEST, hard-linking its unified files (vhashify); debootstrap: installs Debian's SUITE with "
		       "debootstrap (from MIRROR), its own options after a second --.  After the "
		       "first --, -m is the mirror.");
	app.add_option("-m,--method", method, "skeleton, template, rsync, clone or debootstrap")
		->required()->type_name("METHOD");
	app.add_option("-d", request.suite, "The Debian suite (debootstrap), e.g. bookworm")
		->type_name("SUITE");
	std::string mirror;
	app.add_option("--mirror", mirror, "The mirror (debootstrap; after --: -m MIRROR)")
		->type_name("URL");
	app.add_option("-t", templates, "A tarball to unpack (template)")->type_name("TARBALL");
	app.add_option("--source", source, "The directory (rsync) or guest (clone) to copy")
		->type_name("SRC");
	app.add_option("--context", context,
		       "The guest's xid (default: the next free one from 2), or 'dynamic'")
		->type_name("N|dynamic");
	app.add_option("--hostname", hostname, "Its hostname (uts/nodename)")->type_name("NAME");
	app.add_option("--interface", interfaces, "An address: [NAME=][DEV:]IP[/PREFIX|MASK]")
		->type_name("IFACE");
	std::string netdev, netmask, netprefix, netbcast;
	app.add_option("--netdev", netdev, "The default device of the interfaces")
		->type_name("DEV");
	app.add_option("--netmask", netmask, "Their default IPv4 netmask")->type_name("MASK");
	app.add_option("--netprefix", netprefix, "Their default prefix length")->type_name("N");
	app.add_option("--netbcast", netbcast, "The broadcast address")->type_name("IP");
	app.add_option("--flags", flags, "Context flags (cflags)")->type_name("F[,F...]");
	app.add_option("--initstyle", initstyle, "sysv, plain, minit, systemd, gentoo, openrc or arch")
		->type_name("STYLE");
	app.add_flag("--force", request.force, "Rename an existing guest away and build anew");
	app.add_option("--rootdir", rootdir, "Where the root goes (default /vservers)")
		->type_name("DIR");
	app.add_flag("--nobarrier", request.nobarrier, "Don't put the barrier on ROOTDIR");
	// util-vserver: the method's arguments after '--' (there -m is the
	// mirror), debootstrap's own after a second '--'.
	if (auto first = std::find(args.begin(), args.end(), "--"); first != args.end()) {
		auto second = std::find(first + 1, args.end(), "--");
		if (second != args.end()) {
			request.debootstrap_args.assign(second + 1, args.end());
			args.erase(second, args.end());
		}
		std::replace(first + 1, args.end(), std::string("-m"), std::string("--mirror"));
		args.erase(first);
	}
	std::vector<char *> argv{const_cast<char *>("vserver NAME build")};
	for (auto &a : args)
		argv.push_back(a.data());
	if (int rc = tool::parse(app, static_cast<int>(argv.size()), argv.data()); rc >= 0)
		return rc;

	try {
		request.name = g.name;
		request.confdir = g.confdir;
		request.rootdir = rootdir;
		auto m = vserver::parse_build_method(method);
		if (!m)
			throw std::invalid_argument(fmt::format(
				"-m {}: say skeleton, template, rsync, clone or debootstrap", method));
		request.method = *m;
		if (app.count("--mirror"))
			request.mirror = mirror;
		for (const auto &t : templates)
			request.templates.push_back(fs::absolute(t));
		request.source = source;
		if (request.method == vserver::BuildMethod::rsync && !source.empty())
			request.source = fs::absolute(source);
		if (context == "dynamic")
			request.dynamic = true;
		else if (app.count("--context"))
			request.context = vserver::parse_xid(context);
		if (app.count("--hostname"))
			request.hostname = hostname;
		for (const auto &i : interfaces)
			request.interfaces.push_back(vserver::parse_interface_option(i));
		if (!netdev.empty())
			request.netdev = netdev;
		if (!netmask.empty() && !netprefix.empty())
			throw std::invalid_argument("say --netmask or --netprefix, not both");
		if (!netmask.empty() || !netprefix.empty()) {
			request.netmask = vserver::parse_mask(netmask.empty() ? netprefix : netmask, 128);
			if (request.netmask->dotted != !netmask.empty())
				throw std::invalid_argument(netmask.empty()
					? "--netprefix takes a prefix length, --netmask a netmask"
					: "--netmask takes a dotted netmask, --netprefix a prefix length");
		}
		if (!netbcast.empty()) {
			request.netbcast = vserver::parse_ip(netbcast);
			if (!request.netbcast || request.netbcast->v6)
				throw std::invalid_argument(fmt::format(
					"--netbcast {}: not an IPv4 address", netbcast));
		}
		for (const auto &f : flags)
			vserver::merge_flag_list(request.flags, f);
		if (request.flags.clear)
			throw std::invalid_argument("--flags: a new guest has no flags to clear");
		if (!initstyle.empty()) {
			request.initstyle = vserver::parse_init_style(initstyle);
			if (!request.initstyle)
				throw std::invalid_argument(fmt::format(
					"--initstyle {}: say sysv, plain, minit, systemd, gentoo, openrc or arch",
					initstyle));
		}
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vserver", e.what());
	}

	std::optional<vserver::DeviceTransport> device;
	vserver::BuildSystem system;
	system.run = [](const std::vector<std::string> &argv) {
		try {
			vserver::run_program(argv);
		} catch (const std::exception &e) {
			return std::string(e.what());
		}
		return std::string();
	};
	system.have = [](std::string_view prog) {
		const char *path = std::getenv("PATH");
		std::string_view dirs = path ? path : "/usr/bin:/bin";
		for (std::size_t start = 0; start <= dirs.size();) {
			auto end = std::min(dirs.find(':', start), dirs.size());
			auto file = fs::path(dirs.substr(start, end - start)) / prog;
			if (::access(file.c_str(), X_OK) == 0)
				return true;
			start = end + 1;
		}
		return false;
	};
	system.unified = [&](const fs::path &file) {
		try {
			if (!device)
				device.emplace();
			vserver::Client client(*device);
			auto a = client.get_iattr(file.string());
			return (a.flags & (IATTR_IMMUTABLE | IATTR_IXUNLINK)) ==
			       (IATTR_IMMUTABLE | IATTR_IXUNLINK);
		} catch (const std::system_error &) {
			return false;	// copied
		}
	};
	system.set_barrier = [&](const fs::path &dir) -> std::string {
		try {
			if (!device)
				device.emplace();
			vserver::Client client(*device);
			client.set_iattr(dir.string(), IATTR_BARRIER, IATTR_BARRIER);
		} catch (const std::system_error &e) {
			return e.what();
		}
		return {};
	};
	system.tag_files = [&](const fs::path &dir,
			       std::uint32_t tag) -> std::optional<vserver::TagCounts> {
		if (!device) {
			// only with --nobarrier: a build without the module
			try {
				device.emplace();
			} catch (const std::system_error &e) {
				if (!g.silent)
					fmt::print("No tags given to the files ({}); 'chxid -R -U -c {} "
						   "{}' gives them later\n", e.what(), tag, dir.string());
				return std::nullopt;
			}
		}
		vserver::Client client(*device);
		return vserver::tag_tree(client, dir.string(), tag, true);
	};
	try {
		vserver::build_guest(request, system, [&](std::string_view line) {
			if (!g.silent)
				fmt::print("{}\n", line);
		});
	} catch (const std::invalid_argument &e) {
		error(g.name, e.what());
		return exit_failure;
	} catch (const std::exception &e) {
		error(g.name, fmt::format("{}; nothing was built", e.what()));
		return exit_failure;
	}
	return 0;
}

// Call act(client) with the kernel; an error is printed and
// exit_failure returned.
template <class Act>
int with_kernel(const Global &g, Act act)
{
	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);
		return act(client);
	} catch (const std::exception &e) {
		error(g.name, e.what());
	}
	return exit_failure;
}

// Call act(guest, client, xid) with what says where the guest runs, the
// kernel and the xid it runs at (nullopt: stopped).
template <class Act>
int with_guest(const Global &g, Act act)
{
	return with_kernel(g, [&](vserver::Client &client) {
		auto guest = vserver::read_vserver_identity(g.confdir / g.name);
		return act(guest, client, vserver::running_xid(client, guest));
	});
}

int start(const Global &g, const std::vector<std::string> &args)
{
	vserver::StartOptions options;
	if (!args.empty()) {
		if (args[0] != "--rescue")
			return tool::usage_error("vserver", "start takes only --rescue [CMD...]");
		options.rescue = std::vector<std::string>(args.begin() + 1, args.end());
		if (options.rescue->empty())
			options.rescue = {"/bin/sleep", "900"};
	}
	auto config = read_config(g);
	if (!config)
		return exit_failure;
	return with_kernel(g, [&](vserver::Client &client) {
		if (auto xid = vserver::running_xid(client, *config)) {
			fmt::print(stderr, "vserver {}: Vserver '{}' is already running at context {}\n",
				   g.name, config->name, *xid);
			return 0;
		}
		vserver::NetlinkNetwork net;
		vserver::start_guest(client, net, *config, options, sayer(g));
		return 0;
	});
}

// The configuration for stop: all of it, or, when it has errors, what
// says where the guest runs (default kill sequence, no scripts).
std::optional<vserver::VserverConfig> stop_config(const Global &g)
{
	try {
		return vserver::read_vserver_config(g.confdir / g.name);
	} catch (const vserver::ConfigError &e) {
		error(g.name, "the configuration has errors; stopping with the defaults");
		for (const auto &line : e.errors())
			error(g.name, line);
	}
	try {
		return vserver::read_vserver_identity(g.confdir / g.name);
	} catch (const vserver::ConfigError &e) {
		error(g.name, e.what());
	}
	return std::nullopt;
}

int stop(const Global &g)
{
	auto config = stop_config(g);
	if (!config)
		return exit_failure;
	return with_kernel(g, [&](vserver::Client &client) {
		vserver::NetlinkNetwork net;
		if (!vserver::stop_guest(client, net, *config, sayer(g)) && !g.silent)
			fmt::print(stderr, "vserver {}: Vserver '{}' is not running\n", g.name,
				   config->name);
		return 0;
	});
}

// status (0 running, 3 stopped) and running (0, 1).
int status(const Global &g, bool quiet)
{
	return with_guest(g, [&](const vserver::VserverConfig &guest, vserver::Client &client,
				 std::optional<vserver::xid_t> xid) {
		if (quiet)
			return xid ? 0 : 1;
		unsigned processes = 0;
		std::optional<std::chrono::seconds> uptime;
		if (xid) {
			processes = client.ctx_stat(*xid).tasks;
			struct stat st;
			if (::stat(guest.run.c_str(), &st) == 0)
				uptime = std::chrono::seconds(::time(nullptr) - st.st_mtime);
		}
		fmt::print("{}", vserver::status_text(guest, xid, processes, uptime));
		return xid ? 0 : exit_stopped;
	});
}

// enter, exec, suexec, apt-get: join(guest, client, xid) joins the
// running guest here and returns the command to exec.
template <class Join>
int join_and_exec(const Global &g, Join join)
{
	return with_guest(g, [&](const vserver::VserverConfig &guest, vserver::Client &client,
				 std::optional<vserver::xid_t> xid) {
		if (!xid) {
			error(g.name, fmt::format("Vserver '{}' is not running", guest.name));
			return exit_failure;
		}
		return tool::exec_prog("vserver", join(guest, client, *xid));
	});
}

int enter(const Global &g, std::optional<std::string> user, std::vector<std::string> command)
{
	return join_and_exec(g, [&](const vserver::VserverConfig &guest, vserver::Client &client,
				    vserver::xid_t xid) {
		if (command.empty())
			command = vserver::guest_shell(guest);
		vserver::enter_guest(client, guest, xid, user);
		return command;
	});
}

int apt_get(const Global &g, const std::vector<std::string> &args)
{
	return join_and_exec(g, [&](const vserver::VserverConfig &guest, vserver::Client &client,
				    vserver::xid_t xid) {
		return vserver::enter_for_apt_get(client, guest, xid, args);
	});
}

int pkgmgmt(const Global &g, std::string_view how)
{
	try {
		auto guest = vserver::read_vserver_identity(g.confdir / g.name);
		auto done = vserver::set_pkgmgmt(guest, how == "externalize");
		if (!g.silent)
			fmt::print("{}\n", done);
		return 0;
	} catch (const std::exception &e) {
		error(g.name, fmt::format("pkgmgmt {}: {}", how, e.what()));
	}
	return exit_failure;
}

int remove(const Global &g)
{
	return with_guest(g, [&](const vserver::VserverConfig &guest, vserver::Client &,
				 std::optional<vserver::xid_t> xid) {
		if (xid) {
			error(g.name, fmt::format("Vserver '{}' is running at context {}; stop it first",
						  guest.name, *xid));
			return exit_failure;
		}
		if (!g.silent) {
			fmt::print("Are you sure you want to delete the vserver {} (y/N) ", g.name);
			std::fflush(stdout);
			std::string answer;
			std::getline(std::cin, answer);
			if (answer != "y" && answer != "Y") {
				fmt::print("Not deleted\n");
				return exit_failure;
			}
		}
		fs::remove_all(guest.vdir);
		fs::remove_all(guest.cfgdir);
		std::error_code ec;
		fs::remove(guest.run, ec);
		return 0;
	});
}

// vhashify [ARGS...] --confdir DIR NAME
int hashify(const Global &g, std::vector<std::string> args)
{
	args.insert(args.begin(), "vhashify");
	args.insert(args.end(), {"--confdir", g.confdir.string(), g.name});
	std::vector<char *> argv;
	for (auto &a : args)
		argv.push_back(a.data());
	return tool::vhashify_main(static_cast<int>(argv.size()), argv.data());
}

bool verbs_known(std::string_view verb)
{
	for (const char *v : {"build", "start", "stop", "restart", "condrestart", "running", "status",
			      "enter", "exec", "suexec", "delete", "apt-get", "pkgmgmt", "hashify"})
		if (verb == v)
			return true;
	return false;
}

} // namespace

int main(int argc, char **argv)
{
	// The global options come before NAME; CLI11 sees only those.
	int first = 1;
	while (first < argc && argv[first][0] == '-') {
		if (std::string_view(argv[first]) == "--confdir" && first + 1 < argc)
			++first;
		++first;
	}

	CLI::App app{"Build, start, stop and enter the guest NAME.", "vserver"};
	Global g;
	std::string confdir;
	tool::describe(app, usage, footer);
	app.add_flag("--silent", g.silent, "Say nothing but errors; delete asks nothing");
	app.add_flag("--verbose", g.verbose, "Say each step");
	app.add_flag("--debug", g.debug, "Say each step (as --verbose)");
	app.add_option("--confdir", confdir,
		       "The guests' configurations (default $VSERVER_CONFDIR or /etc/vservers)")
		->type_name("DIR");
	if (int rc = tool::parse(app, first, argv); rc >= 0)
		return rc;
	if (argc - first < 2)
		return tool::usage_error("vserver", "say NAME VERB");
	g.name = argv[first];
	std::string verb = argv[first + 1];
	std::vector<std::string> args(argv + first + 2, argv + argc);
	g.confdir = confdir.empty() ? vserver::vserver_confdir() : fs::path(confdir);

	if (!vserver::is_vserver_name(g.name))
		return tool::usage_error("vserver", fmt::format("'{}' is not a vserver name", g.name));
	if (verb == "build")
		return build(g, std::move(args));
	if (!fs::is_directory(g.confdir / g.name)) {
		error(g.name, fmt::format("no such guest: {} is not a directory",
					  (g.confdir / g.name).string()));
		return exit_no_guest;
	}
	auto no_args = [&]() { return args.empty(); };
	if (verb == "start")
		return start(g, args);
	if (verb == "stop" && no_args())
		return stop(g);
	if ((verb == "restart" || verb == "condrestart") && no_args()) {
		if (verb == "condrestart" && status(g, true) != 0)
			return 0;
		if (int rc = stop(g); rc != 0)
			return rc;
		return start(g, {});
	}
	if (verb == "running" && no_args())
		return status(g, true);
	if (verb == "status" && no_args())
		return status(g, false);
	if (verb == "enter" && no_args())
		return enter(g, std::nullopt, {});
	if (verb == "exec" && !args.empty())
		return enter(g, std::nullopt, std::move(args));
	if (verb == "suexec" && args.size() >= 2) {
		std::string user = args[0];
		args.erase(args.begin());
		return enter(g, user, std::move(args));
	}
	if (verb == "delete" && no_args())
		return remove(g);
	if (verb == "apt-get")
		return apt_get(g, args);
	if (verb == "pkgmgmt" && args.size() == 1 &&
	    (args[0] == "externalize" || args[0] == "internalize"))
		return pkgmgmt(g, args[0]);
	if (verb == "hashify")
		return hashify(g, std::move(args));
	return tool::usage_error("vserver", fmt::format(
		"{} '{}'; the verbs are build start stop restart condrestart running status "
		"enter exec suexec delete apt-get pkgmgmt hashify", verbs_known(verb) ? "wrong arguments for" : "unknown verb",
		verb));
}
