#include <vserver/netif.hpp>

#include "ip_address.hpp"
#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace vserver;
using vserver::test::ip;
using vserver::test::TempDir;
using vserver::test::what_thrown;
using Lines = std::vector<std::string>;

namespace {

std::string slurp(const std::filesystem::path &file)
{
	std::ifstream in(file);
	return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Devices and their addresses in memory; every change logged in calls.
class FakeNetwork : public HostNetwork {
public:
	void add_device(const std::string &name, bool up, std::vector<DeviceAddress> addresses = {})
	{
		devices[name] = Device{name, static_cast<int>(devices.size()) + 2, up, addresses};
	}

	std::optional<Device> device(const std::string &name) override
	{
		auto it = devices.find(name);
		if (it == devices.end())
			return std::nullopt;
		return it->second;
	}

	int add_address(const Device &dev, const Interface &iface) override
	{
		std::string call = "add " + address_text(iface.ip, iface.prefix) + " " + dev.name;
		if (iface.broadcast)
			call += " broadcast " + to_string(*iface.broadcast);
		if (!iface.label.empty())
			call += " label " + iface.label;
		if (int err = log(call))
			return err;
		auto &addresses = devices.at(dev.name).addresses;
		for (const auto &a : addresses)
			if (a.ip == iface.ip)
				return EEXIST;
		addresses.push_back({iface.ip, iface.prefix, false});
		return 0;
	}

	int remove_address(const Device &dev, const IpAddress &addr, unsigned prefix) override
	{
		if (int err = log("remove " + address_text(addr, prefix) + " " + dev.name))
			return err;
		auto &addresses = devices.at(dev.name).addresses;
		for (auto it = addresses.begin(); it != addresses.end(); ++it) {
			if (it->ip == addr && it->prefix == prefix) {
				addresses.erase(it);
				return 0;
			}
		}
		return EADDRNOTAVAIL;
	}

	int set_up(const Device &dev, bool up) override
	{
		if (int err = log((up ? "up " : "down ") + dev.name))
			return err;
		devices.at(dev.name).up = up;
		return 0;
	}

	bool promotes_secondaries(const std::string &dev) override
	{
		return promoting.count(dev) > 0;
	}

	std::map<std::string, Device> devices;
	std::map<std::string, int> failures;	// a call as logged -> its errno
	std::set<std::string> promoting;
	Lines calls;

private:
	int log(const std::string &call)
	{
		calls.push_back(call);
		auto it = failures.find(call);
		return it == failures.end() ? 0 : it->second;
	}
};

Interface interface(const char *id, const char *addr, unsigned prefix, const char *dev)
{
	Interface iface;
	iface.id = id;
	iface.ip = ip(addr);
	iface.prefix = prefix;
	iface.dev = dev;
	iface.nodev = *dev == '\0';
	return iface;
}

class Netif : public ::testing::Test {
protected:
	std::filesystem::path rundir() const { return tmp.path() / "run/web"; }
	std::string record_text(const std::string &lines) const
	{
		return "# vserver-netif: the addresses added to host devices, which 'down' "
		       "removes\n" + lines;
	}
	// A record of addresses, as up leaves it.
	void recorded(std::vector<AddedAddress> addresses)
	{
		ASSERT_TRUE(record.create());
		record.write(addresses);
	}
	std::string up()
	{
		return what_thrown<NetifError>([&] { interfaces_up(net, config, record, say); });
	}
	std::string down()
	{
		return what_thrown<NetifError>([&] { interfaces_down(net, record, say); });
	}

	TempDir tmp;
	FakeNetwork net;
	InterfacesConfig config;
	AddressRecord record{tmp.path() / "run/web/interfaces"};
	Lines said;
	Say say = [this](std::string_view line) { said.emplace_back(line); };
};

TEST_F(Netif, UpAddsEachAddressBringsTheDeviceUpAndRecordsIt)
{
	net.add_device("vsnet0", false);
	net.add_device("eth1", true);
	config.interfaces = {interface("0", "10.0.0.5", 24, "vsnet0"),
			     interface("1", "10.9.0.1", 32, ""),
			     interface("2", "2001:db8::5", 64, "eth1"),
			     interface("3", "10.0.1.5", 24, "vsnet0")};
	config.interfaces[0].broadcast = ip("10.0.0.255");
	config.interfaces[0].label = "vsnet0:web";

	EXPECT_EQ(up(), "no exception");
	EXPECT_EQ(net.calls, (Lines{"add 10.0.0.5/24 vsnet0 broadcast 10.0.0.255 label vsnet0:web",
				    "up vsnet0", "add 2001:db8::5/64 eth1", "add 10.0.1.5/24 vsnet0"}));
	EXPECT_EQ(said, (Lines{"added 10.0.0.5/24 to vsnet0", "brought vsnet0 up",
			       "added 2001:db8::5/64 to eth1", "added 10.0.1.5/24 to vsnet0"}));
	EXPECT_EQ(slurp(record.file()), record_text("vsnet0 10.0.0.5/24\neth1 2001:db8::5/64\n"
						    "vsnet0 10.0.1.5/24\n"));
	EXPECT_EQ(record.read().size(), 3u);
}

TEST_F(Netif, UpLeavesAloneWhatIsThereAndDoesNotRecordIt)
{
	net.add_device("vsnet0", true, {{ip("10.0.0.1"), 24, false}, {ip("10.0.0.2"), 16, false}});
	config.interfaces = {interface("0", "10.0.0.1", 24, "vsnet0"),
			     interface("1", "10.0.0.2", 24, "vsnet0"),
			     interface("2", "10.0.0.3", 24, "vsnet0")};
	net.failures["add 10.0.0.3/24 vsnet0"] = EEXIST;	// came in the meantime

	EXPECT_EQ(up(), "no exception");
	EXPECT_EQ(net.calls, (Lines{"add 10.0.0.3/24 vsnet0"}));
	EXPECT_EQ(said, (Lines{"10.0.0.1/24 is on vsnet0 already: left alone",
			       "10.0.0.2/24 is on vsnet0 already (as 10.0.0.2/16): left alone",
			       "10.0.0.3/24 is on vsnet0 already: left alone"}));
	EXPECT_EQ(slurp(record.file()), record_text(""));	// up, nothing added

	said.clear();
	EXPECT_EQ(down(), "no exception");
	EXPECT_EQ(net.calls.size(), 1u);	// nothing removed
	EXPECT_TRUE(said.empty());
	EXPECT_FALSE(record.exists());
}

TEST_F(Netif, UpLooksUpEveryDeviceBeforeChangingAnything)
{
	net.add_device("vsnet0", false);
	config.interfaces = {interface("0", "10.0.0.5", 24, "vsnet0"),
			     interface("1", "10.0.0.6", 24, "eth7")};

	EXPECT_EQ(up(), "cannot add 10.0.0.6/24 to eth7: No such device");
	EXPECT_TRUE(net.calls.empty());
	EXPECT_FALSE(std::filesystem::exists(rundir()));
}

TEST_F(Netif, UpTwiceIsRefused)
{
	net.add_device("vsnet0", true);
	config.interfaces = {interface("0", "10.0.0.5", 24, "vsnet0")};
	EXPECT_EQ(up(), "no exception");
	net.calls.clear();

	EXPECT_EQ(up(), "the interfaces are up already (" + record.file().string() +
				" exists; take them down first)");
	EXPECT_TRUE(net.calls.empty());
}

TEST_F(Netif, AFailureInTheMiddleTakesBackWhatUpDid)
{
	net.add_device("vsnet0", false, {{ip("10.0.0.1"), 24, false}});
	net.add_device("eth1", true);
	config.interfaces = {interface("0", "10.0.0.1", 24, "vsnet0"),
			     interface("1", "10.0.0.5", 24, "vsnet0"),
			     interface("2", "10.0.1.5", 24, "eth1"),
			     interface("3", "10.0.2.5", 24, "eth1")};
	net.failures["add 10.0.2.5/24 eth1"] = EPERM;

	EXPECT_EQ(up(), "cannot add 10.0.2.5/24 to eth1: Operation not permitted");
	EXPECT_EQ(net.calls, (Lines{"up vsnet0", "add 10.0.0.5/24 vsnet0", "add 10.0.1.5/24 eth1",
				    "add 10.0.2.5/24 eth1", "remove 10.0.1.5/24 eth1",
				    "remove 10.0.0.5/24 vsnet0", "down vsnet0"}));
	EXPECT_EQ(said.back(), "brought vsnet0 down again");
	EXPECT_EQ(net.devices["vsnet0"].addresses.size(), 1u);	// 10.0.0.1, as before
	EXPECT_TRUE(net.devices["eth1"].addresses.empty());
	EXPECT_FALSE(record.exists());
	EXPECT_FALSE(std::filesystem::exists(rundir()));	// up made it, up removed it
}

TEST_F(Netif, ARunDirectoryThatWasThereStays)
{
	net.add_device("vsnet0", true);
	config.interfaces = {interface("0", "10.0.0.5", 24, "vsnet0")};
	net.failures["add 10.0.0.5/24 vsnet0"] = EACCES;
	tmp.mkdir("run/web");

	EXPECT_EQ(up(), "cannot add 10.0.0.5/24 to vsnet0: Permission denied");
	EXPECT_TRUE(std::filesystem::is_directory(rundir()));
	EXPECT_FALSE(record.exists());
}

TEST_F(Netif, BringingTheDeviceUpFailingTakesBackItsAddress)
{
	net.add_device("vsnet0", false);
	config.interfaces = {interface("0", "10.0.0.5", 24, "vsnet0")};
	net.failures["up vsnet0"] = ENETDOWN;

	EXPECT_EQ(up(), "cannot bring vsnet0 up: Network is down");
	EXPECT_EQ(net.calls, (Lines{"add 10.0.0.5/24 vsnet0", "up vsnet0",
				    "remove 10.0.0.5/24 vsnet0"}));
	EXPECT_FALSE(record.exists());
}

TEST_F(Netif, WhatCannotBeTakenBackStaysInTheRecord)
{
	net.add_device("vsnet0", true);
	config.interfaces = {interface("0", "10.0.0.5", 24, "vsnet0"),
			     interface("1", "10.0.0.6", 24, "vsnet0")};
	net.failures["add 10.0.0.6/24 vsnet0"] = ENOMEM;
	net.failures["remove 10.0.0.5/24 vsnet0"] = EBUSY;

	EXPECT_EQ(up(), "cannot add 10.0.0.6/24 to vsnet0: Cannot allocate memory\n"
			"and what was done could not all be taken back:\n"
			"cannot remove 10.0.0.5/24 from vsnet0: Device or resource busy\n" +
			record.file().string() + " keeps what is left, for 'down'");
	EXPECT_EQ(slurp(record.file()), record_text("vsnet0 10.0.0.5/24\n"));
}

TEST_F(Netif, UpLeavesADeviceDownWithDownAndAnUpOneAlone)
{
	net.add_device("vsnet0", false);
	net.add_device("eth1", true);
	config.interfaces = {interface("0", "10.0.0.5", 24, "vsnet0"),
			     interface("1", "10.0.1.5", 24, "eth1")};
	config.interfaces[0].up = false;

	EXPECT_EQ(up(), "no exception");
	EXPECT_EQ(net.calls, (Lines{"add 10.0.0.5/24 vsnet0", "add 10.0.1.5/24 eth1"}));
	EXPECT_FALSE(net.devices["vsnet0"].up);
}

TEST_F(Netif, DownRemovesTheRecordedAddressesLastFirst)
{
	net.add_device("vsnet0", true, {{ip("10.0.0.1"), 24, false}});
	config.interfaces = {interface("0", "10.0.0.5", 24, "vsnet0"),
			     interface("1", "2001:db8::5", 64, "vsnet0")};
	ASSERT_EQ(up(), "no exception");
	net.calls.clear();
	said.clear();

	EXPECT_EQ(down(), "no exception");
	EXPECT_EQ(net.calls, (Lines{"remove 2001:db8::5/64 vsnet0", "remove 10.0.0.5/24 vsnet0"}));
	EXPECT_EQ(said, (Lines{"removed 2001:db8::5/64 from vsnet0", "removed 10.0.0.5/24 from vsnet0"}));
	EXPECT_EQ(net.devices["vsnet0"].addresses.size(), 1u);	// 10.0.0.1 stays
	EXPECT_TRUE(net.devices["vsnet0"].up);			// and so does the device
	EXPECT_FALSE(record.exists());
}

TEST_F(Netif, DownWithoutARecordDoesNothing)
{
	EXPECT_EQ(down(), "no exception");
	EXPECT_TRUE(net.calls.empty());
	EXPECT_TRUE(said.empty());
}

TEST_F(Netif, DownPassesOverWhatIsGone)
{
	net.add_device("vsnet0", true, {{ip("10.0.0.6"), 16, false}});
	recorded({{"vsnet0", ip("10.0.0.5"), 24},
		  {"vsnet0", ip("10.0.0.6"), 24},	// another prefix now
		  {"eth9", ip("10.0.9.5"), 24}});	// no device now

	EXPECT_EQ(down(), "no exception");
	EXPECT_TRUE(net.calls.empty());
	EXPECT_EQ(said, (Lines{"10.0.9.5/24 is no longer on eth9", "10.0.0.6/24 is no longer on vsnet0",
			       "10.0.0.5/24 is no longer on vsnet0"}));
	EXPECT_FALSE(record.exists());
}

TEST_F(Netif, DownKeepsWhatItCannotRemoveAndRemovesTheRest)
{
	net.add_device("vsnet0", true, {{ip("10.0.0.5"), 24, false}, {ip("10.0.1.5"), 24, false}});
	recorded({{"vsnet0", ip("10.0.0.5"), 24},
		  {"vsnet0", ip("10.0.1.5"), 24}});
	net.failures["remove 10.0.1.5/24 vsnet0"] = EPERM;

	EXPECT_EQ(down(), "cannot remove 10.0.1.5/24 from vsnet0: Operation not permitted\n" +
				  record.file().string() + " keeps what is left, for another 'down'");
	EXPECT_EQ(slurp(record.file()), record_text("vsnet0 10.0.1.5/24\n"));
	EXPECT_EQ(net.devices["vsnet0"].addresses.size(), 1u);
}

TEST_F(Netif, DownTakesNoSecondaryAddressAlongThatItDidNotAdd)
{
	// 10.0.0.5 is the primary address of 10.0.0.0/24; removing it would
	// remove 10.0.0.6 too, unless the device promotes secondaries.
	net.add_device("vsnet0", true, {{ip("10.0.0.5"), 24, false}, {ip("10.0.0.6"), 24, true},
					{ip("10.0.0.7"), 16, true}, {ip("10.0.1.5"), 24, false}});
	recorded({{"vsnet0", ip("10.0.0.5"), 24},
		  {"vsnet0", ip("10.0.1.5"), 24}});

	EXPECT_EQ(down(), "cannot remove 10.0.0.5/24 from vsnet0: the kernel would remove "
			  "10.0.0.6/24 with it, which this guest did not add "
			  "(net.ipv4.conf.vsnet0.promote_secondaries is 0)\n" +
			  record.file().string() + " keeps what is left, for another 'down'");
	EXPECT_EQ(net.calls, (Lines{"remove 10.0.1.5/24 vsnet0"}));
	EXPECT_EQ(slurp(record.file()), record_text("vsnet0 10.0.0.5/24\n"));

	net.promoting.insert("vsnet0");
	EXPECT_EQ(down(), "no exception");
	EXPECT_EQ(net.calls.back(), "remove 10.0.0.5/24 vsnet0");
	EXPECT_FALSE(record.exists());
}

TEST_F(Netif, DownMayTakeItsOwnSecondaryAddressesAlong)
{
	net.add_device("vsnet0", true, {{ip("10.0.0.5"), 24, false}, {ip("10.0.0.6"), 24, true}});
	// the secondary first: removed last first, the primary goes first
	recorded({{"vsnet0", ip("10.0.0.6"), 24},
		  {"vsnet0", ip("10.0.0.5"), 24}});

	EXPECT_EQ(down(), "no exception");
	EXPECT_EQ(net.calls.front(), "remove 10.0.0.5/24 vsnet0");
}

TEST_F(Netif, TheRecordIsReadBackAsWritten)
{
	std::vector<AddedAddress> addresses{{"vsnet0", ip("10.0.0.5"), 24},
					    {"eth1", ip("2001:db8::5"), 64},
					    {"eth1", ip("10.0.1.1"), 32}};
	EXPECT_FALSE(record.exists());
	EXPECT_TRUE(record.create());
	EXPECT_TRUE(record.exists());
	EXPECT_FALSE(record.create());		// there is one
	EXPECT_TRUE(record.read().empty());
	record.write(addresses);
	EXPECT_EQ(record.read(), addresses);
	// written whole, through a file renamed over it: nothing else is left
	EXPECT_EQ(std::distance(std::filesystem::directory_iterator(rundir()),
				std::filesystem::directory_iterator()), 1);
	record.remove();
	EXPECT_FALSE(record.exists());
	record.remove();			// gone is gone
	EXPECT_EQ(to_string(addresses[1]), "2001:db8::5/64 on eth1");
}

TEST_F(Netif, ARecordThatIsNoRecord)
{
	auto error = [&](const std::string &text) {
		tmp.write("run/web/interfaces", text);
		return what_thrown<std::runtime_error>([&] { record.read(); });
	};
	std::string file = record.file().string();

	EXPECT_EQ(error("# comment\n\nvsnet0\n"), file + ":3: not 'DEVICE ADDRESS/PREFIX'");
	EXPECT_EQ(error("vsnet0 10.0.0.5/24 extra\n"), file + ":1: not 'DEVICE ADDRESS/PREFIX'");
	EXPECT_EQ(error("vsnet0 10.0.0.5\n"), file + ":1: '10.0.0.5' is not ADDRESS/PREFIX");
	EXPECT_EQ(error("vsnet0 10.0.0.5/33\n"), file + ":1: prefix length 33 is out of range 1..32");
	EXPECT_EQ(error("vsnet0 10.0.0.5/255.0.0.0\n"),
		  file + ":1: '10.0.0.5/255.0.0.0' is not ADDRESS/PREFIX");
	std::filesystem::remove(record.file());
	tmp.mkdir("run/web/interfaces");
	EXPECT_EQ(what_thrown<std::runtime_error>([&] { record.read(); }),
		  file + ": Is a directory");
}

} // namespace
