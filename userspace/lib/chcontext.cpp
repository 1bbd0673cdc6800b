#include <vserver/chcontext.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <system_error>

namespace vserver {

ContextEntry enter_context(Client &client, std::optional<xid_t> xid)
{
	if (!xid)
		return {client.ctx_create(VC_DYNAMIC_XID), true};

	try {
		return {client.ctx_create(*xid), true};
	} catch (const std::system_error &e) {
		// EBUSY: exists but still in setup; we may still join it.
		if (e.code() != std::errc::file_exists &&
		    e.code() != std::errc::device_or_resource_busy)
			throw;
	}
	client.ctx_migrate(*xid);
	return {*xid, false};
}

std::string new_context_message(xid_t xid)
{
	return fmt::format("New security context is {}\n", xid);
}

} // namespace vserver
