// NetlinkNetwork against the kernel, in a network namespace of the test's
// own (its loopback device, down, without addresses); skipped where the
// tests may not make one (not root).
#include <vserver/netlink.hpp>

#include <vserver/transport.hpp>

#include "ip_address.hpp"
#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <sched.h>
#include <string>
#include <vector>

using namespace vserver;
using vserver::test::ip;
using vserver::test::TempDir;
using vserver::test::what_thrown;

namespace {

Interface interface(const char *addr, unsigned prefix)
{
	Interface iface;
	iface.id = "0";
	iface.ip = ip(addr);
	iface.prefix = prefix;
	iface.dev = "lo";
	return iface;
}

class Netlink : public ::testing::Test {
protected:
	void SetUp() override
	{
		home_.reset(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
		if (home_.get() < 0 || ::unshare(CLONE_NEWNET) < 0)
			GTEST_SKIP() << "no network namespace of its own: " << std::strerror(errno);
		entered_ = true;
		net = std::make_unique<NetlinkNetwork>();
	}

	void TearDown() override
	{
		net.reset();	// its socket belongs to the namespace
		if (entered_ && ::setns(home_.get(), CLONE_NEWNET) < 0)
			std::abort();	// the other tests must not run in here
	}

	Device lo() { return net->device("lo").value(); }

	// The addresses of lo, "10.3.0.5/24" or "10.3.0.6/24 secondary".
	std::vector<std::string> addresses()
	{
		std::vector<std::string> out;
		for (const auto &a : lo().addresses)
			out.push_back(address_text(a.ip, a.prefix) + (a.secondary ? " secondary" : ""));
		return out;
	}

	std::unique_ptr<NetlinkNetwork> net;

private:
	UniqueFd home_;
	bool entered_ = false;
};

TEST_F(Netlink, FindsADeviceAndItsState)
{
	auto dev = lo();
	EXPECT_EQ(dev.name, "lo");
	EXPECT_EQ(dev.index, 1);
	EXPECT_FALSE(dev.up);
	EXPECT_TRUE(dev.addresses.empty());
	EXPECT_FALSE(net->device("vsnet9"));
}

TEST_F(Netlink, AddsAndRemovesAnAddressSayingWhatIsThereAndWhatIsNot)
{
	auto iface = interface("10.3.0.5", 24);
	iface.broadcast = ip("10.3.0.255");
	iface.label = "lo:web";
	iface.scope = 0;

	EXPECT_EQ(net->add_address(lo(), iface), 0);
	EXPECT_EQ(addresses(), std::vector<std::string>{"10.3.0.5/24"});
	EXPECT_EQ(net->add_address(lo(), iface), EEXIST);
	EXPECT_EQ(net->remove_address(lo(), iface.ip, 16), EADDRNOTAVAIL);	// another prefix
	EXPECT_EQ(net->remove_address(lo(), iface.ip, 24), 0);
	EXPECT_TRUE(addresses().empty());
	EXPECT_EQ(net->remove_address(lo(), iface.ip, 24), EADDRNOTAVAIL);
}

TEST_F(Netlink, IPv6)
{
	auto iface = interface("fd00:3::5", 64);

	EXPECT_EQ(net->add_address(lo(), iface), 0);
	EXPECT_EQ(addresses(), std::vector<std::string>{"fd00:3::5/64"});
	iface.prefix = 80;
	EXPECT_EQ(net->add_address(lo(), iface), EEXIST);	// whatever the prefix
	EXPECT_EQ(net->remove_address(lo(), iface.ip, 64), 0);
	EXPECT_TRUE(addresses().empty());
}

TEST_F(Netlink, TheKernelsRefusalAsItsErrno)
{
	Device gone = lo();
	gone.index = 999;
	EXPECT_EQ(net->add_address(gone, interface("10.3.0.5", 24)), ENODEV);
	EXPECT_EQ(net->set_up(gone, true), ENODEV);
}

TEST_F(Netlink, SecondaryAddressesAndTheirPromotion)
{
	EXPECT_EQ(net->add_address(lo(), interface("10.3.0.1", 24)), 0);
	EXPECT_EQ(net->add_address(lo(), interface("10.3.0.2", 24)), 0);
	EXPECT_EQ(addresses(), (std::vector<std::string>{"10.3.0.1/24", "10.3.0.2/24 secondary"}));

	EXPECT_FALSE(net->promotes_secondaries("lo"));
	std::ofstream("/proc/sys/net/ipv4/conf/lo/promote_secondaries") << "1\n";
	EXPECT_TRUE(net->promotes_secondaries("lo"));
	EXPECT_FALSE(net->promotes_secondaries("vsnet9"));
}

TEST_F(Netlink, BringsADeviceUpAndDown)
{
	EXPECT_EQ(net->set_up(lo(), true), 0);
	EXPECT_TRUE(lo().up);
	EXPECT_EQ(net->set_up(lo(), false), 0);
	EXPECT_FALSE(lo().up);
}

// 'vserver-netif web up' and 'down' on lo, through the kernel.
TEST_F(Netlink, UpAndDownChangeExactlyTheGuestsAddresses)
{
	TempDir tmp;
	tmp.write("web/interfaces/dev", "lo\n");
	tmp.write("web/interfaces/prefix", "24\n");
	tmp.write("web/interfaces/0/ip", "10.4.0.1\n");		// there before
	tmp.write("web/interfaces/1/ip", "10.4.0.5\n");
	tmp.write("web/interfaces/1/name", "web\n");
	tmp.write("web/interfaces/2/ip", "fd00:4::5\n");
	tmp.write("web/interfaces/2/prefix", "64\n");
	tmp.write("web/interfaces/3/ip", "10.9.0.1\n");
	tmp.write("web/interfaces/3/nodev", "");
	auto config = read_interfaces(tmp.path() / "web");
	AddressRecord record(tmp.path() / "run/interfaces");
	std::vector<std::string> said;
	Say say = [&](std::string_view line) { said.emplace_back(line); };

	ASSERT_EQ(net->add_address(lo(), interface("10.4.0.1", 24)), 0);
	interfaces_up(*net, config, record, say);
	EXPECT_TRUE(lo().up);
	auto up = addresses();
	std::sort(up.begin(), up.end());
	EXPECT_EQ(up, (std::vector<std::string>{"10.4.0.1/24", "10.4.0.5/24 secondary",
						"127.0.0.1/8", "::1/128", "fd00:4::5/64"}));
	EXPECT_EQ(record.read().size(), 2u);

	interfaces_down(*net, record, say);
	auto down = addresses();
	std::sort(down.begin(), down.end());
	EXPECT_EQ(down, (std::vector<std::string>{"10.4.0.1/24", "127.0.0.1/8", "::1/128"}));
	EXPECT_FALSE(record.exists());
	EXPECT_EQ(said, (std::vector<std::string>{
		"10.4.0.1/24 is on lo already: left alone", "brought lo up",
		"added 10.4.0.5/24 to lo", "added fd00:4::5/64 to lo",
		"removed fd00:4::5/64 from lo", "removed 10.4.0.5/24 from lo"}));
}

TEST_F(Netlink, UpWithAMissingDeviceChangesNothing)
{
	Interface there = interface("10.5.0.5", 24);
	Interface missing = interface("10.5.0.6", 24);
	missing.dev = "vsnet9";
	InterfacesConfig config;
	config.interfaces = {there, missing};
	TempDir tmp;
	AddressRecord record(tmp.path() / "run/interfaces");

	EXPECT_EQ(what_thrown<NetifError>([&] { interfaces_up(*net, config, record, [](std::string_view) {}); }),
		  "cannot add 10.5.0.6/24 to vsnet9: No such device");
	EXPECT_TRUE(addresses().empty());
	EXPECT_FALSE(lo().up);
	EXPECT_FALSE(record.exists());
}

} // namespace
