// --disconnect: the parent leaves at once, the child goes on in a session
// of its own.
#include <vserver/disconnect.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <optional>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace vserver::test {
namespace {

using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;
using ::testing::Throw;

class MockSessions : public Sessions {
public:
	MOCK_METHOD(pid_t, fork, (), (override));
	MOCK_METHOD(void, setsid, (), (override));
};

std::system_error errno_error(int err, const char *what)
{
	return std::system_error(err, std::generic_category(), what);
}

TEST(Disconnect, ParentExitsZeroAndLeavesTheSessionAlone)
{
	StrictMock<MockSessions> s;	// a setsid() call would fail the test

	EXPECT_CALL(s, fork()).WillOnce(Return(1234));
	EXPECT_EQ(disconnect(s), 0);
}

TEST(Disconnect, ChildStartsANewSessionAndGoesOn)
{
	StrictMock<MockSessions> s;
	InSequence seq;

	EXPECT_CALL(s, fork()).WillOnce(Return(0));
	EXPECT_CALL(s, setsid());
	EXPECT_EQ(disconnect(s), std::nullopt);
}

TEST(Disconnect, FailedForkIsReportedAndNothingElseHappens)
{
	StrictMock<MockSessions> s;

	EXPECT_CALL(s, fork()).WillOnce(Throw(errno_error(EAGAIN, "fork")));
	try {
		disconnect(s);
		FAIL() << "no exception";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::resource_unavailable_try_again);
		EXPECT_THAT(e.what(), ::testing::StartsWith("fork: "));
	}
}

TEST(Disconnect, FailedSetsidIsReportedInTheChild)
{
	StrictMock<MockSessions> s;

	EXPECT_CALL(s, fork()).WillOnce(Return(0));
	EXPECT_CALL(s, setsid()).WillOnce(Throw(errno_error(EPERM, "setsid")));
	EXPECT_THROW(disconnect(s), std::system_error);
}

// The real thing: the child is the leader of a new session, the parent is
// told 0 and is still in its own.
class RecordingSessions : public SystemSessions {
public:
	pid_t fork() override { return child = SystemSessions::fork(); }
	pid_t child = -1;
};

TEST(Disconnect, RealChildIsInANewSession)
{
	int fds[2];
	ASSERT_EQ(::pipe(fds), 0);
	const pid_t our_session = ::getsid(0);
	RecordingSessions s;

	std::optional<int> status;
	try {
		status = disconnect(s);
	} catch (...) {
		if (s.child == 0)	// never let a child run the other tests
			::_exit(1);
		throw;
	}
	if (!status) {
		// The child: report and leave without running gtest's exit code.
		char ok = (::getsid(0) == ::getpid() && ::getpgid(0) == ::getpid()) ? 'y' : 'n';
		ssize_t ignored = ::write(fds[1], &ok, 1);
		(void)ignored;
		::_exit(0);
	}
	::close(fds[1]);
	EXPECT_EQ(*status, 0);
	ASSERT_GT(s.child, 0);
	char ok = 0;
	EXPECT_EQ(::read(fds[0], &ok, 1), 1);
	::close(fds[0]);
	EXPECT_EQ(ok, 'y') << "the child did not lead a new session";
	EXPECT_EQ(::getsid(0), our_session);
	int wstatus;
	ASSERT_EQ(::waitpid(s.child, &wstatus, 0), s.child);
	EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
}

} // namespace
} // namespace vserver::test
