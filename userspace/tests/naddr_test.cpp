// Network context addresses: command-line parsing into the kernel's
// structs, how they are named, and the Client's address commands.
#include "mock_transport.hpp"
#include "what_thrown.hpp"

#include <vserver/client.hpp>
#include <vserver/naddr.hpp>

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <string>
#include <vector>

namespace vserver::test {
namespace {

using ::testing::InSequence;
using ::testing::Invoke;
using ::testing::Return;
using ::testing::StrictMock;

using Kind = AddressOption::Kind;
constexpr Kind ip = AddressOption::ip, mask = AddressOption::mask,
	       range = AddressOption::range, bcast = AddressOption::bcast,
	       lback = AddressOption::lback;

std::vector<NetAddress> parse(std::vector<AddressOption> options)
{
	return parse_addresses(options);
}

NetAddress one(Kind kind, const char *text)
{
	auto entries = parse({{kind, text}});
	EXPECT_EQ(entries.size(), 1u);
	return entries.at(0);
}

std::uint32_t v4(const char *text)
{
	in_addr a{};
	EXPECT_EQ(inet_pton(AF_INET, text, &a), 1) << text;
	return a.s_addr;
}

std::array<std::uint8_t, 16> v6(const char *text)
{
	std::array<std::uint8_t, 16> a{};
	EXPECT_EQ(inet_pton(AF_INET6, text, a.data()), 1) << text;
	return a;
}

std::array<std::uint8_t, 16> bytes(const std::uint8_t (&b)[16])
{
	std::array<std::uint8_t, 16> a{};
	std::copy(std::begin(b), std::end(b), a.begin());
	return a;
}

TEST(ParseAddresses, Ipv4Address)
{
	auto a = one(ip, "10.0.0.1");
	ASSERT_FALSE(a.ipv6());
	EXPECT_EQ(a.v4().type, NXA_TYPE_ADDR);
	EXPECT_EQ(a.v4().flags, 0);
	EXPECT_EQ(a.v4().ip, v4("10.0.0.1"));
	EXPECT_EQ(a.v4().ip2, 0u);
	EXPECT_EQ(a.v4().mask, v4("255.255.255.255"));	// /32, said outright
	EXPECT_EQ(to_string(a), "10.0.0.1");
}

TEST(ParseAddresses, Ipv4PrefixOrNetmask)
{
	for (const char *text : {"192.168.7.9/24", "192.168.7.9/255.255.255.0", "192.168.7.9/024"}) {
		auto a = one(ip, text);
		EXPECT_EQ(a.v4().type, NXA_TYPE_ADDR) << text;
		EXPECT_EQ(a.v4().ip, v4("192.168.7.9")) << text;
		EXPECT_EQ(a.v4().mask, v4("255.255.255.0")) << text;
		EXPECT_EQ(to_string(a), "192.168.7.9/24");
	}
	EXPECT_EQ(one(ip, "10.1.2.3/1").v4().mask, v4("128.0.0.0"));
	EXPECT_EQ(one(ip, "10.1.2.3/31").v4().mask, v4("255.255.255.254"));
	EXPECT_EQ(one(ip, "10.1.2.3/32").v4().mask, v4("255.255.255.255"));
	EXPECT_EQ(one(ip, "10.1.2.3/255.255.128.0").v4().mask, v4("255.255.128.0"));
}

TEST(ParseAddresses, Ipv6Address)
{
	auto a = one(ip, "2001:db8::1");
	ASSERT_TRUE(a.ipv6());
	EXPECT_EQ(a.v6().type, NXA_TYPE_ADDR);
	EXPECT_EQ(a.v6().flags, 0);
	EXPECT_EQ(a.v6().prefix, 128u);
	EXPECT_EQ(bytes(a.v6().ip), v6("2001:db8::1"));
	EXPECT_EQ(bytes(a.v6().mask), v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
	EXPECT_EQ(to_string(a), "2001:db8::1");

	auto b = one(ip, "2001:DB8:0:0::7/64");
	EXPECT_EQ(b.v6().prefix, 64u);
	EXPECT_EQ(bytes(b.v6().ip), v6("2001:db8::7"));
	EXPECT_EQ(bytes(b.v6().mask), v6("ffff:ffff:ffff:ffff::"));
	EXPECT_EQ(to_string(b), "2001:db8::7/64");
	EXPECT_EQ(bytes(one(ip, "fe80::1/10").v6().mask), v6("ffc0::"));
}

TEST(ParseAddresses, FamilyIsWhatTheTextSays)
{
	EXPECT_FALSE(one(ip, "127.0.0.1").ipv6());
	EXPECT_TRUE(one(ip, "::1").ipv6());
	EXPECT_TRUE(one(ip, "::ffff:10.0.0.1").ipv6());	// IPv4-mapped: still IPv6
	EXPECT_TRUE(one(ip, "::").ipv6());
}

TEST(ParseAddresses, MaskAppliesToTheIpOptionsAfterIt)
{
	auto entries = parse({{ip, "10.0.0.1"}, {mask, "24"}, {ip, "10.0.0.2"},
			      {ip, "10.0.0.3/16"}, {mask, "255.255.255.252"}, {ip, "10.0.0.4"},
			      {mask, "64"}, {ip, "2001:db8::1"}});
	ASSERT_EQ(entries.size(), 5u);	// a bare --mask sends nothing
	EXPECT_EQ(to_string(entries[0]), "10.0.0.1");
	EXPECT_EQ(to_string(entries[1]), "10.0.0.2/24");
	EXPECT_EQ(to_string(entries[2]), "10.0.0.3/16");
	EXPECT_EQ(to_string(entries[3]), "10.0.0.4/30");
	EXPECT_EQ(to_string(entries[4]), "2001:db8::1/64");
}

TEST(ParseAddresses, MaskWithASlashIsANetwork)
{
	auto a = one(mask, "10.0.0.0/8");
	EXPECT_EQ(a.v4().type, NXA_TYPE_MASK);
	EXPECT_EQ(a.v4().ip, v4("10.0.0.0"));
	EXPECT_EQ(a.v4().mask, v4("255.0.0.0"));
	EXPECT_EQ(to_string(a), "10.0.0.0/8");
	EXPECT_EQ(one(mask, "192.168.0.0/255.255.0.0").v4().mask, v4("255.255.0.0"));

	auto b = one(mask, "2001:db8::/32");
	EXPECT_EQ(b.v6().type, NXA_TYPE_MASK);
	EXPECT_EQ(b.v6().prefix, 32u);
	EXPECT_EQ(bytes(b.v6().mask), v6("ffff:ffff::"));

	// a network is no default for later --ip options
	auto entries = parse({{mask, "10.0.0.0/8"}, {ip, "10.0.0.1"}});
	EXPECT_EQ(to_string(entries.at(1)), "10.0.0.1");
}

TEST(ParseAddresses, RangeIncludesItsEndTheKernelsDoesNot)
{
	auto a = one(range, "10.0.0.1-10.0.0.9");
	EXPECT_EQ(a.v4().type, NXA_TYPE_RANGE);
	EXPECT_EQ(a.v4().ip, v4("10.0.0.1"));
	EXPECT_EQ(a.v4().ip2, v4("10.0.0.10"));	// one past B
	EXPECT_EQ(a.v4().mask, 0u);
	EXPECT_EQ(to_string(a), "10.0.0.1-10.0.0.9");

	EXPECT_EQ(one(range, "10.0.0.255-10.0.1.255").v4().ip2, v4("10.0.2.0"));	// carries
	EXPECT_EQ(one(range, "10.0.0.5-10.0.0.5").v4().ip2, v4("10.0.0.6"));	// one address
	EXPECT_EQ(one(range, "0.0.0.0-255.255.255.254").v4().ip2, v4("255.255.255.255"));
}

TEST(ParseAddresses, BroadcastAndLoopback)
{
	auto b = one(bcast, "10.0.0.255");
	EXPECT_EQ(b.v4().type, NXA_TYPE_ADDR | NXA_MOD_BCAST);
	EXPECT_EQ(b.v4().ip, v4("10.0.0.255"));
	EXPECT_EQ(b.v4().mask, 0u);
	EXPECT_EQ(to_string(b), "broadcast 10.0.0.255");

	auto l = one(lback, "127.0.42.1");
	EXPECT_EQ(l.v4().type, NXA_TYPE_ADDR | NXA_MOD_LBACK);
	EXPECT_EQ(l.v4().ip, v4("127.0.42.1"));
	EXPECT_EQ(to_string(l), "loopback 127.0.42.1");
}

TEST(ParseAddresses, KeepsTheOrderOfTheOptions)
{
	auto entries = parse({{bcast, "10.0.0.255"}, {ip, "::1"}, {range, "10.0.0.1-10.0.0.2"},
			      {ip, "10.0.0.3"}, {lback, "127.0.0.2"}});
	std::vector<std::string> names;
	for (const auto &e : entries)
		names.push_back(to_string(e));
	EXPECT_THAT(names, ::testing::ElementsAre("broadcast 10.0.0.255", "::1",
						  "10.0.0.1-10.0.0.2", "10.0.0.3",
						  "loopback 127.0.0.2"));
}

struct Reject {
	const char *name;
	std::vector<AddressOption> options;
	const char *message;
};

class ParseAddressesRejects : public ::testing::TestWithParam<Reject> {};

TEST_P(ParseAddressesRejects, NamingTheArgument)
{
	EXPECT_EQ(what_thrown<std::invalid_argument>([] { parse_addresses(GetParam().options); }),
		  GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(Table, ParseAddressesRejects, ::testing::Values(
	// addresses
	Reject{"octet_too_big", {{ip, "10.0.0.256"}},
	       "--ip '10.0.0.256': '10.0.0.256' is not an IPv4 or IPv6 address"},
	Reject{"three_octets", {{ip, "10.0.0"}},
	       "--ip '10.0.0': '10.0.0' is not an IPv4 or IPv6 address"},
	Reject{"five_octets", {{ip, "1.2.3.4.5"}},
	       "--ip '1.2.3.4.5': '1.2.3.4.5' is not an IPv4 or IPv6 address"},
	Reject{"empty", {{ip, ""}}, "--ip '': '' is not an IPv4 or IPv6 address"},
	Reject{"blank", {{ip, " 10.0.0.1"}},
	       "--ip ' 10.0.0.1': ' 10.0.0.1' is not an IPv4 or IPv6 address"},
	Reject{"host_name", {{ip, "localhost"}},
	       "--ip 'localhost': 'localhost' is not an IPv4 or IPv6 address"},
	Reject{"two_double_colons", {{ip, "2001::db8::1"}},
	       "--ip '2001::db8::1': '2001::db8::1' is not an IPv4 or IPv6 address"},
	Reject{"zone", {{ip, "fe80::1%eth0"}},
	       "--ip 'fe80::1%eth0': 'fe80::1%eth0' is not an IPv4 or IPv6 address"},
	Reject{"nul", {{ip, std::string("10.0.0.1\0x", 10)}},
	       "--ip '10.0.0.1\0x': '10.0.0.1\0x' is not an IPv4 or IPv6 address"},
	// prefixes and masks
	Reject{"prefix_33", {{ip, "10.0.0.1/33"}},
	       "--ip '10.0.0.1/33': prefix length 33 is out of range 1..32"},
	Reject{"prefix_0", {{ip, "10.0.0.1/0"}},
	       "--ip '10.0.0.1/0': prefix length 0 is out of range 1..32"},
	Reject{"prefix_129", {{ip, "2001:db8::1/129"}},
	       "--ip '2001:db8::1/129': prefix length 129 is out of range 1..128"},
	Reject{"prefix_huge", {{ip, "10.0.0.1/99999999999999999999"}},
	       "--ip '10.0.0.1/99999999999999999999': prefix length 99999999999999999999 is "
	       "out of range 1..32"},
	Reject{"prefix_empty", {{ip, "10.0.0.1/"}}, "--ip '10.0.0.1/': empty mask"},
	Reject{"prefix_signed", {{ip, "10.0.0.1/+24"}},
	       "--ip '10.0.0.1/+24': '+24' is neither a prefix length nor an IPv4 netmask"},
	Reject{"two_slashes", {{ip, "10.0.0.1/24/8"}},
	       "--ip '10.0.0.1/24/8': '24/8' is neither a prefix length nor an IPv4 netmask"},
	Reject{"v6_mask", {{ip, "10.0.0.1/ffff::"}},
	       "--ip '10.0.0.1/ffff::': 'ffff::' is neither a prefix length nor an IPv4 netmask"},
	Reject{"holey_netmask", {{ip, "10.0.0.1/255.0.255.0"}},
	       "--ip '10.0.0.1/255.0.255.0': netmask 255.0.255.0 is not contiguous"},
	Reject{"inverted_netmask", {{ip, "10.0.0.1/0.0.0.255"}},
	       "--ip '10.0.0.1/0.0.0.255': netmask 0.0.0.255 is not contiguous"},
	Reject{"empty_netmask", {{ip, "10.0.0.1/0.0.0.0"}},
	       "--ip '10.0.0.1/0.0.0.0': netmask 0.0.0.0 is empty"},
	Reject{"netmask_on_v6", {{ip, "2001:db8::1/255.255.0.0"}},
	       "--ip '2001:db8::1/255.255.0.0': an IPv4 netmask does not fit an IPv6 address; "
	       "give a prefix length"},
	Reject{"mask_129", {{mask, "129"}}, "--mask '129': prefix length 129 is out of range 1..128"},
	Reject{"mask_0", {{mask, "0"}}, "--mask '0': prefix length 0 is out of range 1..128"},
	Reject{"mask_holey", {{mask, "255.255.0.255"}},
	       "--mask '255.255.0.255': netmask 255.255.0.255 is not contiguous"},
	Reject{"mask_junk", {{mask, "big"}},
	       "--mask 'big': 'big' is neither a prefix length nor an IPv4 netmask"},
	Reject{"mask_too_long_for_v4", {{mask, "64"}, {ip, "10.0.0.1"}},
	       "--ip '10.0.0.1': prefix length 64 (from --mask '64') is out of range 1..32"},
	Reject{"mask_netmask_for_v6", {{mask, "255.255.255.0"}, {ip, "::1"}},
	       "--ip '::1': an IPv4 netmask (from --mask '255.255.255.0') does not fit an IPv6 "
	       "address; give a prefix length"},
	// networks
	Reject{"network_host_bits", {{mask, "10.0.0.1/8"}},
	       "--mask '10.0.0.1/8': 10.0.0.1 has host bits set; the network is 10.0.0.0/8"},
	Reject{"network_v6_host_bits", {{mask, "2001:db8::1/32"}},
	       "--mask '2001:db8::1/32': 2001:db8::1 has host bits set; the network is "
	       "2001:db8::/32"},
	Reject{"network_not_an_address", {{mask, "10.0.0/8"}},
	       "--mask '10.0.0/8': '10.0.0' is not an IPv4 or IPv6 network"},
	Reject{"network_prefix_33", {{mask, "10.0.0.0/33"}},
	       "--mask '10.0.0.0/33': prefix length 33 is out of range 1..32"},
	// ranges
	Reject{"range_backwards", {{range, "10.0.0.9-10.0.0.1"}},
	       "--range '10.0.0.9-10.0.0.1': 10.0.0.9 comes after 10.0.0.1"},
	Reject{"range_mixed", {{range, "10.0.0.1-::1"}},
	       "--range '10.0.0.1-::1': mixes IPv4 and IPv6"},
	Reject{"range_mixed_other_way", {{range, "::1-10.0.0.1"}},
	       "--range '::1-10.0.0.1': mixes IPv4 and IPv6"},
	Reject{"range_v6", {{range, "2001:db8::1-2001:db8::9"}},
	       "--range '2001:db8::1-2001:db8::9': ranges are IPv4 only (the kernel has no "
	       "IPv6 ranges)"},
	Reject{"range_one_address", {{range, "10.0.0.1"}},
	       "--range '10.0.0.1': not a range FIRST-LAST"},
	Reject{"range_no_end", {{range, "10.0.0.1-"}}, "--range '10.0.0.1-': '' is not an IPv4 address"},
	Reject{"range_bad_start", {{range, "10.0.0.300-10.0.0.1"}},
	       "--range '10.0.0.300-10.0.0.1': '10.0.0.300' is not an IPv4 address"},
	Reject{"range_three_ends", {{range, "10.0.0.1-10.0.0.2-10.0.0.3"}},
	       "--range '10.0.0.1-10.0.0.2-10.0.0.3': '10.0.0.2-10.0.0.3' is not an IPv4 address"},
	Reject{"range_with_mask", {{range, "10.0.0.1-10.0.0.9/24"}},
	       "--range '10.0.0.1-10.0.0.9/24': '10.0.0.9/24' is not an IPv4 address"},
	Reject{"range_to_the_last_address", {{range, "10.0.0.1-255.255.255.255"}},
	       "--range '10.0.0.1-255.255.255.255': a range cannot end at 255.255.255.255 (the "
	       "kernel's range excludes its end, which would be one past it)"},
	// broadcast and loopback
	Reject{"bcast_v6", {{bcast, "ff02::1"}},
	       "--bcast 'ff02::1': not an IPv4 address (the broadcast and loopback addresses are "
	       "IPv4)"},
	Reject{"bcast_with_mask", {{bcast, "10.0.0.255/24"}},
	       "--bcast '10.0.0.255/24': not an IPv4 address (the broadcast and loopback "
	       "addresses are IPv4)"},
	Reject{"lback_junk", {{lback, "lo"}},
	       "--lback 'lo': not an IPv4 address (the broadcast and loopback addresses are IPv4)"},
	// the list as a whole
	Reject{"same_address_twice", {{ip, "10.0.0.1"}, {ip, "10.0.0.2"}, {ip, "10.0.0.1/24"}},
	       "--ip '10.0.0.1/24': 10.0.0.1 is given twice"},
	Reject{"same_v6_address_twice", {{ip, "2001:db8::1/64"}, {ip, "2001:db8:0::1"}},
	       "--ip '2001:db8:0::1': 2001:db8::1/64 is given twice"},
	Reject{"same_range_twice", {{range, "10.0.0.1-10.0.0.5"}, {range, "10.0.0.1-10.0.0.5"}},
	       "--range '10.0.0.1-10.0.0.5': 10.0.0.1-10.0.0.5 is given twice"},
	Reject{"two_broadcasts", {{bcast, "10.0.0.255"}, {bcast, "10.0.255.255"}},
	       "--bcast '10.0.255.255': a second broadcast address"},
	Reject{"two_loopbacks", {{lback, "127.0.0.2"}, {lback, "127.0.0.2"}},
	       "--lback '127.0.0.2': a second loopback address"},
	Reject{"first_error_wins", {{ip, "10.0.0.1"}, {ip, "bad"}, {range, "9.9.9.9-1.1.1.1"}},
	       "--ip 'bad': 'bad' is not an IPv4 or IPv6 address"}),
	[](const auto &info) { return std::string(info.param.name); });

TEST(ParseAddresses, NotTheSameEntry)
{
	// the same address in both families, a network and an address, an
	// address and a range that starts with it: all different entries
	auto entries = parse({{ip, "10.0.0.0"}, {ip, "::ffff:10.0.0.0"}, {mask, "10.0.0.0/8"},
			      {range, "10.0.0.0-10.0.0.3"}, {bcast, "10.0.0.0"}, {lback, "10.0.0.0"}});
	EXPECT_EQ(entries.size(), 6u);
}

TEST(ParseAddresses, AtMostNxMaxAddrsOfAFamily)
{
	std::vector<AddressOption> options;
	for (int i = 0; i < NX_MAX_ADDRS; i++) {
		options.push_back({ip, "10.0.1." + std::to_string(i)});
		options.push_back({ip, "2001:db8::" + std::to_string(i + 1)});
	}
	options.push_back({bcast, "10.0.1.255"});	// these two are no entries of the list
	options.push_back({lback, "127.0.0.2"});
	EXPECT_EQ(parse_addresses(options).size(), 2u * NX_MAX_ADDRS + 2);

	options.push_back({range, "10.0.2.0-10.0.2.9"});
	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { parse_addresses(options); }),
		  "--range '10.0.2.0-10.0.2.9': more than 64 IPv4 addresses "
		  "(the most a network context may have)");
}

TEST(ParseAddresses, NothingIsNothing)
{
	EXPECT_TRUE(parse({}).empty());
	EXPECT_TRUE(parse({{mask, "24"}}).empty());
}

TEST(AllAddresses, TypeAnyOfAFamily)
{
	EXPECT_FALSE(all_addresses(false).ipv6());
	EXPECT_EQ(all_addresses(false).v4().type, NXA_TYPE_ANY);
	EXPECT_EQ(all_addresses(false).v4().ip, 0u);
	EXPECT_TRUE(all_addresses(true).ipv6());
	EXPECT_EQ(all_addresses(true).v6().type, NXA_TYPE_ANY);
	EXPECT_EQ(to_string(all_addresses(false)), "every IPv4 address");
	EXPECT_EQ(to_string(all_addresses(true)), "every IPv6 address");
}

TEST(ChangeMessage, WhatNaddressPrints)
{
	EXPECT_EQ(change_message(42, one(ip, "10.0.0.1/24"), true),
		  "network context 42: added 10.0.0.1/24\n");
	EXPECT_EQ(change_message(42, one(ip, "::1"), false), "network context 42: removed ::1\n");
	EXPECT_EQ(change_message(42, one(range, "10.0.0.1-10.0.0.3"), true),
		  "network context 42: added 10.0.0.1-10.0.0.3\n");
	EXPECT_EQ(change_message(42, one(bcast, "10.0.0.255"), true),
		  "network context 42: broadcast is now 10.0.0.255\n");
	EXPECT_EQ(change_message(42, one(lback, "127.0.0.2"), true),
		  "network context 42: loopback is now 127.0.0.2\n");
	EXPECT_EQ(change_message(7, all_addresses(true), false),
		  "network context 7: removed every IPv6 address\n");
}

TEST(AddressErrorMessage, InWords)
{
	auto a = one(ip, "10.0.0.1");
	auto b = one(ip, "2001:db8::1/64");

	EXPECT_EQ(address_error_message("net_add_ipv4", 42, a, EEXIST, true),
		  "net_add_ipv4(42): network context 42 already has address 10.0.0.1");
	EXPECT_EQ(address_error_message("net_rem_ipv4", 42, a, ESRCH, true),
		  "net_rem_ipv4(42): network context 42 has no address 10.0.0.1");
	EXPECT_EQ(address_error_message("net_add_ipv4", 42, a, ESRCH, false),
		  "net_add_ipv4(42): there is no network context 42");
	EXPECT_EQ(address_error_message("net_add_ipv6", 42, b, ENOSPC, true),
		  "net_add_ipv6(42): 2001:db8::1/64: No space left on device (network context "
		  "42 has 64 IPv6 addresses, the most it may have)");
	EXPECT_EQ(address_error_message("net_add_ipv4", 42, a, EPERM, true),
		  "net_add_ipv4(42): 10.0.0.1: Operation not permitted (only root on the host, "
		  "or a task of the network context while it is in setup, changes its "
		  "addresses)");
	EXPECT_EQ(address_error_message("net_add_ipv4", 42, a, EINVAL, true),
		  "net_add_ipv4(42): 10.0.0.1: Invalid argument (the kernel takes no such "
		  "address, mask or range)");
	EXPECT_EQ(address_error_message("net_rem_ipv4", 42, a, EACCES, true),
		  "net_rem_ipv4(42): 10.0.0.1: Permission denied (network context 42 no longer "
		  "lets the host administer it: state_admin is cleared)");
	EXPECT_EQ(address_error_message("net_add_ipv4", 42, a, EFAULT, true),
		  "net_add_ipv4(42): 10.0.0.1: Bad address");
}

TEST(Uapi, NetworkCommands)
{
	EXPECT_EQ(VCMD_nx_info, 0x2e060000u);
	EXPECT_EQ(VCMD_net_create, 0x19010001u);
	EXPECT_EQ(VCMD_net_migrate, 0x1b010000u);
	EXPECT_EQ(VCMD_net_add_ipv4, 0x1a010002u);
	EXPECT_EQ(VCMD_net_rem_ipv4, 0x1a020002u);
	EXPECT_EQ(VCMD_net_add_ipv6, 0x1a030001u);
	EXPECT_EQ(VCMD_net_remove_ipv6, 0x1a040001u);
	EXPECT_EQ(VCMD_get_nflags, 0x34050000u);
	EXPECT_EQ(VCMD_set_nflags, 0x34060000u);
	EXPECT_EQ(VCMD_get_ncaps, 0x34070000u);
	EXPECT_EQ(VCMD_set_ncaps, 0x34080000u);
	EXPECT_EQ(sizeof(vcmd_nx_info_v0), 4u);
	EXPECT_EQ(sizeof(vcmd_net_create), 8u);
	EXPECT_EQ(sizeof(vcmd_net_addr_ipv4_v2), 16u);
	EXPECT_EQ(sizeof(vcmd_net_addr_ipv6_v1), 40u);
	EXPECT_EQ(sizeof(vcmd_net_flags_v0), 16u);
	EXPECT_EQ(sizeof(vcmd_net_caps_v0), 16u);
	for (auto cmd : {VCMD_nx_info, VCMD_net_create, VCMD_net_migrate, VCMD_net_add_ipv4,
			 VCMD_net_rem_ipv4, VCMD_net_add_ipv6, VCMD_net_remove_ipv6,
			 VCMD_get_nflags, VCMD_set_nflags, VCMD_get_ncaps, VCMD_set_ncaps})
		EXPECT_EQ(command_name(cmd).find("vcmd"), std::string::npos) << cmd;
}

// The address commands of the Client.

::testing::Matcher<const vserver_call &> sized(std::uint32_t cmd, std::uint32_t id,
					       std::uint32_t size)
{
	return ::testing::AllOf(cmd_id(cmd, id), ::testing::Field(&vserver_call::size, size),
				::testing::Field(&vserver_call::flags, 0u));
}

TEST(ClientAddresses, EachFamilyItsCommand)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_net_addr_ipv4_v2 seen4{};
	vcmd_net_addr_ipv6_v1 seen6{};
	InSequence seq;

	EXPECT_CALL(t, call(sized(VCMD_net_add_ipv4, 42, sizeof(vcmd_net_addr_ipv4_v2))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			seen4 = data_of<vcmd_net_addr_ipv4_v2>(call);
			return 0L;
		}));
	EXPECT_CALL(t, call(sized(VCMD_net_add_ipv6, 42, sizeof(vcmd_net_addr_ipv6_v1))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			seen6 = data_of<vcmd_net_addr_ipv6_v1>(call);
			return 0L;
		}));
	EXPECT_CALL(t, call(sized(VCMD_net_rem_ipv4, 42, sizeof(vcmd_net_addr_ipv4_v2))))
		.WillOnce(Return(0));
	EXPECT_CALL(t, call(sized(VCMD_net_remove_ipv6, 42, sizeof(vcmd_net_addr_ipv6_v1))))
		.WillOnce(Return(0));
	client.net_add(42, one(range, "10.0.0.1-10.0.0.4"));
	client.net_add(42, one(ip, "2001:db8::1/64"));
	client.net_remove(42, one(ip, "10.0.0.1"));
	client.net_remove(42, one(ip, "::1"));
	EXPECT_EQ(seen4.type, NXA_TYPE_RANGE);
	EXPECT_EQ(seen4.ip, v4("10.0.0.1"));
	EXPECT_EQ(seen4.ip2, v4("10.0.0.5"));
	EXPECT_EQ(seen6.type, NXA_TYPE_ADDR);
	EXPECT_EQ(seen6.prefix, 64u);
	EXPECT_EQ(bytes(seen6.ip), v6("2001:db8::1"));
}

TEST(ClientAddresses, AddThatExistsSaysSo)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_net_add_ipv4, 42))).WillOnce(Return(-EEXIST));
	try {
		client.net_add(42, one(ip, "10.0.0.1"));
		FAIL() << "no exception";
	} catch (const std::system_error &e) {	// an AddressError is one
		EXPECT_EQ(e.code(), std::errc::file_exists);
		EXPECT_STREQ(e.what(), "net_add_ipv4(42): network context 42 already has address 10.0.0.1");
	}
}

TEST(ClientAddresses, RemoveAsksWhetherTheAddressOrTheContextIsMissing)
{
	StrictMock<MockTransport> t;
	Client client(t);
	InSequence seq;

	EXPECT_CALL(t, call(cmd_id(VCMD_net_rem_ipv4, 42))).WillOnce(Return(-ESRCH));
	EXPECT_CALL(t, call(sized(VCMD_nx_info, 42, sizeof(vcmd_nx_info_v0)))).WillOnce(Return(0));
	EXPECT_CALL(t, call(cmd_id(VCMD_net_remove_ipv6, 43))).WillOnce(Return(-ESRCH));
	EXPECT_CALL(t, call(cmd_id(VCMD_nx_info, 43))).WillOnce(Return(-ESRCH));
	EXPECT_EQ(what_thrown<AddressError>([&] { client.net_remove(42, one(ip, "10.0.0.1")); }),
		  "net_rem_ipv4(42): network context 42 has no address 10.0.0.1");
	EXPECT_EQ(what_thrown<AddressError>([&] { client.net_remove(43, one(ip, "::1")); }),
		  "net_remove_ipv6(43): there is no network context 43");
}

TEST(ClientAddresses, RemovingEveryAddressOfAnEmptyFamilyIsNoError)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_net_addr_ipv6_v1 seen{};
	InSequence seq;

	EXPECT_CALL(t, call(cmd_id(VCMD_net_remove_ipv6, 42)))
		.WillOnce(Invoke([&](const vserver_call &call) {
			seen = data_of<vcmd_net_addr_ipv6_v1>(call);
			return -ESRCH;
		}));
	EXPECT_CALL(t, call(cmd_id(VCMD_nx_info, 42))).WillOnce(Return(0));
	EXPECT_CALL(t, call(cmd_id(VCMD_net_rem_ipv4, 44))).WillOnce(Return(-ESRCH));
	EXPECT_CALL(t, call(cmd_id(VCMD_nx_info, 44))).WillOnce(Return(-ESRCH));
	client.net_remove(42, all_addresses(true));
	EXPECT_EQ(seen.type, NXA_TYPE_ANY);
	EXPECT_THROW(client.net_remove(44, all_addresses(false)), AddressError);	// no context
}

TEST(ClientAddresses, AddToAContextThatIsGoneAsksNothingMore)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_net_add_ipv6, 42))).WillOnce(Return(-ESRCH));
	EXPECT_EQ(what_thrown<AddressError>([&] { client.net_add(42, one(ip, "::1")); }),
		  "net_add_ipv6(42): there is no network context 42");
}

} // namespace
} // namespace vserver::test
