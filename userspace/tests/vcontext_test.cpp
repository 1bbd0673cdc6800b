// vcontext's create / migrate / migrate-self logic.
#include "mock_transport.hpp"

#include <vserver/vcontext.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace vserver::test {
namespace {

using ::testing::AllOf;
using ::testing::Field;
using ::testing::InSequence;
using ::testing::Invoke;
using ::testing::Return;
using ::testing::StrictMock;

// get_cflags answering flags.
auto flags_are(std::uint64_t flags)
{
	return [flags](const vserver_call &call) {
		vcmd_ctx_flags_v0 f{flags, ~0ULL};
		std::memcpy(reinterpret_cast<void *>(call.data), &f, sizeof(f));
		return 0L;
	};
}

// set_cflags, remembering what it was asked.
auto records(vcmd_ctx_flags_v0 &seen)
{
	return [&seen](const vserver_call &call) {
		seen = data_of<vcmd_ctx_flags_v0>(call);
		return 0L;
	};
}

VcontextRequest request(VcontextRequest::Mode mode, std::optional<xid_t> xid = std::nullopt)
{
	VcontextRequest r;
	r.mode = mode;
	r.xid = xid;
	return r;
}

TEST(Vcontext, CreateStatic)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 33))).WillOnce(Return(33));
	EXPECT_EQ(run_vcontext(client, request(VcontextRequest::create, 33)), 33u);
}

TEST(Vcontext, CreateDynamic)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, VC_DYNAMIC_XID))).WillOnce(Return(49152));
	EXPECT_EQ(run_vcontext(client, request(VcontextRequest::create)), 49152u);
}

class VcontextExists : public ::testing::TestWithParam<int> {};

TEST_P(VcontextExists, CreateThrowsContextExistsAndDoesNotMigrate)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 33))).WillOnce(Return(-GetParam()));
	try {
		run_vcontext(client, request(VcontextRequest::create, 33));
		FAIL() << "no exception";
	} catch (const ContextExists &e) {
		EXPECT_EQ(e.code().value(), GetParam());
		EXPECT_THAT(e.what(), ::testing::StartsWith("ctx_create(33): "));
	}
}

INSTANTIATE_TEST_SUITE_P(ExistsOrBusy, VcontextExists, ::testing::Values(EEXIST, EBUSY),
			 [](const auto &info) { return info.param == EEXIST ? "EEXIST" : "EBUSY"; });

TEST(Vcontext, OtherCreateErrorsAreNoContextExists)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 33))).WillOnce(Return(-EPERM));
	try {
		run_vcontext(client, request(VcontextRequest::create, 33));
		FAIL() << "no exception";
	} catch (const ContextExists &) {
		FAIL() << "EPERM taken for 'exists'";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::operation_not_permitted);
	}
}

TEST(Vcontext, CreateInitpidEndsetupClearsBothStateBitsInOneCall)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_ctx_flags_v0 seen{1, 1};
	InSequence seq;

	auto r = request(VcontextRequest::create, 33);
	r.initpid = r.endsetup = true;
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 33))).WillOnce(Return(33));
	EXPECT_CALL(t, call(cmd_id(VCMD_get_cflags, 33))).WillOnce(Invoke(flags_are(VXF_INIT_SET)));
	EXPECT_CALL(t, call(cmd_id(VCMD_set_cflags, 33))).WillOnce(Invoke(records(seen)));
	EXPECT_EQ(run_vcontext(client, r), 33u);
	EXPECT_EQ(seen.flagword, 0u);
	EXPECT_EQ(seen.mask, VXF_STATE_INIT | VXF_STATE_SETUP);
}

TEST(Vcontext, MigrateSendsSetInitForInitpid)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_ctx_migrate plain{1}, init{0};
	InSequence seq;

	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_migrate, 40))).WillOnce(Invoke([&](const auto &call) {
		plain = data_of<vcmd_ctx_migrate>(call);
		return 0L;
	}));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_migrate, 40))).WillOnce(Invoke([&](const auto &call) {
		init = data_of<vcmd_ctx_migrate>(call);
		return 0L;
	}));
	auto r = request(VcontextRequest::migrate, 40);
	EXPECT_EQ(run_vcontext(client, r), 40u);
	r.initpid = true;
	EXPECT_EQ(run_vcontext(client, r), 40u);	// no set_cflags: VXM_SET_INIT does it
	EXPECT_EQ(plain.flagword, 0u);
	EXPECT_EQ(init.flagword, static_cast<std::uint64_t>(VXM_SET_INIT));
}

TEST(Vcontext, MigrateNeedsAnXid)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_THROW(run_vcontext(client, request(VcontextRequest::migrate)), std::invalid_argument);
}

TEST(Vcontext, EndsetupOnlyWhileInSetup)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_ctx_flags_v0 seen{};
	InSequence seq;

	auto r = request(VcontextRequest::migrate, 40);
	r.endsetup = true;
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_migrate, 40))).WillOnce(Return(0));
	EXPECT_CALL(t, call(cmd_id(VCMD_get_cflags, 40))).WillOnce(Invoke(flags_are(VXF_INIT_SET)));
	EXPECT_CALL(t, call(cmd_id(VCMD_set_cflags, 40))).WillOnce(Invoke(records(seen)));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_migrate, 40))).WillOnce(Return(0));
	EXPECT_CALL(t, call(cmd_id(VCMD_get_cflags, 40)))
		.WillOnce(Invoke(flags_are(VXF_STATE_ADMIN)));	// setup over: no set_cflags
	EXPECT_EQ(run_vcontext(client, r), 40u);
	EXPECT_EQ(seen.flagword, 0u);
	EXPECT_EQ(seen.mask, VXF_STATE_SETUP);
	EXPECT_EQ(run_vcontext(client, r), 40u);
}

TEST(Vcontext, MigrateSelfStaysAndChangesOnlyFlags)
{
	StrictMock<MockTransport> t;	// a ctx_migrate would fail the test
	Client client(t);
	vcmd_ctx_flags_v0 seen{};
	InSequence seq;

	auto r = request(VcontextRequest::migrate_self);
	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 0))).WillOnce(Return(40));
	EXPECT_EQ(run_vcontext(client, r), 40u);

	r.initpid = r.endsetup = true;
	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 0))).WillOnce(Return(40));
	EXPECT_CALL(t, call(cmd_id(VCMD_get_cflags, 40))).WillOnce(Invoke(flags_are(VXF_INIT_SET)));
	EXPECT_CALL(t, call(cmd_id(VCMD_set_cflags, 40))).WillOnce(Invoke(records(seen)));
	EXPECT_EQ(run_vcontext(client, r), 40u);
	EXPECT_EQ(seen.mask, VXF_STATE_INIT | VXF_STATE_SETUP);
}

TEST(Vcontext, MigrateSelfInitpidWhenTheContextHasAnInit)
{
	StrictMock<MockTransport> t;
	Client client(t);
	InSequence seq;

	auto r = request(VcontextRequest::migrate_self);
	r.initpid = true;
	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 0))).WillOnce(Return(40));
	EXPECT_CALL(t, call(cmd_id(VCMD_get_cflags, 40)))
		.WillOnce(Invoke(flags_are(VXF_STATE_SETUP | VXF_STATE_ADMIN)));
	try {
		run_vcontext(client, r);
		FAIL() << "no exception";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::device_or_resource_busy);
		EXPECT_THAT(e.what(), ::testing::StartsWith(
			"initpid(40): the context has its init already"));
	}
}

TEST(Vcontext, MigrateSelfOnTheHost)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 0))).WillOnce(Return(0));
	try {
		run_vcontext(client, request(VcontextRequest::migrate_self));
		FAIL() << "no exception";
	} catch (const std::invalid_argument &e) {
		EXPECT_STREQ(e.what(), "--migrate-self: not in a context (xid 0)");
	}
}

TEST(Vcontext, SetCflagsRefusalPropagates)
{
	StrictMock<MockTransport> t;
	Client client(t);
	InSequence seq;

	auto r = request(VcontextRequest::create, 33);
	r.endsetup = true;
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 33))).WillOnce(Return(33));
	EXPECT_CALL(t, call(cmd_id(VCMD_get_cflags, 33))).WillOnce(Invoke(flags_are(VXF_INIT_SET)));
	EXPECT_CALL(t, call(cmd_id(VCMD_set_cflags, 33))).WillOnce(Return(-EPERM));
	EXPECT_THROW(run_vcontext(client, r), std::system_error);
}

} // namespace
} // namespace vserver::test
