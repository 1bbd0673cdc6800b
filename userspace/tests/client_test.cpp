// Command encoding and error reporting of vserver::Client.
#include "mock_transport.hpp"
#include "what_thrown.hpp"

#include <vserver/client.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <sched.h>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

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

// Any call of one command.
::testing::Matcher<const vserver_call &> cmd_is(std::uint32_t cmd)
{
	return Field(&vserver_call::cmd, cmd);
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
	EXPECT_EQ(VCMD_ctx_stat, 0x28000000u);
	EXPECT_EQ(VCMD_get_cflags, 0x34010000u);
	EXPECT_EQ(VCMD_set_cflags, 0x34020000u);
	EXPECT_EQ(VCMD_ctx_kill, 0x0c010000u);
	EXPECT_EQ(VCMD_wait_exit, 0x30630000u);
	EXPECT_EQ(VCMD_set_vhi_name, 0x02010000u);
	EXPECT_EQ(VCMD_get_vhi_name, 0x02020000u);
	EXPECT_EQ(sizeof(vserver_call), 24u);
	EXPECT_EQ(sizeof(vcmd_ctx_create), 8u);
	EXPECT_EQ(sizeof(vcmd_vx_info_v0), 8u);
	EXPECT_EQ(sizeof(vcmd_ctx_stat_v0), 8u);
	EXPECT_EQ(sizeof(vcmd_ctx_flags_v0), 16u);
	EXPECT_EQ(sizeof(vcmd_ctx_kill_v0), 8u);
	EXPECT_EQ(sizeof(vcmd_wait_exit_v0), 8u);
	EXPECT_EQ(sizeof(vcmd_vhi_name_v0), 72u);
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

TEST(Client, FindTaskXidSaysNulloptForAGoneTask)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(bare_call(VCMD_task_xid, 1234))).WillOnce(Return(42));
	EXPECT_CALL(t, call(bare_call(VCMD_task_xid, 99))).WillOnce(Return(-ESRCH));
	EXPECT_CALL(t, call(bare_call(VCMD_task_xid, 7))).WillOnce(Return(-EPERM));
	EXPECT_EQ(client.find_task_xid(1234), std::optional<xid_t>(42));
	EXPECT_EQ(client.find_task_xid(99), std::nullopt);
	try {
		client.find_task_xid(7);
		FAIL() << "no exception";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::operation_not_permitted);
		EXPECT_STREQ(e.what(), "task_xid(7): Operation not permitted");
	}
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

// A mock answer that fills the command's struct with value, as the kernel
// would, and returns 0.
template <typename T>
auto fills(T value)
{
	return [value](const vserver_call &call) {
		EXPECT_EQ(call.size, sizeof(T));
		std::memcpy(reinterpret_cast<void *>(call.data), &value, sizeof(T));
		return 0L;
	};
}

// A mock answer that keeps the struct the caller passed in seen and
// returns 0.
template <typename T>
auto keeps(T &seen)
{
	return [&seen](const vserver_call &call) {
		seen = data_of<T>(call);
		return 0L;
	};
}

// keeps, then fills.
template <typename T>
auto keeps_then_fills(T &sent, T reply)
{
	return [&sent, reply](const vserver_call &call) {
		sent = data_of<T>(call);
		return fills(reply)(call);
	};
}

// The struct the caller passed, read while the call is in flight.
TEST(Client, CtxStat)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(data_call(VCMD_ctx_stat, 42, sizeof(vcmd_ctx_stat_v0))))
		.WillOnce(Invoke(fills(vcmd_ctx_stat_v0{5, 3})));
	auto stat = client.ctx_stat(42);
	EXPECT_EQ(stat.usecnt, 5u);
	EXPECT_EQ(stat.tasks, 3u);
}

TEST(Client, GetCflags)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(data_call(VCMD_get_cflags, 42, sizeof(vcmd_ctx_flags_v0))))
		.WillOnce(Invoke(fills(vcmd_ctx_flags_v0{VXF_INIT_SET | VXF_PERSISTENT,
							 ~0ULL})));
	auto flags = client.get_cflags(42);
	EXPECT_EQ(flags.flagword, VXF_INIT_SET | VXF_PERSISTENT);
	EXPECT_EQ(flags.mask, ~0ULL);
}

TEST(Client, SetCflagsSendsFlagwordAndMask)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_ctx_flags_v0 seen{};

	EXPECT_CALL(t, call(data_call(VCMD_set_cflags, 42, sizeof(vcmd_ctx_flags_v0))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			seen = data_of<vcmd_ctx_flags_v0>(call);
			return 0L;
		}));
	client.set_cflags(42, VXF_PERSISTENT, VXF_PERSISTENT | VXF_STATE_SETUP);
	EXPECT_EQ(seen.flagword, VXF_PERSISTENT);
	EXPECT_EQ(seen.mask, VXF_PERSISTENT | VXF_STATE_SETUP);
}

TEST(Client, BcapsCommands)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_bcaps seen{};

	EXPECT_EQ(VCMD_get_bcaps, 0x34090000u);
	EXPECT_EQ(VCMD_set_bcaps, 0x340a0000u);
	EXPECT_CALL(t, call(data_call(VCMD_get_bcaps, 42, sizeof(vcmd_bcaps))))
		.WillOnce(Invoke(fills(vcmd_bcaps{0x1ff, ~0ULL})));
	EXPECT_CALL(t, call(data_call(VCMD_set_bcaps, 42, sizeof(vcmd_bcaps))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			seen = data_of<vcmd_bcaps>(call);
			return 0L;
		}));
	EXPECT_EQ(client.get_bcaps(42).bcaps, 0x1ffu);
	client.set_bcaps(42, 0, 0x100);
	EXPECT_EQ(seen.bcaps, 0u);
	EXPECT_EQ(seen.bmask, 0x100u);
}

TEST(Client, UmaskCommands)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_umask seen{};

	EXPECT_EQ(VCMD_get_umask, 0x340d0000u);
	EXPECT_EQ(VCMD_set_umask, 0x340e0000u);
	EXPECT_CALL(t, call(data_call(VCMD_get_umask, 42, sizeof(vcmd_umask))))
		.WillOnce(Invoke(fills(vcmd_umask{VXU_NEWUTS, VXU_ALL})));
	EXPECT_CALL(t, call(data_call(VCMD_set_umask, 42, sizeof(vcmd_umask))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			seen = data_of<vcmd_umask>(call);
			return 0L;
		}));
	auto u = client.get_umask(42);
	EXPECT_EQ(u.umask, VXU_NEWUTS);
	EXPECT_EQ(u.mask, VXU_ALL);
	client.set_umask(42, VXU_NEWNET, VXU_NEWNET | VXU_NEWIPC);
	EXPECT_EQ(seen.umask, VXU_NEWNET);
	EXPECT_EQ(seen.mask, VXU_NEWNET | VXU_NEWIPC);
}

TEST(Client, CtxKillSendsPidAndSignal)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_ctx_kill_v0 first{}, second{};

	EXPECT_CALL(t, call(data_call(VCMD_ctx_kill, 42, sizeof(vcmd_ctx_kill_v0))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			first = data_of<vcmd_ctx_kill_v0>(call);
			return 0L;
		}))
		.WillOnce(Invoke([&](const vserver_call &call) {
			second = data_of<vcmd_ctx_kill_v0>(call);
			return 0L;
		}));
	client.ctx_kill(42, 0, 15);
	client.ctx_kill(42, -1, 9);
	EXPECT_EQ(first.pid, 0);
	EXPECT_EQ(first.sig, 15);
	EXPECT_EQ(second.pid, -1);
	EXPECT_EQ(second.sig, 9);
}

TEST(Client, WaitExitReturnsWaitStatus)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(data_call(VCMD_wait_exit, 42, sizeof(vcmd_wait_exit_v0))))
		.WillOnce(Invoke(fills(vcmd_wait_exit_v0{0, 3 << 8})));
	auto result = client.wait_exit(42);
	EXPECT_EQ(result.reboot_cmd, 0);
	EXPECT_EQ(result.exit_code, 3 << 8);
}

TEST(Client, GetVhiNameSendsFieldAndReadsName)
{
	StrictMock<MockTransport> t;
	Client client(t);
	std::uint32_t field = 99;

	EXPECT_CALL(t, call(data_call(VCMD_get_vhi_name, 42, sizeof(vcmd_vhi_name_v0))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			auto data = data_of<vcmd_vhi_name_v0>(call);
			field = data.field;
			std::strcpy(data.name, "web");
			std::memcpy(reinterpret_cast<void *>(call.data), &data, sizeof(data));
			return 0L;
		}));
	EXPECT_EQ(client.get_vhi_name(42, VHIN_CONTEXT), "web");
	EXPECT_EQ(field, static_cast<std::uint32_t>(VHIN_CONTEXT));
}

TEST(Client, GetVhiNameStopsAtTheBufferEnd)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_vhi_name_v0 full{};
	std::memset(full.name, 'x', sizeof(full.name));	// no NUL at all
	std::memset(full.__pad, 'y', sizeof(full.__pad));

	EXPECT_CALL(t, call(data_call(VCMD_get_vhi_name, 42, sizeof(vcmd_vhi_name_v0))))
		.WillOnce(Invoke(fills(full)));
	EXPECT_EQ(client.get_vhi_name(42, VHIN_CONTEXT), std::string(VHI_NAME_LEN, 'x'));
}

TEST(Client, SetVhiNameSendsNulTerminatedName)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_vhi_name_v0 seen{};
	std::string longest(VHI_NAME_LEN - 1, 'n');

	EXPECT_CALL(t, call(data_call(VCMD_set_vhi_name, 42, sizeof(vcmd_vhi_name_v0))))
		.WillRepeatedly(Invoke([&](const vserver_call &call) {
			seen = data_of<vcmd_vhi_name_v0>(call);
			return 0L;
		}));
	client.set_vhi_name(42, VHIN_CONTEXT, "web");
	EXPECT_EQ(seen.field, static_cast<std::uint32_t>(VHIN_CONTEXT));
	EXPECT_STREQ(seen.name, "web");

	client.set_vhi_name(42, VHIN_NODENAME, longest);
	EXPECT_EQ(seen.field, static_cast<std::uint32_t>(VHIN_NODENAME));
	EXPECT_EQ(std::string(seen.name), longest);
}

TEST(Client, SetVhiNameRejectsBeforeAnyCall)
{
	StrictMock<MockTransport> t;	// any call would fail the test
	Client client(t);

	try {
		client.set_vhi_name(42, VHIN_CONTEXT, std::string(VHI_NAME_LEN, 'n'));
		FAIL() << "a 65-byte name was accepted";
	} catch (const std::invalid_argument &e) {
		EXPECT_STREQ(e.what(), "set_vhi_name(42): name of 65 bytes is too long (at most 64)");
	}
	EXPECT_THROW(client.set_vhi_name(42, VHIN_CONTEXT, std::string("a\0b", 3)),
		     std::invalid_argument);
}

TEST(Uapi, IattrCommands)
{
	EXPECT_EQ(VCMD_get_iattr, 0x26010001u);
	EXPECT_EQ(VCMD_set_iattr, 0x26020001u);
	EXPECT_EQ(VCMD_fget_iattr, 0x26030000u);
	EXPECT_EQ(VCMD_fset_iattr, 0x26040000u);
	EXPECT_EQ(sizeof(vcmd_ctx_iattr_v1), 24u);
	EXPECT_EQ(sizeof(vcmd_ctx_fiattr_v0), 12u);
	EXPECT_EQ(IATTR_BARRIER, 0x00010000u);
	EXPECT_EQ(command_name(VCMD_set_iattr), "set_iattr");
}

// The path a get/set_iattr call names, read while the call is in flight.
std::string name_of(const vserver_call &call)
{
	auto data = data_of<vcmd_ctx_iattr_v1>(call);
	return reinterpret_cast<const char *>(static_cast<std::uintptr_t>(data.name));
}

TEST(Client, GetIattrSendsThePathAndReadsFlagsAndMask)
{
	StrictMock<MockTransport> t;
	Client client(t);
	std::string seen;

	EXPECT_CALL(t, call(data_call(VCMD_get_iattr, 0, sizeof(vcmd_ctx_iattr_v1))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			auto data = data_of<vcmd_ctx_iattr_v1>(call);
			seen = name_of(call);
			data.flags = IATTR_BARRIER;
			data.mask = IATTR_BARRIER;
			std::memcpy(reinterpret_cast<void *>(call.data), &data, sizeof(data));
			return 0L;
		}));
	auto a = client.get_iattr("/vservers");
	EXPECT_EQ(seen, "/vservers");
	EXPECT_EQ(a.flags, IATTR_BARRIER);
	EXPECT_EQ(a.mask, IATTR_BARRIER);
	EXPECT_EQ(a.tag, 0u);
}

TEST(Client, SetIattrSendsPathFlagsAndMask)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_ctx_iattr_v1 seen{};
	std::string name;

	EXPECT_CALL(t, call(data_call(VCMD_set_iattr, 0, sizeof(vcmd_ctx_iattr_v1))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			seen = data_of<vcmd_ctx_iattr_v1>(call);
			name = name_of(call);
			return 0L;
		}));
	client.set_iattr(std::string_view("/vservers/x", 9), 0, IATTR_BARRIER);
	EXPECT_EQ(name, "/vservers");	// NUL-terminated where the view ends
	EXPECT_EQ(seen.flags, 0u);
	EXPECT_EQ(seen.mask, IATTR_BARRIER);
	EXPECT_EQ(seen.tag, 0u);
}

TEST(Client, IattrErrorsNameThePath)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_is(VCMD_set_iattr))).WillOnce(Return(-EINVAL));
	EXPECT_CALL(t, call(cmd_is(VCMD_get_iattr))).WillOnce(Return(-ENOENT));
	try {
		client.set_iattr("/etc/passwd", IATTR_BARRIER, IATTR_BARRIER);
		FAIL() << "no error";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::invalid_argument);
		EXPECT_STREQ(e.what(), "set_iattr(/etc/passwd): Invalid argument");
	}
	try {
		client.get_iattr("/nonexistent");
		FAIL() << "no error";
	} catch (const std::system_error &e) {
		EXPECT_STREQ(e.what(), "get_iattr(/nonexistent): No such file or directory");
	}
}

TEST(Client, IattrPathWithNulRejectedBeforeAnyCall)
{
	StrictMock<MockTransport> t;	// any call would fail the test
	Client client(t);

	EXPECT_THROW(client.get_iattr(std::string("/a\0b", 4)), std::invalid_argument);
	EXPECT_THROW(client.set_iattr(std::string("/a\0b", 4), 0, IATTR_BARRIER),
		     std::invalid_argument);
}

TEST(Client, FileDescriptorIattrCommands)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_ctx_fiattr_v0 seen{};

	EXPECT_CALL(t, call(data_call(VCMD_fget_iattr, 7, sizeof(vcmd_ctx_fiattr_v0))))
		.WillOnce(Invoke(fills(vcmd_ctx_fiattr_v0{0, IATTR_BARRIER, IATTR_BARRIER})));
	EXPECT_CALL(t, call(data_call(VCMD_fset_iattr, 7, sizeof(vcmd_ctx_fiattr_v0))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			seen = data_of<vcmd_ctx_fiattr_v0>(call);
			return 0L;
		}));
	EXPECT_EQ(client.fget_iattr(7).flags, IATTR_BARRIER);
	client.fset_iattr(7, IATTR_BARRIER, IATTR_BARRIER);
	EXPECT_EQ(seen.flags, IATTR_BARRIER);
	EXPECT_EQ(seen.mask, IATTR_BARRIER);
}

// The path a dlimit call names (T: its struct), read while the call is
// in flight.
template <typename T>
std::string dlimit_name_of(const vserver_call &call)
{
	return reinterpret_cast<const char *>(static_cast<std::uintptr_t>(data_of<T>(call).name));
}

TEST(Client, AddAndRemDlimitSendTheTagAndThePath)
{
	StrictMock<MockTransport> t;
	Client client(t);
	std::vector<std::string> seen;
	auto keep_name = [&](const vserver_call &call) {
		auto data = data_of<vcmd_ctx_dlimit_base_v0>(call);
		EXPECT_EQ(data.flags, 0u);
		EXPECT_EQ(data.pad, 0u);
		seen.push_back(dlimit_name_of<vcmd_ctx_dlimit_base_v0>(call));
		return 0L;
	};

	EXPECT_CALL(t, call(data_call(VCMD_add_dlimit, 42, sizeof(vcmd_ctx_dlimit_base_v0))))
		.WillOnce(Invoke(keep_name));
	EXPECT_CALL(t, call(data_call(VCMD_rem_dlimit, 42, sizeof(vcmd_ctx_dlimit_base_v0))))
		.WillOnce(Invoke(keep_name));
	client.add_dlimit(42, std::string_view("/vservers/x", 9));
	client.rem_dlimit(42, "/srv/web data");
	EXPECT_EQ(seen, (std::vector<std::string>{"/vservers", "/srv/web data"}));
}

TEST(Client, SetDlimitSendsTheLimitWithThePathForItsName)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_ctx_dlimit_v0 limit{12345, CDLIM_KEEP, 1000, CDLIM_KEEP, CDLIM_INFINITY, 5, 0};
	vcmd_ctx_dlimit_v0 seen{};
	std::string name;

	EXPECT_CALL(t, call(data_call(VCMD_set_dlimit, 42, sizeof(vcmd_ctx_dlimit_v0))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			seen = data_of<vcmd_ctx_dlimit_v0>(call);
			name = dlimit_name_of<vcmd_ctx_dlimit_v0>(call);
			return 0L;
		}));
	client.set_dlimit(42, "/vservers", limit);
	EXPECT_EQ(name, "/vservers");	// limit.name is ignored
	EXPECT_EQ(seen.space_used, CDLIM_KEEP);
	EXPECT_EQ(seen.space_total, 1000u);
	EXPECT_EQ(seen.inodes_used, CDLIM_KEEP);
	EXPECT_EQ(seen.inodes_total, CDLIM_INFINITY);
	EXPECT_EQ(seen.reserved, 5u);
	EXPECT_EQ(seen.flags, 0u);
}

TEST(Client, GetDlimitReadsTheLimitWithoutAName)
{
	StrictMock<MockTransport> t;
	Client client(t);
	// the kernel writes the whole struct back, name and all
	const vcmd_ctx_dlimit_v0 reply{0x1234, 10, 1000, 3, 100, 5, 0};
	std::string name;

	EXPECT_CALL(t, call(data_call(VCMD_get_dlimit, 42, sizeof(vcmd_ctx_dlimit_v0))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			name = dlimit_name_of<vcmd_ctx_dlimit_v0>(call);
			return fills(reply)(call);
		}));
	auto limit = client.get_dlimit(42, "/vservers");
	EXPECT_EQ(name, "/vservers");
	EXPECT_EQ(limit.name, 0u);	// no pointer to a string that is gone
	EXPECT_EQ(limit.space_used, 10u);
	EXPECT_EQ(limit.space_total, 1000u);
	EXPECT_EQ(limit.inodes_used, 3u);
	EXPECT_EQ(limit.inodes_total, 100u);
	EXPECT_EQ(limit.reserved, 5u);
}

// Linux-VServer's numbers and our names.
struct LimitCommand {
	std::uint32_t cmd, number;
	const char *name;
};

constexpr LimitCommand limit_commands[] = {
	{VCMD_get_rlimit, 0x3c010000, "get_rlimit"},
	{VCMD_set_rlimit, 0x3c020000, "set_rlimit"},
	{VCMD_get_rlimit_mask, 0x3c030000, "get_rlimit_mask"},
	{VCMD_reset_hits, 0x3c070000, "reset_hits"},
	{VCMD_reset_minmax, 0x3c090000, "reset_minmax"},
	{VCMD_rlimit_stat, 0x28010000, "rlimit_stat"},
	{VCMD_set_sched, 0x0e010005, "set_sched"},
	{VCMD_get_sched, 0x0e020005, "get_sched"},
	{VCMD_sched_info, 0x0e030000, "sched_info"},
	{VCMD_virt_stat, 0x28030000, "virt_stat"},
};

TEST(Uapi, LimitAndSchedCommands)
{
	for (const auto &c : limit_commands) {
		EXPECT_EQ(c.cmd, c.number) << c.name;
		EXPECT_EQ(command_name(c.cmd), c.name);
	}
	// the older set_sched versions are other commands
	EXPECT_EQ(command_name(0x0e010004), "vcmd 0x0e010004");
}

// 64-bit layouts (rlimit: the explicit pad where i386 had none)
static_assert(sizeof(vcmd_ctx_rlimit_v0) == 32 && sizeof(vcmd_ctx_rlimit_mask_v0) == 12 &&
	      sizeof(vcmd_rlimit_stat_v0) == 32 && sizeof(vcmd_sched_v5) == 44 &&
	      sizeof(vcmd_sched_info) == 40 && sizeof(vcmd_virt_stat_v0) == 48);

// A command whose struct names the resource in id: the client sends the
// resource ask() asks for and returns what the kernel (reply) filled in.
template <typename T, typename Ask>
void expect_resource_round_trip(std::uint32_t cmd, T reply, Ask ask)
{
	StrictMock<MockTransport> t;
	Client client(t);
	T sent{};

	EXPECT_CALL(t, call(data_call(cmd, 42, sizeof(T))))
		.WillOnce(Invoke(keeps_then_fills(sent, reply)));
	T got = ask(client);
	EXPECT_EQ(sent.id, reply.id) << command_name(cmd);
	EXPECT_EQ(std::memcmp(&got, &reply, sizeof(reply)), 0) << command_name(cmd);
}

TEST(Client, GetRlimitAndRlimitStatSendTheResourceAndReadTheAnswer)
{
	expect_resource_round_trip(
		VCMD_get_rlimit, vcmd_ctx_rlimit_v0{VLIMIT_NPROC, 0, CRLIM_UNSET, 100, CRLIM_INFINITY},
		[](Client &c) { return c.get_rlimit(42, VLIMIT_NPROC); });
	// 3 hits; value 5, between 1 and 6 since the last reset_minmax
	expect_resource_round_trip(
		VCMD_rlimit_stat, vcmd_rlimit_stat_v0{VLIMIT_RSS, 3, 5, 1, 6},
		[](Client &c) { return c.rlimit_stat(42, VLIMIT_RSS); });
}

TEST(Client, SetRlimitSendsResourceAndAllThreeFields)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_ctx_rlimit_v0 seen{}, want{VLIMIT_RSS, 0, CRLIM_KEEP, 1000, 2000};

	EXPECT_CALL(t, call(data_call(VCMD_set_rlimit, 42, sizeof(vcmd_ctx_rlimit_v0))))
		.WillOnce(Invoke(keeps(seen)));
	client.set_rlimit(42, VLIMIT_RSS, CRLIM_KEEP, 1000, 2000);
	EXPECT_EQ(std::memcmp(&seen, &want, sizeof(want)), 0);
}

TEST(Client, GetRlimitMaskNeedsNoId)
{
	StrictMock<MockTransport> t;
	Client client(t);
	std::uint32_t hard = (1u << VLIMIT_NPROC) | (1u << VLIMIT_RSS);

	EXPECT_CALL(t, call(data_call(VCMD_get_rlimit_mask, 0, sizeof(vcmd_ctx_rlimit_mask_v0))))
		.WillOnce(Invoke(fills(vcmd_ctx_rlimit_mask_v0{0, 1u << VLIMIT_RSS, hard})));
	auto mask = client.get_rlimit_mask();
	EXPECT_EQ(mask.minimum, 0u);
	EXPECT_EQ(mask.softlimit, 1u << VLIMIT_RSS);
	EXPECT_EQ(mask.maximum, hard);
}

TEST(Client, SpaceCommandsSendMaskAndIndex)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_space_mask_v2 set{}, entered{};

	EXPECT_EQ(VCMD_set_space, 0x0a030002u);
	EXPECT_EQ(VCMD_enter_space, 0x0a010002u);
	EXPECT_CALL(t, call(data_call(VCMD_set_space, 42, sizeof(vcmd_space_mask_v2))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			set = data_of<vcmd_space_mask_v2>(call);
			return 0L;
		}));
	EXPECT_CALL(t, call(data_call(VCMD_enter_space, 43, sizeof(vcmd_space_mask_v2))))
		.WillOnce(Invoke([&](const vserver_call &call) {
			entered = data_of<vcmd_space_mask_v2>(call);
			return 0L;
		}));
	client.set_space(42, CLONE_NEWNS | CLONE_FS, 1);
	client.enter_space(43, CLONE_NEWUTS);
	EXPECT_EQ(set.mask, std::uint64_t(CLONE_NEWNS | CLONE_FS));
	EXPECT_EQ(set.index, 1u);
	EXPECT_EQ(entered.mask, std::uint64_t(CLONE_NEWUTS));
	EXPECT_EQ(entered.index, 0u);
}

TEST(Client, SpaceMasksNeedNoId)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(data_call(VCMD_get_space_default, 0, sizeof(vcmd_space_mask_v1))))
		.WillOnce(Invoke(fills(vcmd_space_mask_v1{CLONE_FS | CLONE_NEWNS})));
	EXPECT_CALL(t, call(data_call(VCMD_get_space_mask, 0, sizeof(vcmd_space_mask_v1))))
		.WillOnce(Invoke(fills(vcmd_space_mask_v1{CLONE_NEWPID})));
	EXPECT_EQ(client.get_space_default(), std::uint64_t(CLONE_FS | CLONE_NEWNS));
	EXPECT_EQ(client.get_space_mask(), std::uint64_t(CLONE_NEWPID));
}

TEST(Client, ResetHitsAndMinmaxSendNoData)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(bare_call(VCMD_reset_hits, 42))).WillOnce(Return(0));
	EXPECT_CALL(t, call(bare_call(VCMD_reset_minmax, 43))).WillOnce(Return(0));
	client.reset_hits(42);
	client.reset_minmax(43);
}

TEST(Client, SetSchedSendsTheStructAsGiven)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_sched_v5 sched{};
	vcmd_sched_v5 seen{};

	sched.mask = VXSM_FILL_RATE | VXSM_INTERVAL | VXSM_PRIO_BIAS;
	sched.cpu_id = -1;
	sched.fill_rate[0] = 1;
	sched.interval[0] = 4;
	sched.prio_bias = -5;
	EXPECT_CALL(t, call(data_call(VCMD_set_sched, 42, sizeof(vcmd_sched_v5))))
		.WillOnce(Invoke(keeps(seen)));
	client.set_sched(42, sched);
	EXPECT_EQ(std::memcmp(&seen, &sched, sizeof(sched)), 0);
}

TEST(Client, GetSchedSchedInfoAndVirtStatReadWhatTheKernelFilled)
{
	StrictMock<MockTransport> t;
	Client client(t);
	// fill_rate 1, interval 4, tokens_max 500
	vcmd_sched_v5 sched{0, 0, 0, {1, 0}, {4, 0}, 0, 0, 500, 0};
	// user 1234 ms, held back 56 ms, 1 ms a token
	vcmd_sched_info info{0, 0, 1234, 0, 56, 1000, 0};
	// up 5 s, 3 tasks, load 1.00
	vcmd_virt_stat_v0 virt{0, 5000000000ULL, 3, 0, 0, 0, 0, {2048, 0, 0}};
	EXPECT_CALL(t, call(data_call(VCMD_get_sched, 42, sizeof(vcmd_sched_v5))))
		.WillOnce(Invoke(fills(sched)));
	EXPECT_CALL(t, call(data_call(VCMD_sched_info, 42, sizeof(vcmd_sched_info))))
		.WillOnce(Invoke(fills(info)));
	EXPECT_CALL(t, call(data_call(VCMD_virt_stat, 42, sizeof(vcmd_virt_stat_v0))))
		.WillOnce(Invoke(fills(virt)));
	auto s = client.get_sched(42);
	EXPECT_EQ(s.fill_rate[0], 1);
	EXPECT_EQ(s.interval[0], 4);
	EXPECT_EQ(s.tokens_max, 500);
	auto i = client.sched_info(42);
	EXPECT_EQ(i.user_msec, 1234u);
	EXPECT_EQ(i.hold_msec, 56u);
	EXPECT_EQ(i.token_usec, 1000u);
	auto v = client.virt_stat(42);
	EXPECT_EQ(v.uptime, 5000000000ULL);
	EXPECT_EQ(v.nr_threads, 3u);
	EXPECT_EQ(v.load[0], 2048u);
}

TEST(Client, SchedInfoAsksForTheWholeContext)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_sched_info sent{1, 1, 0, 0, 0, 0, 0};

	EXPECT_CALL(t, call(data_call(VCMD_sched_info, 42, sizeof(vcmd_sched_info))))
		.WillOnce(Invoke(keeps(sent)));
	client.sched_info(42);
	EXPECT_EQ(sent.cpu_id, 0);
	EXPECT_EQ(sent.bucket_id, 0);
}

TEST(ContextName, AsksTheKernelForContextsOnly)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_vhi_name_v0 named{};
	std::strcpy(named.name, "web");

	EXPECT_CALL(t, call(cmd_is(VCMD_get_vhi_name)))
		.WillOnce(Invoke(fills(named)))
		.WillOnce(Invoke(fills(vcmd_vhi_name_v0{})))
		.WillOnce(Return(-ESRCH))
		.WillOnce(Return(-EPERM));
	EXPECT_EQ(context_name(client, 0), "");		// no call for the host
	EXPECT_EQ(context_name(client, 1), "");		// nor the spectator
	EXPECT_EQ(context_name(client, 42), "web");
	EXPECT_EQ(context_name(client, 43), "");	// no name
	EXPECT_EQ(context_name(client, 44), "");	// gone
	EXPECT_THROW(context_name(client, 45), std::system_error);
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

TEST(ClientErrors, NewCommandsNameThemselves)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(_)).WillRepeatedly(Return(-ESRCH));
	EXPECT_STREQ(thrown_by([&] { client.ctx_stat(7); }).what(),
		     "ctx_stat(7): No such process");
	EXPECT_STREQ(thrown_by([&] { client.get_cflags(7); }).what(),
		     "get_cflags(7): No such process");
	EXPECT_STREQ(thrown_by([&] { client.set_cflags(7, 0, 0); }).what(),
		     "set_cflags(7): No such process");
	EXPECT_STREQ(thrown_by([&] { client.ctx_kill(7, 0, 9); }).what(),
		     "ctx_kill(7): No such process");
	EXPECT_STREQ(thrown_by([&] { client.wait_exit(7); }).what(),
		     "wait_exit(7): No such process");
	EXPECT_STREQ(thrown_by([&] { client.get_vhi_name(7, VHIN_CONTEXT); }).what(),
		     "get_vhi_name(7): No such process");
	EXPECT_STREQ(thrown_by([&] { client.set_vhi_name(7, VHIN_CONTEXT, "x"); }).what(),
		     "set_vhi_name(7): No such process");
	EXPECT_STREQ(thrown_by([&] { client.set_space(7, CLONE_NEWNS); }).what(),
		     "set_space(7): No such process");
	EXPECT_STREQ(thrown_by([&] { client.enter_space(7, 0); }).what(),
		     "enter_space(7): No such process");
}

TEST(ClientErrors, LimitAndSchedCommandsNameThemselves)
{
	StrictMock<MockTransport> t;
	Client client(t);
	const std::vector<std::function<void()>> calls{
		[&] { client.get_rlimit(7, VLIMIT_NPROC); },
		[&] { client.set_rlimit(7, 0, CRLIM_KEEP, CRLIM_KEEP, 1); },
		[&] { client.get_rlimit_mask(); },
		[&] { client.reset_hits(7); },
		[&] { client.reset_minmax(7); },
		[&] { client.rlimit_stat(7, VLIMIT_RSS); },
		[&] { client.set_sched(7, vcmd_sched_v5{}); },
		[&] { client.get_sched(7); },
		[&] { client.sched_info(7); },
		[&] { client.virt_stat(7); },
	};
	// in the order of limit_commands; get_rlimit_mask has no id
	const char *names[] = {"get_rlimit(7)", "set_rlimit(7)", "get_rlimit_mask(0)",
			       "reset_hits(7)", "reset_minmax(7)", "rlimit_stat(7)",
			       "set_sched(7)", "get_sched(7)", "sched_info(7)", "virt_stat(7)"};

	EXPECT_CALL(t, call(_)).WillRepeatedly(Return(-EINVAL));
	for (std::size_t i = 0; i < calls.size(); i++)
		EXPECT_EQ(std::string(thrown_by(calls[i]).what()),
			  std::string(names[i]) + ": Invalid argument");
}

TEST(ClientErrors, DlimitCommandsNameTheTagAndThePath)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_is(VCMD_add_dlimit))).WillOnce(Return(-EEXIST));
	EXPECT_CALL(t, call(cmd_is(VCMD_rem_dlimit))).WillOnce(Return(-ESRCH));
	EXPECT_CALL(t, call(cmd_is(VCMD_set_dlimit))).WillOnce(Return(-EINVAL));
	EXPECT_CALL(t, call(cmd_is(VCMD_get_dlimit))).WillOnce(Return(-EOPNOTSUPP));
	auto e = thrown_by([&] { client.add_dlimit(42, "/vservers"); });
	EXPECT_EQ(e.code(), std::errc::file_exists);
	EXPECT_STREQ(e.what(), "add_dlimit(42, /vservers): File exists");
	EXPECT_STREQ(thrown_by([&] { client.rem_dlimit(7, "/v"); }).what(),
		     "rem_dlimit(7, /v): No such process");
	EXPECT_STREQ(thrown_by([&] { client.set_dlimit(42, "/v", vcmd_ctx_dlimit_v0{}); }).what(),
		     "set_dlimit(42, /v): Invalid argument");
	EXPECT_STREQ(thrown_by([&] { client.get_dlimit(42, "/tmp"); }).what(),
		     "get_dlimit(42, /tmp): Operation not supported");
}

TEST(ClientErrors, DlimitPathWithNulRejectedBeforeAnyCall)
{
	StrictMock<MockTransport> t;	// any call would fail the test
	Client client(t);
	const std::string path("/a\0b", 4);

	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { client.add_dlimit(42, path); }),
		  "add_dlimit: path contains a NUL byte");
	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { client.rem_dlimit(42, path); }),
		  "rem_dlimit: path contains a NUL byte");
	EXPECT_EQ(what_thrown<std::invalid_argument>(
			  [&] { client.set_dlimit(42, path, vcmd_ctx_dlimit_v0{}); }),
		  "set_dlimit: path contains a NUL byte");
	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { client.get_dlimit(42, path); }),
		  "get_dlimit: path contains a NUL byte");
}

TEST(CommandName, KnownAndUnknown)
{
	EXPECT_EQ(command_name(VCMD_get_version), "get_version");
	EXPECT_EQ(command_name(VCMD_task_xid), "task_xid");
	EXPECT_EQ(command_name(VCMD_task_nid), "task_nid");
	EXPECT_EQ(command_name(VCMD_vx_info), "vx_info");
	EXPECT_EQ(command_name(VCMD_ctx_create), "ctx_create");
	EXPECT_EQ(command_name(VCMD_ctx_migrate), "ctx_migrate");
	EXPECT_EQ(command_name(VCMD_ctx_stat), "ctx_stat");
	EXPECT_EQ(command_name(VCMD_get_cflags), "get_cflags");
	EXPECT_EQ(command_name(VCMD_set_cflags), "set_cflags");
	EXPECT_EQ(command_name(VCMD_ctx_kill), "ctx_kill");
	EXPECT_EQ(command_name(VCMD_wait_exit), "wait_exit");
	EXPECT_EQ(command_name(VCMD_get_vhi_name), "get_vhi_name");
	EXPECT_EQ(command_name(VCMD_set_vhi_name), "set_vhi_name");
	EXPECT_EQ(command_name(0x12345678), "vcmd 0x12345678");
	EXPECT_EQ(command_name(0x0000abcd), "vcmd 0x0000abcd");
	// ctx_create_v0 is a different command from ctx_create (v1).
	EXPECT_EQ(command_name(0x09010000), "vcmd 0x09010000");
}

} // namespace
} // namespace vserver::test
