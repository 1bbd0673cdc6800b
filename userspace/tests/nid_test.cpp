// Network contexts: flag and capability names, the Client's nid commands,
// ncontext's and chbind's logic.
#include "mock_transport.hpp"
#include "what_thrown.hpp"

#include <vserver/naddr.hpp>
#include <vserver/nid.hpp>
#include <vserver/vcontext.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace vserver::test {
namespace {

using ::testing::InSequence;
using ::testing::Invoke;
using ::testing::Return;
using ::testing::StrictMock;

TEST(NetworkFlags, UtilVserverNamesForEveryUapiFlag)
{
	struct {
		const char *name;
		std::uint64_t bit;
	} expected[] = {
		{"private", NXF_INFO_PRIVATE},	     {"single_ip", NXF_SINGLE_IP},
		{"lback_remap", NXF_LBACK_REMAP},    {"lback_allow", NXF_LBACK_ALLOW},
		{"hide_netif", NXF_HIDE_NETIF},	     {"hide_lback", NXF_HIDE_LBACK},
		{"state_setup", NXF_STATE_SETUP},    {"state_admin", NXF_STATE_ADMIN},
		{"sc_helper", NXF_SC_HELPER},	     {"persistent", NXF_PERSISTENT},
	};
	const auto &t = nflag_names();
	std::uint64_t previous = 0;

	for (const auto &e : expected) {
		EXPECT_EQ(find_name(t, e.name), e.bit) << e.name;
		EXPECT_LT(previous, e.bit) << e.name << ": not in bit order";
		previous = e.bit;
	}
	EXPECT_EQ(t.names.size(), std::size(expected) + 1);	// and "lock"
	EXPECT_EQ(find_name(t, "NXF_HIDE_NETIF"), NXF_HIDE_NETIF);
	EXPECT_EQ(find_name(t, "Persistent"), NXF_PERSISTENT);
	EXPECT_EQ(find_name(t, "hide"), std::nullopt);
	EXPECT_EQ(find_name(t, "fakeinit"), std::nullopt);	// a context flag
}

TEST(NetworkFlags, ListsAndErrors)
{
	FlagChange change;

	merge_name_list(change, "~hide_netif,single_ip,!NXF_LBACK_REMAP", nflag_names());
	EXPECT_EQ(change, (FlagChange{NXF_SINGLE_IP, NXF_HIDE_NETIF | NXF_LBACK_REMAP}));
	EXPECT_EQ(what_thrown<std::invalid_argument>(
			  [&] { merge_name_list(change, "persistent,bogus", nflag_names()); }),
		  "unknown network flag 'bogus'");
}

TEST(NetworkFlags, LockIsKnownButHasNoBit)
{
	for (const char *list : {"lock", "persistent,~lock", "NXF_LOCK"}) {
		FlagChange change;
		EXPECT_THAT(what_thrown<std::invalid_argument>(
				    [&] { merge_name_list(change, list, nflag_names()); }),
			    ::testing::MatchesRegex(
				    "network flag '(lock|NXF_LOCK)' is not supported by this kernel"));
	}
}

TEST(NetworkFlags, GetLine)
{
	EXPECT_EQ(nflags_line(NXF_INIT_SET),
		  "flags: 0x0000000506000200 "
		  "(lback_remap,hide_netif,hide_lback,state_setup,state_admin)\n");
	EXPECT_EQ(nflags_line(0), "flags: 0x0000000000000000 ()\n");
	EXPECT_EQ(nflags_line(NXF_PERSISTENT | 0x1), "flags: 0x0000004000000001 (persistent,0x1)\n");
	EXPECT_EQ(secure_nflags(), NXF_HIDE_NETIF);
}

TEST(NetworkCaps, NamesAndLine)
{
	const auto &t = ncap_names();

	EXPECT_EQ(find_name(t, "tun_create"), NXC_TUN_CREATE);
	EXPECT_EQ(find_name(t, "raw_icmp"), NXC_RAW_ICMP);
	EXPECT_EQ(find_name(t, "NXC_MULTICAST"), NXC_MULTICAST);
	EXPECT_EQ(find_name(t, "ping"), std::nullopt);
	EXPECT_EQ(ncaps_line(NXC_RAW_ICMP | NXC_TUN_CREATE),
		  "ncaps: 0x0000000000000101 (tun_create,raw_icmp)\n");

	FlagChange change;
	EXPECT_EQ(what_thrown<std::invalid_argument>(
			  [&] { merge_name_list(change, "raw_icmp,,multicast", t); }),
		  "invalid network capability list 'raw_icmp,,multicast': "
		  "empty network capability name");
}

// The nid commands of the Client.

TEST(ClientNetwork, CreateMigrateInfo)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_net_create seen{};
	InSequence seq;

	EXPECT_CALL(t, call(::testing::AllOf(cmd_id(VCMD_net_create, 42),
					     ::testing::Field(&vserver_call::size, 0u))))
		.WillOnce(Return(42));
	EXPECT_CALL(t, call(cmd_id(VCMD_net_create, VC_DYNAMIC_XID)))
		.WillOnce(Invoke([&](const vserver_call &call) {
			seen = data_of<vcmd_net_create>(call);
			return 49152L;
		}));
	EXPECT_CALL(t, call(::testing::AllOf(cmd_id(VCMD_net_migrate, 42),
					     ::testing::Field(&vserver_call::size, 0u))))
		.WillOnce(Return(0));
	EXPECT_CALL(t, call(cmd_id(VCMD_nx_info, 42))).WillOnce(Invoke([](const vserver_call &call) {
		vcmd_nx_info_v0 info{42};
		std::memcpy(reinterpret_cast<void *>(call.data), &info, sizeof(info));
		return 0L;
	}));
	EXPECT_EQ(client.net_create(42), 42u);
	EXPECT_EQ(client.net_create(VC_DYNAMIC_XID, NXF_INIT_SET | NXF_PERSISTENT), 49152u);
	EXPECT_EQ(seen.flagword, NXF_INIT_SET | NXF_PERSISTENT);
	client.net_migrate(42);
	EXPECT_EQ(client.nx_info(42).nid, 42u);
}

TEST(ClientNetwork, ErrorsNameTheCommand)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_net_create, VC_DYNAMIC_XID))).WillOnce(Return(-EPERM));
	EXPECT_CALL(t, call(cmd_id(VCMD_net_migrate, 7))).WillOnce(Return(-ESRCH));
	EXPECT_EQ(what_thrown<std::system_error>([&] { client.net_create(VC_DYNAMIC_XID); }),
		  "net_create(dynamic): Operation not permitted");
	EXPECT_EQ(what_thrown<std::system_error>([&] { client.net_migrate(7); }),
		  "net_migrate(7): No such process");
}

TEST(ClientNetwork, FlagsAndCaps)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_net_flags_v0 flags{};
	vcmd_net_caps_v0 caps{};
	InSequence seq;

	EXPECT_CALL(t, call(cmd_id(VCMD_get_nflags, 42))).WillOnce(Invoke([](const vserver_call &call) {
		vcmd_net_flags_v0 f{NXF_INIT_SET, ~0ULL};
		std::memcpy(reinterpret_cast<void *>(call.data), &f, sizeof(f));
		return 0L;
	}));
	EXPECT_CALL(t, call(cmd_id(VCMD_set_nflags, 42))).WillOnce(Invoke([&](const vserver_call &call) {
		flags = data_of<vcmd_net_flags_v0>(call);
		return 0L;
	}));
	EXPECT_CALL(t, call(cmd_id(VCMD_get_ncaps, 42))).WillOnce(Invoke([](const vserver_call &call) {
		vcmd_net_caps_v0 c{NXC_RAW_ICMP, NXC_RAW_ICMP | NXC_TUN_CREATE};
		std::memcpy(reinterpret_cast<void *>(call.data), &c, sizeof(c));
		return 0L;
	}));
	EXPECT_CALL(t, call(cmd_id(VCMD_set_ncaps, 42))).WillOnce(Invoke([&](const vserver_call &call) {
		caps = data_of<vcmd_net_caps_v0>(call);
		return 0L;
	}));
	EXPECT_CALL(t, call(cmd_id(VCMD_set_nflags, 42))).WillOnce(Return(-EPERM));

	EXPECT_EQ(client.get_nflags(42).flagword, NXF_INIT_SET);
	client.set_nflags(42, NXF_PERSISTENT, NXF_PERSISTENT | NXF_HIDE_NETIF);
	EXPECT_EQ(flags.flagword, NXF_PERSISTENT);
	EXPECT_EQ(flags.mask, NXF_PERSISTENT | NXF_HIDE_NETIF);
	EXPECT_EQ(client.get_ncaps(42).cmask, NXC_RAW_ICMP | NXC_TUN_CREATE);
	client.set_ncaps(42, 0, NXC_RAW_ICMP);
	EXPECT_EQ(caps.ncaps, 0u);
	EXPECT_EQ(caps.cmask, NXC_RAW_ICMP);
	EXPECT_EQ(what_thrown<std::system_error>([&] { client.set_nflags(42, 0, NXF_STATE_SETUP); }),
		  "set_nflags(42): Operation not permitted");
}

// ncontext

NcontextRequest request(NcontextRequest::Mode mode, std::optional<nid_t> nid = std::nullopt)
{
	NcontextRequest r;
	r.mode = mode;
	r.nid = nid;
	return r;
}

TEST(Ncontext, CreateStaticOrDynamic)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_net_create, 33))).WillOnce(Return(33));
	EXPECT_CALL(t, call(cmd_id(VCMD_net_create, VC_DYNAMIC_XID))).WillOnce(Return(49153));
	EXPECT_EQ(run_ncontext(client, request(NcontextRequest::create, 33)), 33u);
	EXPECT_EQ(run_ncontext(client, request(NcontextRequest::create)), 49153u);
}

class NcontextExists : public ::testing::TestWithParam<int> {};

TEST_P(NcontextExists, CreateThrowsContextExists)
{
	StrictMock<MockTransport> t;	// and does not migrate
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_net_create, 33))).WillOnce(Return(-GetParam()));
	try {
		run_ncontext(client, request(NcontextRequest::create, 33));
		FAIL() << "no exception";
	} catch (const ContextExists &e) {
		EXPECT_EQ(e.code().value(), GetParam());
		EXPECT_THAT(e.what(), ::testing::StartsWith("net_create(33): "));
	}
}

INSTANTIATE_TEST_SUITE_P(ExistsOrBusy, NcontextExists, ::testing::Values(EEXIST, EBUSY),
			 [](const auto &info) { return info.param == EEXIST ? "EEXIST" : "EBUSY"; });

TEST(Ncontext, OtherCreateErrorsAreNoContextExists)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_net_create, 33))).WillOnce(Return(-EPERM));
	try {
		run_ncontext(client, request(NcontextRequest::create, 33));
		FAIL() << "no exception";
	} catch (const ContextExists &) {
		FAIL() << "EPERM taken for 'exists'";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::operation_not_permitted);
	}
}

TEST(Ncontext, MigrateAndMigrateSelf)
{
	StrictMock<MockTransport> t;	// migrate-self migrates nowhere
	Client client(t);
	InSequence seq;

	EXPECT_CALL(t, call(cmd_id(VCMD_net_migrate, 40))).WillOnce(Return(0));
	EXPECT_CALL(t, call(cmd_id(VCMD_task_nid, 0))).WillOnce(Return(40));
	EXPECT_CALL(t, call(cmd_id(VCMD_task_nid, 0))).WillOnce(Return(0));
	EXPECT_EQ(run_ncontext(client, request(NcontextRequest::migrate, 40)), 40u);
	EXPECT_EQ(run_ncontext(client, request(NcontextRequest::migrate_self)), 40u);
	EXPECT_EQ(what_thrown<std::invalid_argument>(
			  [&] { run_ncontext(client, request(NcontextRequest::migrate_self)); }),
		  "--migrate-self: not in a network context (nid 0)");
	EXPECT_THROW(run_ncontext(client, request(NcontextRequest::migrate)), std::invalid_argument);
}

// chbind

ChbindRequest chbind_request(std::optional<nid_t> nid, std::vector<AddressOption> options)
{
	ChbindRequest r;
	r.nid = nid;
	r.addresses = parse_addresses(options);
	return r;
}

TEST(Chbind, CreatesSetsAddsAndEndsTheSetupInThatOrder)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_net_flags_v0 flags{}, end{};
	vcmd_net_caps_v0 caps{};
	vcmd_net_addr_ipv4_v2 first{}, bcast{};
	vcmd_net_addr_ipv6_v1 second{};
	InSequence seq;

	auto r = chbind_request(std::nullopt, {{AddressOption::ip, "10.0.0.1/24"},
					       {AddressOption::ip, "2001:db8::1"},
					       {AddressOption::bcast, "10.0.0.255"}});
	r.nflags = FlagChange{NXF_SINGLE_IP, NXF_HIDE_LBACK};
	r.ncaps = FlagChange{NXC_RAW_ICMP, 0};
	auto keep = [](auto &seen) {
		return [&seen](const vserver_call &call) {
			seen = data_of<std::remove_reference_t<decltype(seen)>>(call);
			return 0L;
		};
	};
	EXPECT_CALL(t, call(cmd_id(VCMD_net_create, VC_DYNAMIC_XID))).WillOnce(Return(49160));
	EXPECT_CALL(t, call(cmd_id(VCMD_set_ncaps, 49160))).WillOnce(Invoke(keep(caps)));
	EXPECT_CALL(t, call(cmd_id(VCMD_set_nflags, 49160))).WillOnce(Invoke(keep(flags)));
	EXPECT_CALL(t, call(cmd_id(VCMD_net_add_ipv4, 49160))).WillOnce(Invoke(keep(first)));
	EXPECT_CALL(t, call(cmd_id(VCMD_net_add_ipv6, 49160))).WillOnce(Invoke(keep(second)));
	EXPECT_CALL(t, call(cmd_id(VCMD_net_add_ipv4, 49160))).WillOnce(Invoke(keep(bcast)));
	EXPECT_CALL(t, call(cmd_id(VCMD_set_nflags, 49160))).WillOnce(Invoke(keep(end)));

	auto entry = run_chbind(client, r);
	EXPECT_EQ(entry.nid, 49160u);
	EXPECT_TRUE(entry.created);
	EXPECT_EQ(caps.ncaps, NXC_RAW_ICMP);
	EXPECT_EQ(caps.cmask, NXC_RAW_ICMP);
	EXPECT_EQ(flags.flagword, NXF_SINGLE_IP);
	EXPECT_EQ(flags.mask, NXF_SINGLE_IP | NXF_HIDE_LBACK);
	EXPECT_EQ(first.type, NXA_TYPE_ADDR);
	EXPECT_EQ(second.prefix, 128u);
	EXPECT_EQ(bcast.type, NXA_TYPE_ADDR | NXA_MOD_BCAST);
	EXPECT_EQ(end.flagword, 0u);
	EXPECT_EQ(end.mask, NXF_STATE_SETUP);
}

TEST(Chbind, NothingToChangeStillEndsTheSetup)
{
	StrictMock<MockTransport> t;
	Client client(t);
	InSequence seq;

	EXPECT_CALL(t, call(cmd_id(VCMD_net_create, 42))).WillOnce(Return(42));
	EXPECT_CALL(t, call(cmd_id(VCMD_net_add_ipv4, 42))).WillOnce(Return(0));
	EXPECT_CALL(t, call(cmd_id(VCMD_set_nflags, 42))).WillOnce(Return(0));
	EXPECT_TRUE(run_chbind(client, chbind_request(42, {{AddressOption::ip, "10.5.0.1"}})).created);
}

class ChbindJoins : public ::testing::TestWithParam<int> {};

TEST_P(ChbindJoins, AnExistingContextAsItIs)
{
	StrictMock<MockTransport> t;	// no flags, no addresses, no end of setup
	Client client(t);
	InSequence seq;

	auto r = chbind_request(42, {{AddressOption::ip, "10.5.0.1"}});
	r.nflags = FlagChange{NXF_SINGLE_IP, 0};
	EXPECT_CALL(t, call(cmd_id(VCMD_net_create, 42))).WillOnce(Return(-GetParam()));
	EXPECT_CALL(t, call(cmd_id(VCMD_net_migrate, 42))).WillOnce(Return(0));
	auto entry = run_chbind(client, r);
	EXPECT_EQ(entry.nid, 42u);
	EXPECT_FALSE(entry.created);
}

INSTANTIATE_TEST_SUITE_P(ExistsOrBusy, ChbindJoins, ::testing::Values(EEXIST, EBUSY),
			 [](const auto &info) { return info.param == EEXIST ? "EEXIST" : "EBUSY"; });

TEST(Chbind, AnAddressRefusedStopsBeforeTheEndOfSetup)
{
	StrictMock<MockTransport> t;
	Client client(t);
	InSequence seq;

	auto r = chbind_request(42, {{AddressOption::ip, "10.5.0.1"}, {AddressOption::ip, "10.5.0.2"}});
	EXPECT_CALL(t, call(cmd_id(VCMD_net_create, 42))).WillOnce(Return(42));
	EXPECT_CALL(t, call(cmd_id(VCMD_net_add_ipv4, 42))).WillOnce(Return(-EPERM));
	EXPECT_THAT(what_thrown<AddressError>([&] { run_chbind(client, r); }),
		    ::testing::StartsWith("net_add_ipv4(42): 10.5.0.1: Operation not permitted"));
}

TEST(Chbind, OtherCreateErrorsPropagate)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_net_create, 42))).WillOnce(Return(-EPERM));
	EXPECT_THROW(run_chbind(client, chbind_request(42, {})), std::system_error);
}

TEST(Chbind, StateSetupIsChbindsOwn)
{
	StrictMock<MockTransport> t;	// not a single call
	Client client(t);

	auto r = chbind_request(42, {});
	r.nflags = FlagChange{0, NXF_STATE_SETUP};
	EXPECT_THROW(run_chbind(client, r), std::invalid_argument);
}

TEST(Chbind, Message)
{
	EXPECT_EQ(new_network_message(49152), "New network context is 49152\n");
}

} // namespace
} // namespace vserver::test
