// vkill's logic: which PIDs it takes and which ctx_kill calls it makes.
#include "mock_transport.hpp"

#include <vserver/kill.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace vserver::test {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::InSequence;
using ::testing::Invoke;
using ::testing::IsEmpty;
using ::testing::Return;
using ::testing::StrictMock;
using Args = std::vector<std::string>;

std::string parse_error(Args args, bool have_xid)
{
	try {
		parse_pids(args, have_xid);
	} catch (const std::invalid_argument &e) {
		return e.what();
	}
	return "accepted";
}

TEST(ParsePids, RealPids)
{
	EXPECT_THAT(parse_pids(Args{"1234", "1"}, false), ElementsAre(1234, 1));
	EXPECT_THAT(parse_pids(Args{"1234"}, true), ElementsAre(1234));
}

TEST(ParsePids, ContextWidePidsNeedAnXid)
{
	EXPECT_THAT(parse_pids(Args{"0", "-1", "1"}, true), ElementsAre(0, -1, 1));
	EXPECT_EQ(parse_error({"0"}, false), "pid 0 needs --xid (it means every task of the context)");
	EXPECT_EQ(parse_error({"-1"}, false),
		  "pid -1 needs --xid (it means every task but the init of the context)");
}

TEST(ParsePids, NothingToKill)
{
	EXPECT_EQ(parse_error({}, false), "No pid specified");
	EXPECT_THAT(parse_pids(Args{}, true), IsEmpty());
}

TEST(ParsePids, NotNumbers)
{
	EXPECT_EQ(parse_error({"abc"}, true), "invalid pid 'abc': not a number");
	EXPECT_EQ(parse_error({"12x"}, true), "invalid pid '12x': not a number");
	EXPECT_EQ(parse_error({""}, true), "invalid pid '': not a number");
	EXPECT_EQ(parse_error({"+5"}, true), "invalid pid '+5': not a number");
	EXPECT_EQ(parse_error({"99999999999"}, true), "invalid pid '99999999999': not a number");
	EXPECT_EQ(parse_error({"-2"}, true), "invalid pid '-2': below -1");
	EXPECT_EQ(parse_error({"5", "x"}, false), "invalid pid 'x': not a number");
}

// A ctx_kill of xid carrying {pid, sig}.
::testing::Matcher<const vserver_call &> kill_call(std::uint32_t xid)
{
	return AllOf(Field(&vserver_call::cmd, VCMD_ctx_kill), Field(&vserver_call::id, xid));
}

// Records the {pid, sig} of each ctx_kill, answering ret.
auto record(std::vector<vcmd_ctx_kill_v0> &seen, long ret = 0)
{
	return [&seen, ret](const vserver_call &call) {
		vcmd_ctx_kill_v0 k;
		std::memcpy(&k, reinterpret_cast<const void *>(call.data), sizeof(k));
		seen.push_back(k);
		return ret;
	};
}

TEST(KillTasks, XidWithoutPidsKillsTheWholeContext)
{
	StrictMock<MockTransport> t;
	Client client(t);
	std::vector<vcmd_ctx_kill_v0> seen;

	EXPECT_CALL(t, call(kill_call(42))).WillOnce(Invoke(record(seen)));
	EXPECT_THAT(kill_tasks(client, 42, {}, 15), IsEmpty());
	ASSERT_EQ(seen.size(), 1u);
	EXPECT_EQ(seen[0].pid, 0);
	EXPECT_EQ(seen[0].sig, 15);
}

TEST(KillTasks, XidWithPidsKillsEachInThatContext)
{
	StrictMock<MockTransport> t;
	Client client(t);
	std::vector<vcmd_ctx_kill_v0> seen;
	std::vector<pid_t> pids{1, 4711, -1};

	EXPECT_CALL(t, call(kill_call(42))).Times(3).WillRepeatedly(Invoke(record(seen)));
	EXPECT_THAT(kill_tasks(client, 42, pids, 9), IsEmpty());
	ASSERT_EQ(seen.size(), 3u);
	EXPECT_EQ(seen[0].pid, 1);
	EXPECT_EQ(seen[1].pid, 4711);
	EXPECT_EQ(seen[2].pid, -1);
	EXPECT_EQ(seen[2].sig, 9);
}

TEST(KillTasks, WithoutXidEachPidInItsOwnContext)
{
	StrictMock<MockTransport> t;
	Client client(t);
	std::vector<vcmd_ctx_kill_v0> seen;
	std::vector<pid_t> pids{100, 200};
	InSequence seq;

	EXPECT_CALL(t, call(AllOf(Field(&vserver_call::cmd, VCMD_task_xid),
				  Field(&vserver_call::id, 100u)))).WillOnce(Return(42));
	EXPECT_CALL(t, call(kill_call(42))).WillOnce(Invoke(record(seen)));
	EXPECT_CALL(t, call(AllOf(Field(&vserver_call::cmd, VCMD_task_xid),
				  Field(&vserver_call::id, 200u)))).WillOnce(Return(49152));
	EXPECT_CALL(t, call(kill_call(49152))).WillOnce(Invoke(record(seen)));
	EXPECT_THAT(kill_tasks(client, std::nullopt, pids, 1), IsEmpty());
	ASSERT_EQ(seen.size(), 2u);
	EXPECT_EQ(seen[0].pid, 100);
	EXPECT_EQ(seen[1].pid, 200);
	EXPECT_EQ(seen[1].sig, 1);
}

TEST(KillTasks, GoesOnAfterFailuresAndReportsEach)
{
	StrictMock<MockTransport> t;
	Client client(t);
	std::vector<vcmd_ctx_kill_v0> seen;
	std::vector<pid_t> pids{100, 200, 300, 400};
	InSequence seq;

	EXPECT_CALL(t, call(Field(&vserver_call::cmd, VCMD_task_xid))).WillOnce(Return(-ESRCH));
	EXPECT_CALL(t, call(Field(&vserver_call::cmd, VCMD_task_xid))).WillOnce(Return(0));
	EXPECT_CALL(t, call(Field(&vserver_call::cmd, VCMD_task_xid))).WillOnce(Return(42));
	EXPECT_CALL(t, call(kill_call(42))).WillOnce(Invoke(record(seen, -ESRCH)));
	EXPECT_CALL(t, call(Field(&vserver_call::cmd, VCMD_task_xid))).WillOnce(Return(43));
	EXPECT_CALL(t, call(kill_call(43))).WillOnce(Invoke(record(seen)));
	EXPECT_THAT(kill_tasks(client, std::nullopt, pids, 15),
		    ElementsAre("pid 100: task_xid(100): No such process",
				"pid 200: not in a context (xid 0)",
				"pid 300: ctx_kill(42): No such process"));
	EXPECT_EQ(seen.size(), 2u);	// 300 and 400 were tried
}

TEST(KillTasks, WholeContextFailure)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(kill_call(42))).WillOnce(Return(-EPERM));
	EXPECT_THAT(kill_tasks(client, 42, {}, 15),
		    ElementsAre("ctx_kill(42): Operation not permitted"));
}

TEST(KillTasks, NeitherXidNorPidsIsAnError)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_THROW(kill_tasks(client, std::nullopt, {}, 15), std::invalid_argument);
}

} // namespace
} // namespace vserver::test
