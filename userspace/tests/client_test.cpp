// Command encoding and error reporting of vserver::Client.
#include "mock_transport.hpp"

#include <vserver/client.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace vserver::test {
namespace {

using ::testing::_;
using ::testing::AllOf;
using ::testing::Field;
using ::testing::Invoke;
using ::testing::Ne;
using ::testing::Return;
using ::testing::StrictMock;

// A call with no data: data == 0 and size == 0.
::testing::Matcher<const vserver_call &> bare_call(std::uint32_t cmd, std::uint32_t id)
{
	return AllOf(Field(&vserver_call::cmd, cmd), Field(&vserver_call::id, id),
		     Field(&vserver_call::data, 0u), Field(&vserver_call::size, 0u),
		     Field(&vserver_call::flags, 0u));
}

// A call carrying a struct of the given size.
::testing::Matcher<const vserver_call &> data_call(std::uint32_t cmd, std::uint32_t id,
						   std::uint32_t size)
{
	return AllOf(Field(&vserver_call::cmd, cmd), Field(&vserver_call::id, id),
		     Field(&vserver_call::data, Ne(0u)), Field(&vserver_call::size, size),
		     Field(&vserver_call::flags, 0u));
}

// The flagword the caller passed, read while the call is in flight.
template <typename T>
std::uint64_t flagword_of(const vserver_call &call)
{
	T data;
	std::memcpy(&data, reinterpret_cast<const void *>(call.data), sizeof(data));
	return data.flagword;
}

TEST(Uapi, CommandNumbers)
{
	EXPECT_EQ(VCMD_get_version, 0x00000000u);
	EXPECT_EQ(VCMD_task_xid, 0x2e010000u);
	EXPECT_EQ(VCMD_task_nid, 0x2e020000u);
	EXPECT_EQ(VCMD_vx_info, 0x2e050000u);
	EXPECT_EQ(VCMD_ctx_create, 0x09010001u);
	EXPECT_EQ(VCMD_ctx_migrate, 0x0b010001u);
	EXPECT_EQ(sizeof(vserver_call), 24u);
	EXPECT_EQ(sizeof(vcmd_ctx_create), 8u);
	EXPECT_EQ(sizeof(vcmd_vx_info_v0), 8u);
}

TEST(Client, GetVersion)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(bare_call(VCMD_get_version, 0))).WillOnce(Return(VCI_VERSION));
	EXPECT_EQ(client.get_version(), static_cast<std::uint32_t>(VCI_VERSION));
}

TEST(Client, TaskXidAndNid)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(bare_call(VCMD_task_xid, 1234))).WillOnce(Return(42));
	EXPECT_CALL(t, call(bare_call(VCMD_task_nid, 0))).WillOnce(Return(7));
	EXPECT_EQ(client.task_xid(1234), 42u);
	EXPECT_EQ(client.task_nid(), 7u);
}

TEST(Client, VxInfoReadsTheStructTheKernelFilled)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(data_call(VCMD_vx_info, 42, sizeof(vcmd_vx_info_v0))))
		.WillOnce(Invoke([](const vserver_call &call) {
			vcmd_vx_info_v0 info{42, 4711};
			std::memcpy(reinterpret_cast<void *>(call.data), &info, sizeof(info));
			return 0L;
		}));
	auto info = client.vx_info(42);
	EXPECT_EQ(info.xid, 42u);
	EXPECT_EQ(info.initpid, 4711u);
}

TEST(Client, CtxCreateWithoutFlagsSendsNoData)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(bare_call(VCMD_ctx_create, 33))).WillOnce(Return(33));
	EXPECT_EQ(client.ctx_create(33), 33u);
}

TEST(Client, CtxCreateWithFlagsSendsFlagword)
{
	StrictMock<MockTransport> t;
	Client client(t);
	std::uint64_t seen = 0;

	EXPECT_CALL(t, call(data_call(VCMD_ctx_create, 33, sizeof(vcmd_ctx_create))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			seen = flagword_of<vcmd_ctx_create>(call);
			return 33L;
		}));
	EXPECT_EQ(client.ctx_create(33, VXF_INIT_SET | VXF_PERSISTENT), 33u);
	EXPECT_EQ(seen, VXF_INIT_SET | VXF_PERSISTENT);
}

TEST(Client, CtxCreateDynamicReturnsKernelChoice)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(bare_call(VCMD_ctx_create, 0xffffffffu))).WillOnce(Return(49152));
	EXPECT_EQ(client.ctx_create(VC_DYNAMIC_XID), 49152u);
}

TEST(Client, CtxMigrateSendsFlagword)
{
	StrictMock<MockTransport> t;
	Client client(t);
	std::uint64_t first = 1, second = 0;

	EXPECT_CALL(t, call(data_call(VCMD_ctx_migrate, 33, sizeof(vcmd_ctx_migrate))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			first = flagword_of<vcmd_ctx_migrate>(call);
			return 0L;
		}))
		.WillOnce(Invoke([&](const vserver_call &call) {
			second = flagword_of<vcmd_ctx_migrate>(call);
			return 0L;
		}));
	client.ctx_migrate(33);
	client.ctx_migrate(33, VXM_SET_INIT | VXM_SET_REAPER);
	EXPECT_EQ(first, 0u);
	EXPECT_EQ(second, static_cast<std::uint64_t>(VXM_SET_INIT | VXM_SET_REAPER));
}

// Runs fn, which must throw std::system_error, and returns it.
template <typename Fn>
std::system_error thrown_by(Fn fn)
{
	try {
		fn();
	} catch (const std::system_error &e) {
		return e;
	}
	ADD_FAILURE() << "no std::system_error thrown";
	return std::system_error(0, std::generic_category());
}

TEST(ClientErrors, CarryCommandIdAndErrnoText)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(_))
		.WillOnce(Return(-EEXIST))
		.WillOnce(Return(-EPERM))
		.WillOnce(Return(-ESRCH))
		.WillOnce(Return(-EACCES))
		.WillOnce(Return(-ENOSYS));

	auto e = thrown_by([&] { client.ctx_create(33); });
	EXPECT_EQ(e.code(), std::errc::file_exists);
	EXPECT_STREQ(e.what(), "ctx_create(33): File exists");

	e = thrown_by([&] { client.ctx_create(VC_DYNAMIC_XID); });
	EXPECT_EQ(e.code(), std::errc::operation_not_permitted);
	EXPECT_STREQ(e.what(), "ctx_create(dynamic): Operation not permitted");

	e = thrown_by([&] { client.task_xid(99); });
	EXPECT_EQ(e.code().value(), ESRCH);
	EXPECT_STREQ(e.what(), "task_xid(99): No such process");

	e = thrown_by([&] { client.ctx_migrate(7); });
	EXPECT_STREQ(e.what(), "ctx_migrate(7): Permission denied");

	e = thrown_by([&] { client.get_version(); });
	EXPECT_STREQ(e.what(), "get_version(0): Function not implemented");
}

TEST(CommandName, KnownAndUnknown)
{
	EXPECT_EQ(command_name(VCMD_get_version), "get_version");
	EXPECT_EQ(command_name(VCMD_task_xid), "task_xid");
	EXPECT_EQ(command_name(VCMD_task_nid), "task_nid");
	EXPECT_EQ(command_name(VCMD_vx_info), "vx_info");
	EXPECT_EQ(command_name(VCMD_ctx_create), "ctx_create");
	EXPECT_EQ(command_name(VCMD_ctx_migrate), "ctx_migrate");
	EXPECT_EQ(command_name(0x12345678), "vcmd 0x12345678");
	EXPECT_EQ(command_name(0x0000abcd), "vcmd 0x0000abcd");
	// ctx_create_v0 is a different command from ctx_create (v1).
	EXPECT_EQ(command_name(0x09010000), "vcmd 0x09010000");
}

} // namespace
} // namespace vserver::test
