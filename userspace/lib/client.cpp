#include <vserver/client.hpp>

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <system_error>

namespace vserver {

namespace {

struct CommandInfo {
	std::uint32_t cmd;
	std::string_view name;
};

constexpr std::array commands{
	CommandInfo{VCMD_get_version, "get_version"},
	CommandInfo{VCMD_task_xid, "task_xid"},
	CommandInfo{VCMD_task_nid, "task_nid"},
	CommandInfo{VCMD_vx_info, "vx_info"},
	CommandInfo{VCMD_ctx_create, "ctx_create"},
	CommandInfo{VCMD_ctx_migrate, "ctx_migrate"},
	CommandInfo{VCMD_ctx_stat, "ctx_stat"},
	CommandInfo{VCMD_get_cflags, "get_cflags"},
	CommandInfo{VCMD_set_cflags, "set_cflags"},
	CommandInfo{VCMD_get_bcaps, "get_bcaps"},
	CommandInfo{VCMD_set_bcaps, "set_bcaps"},
	CommandInfo{VCMD_get_ccaps, "get_ccaps"},
	CommandInfo{VCMD_set_ccaps, "set_ccaps"},
	CommandInfo{VCMD_get_umask, "get_umask"},
	CommandInfo{VCMD_set_umask, "set_umask"},
	CommandInfo{VCMD_ctx_kill, "ctx_kill"},
	CommandInfo{VCMD_wait_exit, "wait_exit"},
	CommandInfo{VCMD_get_vhi_name, "get_vhi_name"},
	CommandInfo{VCMD_set_vhi_name, "set_vhi_name"},
	CommandInfo{VCMD_get_iattr, "get_iattr"},
	CommandInfo{VCMD_set_iattr, "set_iattr"},
	CommandInfo{VCMD_fget_iattr, "fget_iattr"},
	CommandInfo{VCMD_fset_iattr, "fset_iattr"},
	CommandInfo{VCMD_task_tag, "task_tag"},
	CommandInfo{VCMD_tag_migrate, "tag_migrate"},
	CommandInfo{VCMD_add_dlimit, "add_dlimit"},
	CommandInfo{VCMD_rem_dlimit, "rem_dlimit"},
	CommandInfo{VCMD_set_dlimit, "set_dlimit"},
	CommandInfo{VCMD_get_dlimit, "get_dlimit"},
	CommandInfo{VCMD_nx_info, "nx_info"},
	CommandInfo{VCMD_net_create, "net_create"},
	CommandInfo{VCMD_net_migrate, "net_migrate"},
	CommandInfo{VCMD_net_add_ipv4, "net_add_ipv4"},
	CommandInfo{VCMD_net_rem_ipv4, "net_rem_ipv4"},
	CommandInfo{VCMD_net_add_ipv6, "net_add_ipv6"},
	CommandInfo{VCMD_net_remove_ipv6, "net_remove_ipv6"},
	CommandInfo{VCMD_get_nflags, "get_nflags"},
	CommandInfo{VCMD_set_nflags, "set_nflags"},
	CommandInfo{VCMD_get_ncaps, "get_ncaps"},
	CommandInfo{VCMD_set_ncaps, "set_ncaps"},
	CommandInfo{VCMD_get_rlimit, "get_rlimit"},
	CommandInfo{VCMD_set_rlimit, "set_rlimit"},
	CommandInfo{VCMD_get_rlimit_mask, "get_rlimit_mask"},
	CommandInfo{VCMD_rlimit_stat, "rlimit_stat"},
	CommandInfo{VCMD_reset_hits, "reset_hits"},
	CommandInfo{VCMD_reset_minmax, "reset_minmax"},
	CommandInfo{VCMD_set_sched, "set_sched"},
	CommandInfo{VCMD_get_sched, "get_sched"},
	CommandInfo{VCMD_sched_info, "sched_info"},
	CommandInfo{VCMD_virt_stat, "virt_stat"},
	CommandInfo{VCMD_set_space, "set_space"},
	CommandInfo{VCMD_enter_space, "enter_space"},
	CommandInfo{VCMD_get_space_default, "get_space_default"},
	CommandInfo{VCMD_get_space_mask, "get_space_mask"},
};

// "get_iattr(PATH)", for messages; a path with a NUL byte, which the
// kernel would cut short, is refused here.
std::string path_call(std::uint32_t cmd, std::string_view path)
{
	if (path.find('\0') != std::string_view::npos)
		throw std::invalid_argument(command_name(cmd) + ": path contains a NUL byte");
	return fmt::format("{}({})", command_name(cmd), path);
}

} // namespace

std::string command_name(std::uint32_t cmd)
{
	for (const auto &c : commands)
		if (c.cmd == cmd)
			return std::string(c.name);
	return fmt::format("vcmd {:#010x}", cmd);
}

long Client::try_call(std::uint32_t cmd, std::uint32_t id, void *data,
		      std::uint32_t size)
{
	vserver_call vc{};

	vc.cmd = cmd;
	vc.id = id;
	vc.data = reinterpret_cast<std::uintptr_t>(data);
	vc.size = size;
	vc.flags = 0;

	return transport_.call(vc);
}

void Client::fail(std::uint32_t cmd, std::uint32_t id, long ret, std::string_view what_arg)
{
	if (!what_arg.empty())
		throw std::system_error(static_cast<int>(-ret), std::generic_category(),
					std::string(what_arg));
	std::string what = command_name(cmd) + "(";
	what += ((cmd == VCMD_ctx_create || cmd == VCMD_net_create) && id == VC_DYNAMIC_XID) ?
		"dynamic" : std::to_string(id);
	what += ")";
	throw std::system_error(static_cast<int>(-ret), std::generic_category(), what);
}

long Client::call(std::uint32_t cmd, std::uint32_t id, void *data,
		  std::uint32_t size, std::string_view what)
{
	long ret = try_call(cmd, id, data, size);

	if (ret < 0)
		fail(cmd, id, ret, what);
	return ret;
}

std::uint32_t Client::get_version()
{
	return static_cast<std::uint32_t>(call(VCMD_get_version, 0));
}

xid_t Client::task_xid(pid_t pid)
{
	return static_cast<xid_t>(call(VCMD_task_xid, static_cast<std::uint32_t>(pid)));
}

std::optional<xid_t> Client::find_task_xid(pid_t pid)
{
	long ret = try_call(VCMD_task_xid, static_cast<std::uint32_t>(pid));

	if (ret == -ESRCH)
		return std::nullopt;
	if (ret < 0)
		fail(VCMD_task_xid, static_cast<std::uint32_t>(pid), ret);
	return static_cast<xid_t>(ret);
}

nid_t Client::task_nid(pid_t pid)
{
	return static_cast<nid_t>(call(VCMD_task_nid, static_cast<std::uint32_t>(pid)));
}

vcmd_vx_info_v0 Client::vx_info(xid_t xid)
{
	return fetch<vcmd_vx_info_v0>(VCMD_vx_info, xid);
}

xid_t Client::ctx_create(xid_t xid, std::optional<std::uint64_t> flags)
{
	return create<vcmd_ctx_create>(VCMD_ctx_create, xid, flags);
}

void Client::ctx_migrate(xid_t xid, std::uint64_t flags)
{
	vcmd_ctx_migrate data{};

	data.flagword = flags;
	call(VCMD_ctx_migrate, xid, &data, sizeof(data));
}

vcmd_ctx_stat_v0 Client::ctx_stat(xid_t xid)
{
	return fetch<vcmd_ctx_stat_v0>(VCMD_ctx_stat, xid);
}

vcmd_ctx_flags_v0 Client::get_cflags(xid_t xid)
{
	return fetch<vcmd_ctx_flags_v0>(VCMD_get_cflags, xid);
}

void Client::set_cflags(xid_t xid, std::uint64_t flagword, std::uint64_t mask)
{
	send_masked<vcmd_ctx_flags_v0>(VCMD_set_cflags, xid, flagword, mask);
}

vcmd_bcaps Client::get_bcaps(xid_t xid)
{
	return fetch<vcmd_bcaps>(VCMD_get_bcaps, xid);
}

void Client::set_bcaps(xid_t xid, std::uint64_t value, std::uint64_t mask)
{
	send_masked<vcmd_bcaps>(VCMD_set_bcaps, xid, value, mask);
}

vcmd_ctx_caps_v1 Client::get_ccaps(xid_t xid)
{
	return fetch<vcmd_ctx_caps_v1>(VCMD_get_ccaps, xid);
}

void Client::set_ccaps(xid_t xid, std::uint64_t value, std::uint64_t mask)
{
	send_masked<vcmd_ctx_caps_v1>(VCMD_set_ccaps, xid, value, mask);
}

vcmd_umask Client::get_umask(xid_t xid)
{
	return fetch<vcmd_umask>(VCMD_get_umask, xid);
}

void Client::set_umask(xid_t xid, std::uint64_t value, std::uint64_t mask)
{
	send_masked<vcmd_umask>(VCMD_set_umask, xid, value, mask);
}

void Client::ctx_kill(xid_t xid, pid_t pid, int sig)
{
	vcmd_ctx_kill_v0 kill{};

	kill.pid = pid;
	kill.sig = sig;
	call(VCMD_ctx_kill, xid, &kill, sizeof(kill));
}

vcmd_wait_exit_v0 Client::wait_exit(xid_t xid)
{
	vcmd_wait_exit_v0 result{};

	call(VCMD_wait_exit, xid, &result, sizeof(result));
	return result;
}

std::string Client::get_vhi_name(xid_t xid, std::uint32_t field)
{
	vcmd_vhi_name_v0 data{};

	data.field = field;
	call(VCMD_get_vhi_name, xid, &data, sizeof(data));
	// The kernel NUL-terminates; don't rely on it.
	return std::string(data.name, strnlen(data.name, sizeof(data.name)));
}

void Client::set_vhi_name(xid_t xid, std::uint32_t field, std::string_view name)
{
	vcmd_vhi_name_v0 data{};

	if (name.size() >= sizeof(data.name))
		throw std::invalid_argument(fmt::format(
			"set_vhi_name({}): name of {} bytes is too long (at most {})",
			xid, name.size(), sizeof(data.name) - 1));
	if (name.find('\0') != std::string_view::npos)
		throw std::invalid_argument(fmt::format(
			"set_vhi_name({}): name contains a NUL byte", xid));
	data.field = field;
	name.copy(data.name, name.size());
	call(VCMD_set_vhi_name, xid, &data, sizeof(data));
}

vcmd_ctx_fiattr_v0 Client::get_iattr(std::string_view path)
{
	std::string what = path_call(VCMD_get_iattr, path);
	std::string name(path);	// NUL-terminated
	vcmd_ctx_iattr_v1 data{};

	data.name = reinterpret_cast<std::uintptr_t>(name.c_str());
	call(VCMD_get_iattr, 0, &data, sizeof(data), what);
	return {data.tag, data.flags, data.mask};
}

void Client::set_iattr(std::string_view path, std::uint32_t value, std::uint32_t mask,
			std::uint32_t tag)
{
	std::string what = path_call(VCMD_set_iattr, path);
	std::string name(path);
	vcmd_ctx_iattr_v1 data{};

	data.name = reinterpret_cast<std::uintptr_t>(name.c_str());
	data.tag = tag;
	data.flags = value;
	data.mask = mask;
	call(VCMD_set_iattr, 0, &data, sizeof(data), what);
}

vcmd_ctx_fiattr_v0 Client::fget_iattr(int fd)
{
	vcmd_ctx_fiattr_v0 data{};

	call(VCMD_fget_iattr, static_cast<std::uint32_t>(fd), &data, sizeof(data));
	return data;
}

void Client::fset_iattr(int fd, std::uint32_t value, std::uint32_t mask, std::uint32_t tag)
{
	vcmd_ctx_fiattr_v0 data{};

	data.tag = tag;
	data.flags = value;
	data.mask = mask;
	call(VCMD_fset_iattr, static_cast<std::uint32_t>(fd), &data, sizeof(data));
}

std::uint32_t Client::task_tag(pid_t pid)
{
	return static_cast<std::uint32_t>(call(VCMD_task_tag, static_cast<std::uint32_t>(pid)));
}

void Client::tag_migrate(std::uint32_t tag)
{
	call(VCMD_tag_migrate, tag);
}

void Client::set_space(xid_t xid, std::uint64_t mask, std::uint32_t index)
{
	vcmd_space_mask_v2 space{};

	space.mask = mask;
	space.index = index;
	call(VCMD_set_space, xid, &space, sizeof(space));
}

void Client::enter_space(xid_t xid, std::uint64_t mask, std::uint32_t index)
{
	vcmd_space_mask_v2 space{};

	space.mask = mask;
	space.index = index;
	call(VCMD_enter_space, xid, &space, sizeof(space));
}

std::uint64_t Client::get_space_default()
{
	return fetch<vcmd_space_mask_v1>(VCMD_get_space_default, 0).mask;
}

std::uint64_t Client::get_space_mask()
{
	return fetch<vcmd_space_mask_v1>(VCMD_get_space_mask, 0).mask;
}

namespace {

// "add_dlimit(42, PATH)"; a path with a NUL byte is refused.
std::string dlimit_call(std::uint32_t cmd, std::uint32_t tag, std::string_view path)
{
	if (path.find('\0') != std::string_view::npos)
		throw std::invalid_argument(command_name(cmd) + ": path contains a NUL byte");
	return fmt::format("{}({}, {})", command_name(cmd), tag, path);
}

} // namespace

template <class T>
T Client::dlimit(std::uint32_t cmd, std::uint32_t tag, std::string_view path, T data)
{
	std::string what = dlimit_call(cmd, tag, path);
	std::string name(path);

	data.name = reinterpret_cast<std::uintptr_t>(name.c_str());
	call(cmd, tag, &data, sizeof(data), what);
	data.name = 0;
	return data;
}

void Client::add_dlimit(std::uint32_t tag, std::string_view path)
{
	dlimit(VCMD_add_dlimit, tag, path, vcmd_ctx_dlimit_base_v0{});
}

void Client::rem_dlimit(std::uint32_t tag, std::string_view path)
{
	dlimit(VCMD_rem_dlimit, tag, path, vcmd_ctx_dlimit_base_v0{});
}

void Client::set_dlimit(std::uint32_t tag, std::string_view path, const vcmd_ctx_dlimit_v0 &limit)
{
	dlimit(VCMD_set_dlimit, tag, path, limit);
}

vcmd_ctx_dlimit_v0 Client::get_dlimit(std::uint32_t tag, std::string_view path)
{
	return dlimit(VCMD_get_dlimit, tag, path, vcmd_ctx_dlimit_v0{});
}

vcmd_ctx_rlimit_v0 Client::get_rlimit(xid_t xid, std::uint32_t resource)
{
	vcmd_ctx_rlimit_v0 data{};

	data.id = resource;
	call(VCMD_get_rlimit, xid, &data, sizeof(data));
	return data;
}

void Client::set_rlimit(xid_t xid, std::uint32_t resource, std::uint64_t minimum,
			std::uint64_t soft, std::uint64_t hard)
{
	vcmd_ctx_rlimit_v0 data{};

	data.id = resource;
	data.minimum = minimum;
	data.softlimit = soft;
	data.maximum = hard;
	call(VCMD_set_rlimit, xid, &data, sizeof(data));
}

vcmd_ctx_rlimit_mask_v0 Client::get_rlimit_mask()
{
	return fetch<vcmd_ctx_rlimit_mask_v0>(VCMD_get_rlimit_mask, 0);
}

vcmd_rlimit_stat_v0 Client::rlimit_stat(xid_t xid, std::uint32_t resource)
{
	vcmd_rlimit_stat_v0 data{};

	data.id = resource;
	call(VCMD_rlimit_stat, xid, &data, sizeof(data));
	return data;
}

void Client::reset_hits(xid_t xid)
{
	call(VCMD_reset_hits, xid);
}

void Client::reset_minmax(xid_t xid)
{
	call(VCMD_reset_minmax, xid);
}

void Client::set_sched(xid_t xid, const vcmd_sched_v5 &sched)
{
	vcmd_sched_v5 data = sched;

	call(VCMD_set_sched, xid, &data, sizeof(data));
}

vcmd_sched_v5 Client::get_sched(xid_t xid)
{
	return fetch<vcmd_sched_v5>(VCMD_get_sched, xid);
}

vcmd_sched_info Client::sched_info(xid_t xid)
{
	return fetch<vcmd_sched_info>(VCMD_sched_info, xid);
}

vcmd_virt_stat_v0 Client::virt_stat(xid_t xid)
{
	return fetch<vcmd_virt_stat_v0>(VCMD_virt_stat, xid);
}

vcmd_nx_info_v0 Client::nx_info(nid_t nid)
{
	return fetch<vcmd_nx_info_v0>(VCMD_nx_info, nid);
}

nid_t Client::net_create(nid_t nid, std::optional<std::uint64_t> flags)
{
	return create<vcmd_net_create>(VCMD_net_create, nid, flags);
}

void Client::net_migrate(nid_t nid)
{
	call(VCMD_net_migrate, nid);
}

vcmd_net_flags_v0 Client::get_nflags(nid_t nid)
{
	return fetch<vcmd_net_flags_v0>(VCMD_get_nflags, nid);
}

void Client::set_nflags(nid_t nid, std::uint64_t flagword, std::uint64_t mask)
{
	send_masked<vcmd_net_flags_v0>(VCMD_set_nflags, nid, flagword, mask);
}

vcmd_net_caps_v0 Client::get_ncaps(nid_t nid)
{
	return fetch<vcmd_net_caps_v0>(VCMD_get_ncaps, nid);
}

void Client::set_ncaps(nid_t nid, std::uint64_t value, std::uint64_t mask)
{
	send_masked<vcmd_net_caps_v0>(VCMD_set_ncaps, nid, value, mask);
}

std::string context_name(Client &client, xid_t xid)
{
	if (xid < VX_MIN_S_CONTEXT)
		return {};
	try {
		return client.get_vhi_name(xid, VHIN_CONTEXT);
	} catch (const std::system_error &e) {
		if (e.code() != std::errc::no_such_process)
			throw;
	}
	return {};
}

bool context_exists(const std::system_error &e)
{
	return e.code() == std::errc::file_exists ||
	       e.code() == std::errc::device_or_resource_busy;
}

} // namespace vserver
