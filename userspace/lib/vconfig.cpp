#include <vserver/vconfig.hpp>

#include <vserver/caps.hpp>
#include <vserver/files.hpp>
#include <vserver/nid.hpp>
#include <vserver/signal.hpp>
#include <vserver/xid.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <sstream>
#include <system_error>

namespace vserver {

namespace fs = std::filesystem;

namespace {

constexpr const char *init_styles = "sysv, plain, minit, systemd, gentoo, openrc, arch";

std::string trim(std::string_view text)
{
	auto first = text.find_first_not_of(" \t\r");
	if (first == text.npos)
		return {};
	auto last = text.find_last_not_of(" \t\r");
	return std::string(text.substr(first, last - first + 1));
}

std::string join_lines(const std::vector<std::string> &lines)
{
	std::string out;
	for (const auto &line : lines) {
		if (!out.empty())
			out += '\n';
		out += line;
	}
	return out;
}

bool is_file(const fs::path &path)
{
	std::error_code ec;
	return fs::is_regular_file(path, ec);
}

bool is_dir(const fs::path &path)
{
	std::error_code ec;
	return fs::is_directory(path, ec);
}

bool is_there(const fs::path &path)
{
	std::error_code ec;
	return fs::exists(fs::symlink_status(path, ec));
}

// One line of a file, numbered from 1.
struct Line {
	unsigned number;
	std::string text;	// blanks and a carriage return around it dropped
};

// Collects the errors of one configuration.
class Checker {
public:
	explicit Checker(fs::path cfgdir) : cfgdir_(std::move(cfgdir)) {}

	void error(const fs::path &file, unsigned line, std::string_view why)
	{
		errors_.push_back(fmt::format("{}:{}: {}", file.string(), line, why));
	}
	void error(const fs::path &file, std::string_view why)
	{
		errors_.push_back(fmt::format("{}: {}", file.string(), why));
	}
	std::vector<std::string> &errors() { return errors_; }

	// The text of cfgdir/name; nullopt (and an error if it is there but
	// cannot be read) when there is none.
	std::optional<std::string> text(const fs::path &name)
	{
		fs::path file = cfgdir_ / name;
		if (!is_there(file))
			return std::nullopt;
		try {
			return read_file(file);
		} catch (const std::system_error &e) {
			errors_.push_back(e.what());
		}
		return std::nullopt;
	}

	// The lines of cfgdir/name that say something: not blank, not '#'.
	std::vector<Line> list(const fs::path &name)
	{
		std::vector<Line> lines;
		auto all = text(name);
		if (!all)
			return lines;
		std::istringstream in(*all);
		unsigned n = 0;
		for (std::string line; std::getline(in, line);) {
			++n;
			auto value = trim(line);
			if (!value.empty() && value.front() != '#')
				lines.push_back({n, std::move(value)});
		}
		return lines;
	}

	// The value of a one-value file (its first line); an empty one is an
	// error.
	std::optional<std::string> value(const fs::path &name)
	{
		auto all = text(name);
		if (!all)
			return std::nullopt;
		auto value = trim(all->substr(0, all->find('\n')));
		if (value.empty()) {
			error(cfgdir_ / name, 1, "empty (the value is the first line)");
			return std::nullopt;
		}
		return value;
	}

	// A list file of names of table, e.g. cflags.
	FlagChange names(const fs::path &name, const NameTable &table)
	{
		FlagChange change;
		for (const auto &line : list(name)) {
			try {
				merge_name_list(change, line.text, table);
			} catch (const std::invalid_argument &e) {
				error(cfgdir_ / name, line.number, e.what());
			}
		}
		return change;
	}

	// util-vserver's check-unixfile: no carriage returns in any file.
	void check_line_ends()
	{
		std::error_code ec;
		for (fs::recursive_directory_iterator it(cfgdir_, ec), end; !ec && it != end;
		     it.increment(ec)) {
			if (!it->is_regular_file(ec))
				continue;
			std::string all;
			try {
				all = read_file(it->path());
			} catch (const std::system_error &e) {
				errors_.push_back(e.what());
				continue;
			}
			auto cr = all.find('\r');
			if (cr == all.npos)
				continue;
			auto line = 1 + std::count(all.begin(), all.begin() + cr, '\n');
			error(it->path(), line, "carriage return (a DOS line end; lines end with "
						"a newline only)");
		}
	}

	const fs::path &cfgdir() const { return cfgdir_; }

private:
	fs::path cfgdir_;
	std::vector<std::string> errors_;
};

std::optional<xid_t> parse_context(Checker &check)
{
	auto value = check.value("context");
	if (!value)
		return std::nullopt;
	xid_t xid = 0;
	auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), xid);
	if (ec != std::errc() || end != value->data() + value->size() || xid < min_guest_xid ||
	    xid > max_guest_xid) {
		check.error(check.cfgdir() / "context", 1,
			    fmt::format("'{}' is not a static context number ({}..{})", *value,
					min_guest_xid, max_guest_xid));
		return std::nullopt;
	}
	return xid;
}

// dlimits/<n>/: util-vserver's four files, each required.
void read_dlimits(Checker &check, VserverConfig &config, bool static_context)
{
	const fs::path base = "dlimits";
	fs::path dir = check.cfgdir() / base;
	if (!is_dir(dir))
		return;
	std::vector<std::string> names;
	std::error_code ec;
	for (const auto &entry : fs::directory_iterator(dir, ec)) {
		std::string name = entry.path().filename().string();
		if (name.front() != '.' && is_dir(entry.path()) && !is_there(entry.path() / "disabled"))
			names.push_back(name);
	}
	if (ec)
		check.error(dir, ec.message());
	std::sort(names.begin(), names.end());
	if (!names.empty() && !static_context)
		check.error(dir, "disk limits need a static context (a context file)");
	for (const auto &name : names) {
		GuestDlimit dlimit;
		dlimit.config = dir / name;
		bool good = true;
		auto value = [&](const char *file) -> std::optional<std::string> {
			auto v = check.value(base / name / file);
			if (!v) {
				good = false;
				if (!is_there(dlimit.config / file))
					check.error(dlimit.config / file,
						    "missing (a disk limit needs directory, "
						    "space_total, inodes_total and reserved)");
			}
			return v;
		};
		if (auto directory = value("directory")) {
			dlimit.directory = *directory;
			std::error_code dir_ec;
			if (!dlimit.directory.is_absolute()) {
				check.error(dlimit.config / "directory", 1,
					    fmt::format("'{}' is not an absolute path", *directory));
				good = false;
			} else if (!fs::is_directory(dlimit.directory, dir_ec)) {
				check.error(dlimit.config / "directory", 1,
					    fmt::format("{}: {}", *directory,
							dir_ec ? dir_ec.message()
							: fs::exists(dlimit.directory) ? "not a directory"
							: "No such file or directory"));
				good = false;
			}
		}
		for (auto [file, field] : {std::pair{"space_total", &dlimit.space_total},
					   std::pair{"inodes_total", &dlimit.inodes_total},
					   std::pair{"reserved", &dlimit.reserved}}) {
			auto text = value(file);
			if (!text)
				continue;
			try {
				*field = parse_dlimit_value(file, *text);
			} catch (const std::invalid_argument &e) {
				check.error(dlimit.config / file, 1, e.what());
				good = false;
			}
		}
		if (good)
			config.dlimits.push_back(std::move(dlimit));
	}
}

// The target of the symlink (or the file) cfgdir/name, relative to cfgdir.
std::optional<fs::path> link_target(const fs::path &cfgdir, std::string_view name)
{
	fs::path link = cfgdir / name;
	std::error_code ec;
	auto st = fs::symlink_status(link, ec);
	if (ec || !fs::exists(st))
		return std::nullopt;
	if (!fs::is_symlink(st))
		return link;
	fs::path target = fs::read_symlink(link, ec);
	if (ec)
		return link;
	return target.is_absolute() ? target : (cfgdir / target).lexically_normal();
}

void read_uts(Checker &check, VserverConfig &config)
{
	fs::path dir = check.cfgdir() / "uts";
	if (!is_dir(dir))
		return;
	std::error_code ec;
	for (const auto &entry : fs::directory_iterator(dir, ec)) {
		std::string tag = entry.path().filename().string();
		if (tag.front() == '.')
			continue;
		auto field = std::find_if(uts_tags().begin(), uts_tags().end(),
					  [&](const UtsTag &t) { return t.name == tag; });
		if (field == uts_tags().end()) {
			check.error(entry.path(), 1, fmt::format(
				"unknown uts name '{}' (context sysname nodename release "
				"version machine domainname)", tag));
			continue;
		}
		auto text = check.text(fs::path("uts") / tag);
		if (!text)
			continue;
		try {
			config.uts.set(field->field, trim(text->substr(0, text->find('\n'))));
		} catch (const std::invalid_argument &e) {
			check.error(entry.path(), 1, e.what());
		}
	}
}

void read_init(Checker &check, InitConfig &init)
{
	const fs::path dir = "apps/init";
	if (auto style = check.value(dir / "style")) {
		if (auto known = parse_init_style(*style))
			init.style = *known;
		else
			check.error(check.cfgdir() / dir / "style", 1, fmt::format(
				"unknown init style '{}' ({})", *style, init_styles));
	}
	if (auto level = check.value(dir / "runlevel"))
		init.runlevel_start = *level;
	if (auto level = check.value(dir / "runlevel.start"))
		init.runlevel_start = *level;
	if (auto level = check.value(dir / "runlevel.stop"))
		init.runlevel_stop = *level;
	init.mark = check.value(dir / "mark");
	for (auto [name, cmd] : {std::pair{"cmd.start", &init.cmd_start},
				 std::pair{"cmd.stop", &init.cmd_stop}}) {
		for (auto &line : check.list(dir / name))
			cmd->push_back(std::move(line.text));
		if (cmd->empty() && is_there(check.cfgdir() / dir / name))
			check.error(check.cfgdir() / dir / name, 1,
				    "empty (one argument of the command per line)");
	}
	if (auto seq = check.text(dir / "killseq")) {
		try {
			init.killseq = parse_killseq(*seq);
		} catch (const std::invalid_argument &e) {
			check.error(check.cfgdir() / dir / "killseq", 1, e.what());
		}
	}
}

void read_scripts(const fs::path &cfgdir, VserverConfig &config)
{
	for (auto [name, script] : {std::pair{"pre-start", &config.pre_start},
				    std::pair{"post-start", &config.post_start},
				    std::pair{"pre-stop", &config.pre_stop},
				    std::pair{"post-stop", &config.post_stop}}) {
		fs::path file = cfgdir / "scripts" / name;
		if (is_file(file))
			*script = file;
	}
}

// The guest's root: the vdir symlink (or directory), else
// <vdirbase>/NAME, vdirbase being confdir/.defaults/vdirbase or /vservers.
fs::path guest_root(const fs::path &cfgdir, const std::string &name)
{
	if (auto target = link_target(cfgdir, "vdir"))
		return *target;
	fs::path base = "/vservers";
	if (auto custom = link_target(cfgdir.parent_path() / ".defaults", "vdirbase"))
		base = *custom;
	return base / name;
}

void check_vdir(Checker &check, const VserverConfig &config)
{
	fs::path link = check.cfgdir() / "vdir";
	std::error_code ec;
	if (fs::is_directory(config.vdir, ec))
		return;
	auto why = ec ? ec.message() : fs::exists(config.vdir) ? "not a directory"
							       : "No such file or directory";
	if (is_there(link))
		check.error(link, 1, fmt::format("the guest's root {}: {}", config.vdir.string(), why));
	else
		check.error(link, fmt::format("missing, and the default root {}: {}",
					      config.vdir.string(), why));
}

} // namespace

fs::path vserver_confdir()
{
	const char *dir = std::getenv("VSERVER_CONFDIR");
	return dir && *dir ? fs::path(dir) : default_confdir;
}

ConfigError::ConfigError(std::vector<std::string> errors)
	: std::runtime_error(join_lines(errors)), errors_(std::move(errors))
{
}

std::vector<KillStep> parse_killseq(std::string_view text)
{
	std::istringstream in{std::string(text)};
	std::vector<std::string> words;
	for (std::string word; in >> word;)
		words.push_back(word);
	if (words.empty() || words.size() % 2 == 0)
		throw std::invalid_argument(fmt::format(
			"'{}' is no kill sequence: SIGNAL [WAIT SIGNAL]..., e.g. '15 5 9'", trim(text)));
	std::vector<KillStep> steps;
	for (std::size_t i = 0; i < words.size(); i += 2) {
		KillStep step{parse_signal(words[i])};
		if (i + 1 < words.size()) {
			const auto &w = words[i + 1];
			auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), step.wait);
			if (ec != std::errc() || end != w.data() + w.size())
				throw std::invalid_argument(fmt::format(
					"'{}' is not a number of seconds to wait", w));
		}
		steps.push_back(step);
	}
	return steps;
}

std::optional<InitConfig::Style> parse_init_style(std::string_view name)
{
	for (auto style : {InitConfig::sysv, InitConfig::plain, InitConfig::minit,
			   InitConfig::systemd, InitConfig::gentoo, InitConfig::openrc,
			   InitConfig::arch})
		if (name == init_style_name(style))
			return style;
	return std::nullopt;
}

std::string_view init_style_name(InitConfig::Style style)
{
	switch (style) {
	case InitConfig::plain:
		return "plain";
	case InitConfig::minit:
		return "minit";
	case InitConfig::systemd:
		return "systemd";
	case InitConfig::gentoo:
		return "gentoo";
	case InitConfig::openrc:
		return "openrc";
	case InitConfig::arch:
		return "arch";
	case InitConfig::sysv:
		break;
	}
	return "sysv";
}

std::vector<std::string> init_start_command(const InitConfig &init, const fs::path &vdir)
{
	if (!init.cmd_start.empty())
		return init.cmd_start;
	switch (init.style) {
	case InitConfig::plain:
		return {"/sbin/init"};
	case InitConfig::minit:
		return {"/sbin/minit-start"};
	case InitConfig::systemd:
		if (vdir.empty() || is_there(vdir / "lib/systemd/systemd"))
			return {"/lib/systemd/systemd"};
		return {"/sbin/init"};
	case InitConfig::gentoo:
	case InitConfig::openrc:
		return {"/lib/rc/sh/init-vserver.sh", "default"};
	case InitConfig::arch:
		return {"/etc/rc.multi"};
	case InitConfig::sysv:
		break;
	}
	return {"/etc/init.d/rc", init.runlevel_start};
}

std::vector<std::string> init_stop_command(const InitConfig &init)
{
	if (!init.cmd_stop.empty())
		return init.cmd_stop;
	switch (init.style) {
	case InitConfig::plain:
	case InitConfig::systemd:
		return {};
	case InitConfig::minit:
		return {"/sbin/minit-stop"};
	case InitConfig::gentoo:
	case InitConfig::openrc:
		return {"env", "-i", "RUNLEVEL=0", "/sbin/rc", "shutdown"};
	case InitConfig::arch:
		return {"/etc/rc.shutdown"};
	case InitConfig::sysv:
		break;
	}
	return {"/etc/init.d/rc", init.runlevel_stop};
}

std::optional<int> init_stop_signal(const InitConfig &init)
{
	if (init.style == InitConfig::systemd && init.cmd_stop.empty())
		return SIGRTMIN + 4;
	return std::nullopt;
}

bool init_pid_namespace(const InitConfig &init)
{
	return init.style == InitConfig::systemd;
}

std::vector<FstabEntry> parse_fstab(const fs::path &file, std::string_view text,
				    std::vector<std::string> &errors)
{
	std::vector<FstabEntry> entries;
	std::istringstream in{std::string(text)};
	unsigned n = 0;
	auto bad = [&](std::string_view why) {
		errors.push_back(fmt::format("{}:{}: {}", file.string(), n, why));
	};
	for (std::string line; std::getline(in, line);) {
		++n;
		auto value = trim(line);
		if (value.empty() || value.front() == '#')
			continue;
		std::istringstream fields(value);
		std::vector<std::string> f;
		for (std::string word; fields >> word;)
			f.push_back(word);
		if (f.size() < 4 || f.size() > 6) {
			bad(fmt::format("{} fields; a mount is SOURCE TARGET TYPE OPTIONS "
					"[DUMP [PASS]]", f.size()));
			continue;
		}
		fs::path target(f[1]);
		if (!target.is_absolute() ||
		    std::any_of(target.begin(), target.end(), [](const fs::path &p) { return p == ".."; })) {
			bad(fmt::format("mount point '{}' is not an absolute path inside the guest "
					"(no '..')", f[1]));
			continue;
		}
		entries.push_back({f[0], f[1], f[2], f[3], n});
	}
	return entries;
}

std::string with_line_one(std::string_view message)
{
	auto colon = message.find(": ");
	if (colon == message.npos)
		return std::string(message);
	return fmt::format("{}:1{}", message.substr(0, colon), message.substr(colon));
}

VserverConfig read_vserver_identity(const fs::path &cfgdir)
{
	if (!is_dir(cfgdir))
		throw ConfigError({fmt::format("{}: no such guest (not a directory)", cfgdir.string())});
	Checker check(cfgdir);
	VserverConfig config;
	config.cfgdir = cfgdir;
	config.name = check.value("name").value_or(cfgdir.filename().string());
	config.xid = parse_context(check).value_or(0);
	config.vdir = guest_root(cfgdir, config.name);
	config.run = link_target(cfgdir, "run")
			     .value_or(fs::path("/run/vservers") / config.name / "run");
	return config;
}

VserverConfig read_vserver_config(const fs::path &cfgdir)
{
	VserverConfig config = read_vserver_identity(cfgdir);
	Checker check(cfgdir);
	check.check_line_ends();
	parse_context(check);	// none: a dynamic context
	read_uts(check, config);
	try {
		config.interfaces = read_interfaces(cfgdir);
	} catch (const std::invalid_argument &e) {
		check.errors().push_back(with_line_one(e.what()));
	}
	config.cflags = check.names(is_there(cfgdir / "cflags") ? "cflags" : "flags", cflag_names());
	config.nflags = check.names("nflags", nflag_names());
	config.bcaps = check.names("bcapabilities", capability_names());
	config.ccaps = check.names("ccapabilities", ccap_names());
	config.ncaps = check.names("ncapabilities", ncap_names());
	config.rlimits = is_dir(cfgdir / "rlimits");
	config.sched = is_dir(cfgdir / "sched");
	// a bad context file has its own error
	read_dlimits(check, config, is_there(cfgdir / "context"));
	read_init(check, config.init);
	if (auto fstab = check.text("fstab"))
		config.fstab = parse_fstab(cfgdir / "fstab", *fstab, check.errors());
	read_scripts(cfgdir, config);
	check_vdir(check, config);
	if (!check.errors().empty())
		throw ConfigError(std::move(check.errors()));
	return config;
}

} // namespace vserver
