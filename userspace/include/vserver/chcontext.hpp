// What chcontext does before it execs the command.
#pragma once

#include <vserver/client.hpp>
#include <vserver/spaces.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace vserver {

struct ContextEntry {
	xid_t xid;
	bool created;	// false: the context existed and we migrated into it
};

// Put the caller into a context.  With an xid: create it, or migrate into it
// if it already exists (EEXIST, or EBUSY while it is still being set up).
// Without: create a dynamic context.  Errors propagate as std::system_error.
ContextEntry enter_context(Client &client, std::optional<xid_t> xid);

// The same, with the context's namespaces (what chcontext does): a new
// context gets new UTS and IPC namespaces; joining one enters those of a
// task already in it (found in @proc); then @names are set.  A new context
// is created with VXF_INIT_SET | @flags when @flags is not 0.
//
// @own_proc is for a caller that is pid 1 of a new PID namespace (fakeinit):
// it also gets a mount namespace of its own, unshared with the others
// before it enters the context (the host may always change namespaces; a
// context only while in setup or as its unshare mask allows, and a context
// being joined may be past its setup), with / and all below it made slaves
// so that nothing mounted there reaches the host.  Once in the context, and
// done looking up tasks in @proc, it mounts a proc of its PID namespace on
// @proc: there /proc/1 is the caller and only the namespace's tasks show.
ContextEntry enter_context(Client &client, Namespaces &ns,
			   std::optional<xid_t> xid, const UtsNames &names = {},
			   const std::filesystem::path &proc = "/proc",
			   std::uint64_t flags = 0, bool own_proc = false);

// The end of setting up a context chcontext created: shrink its bounding
// set (@bcaps: capabilities to clear; 0 keeps them all), then clear
// VXF_STATE_SETUP, after which it may change nothing of itself and its
// tasks may create or join no namespace (util-vserver's
// "vcontext --endsetup").  The bounding set goes first: ending the setup
// needs CAP_SYS_ADMIN, which a context in setup keeps for that.
void end_setup(Client &client, xid_t xid, std::uint64_t drop_bcaps);

// "New security context is N\n", as util-vserver prints it.
std::string new_context_message(xid_t xid);

} // namespace vserver
