#include <vserver/chcontext.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <system_error>

namespace vserver {

namespace {

// Create the context; nullopt if xid names one that exists already.
std::optional<ContextEntry> try_create(Client &client, std::optional<xid_t> xid,
				       std::uint64_t flags = 0)
{
	std::optional<std::uint64_t> flagword;

	if (flags)
		flagword = VXF_INIT_SET | flags;
	if (!xid)
		return ContextEntry{client.ctx_create(VC_DYNAMIC_XID, flagword), true};
	try {
		return ContextEntry{client.ctx_create(*xid, flagword), true};
	} catch (const std::system_error &e) {
		if (!context_exists(e))
			throw;
	}
	return std::nullopt;
}

} // namespace

ContextEntry enter_context(Client &client, std::optional<xid_t> xid)
{
	if (auto created = try_create(client, xid))
		return *created;
	client.ctx_migrate(*xid);
	return {*xid, false};
}

ContextEntry enter_context(Client &client, Namespaces &ns,
			   std::optional<xid_t> xid, const UtsNames &names,
			   const std::filesystem::path &proc, std::uint64_t flags,
			   bool own_proc)
{
	ns.unshare(context_spaces | (own_proc ? mount_space : 0));
	if (own_proc)
		ns.make_slave("/");
	auto entry = try_create(client, xid, flags);
	if (!entry) {
		// Share the namespaces of a task of the context.  A persistent
		// context may have none; then ours (fresh) become its.
		if (auto pid = find_context_task(*xid, proc))
			ns.enter(*pid, context_spaces);
		client.ctx_migrate(*xid);
		entry = ContextEntry{*xid, false};
	}
	if (names.hostname)
		ns.set_hostname(*names.hostname);
	if (names.domainname)
		ns.set_domainname(*names.domainname);
	if (own_proc)
		ns.mount_proc(proc);
	return *entry;
}

void end_setup(Client &client, xid_t xid, std::uint64_t drop_bcaps)
{
	if (drop_bcaps)
		client.set_bcaps(xid, 0, drop_bcaps);
	client.set_cflags(xid, 0, VXF_STATE_SETUP);
}

std::string new_context_message(xid_t xid)
{
	return fmt::format("New security context is {}\n", xid);
}

} // namespace vserver
