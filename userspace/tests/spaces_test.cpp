// chcontext with namespaces: new spaces for a new context, the context's
// own for a joiner, names set afterwards.
#include "mock_transport.hpp"
#include "temp_dir.hpp"

#include <vserver/chcontext.hpp>
#include <vserver/spaces.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace vserver::test {
namespace {

using ::testing::_;
using ::testing::AllOf;
using ::testing::Field;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;
using ::testing::Throw;

class MockNamespaces : public Namespaces {
public:
	MOCK_METHOD(void, unshare, (int flags), (override));
	MOCK_METHOD(void, enter, (pid_t pid, int flags), (override));
	MOCK_METHOD(void, set_hostname, (const std::string &name), (override));
	MOCK_METHOD(void, set_domainname, (const std::string &name), (override));
	MOCK_METHOD(void, make_slave, (const std::filesystem::path &path), (override));
	MOCK_METHOD(void, mount_proc, (const std::filesystem::path &path), (override));
};

// A fake /proc: pid 10 on the host, pid 20 in context 50.
void fake_proc(const TempDir &proc)
{
	const char *stat = "1 (x) S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 1000 10 0\n";
	proc.write("10/status", "Name:\tinit\nVxID:\t0\n");
	proc.write("10/stat", stat);
	proc.write("20/status", "Name:\tsleep\nVxID:\t50\n");
	proc.write("20/stat", stat);
}

TEST(EnterContextSpaces, NewContextGetsNewSpacesThenNames)
{
	StrictMock<MockTransport> t;
	StrictMock<MockNamespaces> ns;
	Client client(t);
	InSequence seq;

	EXPECT_CALL(ns, unshare(context_spaces));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 50))).WillOnce(Return(50));
	EXPECT_CALL(ns, set_hostname("web"));
	EXPECT_CALL(ns, set_domainname("example"));
	auto entry = enter_context(client, ns, 50, UtsNames{"web", "example"});
	EXPECT_TRUE(entry.created);
	EXPECT_EQ(entry.xid, 50u);
}

TEST(EnterContextSpaces, JoinerEntersTheSpacesOfATaskInTheContext)
{
	TempDir proc;
	fake_proc(proc);
	StrictMock<MockTransport> t;
	StrictMock<MockNamespaces> ns;
	Client client(t);
	InSequence seq;

	EXPECT_CALL(ns, unshare(context_spaces));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 50))).WillOnce(Return(-EEXIST));
	EXPECT_CALL(ns, enter(20, context_spaces));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_migrate, 50))).WillOnce(Return(0));
	auto entry = enter_context(client, ns, 50, {}, proc.path());
	EXPECT_FALSE(entry.created);
}

TEST(EnterContextSpaces, EmptyPersistentContextKeepsTheFreshSpaces)
{
	TempDir proc;
	fake_proc(proc);
	StrictMock<MockTransport> t;
	StrictMock<MockNamespaces> ns;
	Client client(t);

	EXPECT_CALL(ns, unshare(context_spaces));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 51))).WillOnce(Return(-EBUSY));
	EXPECT_CALL(ns, enter(_, _)).Times(0);
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_migrate, 51))).WillOnce(Return(0));
	enter_context(client, ns, 51, {}, proc.path());
}

TEST(EnterContextSpaces, FlagsGoWithTheInitialState)
{
	StrictMock<MockTransport> t;
	StrictMock<MockNamespaces> ns;
	Client client(t);

	EXPECT_CALL(ns, unshare(context_spaces));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 50)))
		.WillOnce([](const vserver_call &c) {
			EXPECT_EQ(c.size, sizeof(vcmd_ctx_create));
			auto *d = reinterpret_cast<const vcmd_ctx_create *>(c.data);
			EXPECT_EQ(d->flagword, VXF_INIT_SET | VXF_INFO_INIT | VXF_PERSISTENT);
			return 50L;
		});
	enter_context(client, ns, 50, {}, "/proc", VXF_INFO_INIT | VXF_PERSISTENT);
}

TEST(EnterContextSpaces, NoFlagsLeaveTheKernelDefault)
{
	StrictMock<MockTransport> t;
	StrictMock<MockNamespaces> ns;
	Client client(t);

	EXPECT_CALL(ns, unshare(context_spaces));
	EXPECT_CALL(t, call(AllOf(cmd_id(VCMD_ctx_create, 50), Field(&vserver_call::size, 0u))))
		.WillOnce(Return(50));
	enter_context(client, ns, 50);
}

TEST(EnterContextSpaces, FailedCreateSetsNoNames)
{
	StrictMock<MockTransport> t;
	StrictMock<MockNamespaces> ns;
	Client client(t);

	EXPECT_CALL(ns, unshare(context_spaces));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 50))).WillOnce(Return(-EPERM));
	EXPECT_THROW(enter_context(client, ns, 50, UtsNames{"web", {}}), std::system_error);
}

// fakeinit: a mount namespace of its own, unshared on the host with the
// context's, and a proc of the new PID namespace mounted last.
TEST(EnterContextOwnProc, NewContextMountsProcOnceSetUp)
{
	StrictMock<MockTransport> t;
	StrictMock<MockNamespaces> ns;
	Client client(t);
	InSequence seq;

	EXPECT_CALL(ns, unshare(context_spaces | mount_space));
	EXPECT_CALL(ns, make_slave(std::filesystem::path("/")));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 71))).WillOnce(Return(71));
	EXPECT_CALL(ns, set_hostname("guest"));
	EXPECT_CALL(ns, mount_proc(std::filesystem::path("/proc")));
	auto entry = enter_context(client, ns, 71, UtsNames{"guest", {}}, "/proc",
				   VXF_INFO_INIT, true);
	EXPECT_TRUE(entry.created);
}

TEST(EnterContextOwnProc, JoinerFindsTheContextsTaskBeforeProcIsCovered)
{
	TempDir proc;
	fake_proc(proc);
	StrictMock<MockTransport> t;
	StrictMock<MockNamespaces> ns;
	Client client(t);
	InSequence seq;

	// The mount namespace is changed before the task is in the context,
	// which may be past its setup and refuse it.
	EXPECT_CALL(ns, unshare(context_spaces | mount_space));
	EXPECT_CALL(ns, make_slave(std::filesystem::path("/")));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 50))).WillOnce(Return(-EEXIST));
	EXPECT_CALL(ns, enter(20, context_spaces));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_migrate, 50))).WillOnce(Return(0));
	EXPECT_CALL(ns, mount_proc(proc.path()));
	auto entry = enter_context(client, ns, 50, {}, proc.path(), VXF_INFO_INIT, true);
	EXPECT_FALSE(entry.created);
}

TEST(EnterContextOwnProc, NoSlaveMountsNoProc)
{
	StrictMock<MockTransport> t;	// a ctx_create call would fail the test
	StrictMock<MockNamespaces> ns;
	Client client(t);

	EXPECT_CALL(ns, unshare(context_spaces | mount_space));
	EXPECT_CALL(ns, make_slave(_)).WillOnce(Throw(std::system_error(
		EINVAL, std::generic_category(), "mount --make-rslave /")));
	EXPECT_THROW(enter_context(client, ns, 71, {}, "/proc", VXF_INFO_INIT, true),
		     std::system_error);
}

TEST(EnterContextOwnProc, ProcThatCannotBeMountedIsAnError)
{
	StrictMock<MockTransport> t;
	StrictMock<MockNamespaces> ns;
	Client client(t);

	EXPECT_CALL(ns, unshare(context_spaces | mount_space));
	EXPECT_CALL(ns, make_slave(_));
	EXPECT_CALL(t, call(cmd_id(VCMD_ctx_create, 71))).WillOnce(Return(71));
	EXPECT_CALL(ns, mount_proc(_)).WillOnce(Throw(std::system_error(
		ENOENT, std::generic_category(), "mount -t proc proc /proc")));
	try {
		enter_context(client, ns, 71, {}, "/proc", VXF_INFO_INIT, true);
		FAIL() << "no exception";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::no_such_file_or_directory);
		EXPECT_STREQ(e.what(), "mount -t proc proc /proc: No such file or directory");
	}
}

TEST(FindContextTask, FindsTheLowestPidOfTheContext)
{
	TempDir proc;
	fake_proc(proc);
	EXPECT_EQ(find_context_task(50, proc.path()), 20);
	EXPECT_EQ(find_context_task(0, proc.path()), 10);
	EXPECT_EQ(find_context_task(51, proc.path()), std::nullopt);
}

TEST(CheckUtsName, AcceptsOneTo64Bytes)
{
	EXPECT_NO_THROW(check_uts_name("--hostname", "a"));
	EXPECT_NO_THROW(check_uts_name("--hostname", std::string(64, 'h')));
	EXPECT_THROW(check_uts_name("--hostname", ""), std::invalid_argument);
	EXPECT_THROW(check_uts_name("--hostname", std::string(65, 'h')), std::invalid_argument);
	try {
		check_uts_name("--hostname", std::string(65, 'h'));
	} catch (const std::invalid_argument &e) {
		EXPECT_THAT(e.what(), ::testing::HasSubstr("--hostname"));
		EXPECT_THAT(e.what(), ::testing::HasSubstr("1 to 64"));
	}
}

} // namespace
} // namespace vserver::test
