// chcontext's create-or-migrate logic.
#include "mock_transport.hpp"

#include <vserver/chcontext.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <system_error>

namespace vserver::test {
namespace {

using ::testing::AllOf;
using ::testing::Field;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;

TEST(EnterContext, CreatesStaticContext)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 33))).WillOnce(Return(33));
	auto entry = enter_context(client, 33);
	EXPECT_EQ(entry.xid, 33u);
	EXPECT_TRUE(entry.created);
}

class EnterExisting : public ::testing::TestWithParam<int> {};

TEST_P(EnterExisting, MigratesWhenCreateSaysItExists)
{
	StrictMock<MockTransport> t;
	Client client(t);
	InSequence seq;

	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 33))).WillOnce(Return(-GetParam()));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_migrate, 33))).WillOnce(Return(0));
	auto entry = enter_context(client, 33);
	EXPECT_EQ(entry.xid, 33u);
	EXPECT_FALSE(entry.created);
}

INSTANTIATE_TEST_SUITE_P(ExistsOrBusy, EnterExisting, ::testing::Values(EEXIST, EBUSY),
			 [](const auto &info) { return info.param == EEXIST ? "EEXIST" : "EBUSY"; });

TEST(EnterContext, OtherCreateErrorsDoNotMigrate)
{
	StrictMock<MockTransport> t;	// a ctx_migrate call would fail the test
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 33))).WillOnce(Return(-EPERM));
	try {
		enter_context(client, 33);
		FAIL() << "no exception";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::operation_not_permitted);
		EXPECT_STREQ(e.what(), "ctx_create(33): Operation not permitted");
	}
}

TEST(EnterContext, MigrateFailureIsReported)
{
	StrictMock<MockTransport> t;
	Client client(t);
	InSequence seq;

	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 33))).WillOnce(Return(-EEXIST));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_migrate, 33))).WillOnce(Return(-EACCES));
	try {
		enter_context(client, 33);
		FAIL() << "no exception";
	} catch (const std::system_error &e) {
		EXPECT_STREQ(e.what(), "ctx_migrate(33): Permission denied");
	}
}

TEST(EnterContext, DynamicUsesTheXidTheKernelReturns)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(AllOf(cmd_id(VCMD_ctx_create, VC_DYNAMIC_XID),
				  Field(&vserver_call::size, 0u))))
		.WillOnce(Return(49153));
	auto entry = enter_context(client, std::nullopt);
	EXPECT_EQ(entry.xid, 49153u);
	EXPECT_TRUE(entry.created);
}

TEST(EnterContext, DynamicNeverMigrates)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, VC_DYNAMIC_XID))).WillOnce(Return(-EBUSY));
	EXPECT_THROW(enter_context(client, std::nullopt), std::system_error);
}

TEST(NewContextMessage, MatchesUtilVserver)
{
	EXPECT_EQ(new_context_message(42), "New security context is 42\n");
	EXPECT_EQ(new_context_message(49152), "New security context is 49152\n");
}

TEST(EndSetup, ShrinksTheBoundingSetThenEndsTheSetup)
{
	StrictMock<MockTransport> t;
	Client client(t);
	InSequence seq;

	EXPECT_CALL(t, call(cmd_id(VCMD_set_bcaps, 33))).WillOnce(Return(0));
	EXPECT_CALL(t, call(cmd_id(VCMD_set_cflags, 33))).WillOnce(Return(0));
	end_setup(client, 33, 0x2000000);
}

TEST(EndSetup, KeepsTheBoundingSetWhenNothingIsDropped)
{
	StrictMock<MockTransport> t;	// a set_bcaps call would fail the test
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_set_cflags, 33))).WillOnce(Return(0));
	end_setup(client, 33, 0);
}

} // namespace
} // namespace vserver::test
