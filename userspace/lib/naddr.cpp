#include <vserver/naddr.hpp>

#include <vserver/client.hpp>

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <utility>

namespace vserver {

namespace {

using Bytes = std::array<std::uint8_t, 16>;	// an address or mask; IPv4: the first 4

using Ip = IpAddress;
using Mask = NetMask;

// The option being read, for messages: "--ip '10.0.0.1/33': <why>".
struct Argument {
	std::string_view option;
	std::string_view text;

	std::invalid_argument bad(std::string_view why) const
	{
		return std::invalid_argument(fmt::format("{} '{}': {}", option, text, why));
	}
};

std::string ip_text(const void *bytes, bool v6)
{
	char buf[INET6_ADDRSTRLEN] = "";

	inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, buf, sizeof(buf));
	return buf;
}

std::uint32_t host_order(const Bytes &b)
{
	return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
}

Bytes net_order(std::uint32_t v)
{
	return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
		static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

Bytes mask_of(unsigned prefix)
{
	Bytes mask{};

	for (unsigned i = 0; i < mask.size() && prefix > 8 * i; i++) {
		unsigned bits = std::min(8u, prefix - 8 * i);
		mask[i] = static_cast<std::uint8_t>(0xff << (8 - bits));
	}
	return mask;
}

// parse_mask, its message after the argument's.
Mask read_mask(std::string_view text, const Argument &arg, unsigned max)
{
	try {
		return parse_mask(text, max);
	} catch (const std::invalid_argument &e) {
		throw arg.bad(e.what());
	}
}

// The prefix length mask gives ip; from says where the mask came from when
// it is not in the argument itself ("--mask '64'").
unsigned prefix_for(const Ip &ip, const Mask &mask, const Argument &arg, std::string_view from)
{
	std::string source = from.empty() ? "" : fmt::format(" (from {})", from);

	if (mask.dotted && ip.v6)
		throw arg.bad(fmt::format("an IPv4 netmask{} does not fit an IPv6 address; "
					  "give a prefix length", source));
	if (mask.prefix > ip.bits())
		throw arg.bad(fmt::format("prefix length {}{} is out of range 1..{}", mask.prefix,
					  source, ip.bits()));
	return mask.prefix;
}

// IP[/M]: the address and its prefix length (default: none).
std::pair<Ip, std::optional<unsigned>> read_ip_and_mask(const Argument &arg, std::string_view kind)
{
	auto slash = arg.text.find('/');
	std::string_view addr = arg.text.substr(0, slash);
	auto ip = parse_ip(addr);

	if (!ip)
		throw arg.bad(fmt::format("'{}' is not an IPv4 or IPv6 {}", addr, kind));
	if (slash == arg.text.npos)
		return {*ip, std::nullopt};
	Mask mask = read_mask(arg.text.substr(slash + 1), arg, ip->bits());
	return {*ip, prefix_for(*ip, mask, arg, {})};
}

NetAddress v4_entry(std::uint16_t type, const Bytes &ip, const Bytes &ip2, const Bytes &mask)
{
	vcmd_net_addr_ipv4_v2 e{};

	e.type = type;
	std::memcpy(&e.ip, ip.data(), sizeof(e.ip));
	std::memcpy(&e.ip2, ip2.data(), sizeof(e.ip2));
	std::memcpy(&e.mask, mask.data(), sizeof(e.mask));
	return {e};
}

NetAddress entry(std::uint16_t type, const Ip &ip, unsigned prefix)
{
	if (!ip.v6)
		return v4_entry(type, ip.bytes, {}, mask_of(prefix));

	vcmd_net_addr_ipv6_v1 e{};
	Bytes mask = mask_of(prefix);

	e.type = type;
	e.prefix = prefix;
	std::memcpy(e.ip, ip.bytes.data(), sizeof(e.ip));
	std::memcpy(e.mask, mask.data(), sizeof(e.mask));
	return {e};
}

// --ip IP[/M], with the mask of the last --mask (if any).
NetAddress read_address(const Argument &arg, const std::optional<Mask> &default_mask,
			std::string_view mask_option)
{
	auto [ip, prefix] = read_ip_and_mask(arg, "address");

	if (!prefix && default_mask)
		prefix = prefix_for(ip, *default_mask, arg, mask_option);
	return address_entry(ip, prefix.value_or(ip.bits()));
}

// --mask NET/M: a network, no host bits.
NetAddress read_network(const Argument &arg)
{
	auto [ip, prefix] = read_ip_and_mask(arg, "network");
	Bytes mask = mask_of(*prefix);
	Bytes base = ip.bytes;

	for (std::size_t i = 0; i < base.size(); i++)
		base[i] &= mask[i];
	if (base != ip.bytes)
		throw arg.bad(fmt::format("{} has host bits set; the network is {}/{}",
					  ip_text(ip.bytes.data(), ip.v6),
					  ip_text(base.data(), ip.v6), *prefix));
	return entry(NXA_TYPE_MASK, ip, *prefix);
}

// --range A-B, IPv4, both ends included.
NetAddress read_range(const Argument &arg)
{
	auto dash = arg.text.find('-');
	if (dash == arg.text.npos)
		throw arg.bad("not a range FIRST-LAST");
	std::string_view first_text = arg.text.substr(0, dash), last_text = arg.text.substr(dash + 1);
	auto first = parse_ip(first_text), last = parse_ip(last_text);

	if (!first)
		throw arg.bad(fmt::format("'{}' is not an IPv4 address", first_text));
	if (!last)
		throw arg.bad(fmt::format("'{}' is not an IPv4 address", last_text));
	if (first->v6 != last->v6)
		throw arg.bad("mixes IPv4 and IPv6");
	if (first->v6)
		throw arg.bad("ranges are IPv4 only (the kernel has no IPv6 ranges)");
	std::uint32_t a = host_order(first->bytes), b = host_order(last->bytes);
	if (a > b)
		throw arg.bad(fmt::format("{} comes after {}", first_text, last_text));
	if (b == 0xffffffff)
		throw arg.bad("a range cannot end at 255.255.255.255 (the kernel's range "
			      "excludes its end, which would be one past it)");
	return v4_entry(NXA_TYPE_RANGE, first->bytes, net_order(b + 1), {});
}

// --bcast B, --lback L: a plain IPv4 address.
NetAddress read_special(const Argument &arg, std::uint16_t modifier)
{
	auto ip = parse_ip(arg.text);

	if (!ip || ip->v6)
		throw arg.bad("not an IPv4 address (the broadcast and loopback addresses are IPv4)");
	return special_entry(*ip, modifier);
}

// Would the kernel take a and b for the same entry?  The same address
// (range, network) whatever its mask; one broadcast, one loopback.
bool same_entry(const NetAddress &a, const NetAddress &b)
{
	if (a.ipv6() != b.ipv6() || a.type() != b.type())
		return false;
	if (a.ipv6())
		return std::memcmp(a.v6().ip, b.v6().ip, sizeof(a.v6().ip)) == 0;
	if (a.type() & (NXA_MOD_BCAST | NXA_MOD_LBACK))
		return true;
	return a.v4().ip == b.v4().ip && a.v4().ip2 == b.v4().ip2;
}

} // namespace

std::optional<IpAddress> parse_ip(std::string_view text)
{
	std::string s(text);	// NUL-terminated for inet_pton
	IpAddress ip;

	if (text.find('\0') != text.npos)
		return std::nullopt;
	if (inet_pton(AF_INET, s.c_str(), ip.bytes.data()) == 1)
		return ip;
	ip.v6 = true;
	if (inet_pton(AF_INET6, s.c_str(), ip.bytes.data()) == 1)
		return ip;
	return std::nullopt;
}

std::string to_string(const IpAddress &ip)
{
	return ip_text(ip.bytes.data(), ip.v6);
}

NetMask parse_mask(std::string_view text, unsigned max)
{
	auto bad = [](std::string why) { return std::invalid_argument(std::move(why)); };

	if (text.empty())
		throw bad("empty mask");
	if (text.find_first_not_of("0123456789") == text.npos) {
		unsigned prefix = 0;
		auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), prefix);
		if (ec != std::errc() || prefix < 1 || prefix > max)
			throw bad(fmt::format("prefix length {} is out of range 1..{}", text, max));
		return {prefix, false};
	}
	auto ip = parse_ip(text);
	if (!ip || ip->v6)
		throw bad(fmt::format("'{}' is neither a prefix length nor an IPv4 netmask", text));
	std::uint32_t bits = host_order(ip->bytes);
	if (~bits & (~bits + 1))
		throw bad(fmt::format("netmask {} is not contiguous", text));
	if (!bits)
		throw bad(fmt::format("netmask {} is empty", text));
	return {static_cast<unsigned>(std::popcount(bits)), true};
}

NetAddress address_entry(const IpAddress &ip, unsigned prefix)
{
	return entry(NXA_TYPE_ADDR, ip, prefix);
}

NetAddress special_entry(const IpAddress &ip, std::uint16_t modifier)
{
	return v4_entry(NXA_TYPE_ADDR | modifier, ip.bytes, {}, {});
}

std::uint16_t NetAddress::type() const
{
	return std::visit([](const auto &e) { return e.type; }, data);
}

std::string to_string(const NetAddress &addr)
{
	if (addr.ipv6()) {
		const auto &e = addr.v6();
		if (e.type == NXA_TYPE_ANY)
			return "every IPv6 address";
		std::string s = ip_text(e.ip, true);
		if (e.prefix != 0 && e.prefix != 128)
			s += fmt::format("/{}", e.prefix);
		return s;
	}

	const auto &e = addr.v4();
	std::string ip = ip_text(&e.ip, false);
	switch (e.type) {
	case NXA_TYPE_ANY:
		return "every IPv4 address";
	case NXA_TYPE_ADDR | NXA_MOD_BCAST:
		return "broadcast " + ip;
	case NXA_TYPE_ADDR | NXA_MOD_LBACK:
		return "loopback " + ip;
	case NXA_TYPE_RANGE: {
		std::uint32_t last = ntohl(e.ip2) - 1;
		return ip + "-" + ip_text(net_order(last).data(), false);
	}
	}
	int prefix = std::popcount(ntohl(e.mask));
	if (prefix != 0 && prefix != 32)
		ip += fmt::format("/{}", prefix);
	return ip;
}

std::string_view option_name(AddressOption::Kind kind)
{
	switch (kind) {
	case AddressOption::ip:
		return "--ip";
	case AddressOption::mask:
		return "--mask";
	case AddressOption::range:
		return "--range";
	case AddressOption::bcast:
		return "--bcast";
	case AddressOption::lback:
		return "--lback";
	}
	return "--?";
}

std::vector<NetAddress> parse_addresses(std::span<const AddressOption> options)
{
	std::vector<NetAddress> entries;
	std::optional<Mask> default_mask;
	std::string mask_option;	// "--mask '24'", for messages
	std::size_t count[2] = {0, 0};	// entries per family

	for (const auto &option : options) {
		Argument arg{option_name(option.kind), option.text};
		NetAddress addr;

		switch (option.kind) {
		case AddressOption::ip:
			addr = read_address(arg, default_mask, mask_option);
			break;
		case AddressOption::mask:
			if (option.text.find('/') != option.text.npos) {
				addr = read_network(arg);
				break;
			}
			default_mask = read_mask(option.text, arg, 128);
			mask_option = fmt::format("--mask '{}'", option.text);
			continue;
		case AddressOption::range:
			addr = read_range(arg);
			break;
		case AddressOption::bcast:
			addr = read_special(arg, NXA_MOD_BCAST);
			break;
		case AddressOption::lback:
			addr = read_special(arg, NXA_MOD_LBACK);
			break;
		}

		for (const auto &earlier : entries) {
			if (!same_entry(earlier, addr))
				continue;
			if (addr.type() & (NXA_MOD_BCAST | NXA_MOD_LBACK))
				throw arg.bad(fmt::format("a second {} address",
							  option.kind == AddressOption::bcast ?
							  "broadcast" : "loopback"));
			throw arg.bad(fmt::format("{} is given twice", to_string(earlier)));
		}
		if (!(addr.type() & (NXA_MOD_BCAST | NXA_MOD_LBACK)) &&
		    ++count[addr.ipv6()] > NX_MAX_ADDRS)
			throw arg.bad(fmt::format("more than {} {} addresses (the most a network "
						  "context may have)", NX_MAX_ADDRS,
						  addr.ipv6() ? "IPv6" : "IPv4"));
		entries.push_back(addr);
	}
	return entries;
}

NetAddress all_addresses(bool ipv6)
{
	if (ipv6) {
		vcmd_net_addr_ipv6_v1 e{};
		e.type = NXA_TYPE_ANY;
		return {e};
	}
	vcmd_net_addr_ipv4_v2 e{};
	e.type = NXA_TYPE_ANY;
	return {e};
}

std::string address_error_message(std::string_view call, nid_t nid, const NetAddress &addr,
				  int err, bool exists)
{
	std::string head = fmt::format("{}({})", call, nid);

	if (err == EEXIST)
		return fmt::format("{}: network context {} already has address {}", head, nid,
				   to_string(addr));
	if (err == ESRCH && !exists)
		return fmt::format("{}: there is no network context {}", head, nid);
	if (err == ESRCH)
		return fmt::format("{}: network context {} has no address {}", head, nid,
				   to_string(addr));

	std::string msg = fmt::format("{}: {}: {}", head, to_string(addr),
				      std::generic_category().message(err));
	switch (err) {
	case ENOSPC:
		msg += fmt::format(" (network context {} has {} {} addresses, the most it may have)",
				   nid, NX_MAX_ADDRS, addr.ipv6() ? "IPv6" : "IPv4");
		break;
	case EPERM:
		msg += " (only root on the host, or a task of the network context while it "
		       "is in setup, changes its addresses)";
		break;
	case EACCES:
		msg += fmt::format(" (network context {} no longer lets the host administer it: "
				   "state_admin is cleared)", nid);
		break;
	case EINVAL:
		msg += " (the kernel takes no such address, mask or range)";
		break;
	}
	return msg;
}

std::string change_message(nid_t nid, const NetAddress &addr, bool added)
{
	std::string_view special;

	if (!addr.ipv6() && addr.type() == (NXA_TYPE_ADDR | NXA_MOD_BCAST))
		special = "broadcast";
	if (!addr.ipv6() && addr.type() == (NXA_TYPE_ADDR | NXA_MOD_LBACK))
		special = "loopback";
	if (added && !special.empty())
		return fmt::format("network context {}: {} is now {}\n", nid, special,
				   ip_text(&addr.v4().ip, false));
	return fmt::format("network context {}: {} {}\n", nid, added ? "added" : "removed",
			   to_string(addr));
}

// The Client's address commands (client.hpp).

void Client::change_address(nid_t nid, const NetAddress &addr, bool add)
{
	std::uint32_t cmd = addr.ipv6() ? (add ? VCMD_net_add_ipv6 : VCMD_net_remove_ipv6) :
					  (add ? VCMD_net_add_ipv4 : VCMD_net_rem_ipv4);
	auto data = addr.data;	// the kernel gets a pointer to it
	long ret = std::visit([&](auto &e) { return try_call(cmd, nid, &e, sizeof(e)); }, data);

	if (ret >= 0)
		return;
	int err = static_cast<int>(-ret);
	bool exists = false;
	if (err == ESRCH && !add) {
		// No such address, or no such context?
		vcmd_nx_info_v0 info{};
		exists = try_call(VCMD_nx_info, nid, &info, sizeof(info)) != -ESRCH;
		if (exists && addr.type() == NXA_TYPE_ANY)
			return;		// there was none to remove
	}
	throw AddressError(err, address_error_message(command_name(cmd), nid, addr, err, exists));
}

void Client::net_add(nid_t nid, const NetAddress &addr)
{
	change_address(nid, addr, true);
}

void Client::net_remove(nid_t nid, const NetAddress &addr)
{
	change_address(nid, addr, false);
}

} // namespace vserver
