// What vcontext does before it execs the command.
#pragma once

#include <vserver/client.hpp>

#include <optional>
#include <system_error>

namespace vserver {

struct VcontextRequest {
	enum Mode { create, migrate, migrate_self };

	Mode mode = create;
	std::optional<xid_t> xid;	// create: static xid (else dynamic); migrate: required
	bool initpid = false;		// the caller becomes the context's init
	bool endsetup = false;		// clear VXF_STATE_SETUP once inside
};

// Enter the context and return its xid:
//   create        ctx_create(xid, or VC_DYNAMIC_XID); EEXIST/EBUSY throw
//                 ContextExists
//   migrate       ctx_migrate(xid, VXM_SET_INIT if initpid)
//   migrate_self  no migration: the caller's context (task_xid(0)), which
//                 must not be the host or the spectator
// then, from inside, when there is a state bit to clear: get_cflags and
// one set_cflags(xid, 0, mask) clearing VXF_STATE_INIT for initpid (create,
// migrate_self: the kernel makes the caller the init; EBUSY if the context
// has an init already) and VXF_STATE_SETUP for endsetup - the latter only
// while it is set, since a context out of setup may not change itself.
// Errors propagate as std::system_error; a missing xid for migrate, or
// migrate_self on the host, is std::invalid_argument.
xid_t run_vcontext(Client &client, const VcontextRequest &request);

// ctx_create (or net_create) said the context exists (EEXIST, or EBUSY
// while in setup).
class ContextExists : public std::system_error {
public:
	explicit ContextExists(const std::system_error &e) : std::system_error(e) {}
};

} // namespace vserver
