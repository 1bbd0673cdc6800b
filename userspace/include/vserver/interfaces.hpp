// A guest's network interfaces as util-vserver configures them: the
// directory <cfgdir>/interfaces/ (/etc/vservers/NAME/interfaces).
//
//   interfaces/dev, prefix, mask, bcast, scope   defaults for every interface
//   interfaces/lback                             the network context's loopback address
//   interfaces/<n>/ip                            the address (required)
//   interfaces/<n>/dev                           the host device (required unless nodev)
//   interfaces/<n>/prefix or mask                its prefix length or IPv4 netmask
//   interfaces/<n>/bcast, scope                  its broadcast address, its scope
//   interfaces/<n>/name                          its label: dev:name (IPv4)
//   interfaces/<n>/nodev                         only the network context's, on no device
//   interfaces/<n>/down                          don't bring the device up
//   interfaces/<n>/disabled                      not there at all
//
// A value is the first line of its file, blanks around it dropped; nodev,
// down and disabled count by being there.
#pragma once

#include <vserver/naddr.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vserver {

// One interface, interfaces/<id>/, as read_interfaces() checked it.
struct Interface {
	std::string id;				// the directory's name, e.g. "0"
	IpAddress ip;
	unsigned prefix = 0;			// 1..32 or 1..128; no prefix or mask: 32, 128
	bool nodev = false;			// nothing below applies then
	std::string dev;			// the host device
	std::optional<IpAddress> broadcast;	// IPv4 only: given, or ip | ~mask up to /30
	std::string label;			// "dev:name", or empty
	std::optional<std::uint8_t> scope;	// RT_SCOPE_*, when given
	bool up = true;				// bring dev up (no 'down' file)

	bool operator==(const Interface &) const = default;
};

struct InterfacesConfig {
	std::filesystem::path dir;		// <cfgdir>/interfaces
	std::vector<Interface> interfaces;	// not disabled, by id (byte order)
	std::vector<std::string> disabled;	// the ids with a 'disabled' file
	std::optional<IpAddress> bcast;		// interfaces/bcast: the network context's
	std::optional<IpAddress> lback;		// interfaces/lback
};

// Read and check <cfgdir>/interfaces, all of it, before anything is done
// with it.  No interfaces directory: no interfaces.  Entries whose names
// start with '.' and files other than the defaults are passed over.  For
// each interface not disabled, the files of its directory, else (dev,
// prefix/mask, bcast, scope) those of interfaces/: its own prefix or mask
// wins over the defaults' (then prefix over mask).  The broadcast address
// of an IPv4 address is its bcast file's (or the default one), else, as
// util-vserver's 'broadcast +', the address with all host bits set, for
// prefixes up to /30; IPv6 addresses have none.
//
// Throws std::invalid_argument naming the file and what is wrong with it,
// e.g. "/etc/vservers/web/interfaces/0/prefix: 33 is not a prefix length
// for an IPv4 address (1..32)", "/etc/vservers/web/interfaces/1/ip:
// missing (every interface needs an address)"; also for an address given
// to two interfaces, more than NX_MAX_ADDRS of a family, and util-vserver's
// files for what is not done here (vlandev, indirect, tun, tap, peer, gw).
InterfacesConfig read_interfaces(const std::filesystem::path &cfgdir);

// What the network context gets, for chbind (ChbindRequest::addresses):
// the address of each interface, nodev ones included, in order, then the
// broadcast (interfaces/bcast) and loopback (interfaces/lback) addresses
// when given.
std::vector<NetAddress> network_addresses(const InterfacesConfig &config);

// An address on a host device: "10.0.0.5/24", "2001:db8::5/64".
std::string address_text(const IpAddress &ip, unsigned prefix);

// The name of a scope: "global", "site", "link", "host", "nowhere", or
// its number.
std::string scope_name(std::uint8_t scope);

// What 'vserver-netif NAME show' prints: one line per interface, then the
// disabled ones and the network context's addresses:
//   0: 10.0.0.5/24 dev eth0 broadcast 10.0.0.255 label eth0:web
//   1: 2001:db8::5/64 dev eth0 down
//   2: 10.0.0.9/32 nodev
//   disabled: 3
//   network context: 10.0.0.5/24 2001:db8::5/64 10.0.0.9 broadcast 10.0.0.255
std::string show_interfaces(const InterfacesConfig &config);

} // namespace vserver
