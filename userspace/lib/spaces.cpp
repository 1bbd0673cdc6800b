#include <vserver/proc.hpp>
#include <vserver/spaces.hpp>
#include <vserver/transport.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace vserver {

static_assert(mount_space == CLONE_NEWNS);
static_assert(context_spaces == (CLONE_NEWUTS | CLONE_NEWIPC));

namespace {

[[noreturn]] void throw_errno(const std::string &what)
{
	throw std::system_error(errno, std::generic_category(), what);
}

} // namespace

void SystemNamespaces::unshare(int flags)
{
	if (::unshare(flags) < 0)
		throw_errno("unshare");
}

void SystemNamespaces::enter(pid_t pid, int flags)
{
	static constexpr struct {
		int flag;
		const char *name;
	} spaces[] = {
		{CLONE_NEWUTS, "uts"},
		{CLONE_NEWIPC, "ipc"},
		{CLONE_NEWNS, "mnt"},	// last: it changes what paths mean
	};

	for (const auto &s : spaces) {
		if (!(flags & s.flag))
			continue;
		auto path = proc_ / std::to_string(pid) / "ns" / s.name;
		UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
		if (fd.get() < 0)
			throw_errno(path.string());
		if (::setns(fd.get(), s.flag) < 0)
			throw_errno(fmt::format("setns {}", path.string()));
	}
}

void SystemNamespaces::set_hostname(const std::string &name)
{
	if (::sethostname(name.data(), name.size()) < 0)
		throw_errno("sethostname");
}

void SystemNamespaces::set_domainname(const std::string &name)
{
	if (::setdomainname(name.data(), name.size()) < 0)
		throw_errno("setdomainname");
}

void SystemNamespaces::make_slave(const std::filesystem::path &path)
{
	if (::mount(nullptr, path.c_str(), nullptr, MS_REC | MS_SLAVE, nullptr) < 0)
		throw_errno(fmt::format("mount --make-rslave {}", path.string()));
}

void SystemNamespaces::mount_proc(const std::filesystem::path &path)
{
	if (::mount("proc", path.c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) < 0)
		throw_errno(fmt::format("mount -t proc proc {}", path.string()));
}

std::optional<pid_t> find_context_task(xid_t xid, const std::filesystem::path &proc)
{
	for (pid_t pid : list_processes(proc)) {
		auto info = read_process(pid, proc);
		if (info && info->xid == xid)
			return pid;
	}
	return std::nullopt;
}

std::optional<int> fork_into_new_pid_namespace()
{
	if (::unshare(CLONE_NEWPID) < 0)
		throw_errno("unshare(CLONE_NEWPID)");
	return fork_and_wait();
}

std::optional<int> fork_and_wait()
{
	pid_t child = ::fork();
	if (child < 0)
		throw_errno("fork");
	if (child == 0)
		return std::nullopt;

	int status;
	while (::waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			throw_errno("waitpid");
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

void check_uts_name(const std::string &what, const std::string &name)
{
	if (name.empty() || name.size() > 64)
		throw std::invalid_argument(fmt::format(
			"{} '{}': must be 1 to 64 characters", what, name));
}

} // namespace vserver
