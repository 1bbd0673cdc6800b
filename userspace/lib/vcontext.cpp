#include <vserver/vcontext.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace vserver {

xid_t run_vcontext(Client &client, const VcontextRequest &request)
{
	xid_t xid = 0;
	std::uint64_t clear = 0;

	switch (request.mode) {
	case VcontextRequest::create:
		try {
			xid = client.ctx_create(request.xid.value_or(VC_DYNAMIC_XID));
		} catch (const std::system_error &e) {
			if (context_exists(e))
				throw ContextExists(e);
			throw;
		}
		if (request.initpid)
			clear |= VXF_STATE_INIT;
		break;
	case VcontextRequest::migrate:
		if (!request.xid)
			throw std::invalid_argument("--migrate needs --xid");
		xid = *request.xid;
		client.ctx_migrate(xid, request.initpid ? VXM_SET_INIT : 0);
		break;
	case VcontextRequest::migrate_self:
		xid = client.task_xid(0);
		if (xid < VX_MIN_S_CONTEXT)
			throw std::invalid_argument(fmt::format(
				"--migrate-self: not in a context (xid {})", xid));
		if (request.initpid)
			clear |= VXF_STATE_INIT;
		break;
	}

	if (!clear && !request.endsetup)
		return xid;

	std::uint64_t flags = client.get_cflags(xid).flagword;
	if ((clear & VXF_STATE_INIT) && !(flags & VXF_STATE_INIT))
		throw std::system_error(EBUSY, std::generic_category(),
					fmt::format("initpid({}): the context has its init already", xid));
	if (request.endsetup && (flags & VXF_STATE_SETUP))
		clear |= VXF_STATE_SETUP;
	if (clear)
		client.set_cflags(xid, 0, clear);
	return xid;
}

} // namespace vserver
