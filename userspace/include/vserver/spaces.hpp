// The Linux namespaces a context keeps for itself: UTS (hostname) and
// SysV IPC.  The kernel module cannot unshare for its caller, so the tools
// do it, as util-vserver's vspace did: a new context gets new namespaces,
// a task joining one enters those of a task already in it.
#pragma once

#include <vserver/client.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>

namespace vserver {

// The namespaces of a context.
inline constexpr int context_spaces = 0x04000000 /* CLONE_NEWUTS */ |
				      0x08000000 /* CLONE_NEWIPC */;

// The mount namespace a fakeinit task tree gets, for a /proc of its own.
inline constexpr int mount_space = 0x00020000 /* CLONE_NEWNS */;

// What the kernel offers; a mock in the tests.
class Namespaces {
public:
	virtual ~Namespaces() = default;
	// unshare(2) of @flags; throws std::system_error.
	virtual void unshare(int flags) = 0;
	// Enter the namespaces @flags of process @pid (setns(2) on
	// /proc/<pid>/ns/*): UTS, IPC, and mount (CLONE_NEWNS) last;
	// throws std::system_error naming the file.
	virtual void enter(pid_t pid, int flags) = 0;
	virtual void set_hostname(const std::string &name) = 0;
	virtual void set_domainname(const std::string &name) = 0;
	// Make the mount on @path and all below it slaves (mount(2) with
	// MS_REC | MS_SLAVE): mounts made later in the namespace they were
	// copied from still show here, none made here goes back.  Throws
	// std::system_error, e.g. "mount --make-rslave /: Invalid argument"
	// when @path is no mount point.
	virtual void make_slave(const std::filesystem::path &path) = 0;
	// Mount a proc of the caller's PID namespace on @path (nosuid, nodev,
	// noexec).  Throws std::system_error, e.g. "mount -t proc proc /proc:
	// No such file or directory".
	virtual void mount_proc(const std::filesystem::path &path) = 0;
};

class SystemNamespaces : public Namespaces {
public:
	explicit SystemNamespaces(std::filesystem::path proc = "/proc")
		: proc_(std::move(proc)) {}
	void unshare(int flags) override;
	void enter(pid_t pid, int flags) override;
	void set_hostname(const std::string &name) override;
	void set_domainname(const std::string &name) override;
	void make_slave(const std::filesystem::path &path) override;
	void mount_proc(const std::filesystem::path &path) override;

private:
	std::filesystem::path proc_;
};

// A process in context @xid, found through /proc (lowest pid first).
std::optional<pid_t> find_context_task(xid_t xid,
				       const std::filesystem::path &proc = "/proc");

// Names for the UTS namespace; longer than 64 bytes is an error.
struct UtsNames {
	std::optional<std::string> hostname;
	std::optional<std::string> domainname;
};

// Throws std::invalid_argument for a name the kernel would refuse.
void check_uts_name(const std::string &what, const std::string &name);

// For "fakeinit": unshare a new PID namespace and fork.  In the child,
// which is pid 1 of the namespace, returns nullopt; in the parent, waits
// for the child and returns its exit status as a shell reports it (128 +
// signal for a killed child).  Throws std::system_error.
std::optional<int> fork_into_new_pid_namespace();

// Fork; in the child returns nullopt, in the parent waits for it and
// returns its exit status as above (after setns into a PID namespace: the
// child is in it).  Throws std::system_error.
std::optional<int> fork_and_wait();

} // namespace vserver
