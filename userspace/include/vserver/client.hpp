// Typed vserver commands over a Transport.
#pragma once

#include <system_error>

#include <vserver/transport.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace vserver {

using xid_t = std::uint32_t;
using nid_t = std::uint32_t;

struct NetAddress;	// naddr.hpp

// "ctx_create" for VCMD_ctx_create; "vcmd 0x%08x" for a command we don't know.
std::string command_name(std::uint32_t cmd);

// Every method fills one struct vserver_call and passes it to the transport.
// A failed command throws std::system_error(errno, generic_category(),
// "<command>(<id>)"), so what() reads e.g. "ctx_create(33): File exists".
class Client {
public:
	explicit Client(Transport &transport) : transport_(transport) {}

	// VCI_VERSION of the kernel side.
	std::uint32_t get_version();
	// Context / network context of a task; pid 0 means the caller.
	xid_t task_xid(pid_t pid = 0);
	// task_xid, but nullopt rather than an exception when there is no such
	// task (ESRCH): for listings, where tasks come and go and a throw costs
	// far more than the call.  Other errors throw as task_xid's do.
	std::optional<xid_t> find_task_xid(pid_t pid);
	nid_t task_nid(pid_t pid = 0);
	vcmd_vx_info_v0 vx_info(xid_t xid);
	// Create context xid (VC_DYNAMIC_XID: the kernel picks one) and move the
	// caller into it.  Without flags the kernel uses VXF_INIT_SET.
	// Returns the xid of the new context.
	xid_t ctx_create(xid_t xid, std::optional<std::uint64_t> flags = std::nullopt);
	// Move the caller into the existing context xid (flags: VXM_*).
	// xid VX_WATCH_XID makes the caller the spectator.
	void ctx_migrate(xid_t xid, std::uint64_t flags = 0);
	// Reference and task counts of a context.
	vcmd_ctx_stat_v0 ctx_stat(xid_t xid);
	// The context's VXF_* flags (flagword) and the bits that may still
	// change (mask).
	vcmd_ctx_flags_v0 get_cflags(xid_t xid);
	// flags = (flags & ~mask) | (flagword & mask).
	void set_cflags(xid_t xid, std::uint64_t flagword, std::uint64_t mask);
	// The bounding set of capabilities (bit n = capability n).
	vcmd_bcaps get_bcaps(xid_t xid);
	// bcaps = (bcaps & ~mask) | (value & mask); the kernel only clears.
	void set_bcaps(xid_t xid, std::uint64_t value, std::uint64_t mask);
	// The context capabilities (VXC_*) and those the kernel implements.
	vcmd_ctx_caps_v1 get_ccaps(xid_t xid);
	void set_ccaps(xid_t xid, std::uint64_t value, std::uint64_t mask);
	// The unshare mask (VXU_*) and the bits it may have.
	vcmd_umask get_umask(xid_t xid);
	// umask = (umask & ~mask) | (value & mask).
	void set_umask(xid_t xid, std::uint64_t value, std::uint64_t mask);
	// Signal tasks of a context: pid 0 all, -1 all but its init, 1 its
	// init, else that task.
	void ctx_kill(xid_t xid, pid_t pid, int sig);
	// Block until the context has ended; exit_code is a wait status.
	vcmd_wait_exit_v0 wait_exit(xid_t xid);
	// A VHIN_* string of a context.  set_vhi_name throws
	// std::invalid_argument, before any call, for a name longer than
	// VHI_NAME_LEN - 1 bytes or one containing a NUL.
	std::string get_vhi_name(xid_t xid, std::uint32_t field);
	void set_vhi_name(xid_t xid, std::uint32_t field, std::string_view name);
	// Inode attributes (IATTR_*) of the file at path (a last symlink is
	// not followed): flags, and in mask the bits that apply to it; tag 0.
	// A failure reads "get_iattr(PATH): No such file or directory".
	// Paths with a NUL byte throw std::invalid_argument before any call.
	vcmd_ctx_fiattr_v0 get_iattr(std::string_view path);
	// flags = (flags & ~mask) | (value & mask); EINVAL (nothing changed)
	// when mask has a bit that does not apply to the file.
	// With IATTR_TAG in mask the file's tag becomes tag (0..VX_MAX_TAG).
	void set_iattr(std::string_view path, std::uint32_t value, std::uint32_t mask,
		       std::uint32_t tag = 0);
	// The same for the open file fd ("fget_iattr(3): ...").
	vcmd_ctx_fiattr_v0 fget_iattr(int fd);
	void fset_iattr(int fd, std::uint32_t value, std::uint32_t mask,
			std::uint32_t tag = 0);

	// File tags: the tag of a task (pid 0: the caller); tag_migrate gives
	// the caller another tag (host only).
	std::uint32_t task_tag(pid_t pid = 0);
	void tag_migrate(std::uint32_t tag);
	// Namespaces kept for a context (Linux-VServer's spaces, util-vserver's
	// vspace): set_space keeps the caller's namespaces of the kinds in mask
	// (CLONE_NEW*) and, with CLONE_FS, its root and working directory, in
	// set index (0 or 1); enter_space puts the caller into those of set
	// index that mask names (0: all the set keeps).  get_space_default: the
	// kinds util-vserver keeps by default; get_space_mask: all the kernel
	// can keep.
	void set_space(xid_t xid, std::uint64_t mask, std::uint32_t index = 0);
	void enter_space(xid_t xid, std::uint64_t mask, std::uint32_t index = 0);
	std::uint64_t get_space_default();
	std::uint64_t get_space_mask();

	// Disk limits of a tag on the filesystem that holds path; a failure
	// reads "add_dlimit(42, /vservers): File exists".  set_dlimit ignores
	// limit.name and keeps the fields that are CDLIM_KEEP.
	void add_dlimit(std::uint32_t tag, std::string_view path);
	void rem_dlimit(std::uint32_t tag, std::string_view path);
	void set_dlimit(std::uint32_t tag, std::string_view path, const vcmd_ctx_dlimit_v0 &limit);
	vcmd_ctx_dlimit_v0 get_dlimit(std::uint32_t tag, std::string_view path);

	// Per-context limits.  resource is an RLIMIT_* or VLIMIT_* number; the
	// values count as the kernel says (memory in pages), CRLIM_INFINITY
	// is no limit.  get_rlimit's minimum is always CRLIM_UNSET.
	vcmd_ctx_rlimit_v0 get_rlimit(xid_t xid, std::uint32_t resource);
	// A field CRLIM_KEEP stays as it is; the kernel clamps the soft limit
	// to the hard one.  EINVAL: a resource (field) it cannot limit.
	void set_rlimit(xid_t xid, std::uint32_t resource, std::uint64_t minimum,
			std::uint64_t soft, std::uint64_t hard);
	// The resources whose minimum, soft and hard limits can be set (bit n
	// = resource n).  Needs no privilege; "get_rlimit_mask(0)" on failure.
	vcmd_ctx_rlimit_mask_v0 get_rlimit_mask();
	// The current value of a resource, its low and high watermarks since
	// reset_minmax and how often the limit refused something.
	vcmd_rlimit_stat_v0 rlimit_stat(xid_t xid, std::uint32_t resource);
	// Hit counters to 0; watermarks to the current values.
	void reset_hits(xid_t xid);
	void reset_minmax(xid_t xid);

	// The token-bucket scheduler: set_sched sets the fields in sched.mask
	// (VXSM_*); get_sched fills them all.
	void set_sched(xid_t xid, const vcmd_sched_v5 &sched);
	vcmd_sched_v5 get_sched(xid_t xid);
	// CPU time the context used and was held back (cpu_id 0: the whole
	// context), the length of a token.
	vcmd_sched_info sched_info(xid_t xid);
	// Start, uptime, task counts and load average of a context.
	vcmd_virt_stat_v0 virt_stat(xid_t xid);

	// Network contexts.  ESRCH: no such network context.
	vcmd_nx_info_v0 nx_info(nid_t nid);
	// Create network context nid (VC_DYNAMIC_XID: the kernel picks one)
	// and move the caller into it; returns its nid.  Without flags the
	// kernel uses NXF_INIT_SET.  EEXIST/EBUSY: it exists.
	nid_t net_create(nid_t nid, std::optional<std::uint64_t> flags = std::nullopt);
	// Move the caller into the existing network context nid.
	void net_migrate(nid_t nid);
	// The NXF_* flags and the bits that may still change; set as
	// set_cflags: flags = (flags & ~mask) | (flagword & mask).
	vcmd_net_flags_v0 get_nflags(nid_t nid);
	void set_nflags(nid_t nid, std::uint64_t flagword, std::uint64_t mask);
	// The NXC_* capabilities, likewise.
	vcmd_net_caps_v0 get_ncaps(nid_t nid);
	void set_ncaps(nid_t nid, std::uint64_t value, std::uint64_t mask);
	// Add or remove one address (net_add_ipv4, net_rem_ipv4,
	// net_add_ipv6, net_remove_ipv6, by the address's family).  Removing
	// all_addresses() of a family that has none is no error.  A refusal
	// throws AddressError (naddr.hpp), whose what() says it in words:
	// "net_add_ipv4(42): network context 42 already has address 10.0.0.1".
	void net_add(nid_t nid, const NetAddress &addr);
	void net_remove(nid_t nid, const NetAddress &addr);

private:
	// The commands whose data the kernel fills in (T: the command's struct).
	template <class T> T fetch(std::uint32_t cmd, xid_t xid)
	{
		T data{};

		call(cmd, xid, &data, sizeof(data));
		return data;
	}
	// ctx_create and net_create: the struct {flagword} (T) only when
	// flags are given.
	template <class T> std::uint32_t create(std::uint32_t cmd, std::uint32_t id,
						std::optional<std::uint64_t> flags)
	{
		if (!flags)
			return static_cast<std::uint32_t>(call(cmd, id));

		T data{};
		data.flagword = *flags;
		return static_cast<std::uint32_t>(call(cmd, id, &data, sizeof(data)));
	}
	// The commands whose struct is {value, mask} (set_cflags, ...).
	template <class T> void send_masked(std::uint32_t cmd, xid_t xid,
					    std::uint64_t value, std::uint64_t mask)
	{
		T data{value, mask};

		call(cmd, xid, &data, sizeof(data));
	}
	// The disk-limit commands (T: vcmd_ctx_dlimit_base_v0 or _v0): data
	// sent with its name pointing at path, NUL-terminated, and returned as
	// the kernel left it, name 0.  "add_dlimit(42, PATH): <strerror>" on
	// failure; a path with a NUL byte throws std::invalid_argument first.
	template <class T> T dlimit(std::uint32_t cmd, std::uint32_t tag,
				    std::string_view path, T data);
	// A failure throws std::system_error with what() "<what>: <strerror>";
	// what defaults to "<command>(<id>)".
	long call(std::uint32_t cmd, std::uint32_t id, void *data = nullptr,
		  std::uint32_t size = 0, std::string_view what = {});
	// The transport's answer, -errno on failure; call() throws for that.
	long try_call(std::uint32_t cmd, std::uint32_t id, void *data = nullptr,
		      std::uint32_t size = 0);
	void change_address(nid_t nid, const NetAddress &addr, bool add);
	[[noreturn]] static void fail(std::uint32_t cmd, std::uint32_t id, long ret,
				      std::string_view what = {});

	Transport &transport_;
};

// A context's name (get_vhi_name VHIN_CONTEXT) for listings: "" when it
// has none, has just ended (ESRCH), or is the host or the spectator, which
// are no contexts.  Other errors propagate.
std::string context_name(Client &client, xid_t xid);

// Did ctx_create (or net_create) fail because the context exists?  EEXIST,
// or EBUSY while it is still being set up (it may still be joined).
bool context_exists(const std::system_error &e);

} // namespace vserver
