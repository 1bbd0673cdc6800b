#include <vserver/nid.hpp>

#include <vserver/vcontext.hpp>

#include <linux/vserver.h>

#include <fmt/format.h>

#include <array>
#include <stdexcept>
#include <system_error>

namespace vserver {

namespace {

// util-vserver's names (lib/nflags-net.c), in bit order; "lock" first: it
// has no bit here.
constexpr std::array nflags{
	FlagName{"lock", 0},
	FlagName{"private", NXF_INFO_PRIVATE},
	FlagName{"single_ip", NXF_SINGLE_IP},
	FlagName{"lback_remap", NXF_LBACK_REMAP},
	FlagName{"lback_allow", NXF_LBACK_ALLOW},
	FlagName{"hide_netif", NXF_HIDE_NETIF},
	FlagName{"hide_lback", NXF_HIDE_LBACK},
	FlagName{"state_setup", NXF_STATE_SETUP},
	FlagName{"state_admin", NXF_STATE_ADMIN},
	FlagName{"sc_helper", NXF_SC_HELPER},
	FlagName{"persistent", NXF_PERSISTENT},
};

// util-vserver's names (lib/ncaps-net.c)
constexpr std::array ncaps{
	FlagName{"tun_create", NXC_TUN_CREATE},
	FlagName{"raw_icmp", NXC_RAW_ICMP},
	FlagName{"multicast", NXC_MULTICAST},
};

const NameTable nflag_table{nflags, "nxf_", "network flag"};
const NameTable ncap_table{ncaps, "nxc_", "network capability"};

} // namespace

const NameTable &nflag_names()
{
	return nflag_table;
}

const NameTable &ncap_names()
{
	return ncap_table;
}

std::uint64_t secure_nflags()
{
	return NXF_HIDE_NETIF;
}

std::string nflags_line(std::uint64_t flags)
{
	return bits_line("flags", flags, nflag_table);
}

std::string ncaps_line(std::uint64_t value)
{
	return bits_line("ncaps", value, ncap_table);
}

nid_t run_ncontext(Client &client, const NcontextRequest &request)
{
	switch (request.mode) {
	case NcontextRequest::create:
		try {
			return client.net_create(request.nid.value_or(VC_DYNAMIC_XID));
		} catch (const std::system_error &e) {
			if (context_exists(e))
				throw ContextExists(e);
			throw;
		}
	case NcontextRequest::migrate:
		if (!request.nid)
			throw std::invalid_argument("--migrate needs --nid");
		client.net_migrate(*request.nid);
		return *request.nid;
	case NcontextRequest::migrate_self:
		break;
	}
	nid_t nid = client.task_nid(0);
	if (nid < VX_MIN_S_CONTEXT)
		throw std::invalid_argument(fmt::format(
			"--migrate-self: not in a network context (nid {})", nid));
	return nid;
}

NetworkEntry run_chbind(Client &client, const ChbindRequest &request)
{
	NetworkEntry entry{};

	if ((request.nflags.mask() & NXF_STATE_SETUP))
		throw std::invalid_argument("chbind ends the setup itself: no state_setup in --flag");
	if (!request.nid) {
		entry = {client.net_create(VC_DYNAMIC_XID), true};
	} else {
		try {
			entry = {client.net_create(*request.nid), true};
		} catch (const std::system_error &e) {
			if (!context_exists(e))
				throw;
			client.net_migrate(*request.nid);
			return {*request.nid, false};
		}
	}

	if (request.ncaps.mask())
		client.set_ncaps(entry.nid, request.ncaps.set, request.ncaps.mask());
	if (request.nflags.mask())
		client.set_nflags(entry.nid, request.nflags.set, request.nflags.mask());
	for (const auto &addr : request.addresses)
		client.net_add(entry.nid, addr);
	end_network_setup(client, entry.nid);
	return entry;
}

void end_network_setup(Client &client, nid_t nid)
{
	client.set_nflags(nid, 0, NXF_STATE_SETUP);
}

std::string new_network_message(nid_t nid)
{
	return fmt::format("New network context is {}\n", nid);
}

} // namespace vserver
