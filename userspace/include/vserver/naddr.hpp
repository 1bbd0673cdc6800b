// Addresses of network contexts: what naddress and chbind take on the
// command line, as the kernel's net_add/net_rem structs.
#pragma once

#include <linux/vserver.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

namespace vserver {

using nid_t = std::uint32_t;

// An IPv4 or IPv6 address as inet_pton reads it.
struct IpAddress {
	bool v6 = false;
	std::array<std::uint8_t, 16> bytes{};	// network order; IPv4: the first 4

	unsigned bits() const { return v6 ? 128 : 32; }
	std::string_view family() const { return v6 ? "IPv6" : "IPv4"; }
	bool operator==(const IpAddress &) const = default;
};

// "10.0.0.1", "2001:db8::1" (inet_pton's forms, nothing else: no
// prefix, no blanks); nullopt for anything else.
std::optional<IpAddress> parse_ip(std::string_view text);

// inet_ntop's text: "10.0.0.1", "2001:db8::1".
std::string to_string(const IpAddress &ip);

// A mask as given: a prefix length, or a dotted IPv4 netmask.
struct NetMask {
	unsigned prefix;
	bool dotted;
};

// "24" (1..max), or "255.255.255.0" (contiguous ones, not all zero).
// Throws std::invalid_argument saying why not, e.g. "prefix length 33 is
// out of range 1..32", "netmask 255.0.255.0 is not contiguous".
NetMask parse_mask(std::string_view text, unsigned max);

// One entry of a network context's address list: an IPv4 one for
// net_add_ipv4/net_rem_ipv4 or an IPv6 one for net_add_ipv6/
// net_remove_ipv6.  Addresses in network byte order, flags 0.
struct NetAddress {
	std::variant<vcmd_net_addr_ipv4_v2, vcmd_net_addr_ipv6_v1> data;

	bool ipv6() const { return data.index() == 1; }
	const vcmd_net_addr_ipv4_v2 &v4() const { return std::get<0>(data); }
	const vcmd_net_addr_ipv6_v1 &v6() const { return std::get<1>(data); }
	std::uint16_t type() const;
};

// How messages name an entry: "10.0.0.1" (/32 and /128 are not shown),
// "10.0.0.1/24", "2001:db8::1/64", "10.0.0.0/8" (a network),
// "10.0.0.1-10.0.0.9" (a range, both ends in it), "broadcast 10.0.0.255",
// "loopback 127.0.0.2".
std::string to_string(const NetAddress &addr);

// One address option of naddress or chbind, in command-line order.
struct AddressOption {
	enum Kind { ip, mask, range, bcast, lback };

	Kind kind;
	std::string text;	// the option's argument
};

// "--ip" for AddressOption::ip, ...
std::string_view option_name(AddressOption::Kind kind);

// The kernel's entries for the options, in their order, everything checked
// before anything is returned:
//   --ip IP[/M]   IPv4 or IPv6 address (NXA_TYPE_ADDR).  M is a prefix
//                 length (1..32, 1..128) or, for IPv4, a dotted netmask
//                 (contiguous); without /M the last --mask before it
//                 applies, else /32 or /128.
//   --mask M      that default for the --ip options after it; sends
//                 nothing.
//   --mask NET/M  the network NET/M (NXA_TYPE_MASK); NET has no host bits.
//   --range A-B   the IPv4 addresses A to B, both included (A <= B); the
//                 kernel's range excludes its end, so ip2 is B + 1 (B
//                 255.255.255.255 cannot be given).
//   --bcast B, --lback L   the IPv4 broadcast and loopback addresses
//                 (NXA_TYPE_ADDR | NXA_MOD_BCAST, | NXA_MOD_LBACK).
// Also refused: an entry given twice (the same address with two masks
// too), a second broadcast or loopback address, more than NX_MAX_ADDRS
// entries of a family.  Throws std::invalid_argument naming the option
// and its argument, e.g. "--ip '10.0.0.1/33': prefix length 33 is out of
// range 1..32".
std::vector<NetAddress> parse_addresses(std::span<const AddressOption> options);

// The entry of one address, ip/prefix (NXA_TYPE_ADDR), as --ip IP/PREFIX
// gives it; and of the IPv4 broadcast or loopback address ip (modifier
// NXA_MOD_BCAST, NXA_MOD_LBACK), as --bcast and --lback.
NetAddress address_entry(const IpAddress &ip, unsigned prefix);
NetAddress special_entry(const IpAddress &ip, std::uint16_t modifier);

// The entry that removes every address of a family (NXA_TYPE_ANY).
NetAddress all_addresses(bool ipv6);

// A refused net_add/net_rem command.  code() is the kernel's errno; what()
// is a sentence, e.g. "net_add_ipv4(42): network context 42 already has
// address 10.0.0.1" (EEXIST), "net_rem_ipv4(42): network context 42 has no
// address 10.0.0.1" (ESRCH), "net_add_ipv4(42): there is no network
// context 42" (ESRCH from the add, or from the remove when the context is
// gone), or "<call>(<nid>): <address>: <strerror> (<hint>)" for ENOSPC,
// EPERM, EACCES and EINVAL.
class AddressError : public std::system_error {
public:
	AddressError(int err, std::string message)
		: std::system_error(err, std::generic_category()), message_(std::move(message))
	{
	}
	const char *what() const noexcept override { return message_.c_str(); }

private:
	std::string message_;
};

// The message of AddressError: call "net_add_ipv4", exists whether
// network context nid exists (only asked for ESRCH).
std::string address_error_message(std::string_view call, nid_t nid, const NetAddress &addr,
				  int err, bool exists);

// What naddress prints for a change: "network context 42: added
// 10.0.0.1/24", "... removed 10.0.0.1", "... broadcast is now 10.0.0.255",
// "... loopback is now 127.0.0.2", "... removed every IPv4 address" (for
// all_addresses).
std::string change_message(nid_t nid, const NetAddress &addr, bool added);

} // namespace vserver
