// Network contexts: their flags and capabilities by util-vserver's names,
// and what ncontext and chbind do before they exec the command.
#pragma once

#include <vserver/cflags.hpp>
#include <vserver/client.hpp>
#include <vserver/naddr.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vserver {

// Network flags (NXF_*): "hide_netif" or "NXF_HIDE_NETIF".  util-vserver's
// "lock" has no bit in our kernel and is refused as such.
const NameTable &nflag_names();
// Network capabilities (NXC_*): "raw_icmp" or "NXC_RAW_ICMP".
const NameTable &ncap_names();

// What util-vserver's nattribute --secure sets: NXF_HIDE_NETIF.
std::uint64_t secure_nflags();

// "flags: 0x0000000506000200 (lback_remap,hide_netif,...)\n"
std::string nflags_line(std::uint64_t flags);
// "ncaps: 0x0000000000000100 (raw_icmp)\n"
std::string ncaps_line(std::uint64_t ncaps);

struct NcontextRequest {
	enum Mode { create, migrate, migrate_self };

	Mode mode = create;
	std::optional<nid_t> nid;	// create: static nid (else dynamic); migrate: required
};

// Enter the network context and return its nid:
//   create        net_create(nid, or VC_DYNAMIC_XID); EEXIST/EBUSY throw
//                 ContextExists (vcontext.hpp)
//   migrate       net_migrate(nid)
//   migrate_self  no migration: the caller's network context (task_nid(0)),
//                 which must not be the host (0) or the spectator (1)
// Kernel errors propagate as std::system_error; a missing nid for
// migrate, or migrate_self on the host, is std::invalid_argument.
nid_t run_ncontext(Client &client, const NcontextRequest &request);

// What chbind does.
struct ChbindRequest {
	std::optional<nid_t> nid;		// else a dynamic one
	FlagChange nflags;			// not NXF_STATE_SETUP: chbind clears it
	FlagChange ncaps;
	std::vector<NetAddress> addresses;	// parse_addresses()
};

struct NetworkEntry {
	nid_t nid;
	bool created;	// false: it existed and we migrated into it
};

// Create the network context (with the request's nid, or a dynamic one)
// and, from inside, while it is in setup: set_ncaps, set_nflags (each only
// when there is something to change), add every address, in order, then
// end its setup.  If the nid exists (EEXIST, EBUSY), migrate into it
// instead and change nothing: a context that is joined keeps its flags,
// capabilities and addresses (util-vserver's chbind).  Errors propagate
// (std::system_error, AddressError); nflags with NXF_STATE_SETUP in its mask
// is std::invalid_argument, before any call.
NetworkEntry run_chbind(Client &client, const ChbindRequest &request);

// Clear NXF_STATE_SETUP: from then on the network context changes nothing
// of itself (its flags, capabilities, addresses).
void end_network_setup(Client &client, nid_t nid);

// "New network context is N\n", as "New security context is N".
std::string new_network_message(nid_t nid);

} // namespace vserver
