#include <vserver/guest.hpp>

#include <vserver/caps.hpp>
#include <vserver/chcontext.hpp>
#include <vserver/dlimits.hpp>
#include <vserver/files.hpp>
#include <vserver/nid.hpp>
#include <vserver/process.hpp>
#include <vserver/spaces.hpp>
#include <vserver/transport.hpp>
#include <vserver/xid.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <grp.h>
#include <sched.h>
#include <sstream>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace vserver {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail_errno(const std::string &what)
{
	throw std::system_error(errno, std::generic_category(), what);
}

constexpr const char *guest_path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// How long stop waits for a guest whose init was asked to shut it down
// (util-vserver's sync-timeout), before the kill sequence.
constexpr unsigned stop_signal_wait = 30;

void sleep_ms(unsigned ms)
{
	::usleep(ms * 1000);
}

// When the tasks of the guest (pid one of them) are in a PID namespace
// not ours (the systemd style), join it: setns, then fork, the parent
// waiting to exit with the child's status; the child goes on, in it.
void join_pid_namespace(pid_t pid)
{
	std::error_code ec;
	auto theirs = fs::read_symlink(fmt::format("/proc/{}/ns/pid", pid), ec);
	if (ec || theirs == fs::read_symlink("/proc/self/ns/pid", ec) || ec)
		return;
	UniqueFd fd(::open(fmt::format("/proc/{}/ns/pid", pid).c_str(), O_RDONLY | O_CLOEXEC));
	if (fd.get() < 0 || ::setns(fd.get(), CLONE_NEWPID) < 0)
		fail_errno(fmt::format("setns /proc/{}/ns/pid", pid));
	if (auto status = fork_and_wait())
		::_exit(*status);
}

// argv as execvp wants it.
std::vector<char *> c_argv(std::vector<std::string> &argv)
{
	std::vector<char *> args;
	for (auto &arg : argv)
		args.push_back(arg.data());
	args.push_back(nullptr);
	return args;
}

// Run argv in dir (if not empty) and wait; "" or what went wrong.
std::string run_in(std::vector<std::string> argv, const fs::path &dir)
{
	int err_pipe[2];
	if (::pipe2(err_pipe, O_CLOEXEC) < 0)
		fail_errno("pipe");
	pid_t pid = ::fork();
	if (pid < 0)
		fail_errno("fork");
	if (pid == 0) {
		::close(err_pipe[0]);
		int err = 0;
		if (!dir.empty() && ::chdir(dir.c_str()) < 0)
			err = errno;
		if (!err) {
			auto args = c_argv(argv);
			::execvp(args[0], args.data());
			err = errno;
		}
		[[maybe_unused]] auto n = ::write(err_pipe[1], &err, sizeof(err));
		::_exit(127);
	}
	::close(err_pipe[1]);
	int err = 0;
	ssize_t n;
	while ((n = ::read(err_pipe[0], &err, sizeof(err))) < 0 && errno == EINTR)
		;
	::close(err_pipe[0]);
	int status;
	while (::waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			fail_errno("waitpid");
	if (n == sizeof(err))
		return fmt::format("{}: {}", argv[0], std::strerror(err));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return {};
	if (WIFSIGNALED(status))
		return fmt::format("{}: killed by signal {}", argv[0], WTERMSIG(status));
	return fmt::format("{}: exit status {}", argv[0], WEXITSTATUS(status));
}

void write_all(int fd, std::string_view text)
{
	while (!text.empty()) {
		ssize_t n = ::write(fd, text.data(), text.size());
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		text.remove_prefix(static_cast<std::size_t>(n));
	}
}

// One line from fd (without its newline); nullopt at end of file.
std::optional<std::string> read_line(int fd)
{
	std::string line;
	char c;
	for (;;) {
		ssize_t n = ::read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return line.empty() ? std::nullopt : std::optional(line);
		if (c == '\n')
			return line;
		line += c;
	}
}

void mount_fstab(const VserverConfig &guest)
{
	for (const auto &entry : guest.fstab) {
		auto target = guest_mount_point(
			guest, entry.target,
			fmt::format("{}:{}: ", (guest.cfgdir / "fstab").string(), entry.line));
		auto error = run_in({"mount", "-n", "-t", entry.type, "-o", entry.options,
				     entry.source, target.string()}, {});
		if (!error.empty())
			throw std::runtime_error(fmt::format("{}:{}: {}", (guest.cfgdir / "fstab").string(),
							     entry.line, error));
	}
}

// The child of start_guest: the guest's namespaces, mounts, network
// context and context; it reports "xid N" once they are there, waits for
// the go, ends the setup and becomes the init.  Any failure is reported as
// "error WHAT" before it exits.
[[noreturn]] void start_child(const VserverConfig &guest, std::vector<std::string> init,
			      int report_fd, int go_fd)
{
	try {
		::signal(SIGPIPE, SIG_DFL);
		if (::setsid() < 0)
			fail_errno("setsid");
		DeviceTransport device;
		Client client(device);

		if (::unshare(CLONE_NEWNS | context_spaces) < 0)
			fail_errno("unshare");
		if (::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) < 0)
			fail_errno("mount --make-rslave /");
		mount_fstab(guest);
		// After fstab: the first child forked from here on (the init)
		// is pid 1 of the new PID namespace; mount(8) must not be.
		const bool own_pids = init_pid_namespace(guest.init);
		if (own_pids && ::unshare(CLONE_NEWPID) < 0)
			fail_errno("unshare(CLONE_NEWPID)");
		// Into the root while on the host: a task of the context would
		// not pass the barrier on its parent.
		int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null < 0)
			fail_errno("/dev/null");
		if (::chdir(guest.vdir.c_str()) < 0)
			fail_errno(guest.vdir.string());

		// A dynamic guest (no context file): the kernel picks the xid,
		// and the nid apart.
		ChbindRequest net;
		if (guest.xid)
			net.nid = guest.xid;
		net.nflags = guest.nflags;
		net.ncaps = guest.ncaps;
		net.addresses = network_addresses(guest.interfaces);
		run_chbind(client, net);

		xid_t xid = client.ctx_create(guest.xid ? guest.xid : VC_DYNAMIC_XID,
					      VXF_INIT_SET | create_cflags(guest));
		if (auto clear = guest.cflags.clear & ~VXF_STATE_SETUP & ~VXF_STATE_INIT)
			client.set_cflags(xid, 0, clear);
		if (guest.ccaps.mask())
			client.set_ccaps(xid, guest.ccaps.set, guest.ccaps.mask());
		if (!guest.uts.empty())
			apply_uts_change(client, xid, guest.uts);
		client.set_vhi_name(xid, VHIN_CONTEXT, guest.name);
		// Keep the guest's namespaces, and its directory as the working
		// directory, for the context, as util-vserver's start does
		// (vspace --set): its vspace --enter finds them.
		client.set_space(xid, client.get_space_default() |
					      (own_pids ? CLONE_NEWPID : 0));
		write_all(report_fd, fmt::format("xid {}\n", xid));

		char go;
		if (::read(go_fd, &go, 1) != 1)
			::_exit(1);
		if (::chroot(".") < 0 || ::chdir("/") < 0)
			fail_errno(fmt::format("chroot {}", guest.vdir.string()));
		if (own_pids) {
			// The init is pid 1 of the new PID namespace, with a /proc
			// of its own; this process is done (the init reports).
			pid_t init_pid = ::fork();
			if (init_pid < 0)
				fail_errno("fork");
			if (init_pid > 0)
				::_exit(0);
			if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
				    nullptr) < 0)
				fail_errno("mount -t proc proc /proc (in the guest)");
		}
		client.set_cflags(xid, 0, VXF_STATE_INIT);	// we are its init
		end_setup(client, xid, dropped_bcaps(guest));
		::clearenv();
		::setenv("PATH", guest_path, 1);
		if (guest.init.style == InitConfig::systemd)
			::setenv("container", "vserver", 1);	// systemd-detect-virt: container-other
		for (int fd = 0; fd < 3; ++fd)
			::dup2(null, fd);
		auto args = c_argv(init);
		::execvp(args[0], args.data());
		fail_errno(fmt::format("{} (in the guest)", init[0]));
	} catch (const std::exception &e) {
		std::string what = e.what();
		std::replace(what.begin(), what.end(), '\n', ' ');
		write_all(report_fd, "error " + what + "\n");
	}
	::_exit(1);
}

// What start_guest did, taken back unless it got through.
class StartUndo {
public:
	StartUndo(Client &client, HostNetwork &net, AddressRecord &record, const Say &say)
		: client_(client), net_(net), record_(record), say_(say) {}
	StartUndo(const StartUndo &) = delete;
	StartUndo &operator=(const StartUndo &) = delete;
	~StartUndo()
	{
		if (done_)
			return;
		if (xid_) {
			try {
				client_.set_cflags(*xid_, 0, VXF_PERSISTENT);
			} catch (const std::exception &) {
			}
			try {
				client_.ctx_kill(*xid_, 0, SIGKILL);
			} catch (const std::exception &) {
			}
		}
		if (child_ > 0) {
			::kill(child_, SIGKILL);
			int status;
			while (::waitpid(child_, &status, 0) < 0 && errno == EINTR)
				;
		}
		if (run_) {
			std::error_code ec;
			fs::remove(*run_, ec);
		}
		if (dlimits_)
			remove_guest_dlimits(client_, *dlimits_, say_);
		try {
			interfaces_down(net_, record_, say_);
		} catch (const std::exception &e) {
			say_(fmt::format("could not take back the addresses: {}", e.what()));
		}
	}

	void child(pid_t pid) { child_ = pid; }
	void context(xid_t xid) { xid_ = xid; }
	void run_file(const fs::path &file) { run_ = file; }
	void dlimits(const fs::path &record) { dlimits_ = record; }
	void done() { done_ = true; }

private:
	Client &client_;
	HostNetwork &net_;
	AddressRecord &record_;
	const Say &say_;
	pid_t child_ = -1;
	std::optional<xid_t> xid_;
	std::optional<fs::path> run_;
	std::optional<fs::path> dlimits_;
	bool done_ = false;
};

class Pipe {
public:
	Pipe()
	{
		if (::pipe2(fds_, O_CLOEXEC) < 0)
			fail_errno("pipe");
	}
	~Pipe()
	{
		close_read();
		close_write();
	}
	int read_end() const { return fds_[0]; }
	int write_end() const { return fds_[1]; }
	void close_read() { close(0); }
	void close_write() { close(1); }

private:
	void close(int i)
	{
		if (fds_[i] >= 0)
			::close(fds_[i]);
		fds_[i] = -1;
	}
	int fds_[2];
};

std::optional<xid_t> read_run_file(const fs::path &run)
{
	try {
		auto line = read_first_line(run);
		if (line)
			return parse_xid(*line);
	} catch (const std::invalid_argument &) {
	}
	return std::nullopt;
}

} // namespace

fs::path guest_mount_point(const VserverConfig &guest, std::string_view target,
			   std::string_view where)
{
	fs::path path = guest.vdir / fs::path(target).relative_path();
	fs::create_directories(path);
	auto real = fs::canonical(path).string();
	auto root = fs::canonical(guest.vdir).string();
	if (real != root && real.rfind(root + "/", 0) != 0)
		throw std::runtime_error(fmt::format("{}mount point {} leads out of the guest ({})",
						     where, target, real));
	return path;
}

std::optional<xid_t> running_xid(Client &client, const VserverConfig &guest)
{
	std::vector<xid_t> candidates;
	if (auto xid = read_run_file(guest.run))
		candidates.push_back(*xid);
	if (guest.xid)
		candidates.push_back(guest.xid);
	for (xid_t xid : candidates) {
		if (xid < min_guest_xid)
			continue;
		try {
			if (client.get_vhi_name(xid, VHIN_CONTEXT) == guest.name)
				return xid;
		} catch (const std::system_error &e) {
			if (e.code().value() != ESRCH)
				throw;
		}
	}
	return std::nullopt;
}

std::string format_uptime(std::chrono::seconds uptime)
{
	auto minutes = uptime.count() / 60;
	auto days = minutes / (24 * 60);
	auto hm = fmt::format("{:02}:{:02}", minutes / 60 % 24, minutes % 60);
	return days ? fmt::format("{} days, {}", days, hm) : hm;
}

std::string status_text(const VserverConfig &guest, std::optional<xid_t> xid, unsigned processes,
			std::optional<std::chrono::seconds> uptime)
{
	if (!xid)
		return fmt::format("Vserver '{}' is stopped\n", guest.name);
	std::string text = fmt::format("Vserver '{}' is running at context '{}'\n", guest.name, *xid);
	text += fmt::format("Number of processes: {:>3}\n", processes);
	if (uptime)
		text += fmt::format("Uptime:              {}\n", format_uptime(*uptime));
	return text;
}

fs::path address_record(const VserverConfig &guest)
{
	return fs::path("/run/vservers") / guest.name / "interfaces";
}

fs::path dlimit_record(const VserverConfig &guest)
{
	return fs::path("/run/vservers") / guest.name / "dlimits";
}

std::uint64_t dropped_bcaps(const VserverConfig &guest)
{
	return (insecure_capabilities() & ~guest.bcaps.set) | guest.bcaps.clear;
}

std::uint64_t create_cflags(const VserverConfig &guest)
{
	return guest.cflags.set & ~VXF_INFO_INIT;
}

bool context_alive(Client &client, xid_t xid)
{
	try {
		client.ctx_stat(xid);
		return true;
	} catch (const std::system_error &e) {
		if (e.code().value() != ESRCH)
			throw;
	}
	return false;
}

bool kill_sequence(Client &client, xid_t xid, std::span<const KillStep> steps, unsigned last_wait,
		   const std::function<void(unsigned)> &sleep, const Say &say)
{
	for (std::size_t i = 0; i < steps.size(); ++i) {
		try {
			client.ctx_kill(xid, 0, steps[i].signal);
		} catch (const std::system_error &e) {
			if (e.code().value() == ESRCH)
				return true;
			throw;
		}
		say(fmt::format("sent signal {} to context {}", steps[i].signal, xid));
		if (wait_for_end(client, xid, i + 1 == steps.size() ? last_wait : steps[i].wait, sleep))
			return true;
	}
	return !context_alive(client, xid);
}

bool wait_for_end(Client &client, xid_t xid, unsigned seconds,
		  const std::function<void(unsigned)> &sleep)
{
	for (unsigned ms = 0; ms < seconds * 1000; ms += 100) {
		if (!context_alive(client, xid))
			return true;
		sleep(100);
	}
	return !context_alive(client, xid);
}

void run_script(const fs::path &script, std::string_view action, const std::string &name,
		const fs::path &dir)
{
	std::vector<std::string> argv{script.string(), std::string(action), name};
	if (::access(script.c_str(), X_OK) != 0)
		argv.insert(argv.begin(), "/bin/sh");
	if (auto error = run_in(argv, dir); !error.empty())
		throw std::runtime_error(fmt::format("{} script {}: {}", action, script.string(),
						     error.substr(error.find(": ") + 2)));
}

void run_program(const std::vector<std::string> &argv)
{
	if (auto error = run_in(argv, {}); !error.empty())
		throw std::runtime_error(error);
}

xid_t start_guest(Client &client, HostNetwork &net, const VserverConfig &guest,
		  const StartOptions &options, const Say &say)
{
	if (guest.xid && context_alive(client, guest.xid))
		throw std::runtime_error(fmt::format(
			"context {} exists already, but is not the guest '{}'", guest.xid, guest.name));
	AddressRecord record(address_record(guest));
	if (record.exists()) {
		say("taking off the addresses of an earlier start first");
		interfaces_down(net, record, say);
	}
	if (guest.pre_start)
		run_script(*guest.pre_start, "pre-start", guest.name, guest.vdir);

	::signal(SIGPIPE, SIG_IGN);
	StartUndo undo(client, net, record, say);
	interfaces_up(net, guest.interfaces, record, say);

	auto init = options.rescue ? *options.rescue : init_start_command(guest.init, guest.vdir);
	if (init.empty())
		init = {"/bin/sleep", "900"};
	Pipe report, go;
	pid_t pid = ::fork();
	if (pid < 0)
		fail_errno("fork");
	if (pid == 0) {
		report.close_read();
		go.close_write();
		start_child(guest, std::move(init), report.write_end(), go.read_end());
	}
	undo.child(pid);
	if (guest.xid)
		undo.context(guest.xid);	// it did not exist: once it does, it is ours
	report.close_write();
	go.close_read();

	auto line = read_line(report.read_end());
	if (!line || line->rfind("xid ", 0) != 0)
		throw std::runtime_error(line && line->rfind("error ", 0) == 0
						 ? line->substr(6)
						 : "the guest's setup ended without a word");
	const xid_t xid = parse_xid(line->substr(4));
	undo.context(xid);
	if (guest.rlimits)
		run_program({"vlimit", "--xid", std::to_string(xid), "--dir",
			     (guest.cfgdir / "rlimits").string(), "--missingok"});
	if (guest.sched)
		run_program({"vsched", "--xid", std::to_string(xid), "--dir",
			     (guest.cfgdir / "sched").string(), "--missingok"});
	if (!guest.dlimits.empty()) {
		undo.dlimits(dlimit_record(guest));
		apply_guest_dlimits(client, xid, guest.dlimits, dlimit_record(guest));
	}
	write_all(go.write_end(), "g");
	go.close_write();
	// The report pipe closes when the init is executed; else it says why not.
	if (auto error = read_line(report.read_end()))
		throw std::runtime_error(error->rfind("error ", 0) == 0 ? error->substr(6) : *error);

	undo.run_file(guest.run);
	fs::create_directories(guest.run.parent_path());
	std::ofstream(guest.run) << xid << "\n";
	if (guest.post_start)
		run_script(*guest.post_start, "post-start", guest.name, guest.vdir);
	undo.done();
	return xid;
}

bool stop_guest(Client &client, HostNetwork &net, const VserverConfig &guest, const Say &say)
{
	AddressRecord record(address_record(guest));
	auto xid = running_xid(client, guest);
	if (!xid) {
		interfaces_down(net, record, say);
		remove_guest_dlimits(client, dlimit_record(guest), say);
		std::error_code ec;
		fs::remove(guest.run, ec);
		return false;
	}
	if (guest.pre_stop)
		run_script(*guest.pre_stop, "pre-stop", guest.name, guest.vdir);

	if (auto stop = init_stop_command(guest.init); !stop.empty()) {
		pid_t pid = ::fork();
		if (pid < 0)
			fail_errno("fork");
		if (pid == 0) {
			try {
				enter_guest(client, guest, *xid, std::nullopt);
				auto args = c_argv(stop);
				::execvp(args[0], args.data());
				fail_errno(stop[0]);
			} catch (const std::exception &e) {
				fmt::print(stderr, "vserver: {}: {}\n", guest.name, e.what());
			}
			::_exit(127);
		}
		int status;
		while (::waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			say(fmt::format("the stop command {} failed; sending the kill sequence", stop[0]));
	}
	if (auto sig = init_stop_signal(guest.init)) {
		try {
			client.ctx_kill(*xid, 1, *sig);	// 1: the context's init
			say(fmt::format("sent signal {} to the init of context {}", *sig, *xid));
			wait_for_end(client, *xid, stop_signal_wait, sleep_ms);
		} catch (const std::system_error &e) {
			say(fmt::format("could not signal the init: {}", e.what()));
		}
	}
	try {
		client.set_cflags(*xid, 0, VXF_PERSISTENT);
	} catch (const std::system_error &) {
		// it may have ended already, or be past its setup
	}
	bool gone = kill_sequence(client, *xid, guest.init.killseq, 10, sleep_ms, say);
	std::error_code ec;
	fs::remove(guest.run, ec);
	interfaces_down(net, record, say);
	remove_guest_dlimits(client, dlimit_record(guest), say);
	if (guest.post_stop)
		run_script(*guest.post_stop, "post-stop", guest.name, guest.vdir);
	if (!gone)
		throw std::runtime_error(fmt::format("context {} did not end", *xid));
	return true;
}

std::optional<UserIds> user_ids(std::string_view passwd, std::string_view user)
{
	auto number = [](std::string_view text) -> std::optional<unsigned> {
		unsigned value;
		auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
		if (text.empty() || ec != std::errc() || end != text.data() + text.size())
			return std::nullopt;
		return value;
	};
	std::istringstream lines{std::string(passwd)};
	for (std::string line; std::getline(lines, line);) {
		std::istringstream fields(line);
		std::string name, x, uid, gid;
		if (std::getline(fields, name, ':') && std::getline(fields, x, ':') &&
		    std::getline(fields, uid, ':') && std::getline(fields, gid, ':') &&
		    (name == user || uid == user) && number(uid) && number(gid))
			return UserIds{*number(uid), *number(gid)};
	}
	if (auto id = number(user))
		return UserIds{*id, *id};
	return std::nullopt;
}

void enter_guest(Client &client, const VserverConfig &guest, xid_t xid,
		 const std::optional<std::string> &user, const std::function<void()> &in_spaces)
{
	auto pid = find_context_task(xid);
	if (!pid)
		throw std::runtime_error(fmt::format("context {} has no task to join", xid));
	join_pid_namespace(*pid);
	SystemNamespaces().enter(*pid, context_spaces | mount_space);
	if (in_spaces)
		in_spaces();
	client.net_migrate(xid);
	if (::chdir(guest.vdir.c_str()) < 0)
		fail_errno(guest.vdir.string());
	client.ctx_migrate(xid);
	if (::chroot(".") < 0 || ::chdir("/") < 0)
		fail_errno(fmt::format("chroot {}", guest.vdir.string()));
	if (!user)
		return;

	auto ids = user_ids(read_file("/etc/passwd"), *user);
	if (!ids)
		throw std::runtime_error(fmt::format("no user '{}' in the guest's /etc/passwd", *user));
	gid_t gid = ids->gid;
	if (::setgroups(1, &gid) < 0 || ::setgid(gid) < 0 || ::setuid(ids->uid) < 0)
		fail_errno(fmt::format("become user {}", *user));
}

std::vector<std::string> guest_shell(const VserverConfig &guest)
{
	if (auto line = read_first_line(guest.cfgdir / "shell"); line && !line->empty()) {
		std::istringstream words(*line);
		std::vector<std::string> argv;
		for (std::string w; words >> w;)
			argv.push_back(w);
		if (!argv.empty())
			return argv;
	}
	if (fs::exists(guest.vdir / "bin/bash"))
		return {"/bin/bash", "-login"};
	return {"/bin/sh", "-l"};
}

} // namespace vserver
