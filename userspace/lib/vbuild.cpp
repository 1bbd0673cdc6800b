#include <vserver/vbuild.hpp>

#include <vserver/clone.hpp>
#include <vserver/files.hpp>
#include <vserver/interfaces.hpp>
#include <vserver/xid.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <system_error>

namespace vserver {

namespace fs = std::filesystem;

namespace {

void write_value(const fs::path &file, std::string_view text)
{
	fs::create_directories(file.parent_path());
	std::ofstream out(file);
	out << text;
	out.close();
	if (!out)
		throw std::system_error(errno ? errno : EIO, std::generic_category(), file.string());
}

bool is_there(const fs::path &path)
{
	std::error_code ec;
	return fs::exists(fs::symlink_status(path, ec));
}

bool ends_with(std::string_view text, std::string_view end)
{
	return text.size() >= end.size() && text.substr(text.size() - end.size()) == end;
}

// What build_guest did so far, taken back unless it is committed.
class BuildUndo {
public:
	explicit BuildUndo(const BuildSay &say) : say_(say) {}
	BuildUndo(const BuildUndo &) = delete;
	BuildUndo &operator=(const BuildUndo &) = delete;
	~BuildUndo()
	{
		if (committed_)
			return;
		std::error_code ec;
		for (auto it = created_.rbegin(); it != created_.rend(); ++it)
			fs::remove_all(*it, ec);
		for (const auto &[from, to] : renamed_) {
			fs::rename(to, from, ec);
			if (!ec)
				say_(fmt::format("Renamed '{}' back to '{}'", to.string(), from.string()));
		}
	}

	void created(const fs::path &path) { created_.push_back(path); }
	void renamed(const fs::path &from, const fs::path &to) { renamed_.emplace_back(from, to); }
	void commit() { committed_ = true; }

private:
	const BuildSay &say_;
	std::vector<fs::path> created_;
	std::vector<std::pair<fs::path, fs::path>> renamed_;
	bool committed_ = false;
};

void check_request(const BuildRequest &request, const fs::path &cfgdir, const fs::path &vdir,
		   BuildSystem &system)
{
	auto bad = [](std::string why) { throw std::invalid_argument(std::move(why)); };

	if (!is_vserver_name(request.name))
		bad(fmt::format("'{}' is not a vserver name", request.name));
	if (!request.force && (is_there(cfgdir) || is_there(vdir)))
		bad(fmt::format("vserver '{}' exists already ({} or {}); --force builds it anew",
				request.name, cfgdir.string(), vdir.string()));
	switch (request.method) {
	case BuildMethod::skeleton:
		break;
	case BuildMethod::template_:
		if (request.templates.empty())
			bad("-m template needs -t TARBALL");
		for (const auto &t : request.templates)
			if (!fs::is_regular_file(t))
				bad(fmt::format("-t {}: no such file", t.string()));
		break;
	case BuildMethod::rsync:
		if (!fs::is_directory(request.source))
			bad(fmt::format("--source {}: no such directory", request.source.string()));
		break;
	case BuildMethod::clone:
		if (!is_vserver_name(request.source.string()) ||
		    !fs::is_directory(request.confdir / request.source))
			bad(fmt::format("--source {}: no such guest in {}", request.source.string(),
					request.confdir.string()));
		break;
	case BuildMethod::debootstrap:
		if (request.suite.empty())
			bad("-m debootstrap needs -d SUITE (e.g. bookworm)");
		if (!system.have("debootstrap"))
			bad("-m debootstrap: debootstrap is not installed (apt-get install debootstrap)");
		break;
	}
	if (request.method != BuildMethod::debootstrap &&
	    (request.mirror || !request.debootstrap_args.empty()))
		bad("a mirror and debootstrap's options are for -m debootstrap only");
	if (request.context && request.dynamic)
		bad("a dynamic context has no number");
	if (request.context) {
		if (*request.context < min_guest_xid || *request.context > max_guest_xid)
			bad(fmt::format("--context {}: a guest's context is {}..{}", *request.context,
					min_guest_xid, max_guest_xid));
		if (auto other = guest_with_xid(request.confdir, *request.context, request.name))
			bad(fmt::format("--context {}: guest '{}' has that context", *request.context,
					*other));
	}
	if (request.hostname)
		UtsChange().set(VHIN_NODENAME, *request.hostname);
}

// The root of the guest --source names (clone).
fs::path source_root(const BuildRequest &request)
{
	fs::path cfgdir = request.confdir / request.source;
	fs::path link = cfgdir / "vdir";
	std::error_code ec;
	if (fs::is_symlink(link, ec)) {
		fs::path target = fs::read_symlink(link);
		return target.is_absolute() ? target : cfgdir / target;
	}
	return fs::is_directory(link) ? link : request.rootdir / request.source;
}

void fill_root(const BuildRequest &request, const fs::path &vdir, BuildSystem &system,
	       const BuildSay &say)
{
	auto run = [&](const std::vector<std::string> &argv) {
		if (auto error = system.run(argv); !error.empty())
			throw std::runtime_error(error);
	};

	switch (request.method) {
	case BuildMethod::skeleton:
		break;
	case BuildMethod::template_:
		for (const auto &t : request.templates)
			run(untar_command(t, vdir));
		break;
	case BuildMethod::rsync: {
		bool rsync = system.have("rsync");
		if (!rsync)
			say("rsync not found: copying with cp -a");
		run(copy_command(request.source, vdir, rsync));
		break;
	}
	case BuildMethod::clone: {
		// util-vserver's vclone: the unified files stay shared
		auto cloned = clone_tree(source_root(request), vdir, system.unified);
		if (cloned.linked)
			say(fmt::format("Linked {} unified files of '{}', copied the rest",
					cloned.linked, request.source.string()));
		break;
	}
	case BuildMethod::debootstrap:
		run(debootstrap_command(request.suite, vdir, debootstrap_mirror(request),
					request.debootstrap_args));
		break;
	}
}

} // namespace

InterfaceOption parse_interface_option(std::string_view text)
{
	auto bad = [&](std::string_view why) {
		return std::invalid_argument(fmt::format("--interface '{}': {}", text, why));
	};
	InterfaceOption option;
	std::string_view rest = text;

	if (auto eq = rest.find('='); eq != rest.npos) {
		option.name = rest.substr(0, eq);
		rest.remove_prefix(eq + 1);
		if (option.name.empty())
			throw bad("empty NAME before '='");
	}
	std::string_view mask;
	if (auto slash = rest.find('/'); slash != rest.npos) {
		mask = rest.substr(slash + 1);
		rest = rest.substr(0, slash);
	}
	auto ip = parse_ip(rest);
	if (!ip) {
		auto colon = rest.find(':');
		if (colon == rest.npos || colon == 0)
			throw bad(fmt::format("'{}' is not an IPv4 or IPv6 address", rest));
		option.dev = rest.substr(0, colon);
		ip = parse_ip(rest.substr(colon + 1));
		if (!ip)
			throw bad(fmt::format("'{}' is not an IPv4 or IPv6 address",
					      rest.substr(colon + 1)));
	}
	option.ip = *ip;
	if (option.dev == "nodev") {
		option.nodev = true;
		option.dev.clear();
	}
	if (!option.name.empty() && option.name.find_first_of("/ ") != std::string::npos)
		throw bad(fmt::format("'{}' is not a label", option.name));
	if (!mask.empty() || text.find('/') != text.npos) {
		try {
			option.mask = parse_mask(mask, ip->bits());
		} catch (const std::invalid_argument &e) {
			throw bad(e.what());
		}
		if (option.mask->dotted && ip->v6)
			throw bad("an IPv6 address takes a prefix length, not a netmask");
	}
	return option;
}

std::optional<BuildMethod> parse_build_method(std::string_view name)
{
	if (name == "skeleton")
		return BuildMethod::skeleton;
	if (name == "template")
		return BuildMethod::template_;
	if (name == "rsync")
		return BuildMethod::rsync;
	if (name == "clone")
		return BuildMethod::clone;
	if (name == "debootstrap")
		return BuildMethod::debootstrap;
	return std::nullopt;
}

std::map<std::string, xid_t> guest_xids(const fs::path &confdir)
{
	std::map<std::string, xid_t> xids;
	std::error_code ec;
	for (const auto &entry : fs::directory_iterator(confdir, ec)) {
		std::string name = entry.path().filename().string();
		if (name.front() == '.' || !entry.is_directory(ec))
			continue;
		try {
			xids[name] = resolve_xid(name, [] { return xid_t(0); }, confdir);
		} catch (const std::invalid_argument &) {
			// no context file, or a bad one: it takes no xid
		}
	}
	return xids;
}

std::optional<std::string> guest_with_xid(const fs::path &confdir, xid_t xid, std::string_view name)
{
	for (const auto &[other, other_xid] : guest_xids(confdir))
		if (other_xid == xid && other != name)
			return other;
	return std::nullopt;
}

xid_t next_free_xid(const fs::path &confdir)
{
	std::set<xid_t> used;
	for (const auto &[name, xid] : guest_xids(confdir))
		used.insert(xid);
	for (xid_t xid = min_guest_xid; xid <= max_guest_xid; ++xid)
		if (!used.count(xid))
			return xid;
	throw std::invalid_argument("every static context is taken; give --context");
}

void write_config_tree(const fs::path &cfgdir, const BuildRequest &request,
		       std::optional<xid_t> xid, const fs::path &vdir)
{
	fs::create_directories(cfgdir.parent_path());
	fs::create_directory(cfgdir);
	if (xid)
		write_value(cfgdir / "context", fmt::format("{}\n", *xid));
	if (request.hostname)
		write_value(cfgdir / "uts/nodename", *request.hostname + "\n");
	auto write_mask = [](const fs::path &dir, const NetMask &mask) {
		if (mask.dotted) {
			IpAddress dotted;
			for (unsigned bit = 0; bit < mask.prefix; ++bit)
				dotted.bytes[bit / 8] |= 0x80 >> (bit % 8);
			write_value(dir / "mask", to_string(dotted) + "\n");
		} else {
			write_value(dir / "prefix", fmt::format("{}\n", mask.prefix));
		}
	};
	if (request.netdev)
		write_value(cfgdir / "interfaces/dev", *request.netdev + "\n");
	if (request.netmask)
		write_mask(cfgdir / "interfaces", *request.netmask);
	if (request.netbcast)
		write_value(cfgdir / "interfaces/bcast", to_string(*request.netbcast) + "\n");
	for (std::size_t i = 0; i < request.interfaces.size(); ++i) {
		const auto &iface = request.interfaces[i];
		fs::path dir = cfgdir / "interfaces" / std::to_string(i);
		write_value(dir / "ip", to_string(iface.ip) + "\n");
		if (iface.nodev)
			write_value(dir / "nodev", "");
		else if (!iface.dev.empty())
			write_value(dir / "dev", iface.dev + "\n");
		if (iface.mask)
			write_mask(dir, *iface.mask);
		if (!iface.name.empty())
			write_value(dir / "name", iface.name + "\n");
	}
	if (request.flags.set) {
		std::string names = format_flags(request.flags.set);
		std::replace(names.begin(), names.end(), ',', '\n');
		write_value(cfgdir / "cflags", names + "\n");
	}
	if (request.initstyle)
		write_value(cfgdir / "apps/init/style",
			    fmt::format("{}\n", init_style_name(*request.initstyle)));
	write_value(cfgdir / "fstab", "none\t/proc\t\tproc\tdefaults\t\t0 0\n"
				      "none\t/tmp\t\ttmpfs\tsize=16m,mode=1777\t0 0\n"
				      "none\t/dev/pts\tdevpts\tgid=5,mode=620\t\t0 0\n");
	fs::create_directory_symlink(vdir, cfgdir / "vdir");
	fs::create_symlink(fs::path("/run/vservers") / request.name / "run", cfgdir / "run");
}

void make_skeleton_root(const fs::path &vdir, bool nodes)
{
	static constexpr struct {
		const char *name;
		unsigned major, minor;
		mode_t mode;
	} devices[] = {
		{"null", 1, 3, 0666},	 {"zero", 1, 5, 0666}, {"full", 1, 7, 0666},
		{"random", 1, 8, 0644},	 {"urandom", 1, 9, 0644}, {"tty", 5, 0, 0666},
		{"ptmx", 5, 2, 0666},
	};

	for (const char *dir : {"dev", "dev/pts", "etc", "proc", "tmp", "root", "sbin", "bin"})
		fs::create_directories(vdir / dir);
	fs::permissions(vdir / "tmp", fs::perms(01777));
	if (!nodes)
		return;
	for (const auto &d : devices) {
		fs::path node = vdir / "dev" / d.name;
		if (::mknod(node.c_str(), S_IFCHR | d.mode, makedev(d.major, d.minor)) < 0 &&
		    errno != EEXIST)
			throw std::system_error(errno, std::generic_category(),
						fmt::format("mknod {}", node.string()));
		::chmod(node.c_str(), d.mode);
	}
}

std::vector<std::string> untar_command(const fs::path &tarball, const fs::path &vdir)
{
	std::vector<std::string> argv{"tar", "-x"};
	std::string name = tarball.filename().string();
	if (ends_with(name, ".tar.gz") || ends_with(name, ".tgz"))
		argv.push_back("-z");
	else if (ends_with(name, ".tar.bz2") || ends_with(name, ".tbz2"))
		argv.push_back("-j");
	else if (ends_with(name, ".tar.xz") || ends_with(name, ".txz"))
		argv.push_back("-J");
	argv.insert(argv.end(), {"-f", tarball.string(), "-C", vdir.string()});
	return argv;
}

std::vector<std::string> copy_command(const fs::path &source, const fs::path &vdir,
				      bool have_rsync)
{
	if (have_rsync)
		return {"rsync", "-aHx", source.string() + "/", vdir.string() + "/"};
	return {"cp", "-a", source.string() + "/.", vdir.string() + "/"};
}

std::vector<std::string> debootstrap_command(const std::string &suite, const fs::path &vdir,
					     const std::optional<std::string> &mirror,
					     const std::vector<std::string> &args)
{
	std::vector<std::string> argv{"debootstrap"};
	argv.insert(argv.end(), args.begin(), args.end());
	argv.insert(argv.end(), {suite, vdir.string()});
	if (mirror)
		argv.push_back(*mirror);
	return argv;
}

std::optional<std::string> debootstrap_mirror(const BuildRequest &request)
{
	if (request.mirror)
		return request.mirror;
	try {
		auto line = read_first_line(request.confdir / ".defaults/apps/debootstrap/mirror");
		if (line && !line->empty())
			return line;
	} catch (const std::invalid_argument &) {
		// not a readable file: no default mirror
	}
	return std::nullopt;
}

namespace {

// The new root's files get the guest's xid as their tag, where the
// filesystem keeps tags (the files a task creates there later get its
// tag from the kernel).  A dynamic guest has no xid to give.
void tag_new_root(BuildSystem &system, const fs::path &vdir, std::optional<xid_t> xid,
		  const BuildSay &say)
{
	if (!xid || !system.tag_files)
		return;
	std::optional<TagCounts> counts;
	try {
		counts = system.tag_files(vdir, *xid);
	} catch (const std::system_error &e) {
		throw std::runtime_error(fmt::format("cannot tag the files of {} with {}: {}",
						     vdir.string(), *xid, e.what()));
	}
	if (!counts)
		return;
	std::string line = fmt::format("Tagged {} files of '{}' with {}", counts->tagged,
				       vdir.string(), *xid);
	if (counts->unified)
		line += fmt::format(" (left {} unified files alone)", counts->unified);
	say(line);
}

} // namespace

void build_guest(const BuildRequest &request, BuildSystem &system, const BuildSay &say)
{
	const fs::path cfgdir = request.confdir / request.name;
	const fs::path vdir = request.rootdir / request.name;

	check_request(request, cfgdir, vdir, system);
	std::optional<xid_t> xid = request.context;
	if (!xid && !request.dynamic && !is_there(request.confdir / ".defaults/context.dynamic"))
		xid = next_free_xid(request.confdir);

	BuildUndo undo(say);
	if (request.force) {
		auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
			std::chrono::system_clock::now().time_since_epoch()).count();
		for (const auto &path : {vdir, cfgdir}) {
			if (!is_there(path))
				continue;
			fs::path to = path.string() + fmt::format(".~{}~", seconds);
			fs::rename(path, to);
			undo.renamed(path, to);
			say(fmt::format("Renamed '{}' to '{}'", path.string(), to.string()));
		}
	}
	if (!is_there(request.rootdir)) {
		fs::create_directories(request.rootdir);
		undo.created(request.rootdir);
	}
	if (!request.nobarrier) {
		if (auto error = system.set_barrier(request.rootdir); !error.empty())
			throw std::runtime_error(fmt::format(
				"cannot put the barrier on {}: {} (without it a guest's root "
				"could escape its chroot; --nobarrier builds without it)",
				request.rootdir.string(), error));
	}
	fs::create_directory(vdir);
	undo.created(vdir);
	fs::permissions(vdir, fs::perms(0755));
	// debootstrap wants an empty directory (it makes /bin a link to
	// usr/bin); the skeleton then only adds what is missing.
	const bool whole_root = request.method == BuildMethod::debootstrap;
	if (!whole_root)
		make_skeleton_root(vdir, system.device_nodes);
	fill_root(request, vdir, system, say);
	if (whole_root)
		make_skeleton_root(vdir, system.device_nodes);
	undo.created(cfgdir);
	write_config_tree(cfgdir, request, xid, vdir);
	tag_new_root(system, vdir, xid, say);
	undo.commit();
}

} // namespace vserver
