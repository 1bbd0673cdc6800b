#include <vserver/interfaces.hpp>

#include "ip_address.hpp"
#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

using namespace vserver;
using vserver::test::ip;
using vserver::test::TempDir;
using vserver::test::what_thrown;

namespace {

// A guest's configuration directory, web/, in a temporary directory.
class Interfaces : public ::testing::Test {
protected:
	std::filesystem::path cfgdir() const { return tmp.path() / "web"; }
	std::string path(const std::string &relative) const
	{
		return (cfgdir() / "interfaces" / relative).string();
	}
	// interfaces/<relative>, one line.
	void write(const std::string &relative, const std::string &value) const
	{
		tmp.write(std::filesystem::path("web/interfaces") / relative, value + "\n");
	}
	InterfacesConfig read() const { return read_interfaces(cfgdir()); }
	std::string error() const
	{
		return what_thrown<std::invalid_argument>([&] { read(); });
	}

	TempDir tmp;
};

TEST_F(Interfaces, AGoodTree)
{
	write("dev", "eth0");
	write("prefix", "24");
	write("0/ip", "10.0.0.5");
	write("1/ip", "192.168.7.9");
	write("1/dev", "eth1");
	write("1/mask", "255.255.0.0");
	write("1/bcast", "192.168.255.254");
	write("1/name", "web");
	write("1/scope", "link");
	write("2/ip", "2001:db8::5");
	write("2/prefix", "64");
	write("3/ip", "10.9.0.1");
	write("3/nodev", "");

	auto config = read();
	ASSERT_EQ(config.interfaces.size(), 4u);
	EXPECT_EQ(config.dir, cfgdir() / "interfaces");

	Interface want0;
	want0.id = "0";
	want0.ip = ip("10.0.0.5");
	want0.prefix = 24;
	want0.dev = "eth0";
	want0.broadcast = ip("10.0.0.255");
	EXPECT_EQ(config.interfaces[0], want0);

	Interface want1;
	want1.id = "1";
	want1.ip = ip("192.168.7.9");
	want1.prefix = 16;
	want1.dev = "eth1";
	want1.broadcast = ip("192.168.255.254");
	want1.label = "eth1:web";
	want1.scope = 253;
	EXPECT_EQ(config.interfaces[1], want1);

	Interface want2;
	want2.id = "2";
	want2.ip = ip("2001:db8::5");
	want2.prefix = 64;
	want2.dev = "eth0";
	EXPECT_EQ(config.interfaces[2], want2);

	Interface want3;
	want3.id = "3";
	want3.ip = ip("10.9.0.1");
	want3.prefix = 24;	// the default prefix applies to nodev too
	want3.nodev = true;
	EXPECT_EQ(config.interfaces[3], want3);
	EXPECT_TRUE(config.disabled.empty());
	EXPECT_FALSE(config.bcast);
	EXPECT_FALSE(config.lback);
}

TEST_F(Interfaces, ValuesAreTheFirstLineWithoutBlanks)
{
	tmp.write("web/interfaces/0/ip", "  10.0.0.5\t\r\nignored\n");
	tmp.write("web/interfaces/0/dev", "eth0");	// no newline
	tmp.write("web/interfaces/0/prefix", " 24 \n\n");

	auto iface = read().interfaces.at(0);
	EXPECT_EQ(iface.ip, ip("10.0.0.5"));
	EXPECT_EQ(iface.dev, "eth0");
	EXPECT_EQ(iface.prefix, 24u);
}

TEST_F(Interfaces, SortedByDirectoryNameInByteOrder)
{
	for (const char *id : {"a", "2", "10", "B"}) {
		write(std::string(id) + "/ip", std::string("10.0.0.") + std::to_string(id[0]));
		write(std::string(id) + "/nodev", "");
	}
	std::vector<std::string> ids;
	for (const auto &iface : read().interfaces)
		ids.push_back(iface.id);
	EXPECT_EQ(ids, (std::vector<std::string>{"10", "2", "B", "a"}));
}

TEST_F(Interfaces, PassesOverDotEntriesAndOtherFiles)
{
	write(".old/ip", "not even an address");
	write("README", "anything");
	write("0/ip", "10.0.0.5");
	write("0/nodev", "");
	auto config = read();
	ASSERT_EQ(config.interfaces.size(), 1u);
	EXPECT_EQ(config.interfaces[0].id, "0");
}

TEST_F(Interfaces, NoInterfacesDirectoryIsNoInterfaces)
{
	tmp.mkdir("web");
	auto config = read();
	EXPECT_TRUE(config.interfaces.empty());
	EXPECT_TRUE(config.disabled.empty());
}

TEST_F(Interfaces, AMissingConfigurationDirectoryIsAnError)
{
	EXPECT_EQ(error(), cfgdir().string() + ": No such file or directory");
	tmp.write("web", "a file\n");
	EXPECT_EQ(error(), cfgdir().string() + ": Not a directory");
}

TEST_F(Interfaces, DisabledOnesAreNotReadAtAll)
{
	write("0/ip", "10.0.0.5");
	write("0/nodev", "");
	write("1/ip", "no address");
	write("1/prefix", "99");
	write("1/disabled", "");
	auto config = read();
	ASSERT_EQ(config.interfaces.size(), 1u);
	EXPECT_EQ(config.disabled, std::vector<std::string>{"1"});
}

TEST_F(Interfaces, NodevNeedsNoDeviceAndReadsNothingOfOne)
{
	write("0/ip", "10.0.0.5");
	write("0/nodev", "");
	write("0/name", "not read");
	write("0/dev", "not:read");
	auto iface = read().interfaces.at(0);
	EXPECT_TRUE(iface.nodev);
	EXPECT_EQ(iface.dev, "");
	EXPECT_EQ(iface.label, "");
	EXPECT_FALSE(iface.broadcast);

	write("0/only_ip", "");		// util-vserver's old name
	std::filesystem::remove(cfgdir() / "interfaces/0/nodev");
	EXPECT_TRUE(read().interfaces.at(0).nodev);
}

TEST_F(Interfaces, WithoutPrefixOrMaskTheWholeAddress)
{
	write("dev", "eth0");
	write("0/ip", "10.0.0.5");
	write("1/ip", "2001:db8::5");
	auto config = read();
	EXPECT_EQ(config.interfaces[0].prefix, 32u);
	EXPECT_FALSE(config.interfaces[0].broadcast);	// /32: none, as 'broadcast +'
	EXPECT_EQ(config.interfaces[1].prefix, 128u);
}

TEST_F(Interfaces, OwnPrefixOrMaskBeforeTheDefaults)
{
	write("dev", "eth0");
	write("prefix", "24");
	write("mask", "255.0.0.0");
	write("0/ip", "10.0.0.5");		// default prefix before default mask
	write("1/ip", "10.0.1.5");
	write("1/mask", "255.255.255.128");	// own mask before default prefix
	write("2/ip", "10.0.2.5");
	write("2/prefix", "28");
	write("2/mask", "255.255.0.0");		// own prefix before own mask
	auto config = read();
	EXPECT_EQ(config.interfaces[0].prefix, 24u);
	EXPECT_EQ(config.interfaces[1].prefix, 25u);
	EXPECT_EQ(config.interfaces[2].prefix, 28u);

	std::filesystem::remove(cfgdir() / "interfaces/prefix");
	EXPECT_EQ(read().interfaces[0].prefix, 8u);	// then the default mask
}

TEST_F(Interfaces, IPv6TakesAPrefixAndHasNoBroadcast)
{
	write("dev", "eth0");
	write("prefix", "64");
	write("bcast", "10.255.255.255");	// the default is IPv4's only
	write("0/ip", "fd00::1");
	write("1/ip", "fd00::2");
	write("1/prefix", "128");
	auto config = read();
	EXPECT_EQ(config.interfaces[0].prefix, 64u);
	EXPECT_FALSE(config.interfaces[0].broadcast);
	EXPECT_EQ(config.interfaces[1].prefix, 128u);
}

TEST_F(Interfaces, BroadcastGivenDefaultOrEveryHostBitUpToSlash30)
{
	write("dev", "eth0");
	write("0/ip", "10.1.2.3");
	write("0/prefix", "30");
	write("1/ip", "10.1.2.9");
	write("1/prefix", "31");
	write("2/ip", "172.16.5.4");
	write("2/prefix", "12");
	write("3/ip", "10.1.3.1");
	write("3/prefix", "24");
	write("3/bcast", "10.1.3.0");
	auto config = read();
	EXPECT_EQ(config.interfaces[0].broadcast, ip("10.1.2.3"));
	EXPECT_FALSE(config.interfaces[1].broadcast);
	EXPECT_EQ(config.interfaces[2].broadcast, ip("172.31.255.255"));
	EXPECT_EQ(config.interfaces[3].broadcast, ip("10.1.3.0"));

	write("bcast", "10.1.2.255");		// util-vserver: the default for all
	config = read();
	EXPECT_EQ(config.interfaces[1].broadcast, ip("10.1.2.255"));
	EXPECT_EQ(config.interfaces[3].broadcast, ip("10.1.3.0"));
	EXPECT_EQ(config.bcast, ip("10.1.2.255"));
}

TEST_F(Interfaces, OwnDeviceAndScopeBeforeTheDefaults)
{
	write("dev", "eth0");
	write("scope", "host");
	write("0/ip", "10.0.0.5");
	write("1/ip", "10.0.0.6");
	write("1/dev", "eth1");
	write("1/scope", "17");
	auto config = read();
	EXPECT_EQ(config.interfaces[0].dev, "eth0");
	EXPECT_EQ(config.interfaces[0].scope, 254);
	EXPECT_EQ(config.interfaces[1].dev, "eth1");
	EXPECT_EQ(config.interfaces[1].scope, 17);
}

TEST_F(Interfaces, DownKeepsTheDeviceAsItIs)
{
	write("0/ip", "10.0.0.5");
	write("0/dev", "eth0");
	write("0/down", "");
	EXPECT_FALSE(read().interfaces[0].up);
}

TEST_F(Interfaces, TheLongestLabel)
{
	write("0/ip", "10.0.0.5");
	write("0/dev", "eth0");
	write("0/name", "abcdefghij");
	EXPECT_EQ(read().interfaces[0].label, "eth0:abcdefghij");	// 15 bytes
}

TEST_F(Interfaces, NetworkContextAddressesIncludeNodevThenBroadcastAndLoopback)
{
	write("dev", "eth0");
	write("bcast", "10.0.0.255");
	write("lback", "127.0.0.42");
	write("0/ip", "10.0.0.5");
	write("0/prefix", "24");
	write("1/ip", "10.9.0.1");
	write("1/nodev", "");
	write("2/ip", "2001:db8::5");
	write("2/prefix", "64");
	write("3/ip", "10.0.0.7");
	write("3/disabled", "");

	std::vector<std::string> texts;
	for (const auto &entry : network_addresses(read()))
		texts.push_back(to_string(entry));
	EXPECT_EQ(texts, (std::vector<std::string>{"10.0.0.5/24", "10.9.0.1", "2001:db8::5/64",
						    "broadcast 10.0.0.255", "loopback 127.0.0.42"}));

	auto entries = network_addresses(read());
	EXPECT_EQ(entries[0].type(), NXA_TYPE_ADDR);
	EXPECT_EQ(entries[3].type(), NXA_TYPE_ADDR | NXA_MOD_BCAST);
	EXPECT_EQ(entries[4].type(), NXA_TYPE_ADDR | NXA_MOD_LBACK);
}

TEST_F(Interfaces, WhatShowPrints)
{
	write("dev", "eth0");
	write("0/ip", "10.0.0.5");
	write("0/prefix", "24");
	write("0/name", "web");
	write("1/ip", "2001:db8::5");
	write("1/prefix", "64");
	write("1/down", "");
	write("1/scope", "site");
	write("2/ip", "10.0.0.9");
	write("2/nodev", "");
	write("3/ip", "10.0.0.10");
	write("3/disabled", "");
	EXPECT_EQ(show_interfaces(read()),
		  "0: 10.0.0.5/24 dev eth0 broadcast 10.0.0.255 label eth0:web\n"
		  "1: 2001:db8::5/64 dev eth0 scope site down\n"
		  "2: 10.0.0.9/32 nodev\n"
		  "disabled: 3\n"
		  "network context: 10.0.0.5/24 2001:db8::5/64 10.0.0.9\n");

	tmp.mkdir("empty");
	EXPECT_EQ(show_interfaces(read_interfaces(tmp.path() / "empty")),
		  "network context: no addresses\n");
}

TEST_F(Interfaces, ScopeNames)
{
	EXPECT_EQ(scope_name(0), "global");
	EXPECT_EQ(scope_name(200), "site");
	EXPECT_EQ(scope_name(253), "link");
	EXPECT_EQ(scope_name(254), "host");
	EXPECT_EQ(scope_name(255), "nowhere");
	EXPECT_EQ(scope_name(17), "17");
}

// A bad file: the files of a tree, and the message (after the path of
// the file it names, relative to interfaces/).
struct BadTree {
	const char *name;
	std::vector<std::pair<const char *, const char *>> files;
	const char *file;
	const char *message;
};

void PrintTo(const BadTree &t, std::ostream *os)
{
	*os << t.name;
}

class InterfacesRefuse : public Interfaces, public ::testing::WithParamInterface<BadTree> {};

TEST_P(InterfacesRefuse, NamingTheFile)
{
	for (const auto &[file, value] : GetParam().files)
		write(file, value);
	EXPECT_EQ(error(), path(GetParam().file) + ": " + GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(Table, InterfacesRefuse, ::testing::Values(
	BadTree{"no_ip", {{"0/dev", "eth0"}}, "0/ip",
		"missing (every interface needs an address)"},
	BadTree{"bad_ip", {{"0/ip", "10.0.0.256"}}, "0/ip",
		"'10.0.0.256' is not an IPv4 or IPv6 address"},
	BadTree{"ip_with_prefix", {{"0/ip", "10.0.0.5/24"}}, "0/ip",
		"'10.0.0.5/24' is not an IPv4 or IPv6 address"},
	BadTree{"empty_ip", {{"0/ip", ""}}, "0/ip", "empty (the value is the first line)"},
	BadTree{"prefix_too_long_v4", {{"0/ip", "10.0.0.5"}, {"0/dev", "eth0"}, {"0/prefix", "33"}},
		"0/prefix", "33 is not a prefix length for an IPv4 address (1..32)"},
	BadTree{"prefix_too_long_v6", {{"0/ip", "fd00::1"}, {"0/dev", "eth0"}, {"0/prefix", "129"}},
		"0/prefix", "'129' is not a prefix length"},
	BadTree{"prefix_zero", {{"0/ip", "10.0.0.5"}, {"0/prefix", "0"}}, "0/prefix",
		"'0' is not a prefix length"},
	BadTree{"prefix_words", {{"0/ip", "10.0.0.5"}, {"0/prefix", "twenty"}}, "0/prefix",
		"'twenty' is not a prefix length"},
	BadTree{"prefix_is_a_netmask", {{"0/ip", "10.0.0.5"}, {"0/prefix", "255.255.255.0"}},
		"0/prefix", "'255.255.255.0' is a netmask; it goes in the file mask"},
	BadTree{"mask_not_contiguous", {{"0/ip", "10.0.0.5"}, {"0/mask", "255.0.255.0"}},
		"0/mask", "netmask 255.0.255.0 is not contiguous"},
	BadTree{"mask_is_a_prefix", {{"0/ip", "10.0.0.5"}, {"0/mask", "24"}}, "0/mask",
		"'24' is not a netmask; a prefix length goes in the file prefix"},
	BadTree{"mask_on_ipv6", {{"0/ip", "fd00::1"}, {"0/mask", "255.255.255.0"}}, "0/mask",
		"an IPv4 netmask does not fit the IPv6 address fd00::1; give a prefix length in "
		"the file prefix"},
	BadTree{"default_prefix_too_long", {{"prefix", "48"}, {"dev", "eth0"}, {"0/ip", "fd00::1"},
		{"1/ip", "10.0.0.5"}}, "prefix", "48 is not a prefix length for an IPv4 address (1..32)"},
	BadTree{"default_prefix_bad", {{"prefix", "x"}}, "prefix", "'x' is not a prefix length"},
	BadTree{"default_mask_bad", {{"mask", "255.255.0.255"}}, "mask",
		"netmask 255.255.0.255 is not contiguous"},
	BadTree{"dev_with_colon", {{"0/ip", "10.0.0.5"}, {"0/dev", "eth0:1"}}, "0/dev",
		"'eth0:1' is not a device name (1..15 bytes, no '/', ':' or blanks)"},
	BadTree{"dev_with_blank", {{"0/ip", "10.0.0.5"}, {"0/dev", "eth 0"}}, "0/dev",
		"'eth 0' is not a device name (1..15 bytes, no '/', ':' or blanks)"},
	BadTree{"dev_too_long", {{"0/ip", "10.0.0.5"}, {"0/dev", "abcdefghijklmnop"}}, "0/dev",
		"'abcdefghijklmnop' is not a device name (1..15 bytes, no '/', ':' or blanks)"},
	BadTree{"default_dev_bad", {{"dev", "../eth0"}}, "dev",
		"'../eth0' is not a device name (1..15 bytes, no '/', ':' or blanks)"},
	BadTree{"bcast_ipv6", {{"0/ip", "10.0.0.5"}, {"0/dev", "eth0"}, {"0/bcast", "fd00::ff"}},
		"0/bcast", "'fd00::ff' is not an IPv4 address (a broadcast address is IPv4)"},
	BadTree{"bcast_on_ipv6", {{"0/ip", "fd00::5"}, {"0/dev", "eth0"}, {"0/bcast", "10.0.0.255"}},
		"0/bcast", "an IPv6 address has no broadcast address"},
	BadTree{"default_bcast_bad", {{"bcast", "all"}}, "bcast",
		"'all' is not an IPv4 address (a broadcast address is IPv4)"},
	BadTree{"lback_ipv6", {{"lback", "::1"}}, "lback",
		"'::1' is not an IPv4 address (the loopback address is IPv4)"},
	BadTree{"name_on_ipv6", {{"0/ip", "fd00::5"}, {"0/dev", "eth0"}, {"0/name", "web"}},
		"0/name", "an IPv6 address has no label (labels are IPv4's)"},
	BadTree{"label_too_long", {{"0/ip", "10.0.0.5"}, {"0/dev", "eth0"}, {"0/name", "abcdefghijk"}},
		"0/name", "the label eth0:abcdefghijk is longer than 15 bytes"},
	BadTree{"name_with_blank", {{"0/ip", "10.0.0.5"}, {"0/dev", "eth0"}, {"0/name", "a b"}},
		"0/name", "'a b' is not a label name (no '/' or blanks)"},
	BadTree{"scope_unknown", {{"0/ip", "10.0.0.5"}, {"0/dev", "eth0"}, {"0/scope", "galaxy"}},
		"0/scope", "'galaxy' is not a scope (global, site, link, host, nowhere or 0..255)"},
	BadTree{"scope_too_big", {{"scope", "256"}}, "scope",
		"'256' is not a scope (global, site, link, host, nowhere or 0..255)"},
	BadTree{"same_address_twice", {{"dev", "eth0"}, {"0/ip", "10.0.0.5"},
		{"1/ip", "10.0.0.5"}}, "1/ip", "10.0.0.5 is also the address of interface 0"},
	BadTree{"same_ipv6_address_twice", {{"dev", "eth0"}, {"a/ip", "fd00::1"},
		{"b/ip", "fd00:0::1"}, {"b/prefix", "64"}}, "b/ip",
		"fd00::1 is also the address of interface a"},
	BadTree{"indirect", {{"0/ip", "10.0.0.5"}, {"0/indirect", ""}}, "0/indirect",
		"util-vserver's 'indirect' is not supported (vserver-netif puts addresses on "
		"existing devices, nothing else)"},
	BadTree{"tun", {{"0/ip", "10.0.0.5"}, {"0/tun", ""}}, "0/tun",
		"util-vserver's 'tun' is not supported (vserver-netif puts addresses on "
		"existing devices, nothing else)"},
	BadTree{"vlandev", {{"vlandev", ""}}, "vlandev",
		"util-vserver's 'vlandev' is not supported (vserver-netif puts addresses on "
		"existing devices, nothing else)"}
), [](const auto &info) { return std::string(info.param.name); });

TEST_F(Interfaces, NoDeviceNamesBothPlaces)
{
	write("0/ip", "10.0.0.5");
	EXPECT_EQ(error(), path("0/dev") + ": missing (an interface needs a device, in it or in " +
			   path("dev") + ", or nodev for an address of the network context only)");
}

TEST_F(Interfaces, AFileThatCannotBeRead)
{
	tmp.mkdir("web/interfaces/0/ip");
	EXPECT_EQ(error(), path("0/ip") + ": Is a directory");
}

TEST_F(Interfaces, InterfacesThatIsNoDirectory)
{
	tmp.write("web/interfaces", "0\n");
	EXPECT_EQ(error(), (cfgdir() / "interfaces").string() + ": Not a directory");
}

TEST_F(Interfaces, AtMostNxMaxAddrsOfAFamily)
{
	write("dev", "eth0");
	for (int i = 0; i < NX_MAX_ADDRS; i++) {
		write(std::to_string(100 + i) + "/ip", "10.0.0." + std::to_string(i + 1));
		write(std::to_string(200 + i) + "/ip", "fd00::" + std::to_string(i + 1));
	}
	EXPECT_EQ(read().interfaces.size(), 2u * NX_MAX_ADDRS);

	write("300/ip", "10.0.1.1");
	EXPECT_EQ(error(), (cfgdir() / "interfaces").string() +
			   ": more than 64 IPv4 addresses (the most a network context may have)");
}

TEST_F(Interfaces, BadFilesOfADisabledOneAreNoError)
{
	write("0/ip", "bogus");
	write("0/disabled", "");
	write("0/indirect", "");
	EXPECT_EQ(read().disabled, std::vector<std::string>{"0"});
}

} // namespace
