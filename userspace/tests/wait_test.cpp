// vwait's logic: wait, time out, terminate; its status lines and exit codes.
#include "mock_transport.hpp"

#include <vserver/wait.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace vserver::test {
namespace {

using ::testing::Field;
using ::testing::InSequence;
using ::testing::Invoke;
using ::testing::Return;
using ::testing::StrictMock;

::testing::Matcher<const vserver_call &> cmd_is(std::uint32_t cmd)
{
	return ::testing::AllOf(Field(&vserver_call::cmd, cmd), Field(&vserver_call::id, 42u));
}

// wait_exit answering with this wait status.
auto exits_with(int wait_status)
{
	return [wait_status](const vserver_call &call) {
		vcmd_wait_exit_v0 w{0, wait_status};
		std::memcpy(reinterpret_cast<void *>(call.data), &w, sizeof(w));
		return 0L;
	};
}

class WaitContext : public ::testing::Test {
protected:
	StrictMock<MockTransport> t;
	Client client{t};
	int armed = 0;

	WaitOutcome wait(bool terminate)
	{
		return wait_context(client, 42, terminate, [this] { armed++; });
	}
};

TEST_F(WaitContext, FinishedWithTheExitStatus)
{
	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Invoke(exits_with(3 << 8)));
	EXPECT_EQ(wait(false), (WaitOutcome{WaitOutcome::finished, 3}));
	EXPECT_EQ(armed, 1);
}

TEST_F(WaitContext, FinishedBySignal)
{
	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Invoke(exits_with(SIGKILL)));
	EXPECT_EQ(wait(false), (WaitOutcome{WaitOutcome::finished, 128 + SIGKILL}));
}

TEST_F(WaitContext, InterruptedIsTimeout)
{
	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Return(-EINTR));
	EXPECT_EQ(wait(false), (WaitOutcome{WaitOutcome::timeout}));
}

TEST_F(WaitContext, TerminateKillsAndWaitsAgain)
{
	InSequence seq;
	vcmd_ctx_kill_v0 kill{};

	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Return(-EINTR));
	EXPECT_CALL(t, call(cmd_is(VCMD_ctx_kill))).WillOnce(Invoke([&](const vserver_call &call) {
		std::memcpy(&kill, reinterpret_cast<const void *>(call.data), sizeof(kill));
		return 0L;
	}));
	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Invoke(exits_with(SIGKILL)));
	EXPECT_EQ(wait(true), (WaitOutcome{WaitOutcome::killed, 128 + SIGKILL}));
	EXPECT_EQ(kill.pid, 0);
	EXPECT_EQ(kill.sig, SIGKILL);
	EXPECT_EQ(armed, 2);
}

TEST_F(WaitContext, TerminateThatDoesNotEndItIsTimeout)
{
	InSequence seq;

	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Return(-EINTR));
	EXPECT_CALL(t, call(cmd_is(VCMD_ctx_kill))).WillOnce(Return(0));
	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Return(-EINTR));
	EXPECT_EQ(wait(true), (WaitOutcome{WaitOutcome::timeout}));
}

TEST_F(WaitContext, ContextGoneBeforeTheSecondWaitWasKilled)
{
	InSequence seq;

	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Return(-EINTR));
	EXPECT_CALL(t, call(cmd_is(VCMD_ctx_kill))).WillOnce(Return(0));
	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Return(-ESRCH));
	EXPECT_EQ(wait(true), (WaitOutcome{WaitOutcome::killed, 128 + SIGKILL}));
}

TEST_F(WaitContext, NothingLeftToKillStillWaits)
{
	InSequence seq;

	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Return(-EINTR));
	EXPECT_CALL(t, call(cmd_is(VCMD_ctx_kill))).WillOnce(Return(-ESRCH));
	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Return(-ESRCH));
	EXPECT_EQ(wait(true), (WaitOutcome{WaitOutcome::error, ESRCH}));
}

TEST_F(WaitContext, KillRefusedIsAnError)
{
	InSequence seq;

	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Return(-EINTR));
	EXPECT_CALL(t, call(cmd_is(VCMD_ctx_kill))).WillOnce(Return(-EPERM));
	EXPECT_EQ(wait(true), (WaitOutcome{WaitOutcome::error, EPERM}));
}

TEST_F(WaitContext, ErrorsCarryTheErrno)
{
	EXPECT_CALL(t, call(cmd_is(VCMD_wait_exit))).WillOnce(Return(-ESRCH));
	EXPECT_EQ(wait(true), (WaitOutcome{WaitOutcome::error, ESRCH}));	// no kill
}

TEST(WaitOutcome, StatusLines)
{
	EXPECT_EQ(status_line({WaitOutcome::finished, 0}), "FINISHED 0\n");
	EXPECT_EQ(status_line({WaitOutcome::finished, 3}), "FINISHED 3\n");
	EXPECT_EQ(status_line({WaitOutcome::killed, 137}), "KILLED\n");
	EXPECT_EQ(status_line({WaitOutcome::timeout}), "TIMEOUT\n");
	EXPECT_EQ(status_line({WaitOutcome::error, ESRCH}), "ERROR 3\n");
}

TEST(WaitOutcome, ExitCodes)
{
	EXPECT_EQ(exit_code({WaitOutcome::finished, 3}), 0);
	EXPECT_EQ(exit_code({WaitOutcome::killed, 137}), 1);
	EXPECT_EQ(exit_code({WaitOutcome::timeout}), 2);
	EXPECT_EQ(exit_code({WaitOutcome::error, ESRCH}), 127);
}

} // namespace
} // namespace vserver::test
