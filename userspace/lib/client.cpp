#include <vserver/client.hpp>

#include <fmt/format.h>

#include <array>
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
};

} // namespace

std::string command_name(std::uint32_t cmd)
{
	for (const auto &c : commands)
		if (c.cmd == cmd)
			return std::string(c.name);
	return fmt::format("vcmd {:#010x}", cmd);
}

long Client::call(std::uint32_t cmd, std::uint32_t id, void *data,
		  std::uint32_t size)
{
	vserver_call vc{};

	vc.cmd = cmd;
	vc.id = id;
	vc.data = reinterpret_cast<std::uintptr_t>(data);
	vc.size = size;
	vc.flags = 0;

	long ret = transport_.call(vc);
	if (ret < 0) {
		std::string what = command_name(cmd) + "(";
		what += (cmd == VCMD_ctx_create && id == VC_DYNAMIC_XID) ?
			"dynamic" : std::to_string(id);
		what += ")";
		throw std::system_error(static_cast<int>(-ret),
					std::generic_category(), what);
	}
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

nid_t Client::task_nid(pid_t pid)
{
	return static_cast<nid_t>(call(VCMD_task_nid, static_cast<std::uint32_t>(pid)));
}

vcmd_vx_info_v0 Client::vx_info(xid_t xid)
{
	vcmd_vx_info_v0 info{};

	call(VCMD_vx_info, xid, &info, sizeof(info));
	return info;
}

xid_t Client::ctx_create(xid_t xid, std::optional<std::uint64_t> flags)
{
	if (!flags)
		return static_cast<xid_t>(call(VCMD_ctx_create, xid));

	vcmd_ctx_create data{};
	data.flagword = *flags;
	return static_cast<xid_t>(call(VCMD_ctx_create, xid, &data, sizeof(data)));
}

void Client::ctx_migrate(xid_t xid, std::uint64_t flags)
{
	vcmd_ctx_migrate data{};

	data.flagword = flags;
	call(VCMD_ctx_migrate, xid, &data, sizeof(data));
}

} // namespace vserver
