// Typed vserver commands over a Transport.
#pragma once

#include <vserver/transport.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>

namespace vserver {

using xid_t = std::uint32_t;
using nid_t = std::uint32_t;

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
	nid_t task_nid(pid_t pid = 0);
	vcmd_vx_info_v0 vx_info(xid_t xid);
	// Create context xid (VC_DYNAMIC_XID: the kernel picks one) and move the
	// caller into it.  Without flags the kernel uses VXF_INIT_SET.
	// Returns the xid of the new context.
	xid_t ctx_create(xid_t xid, std::optional<std::uint64_t> flags = std::nullopt);
	// Move the caller into the existing context xid (flags: VXM_*).
	void ctx_migrate(xid_t xid, std::uint64_t flags = 0);

private:
	long call(std::uint32_t cmd, std::uint32_t id, void *data = nullptr,
		  std::uint32_t size = 0);

	Transport &transport_;
};

} // namespace vserver
