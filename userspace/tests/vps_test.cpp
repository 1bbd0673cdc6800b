// vps: the context column in ps output of both flavours.
#include "mock_transport.hpp"

#include <vserver/vps.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <map>

namespace vserver::test {
namespace {

using ::testing::AllOf;
using ::testing::Field;
using ::testing::Invoke;
using ::testing::Return;
using ::testing::StrictMock;

// pid -> context, as a table; pids not in it are gone.
ContextLookup table(std::map<pid_t, TaskContext> contexts, std::vector<pid_t> *asked = nullptr)
{
	return [contexts, asked](pid_t pid) -> std::optional<TaskContext> {
		if (asked)
			asked->push_back(pid);
		auto it = contexts.find(pid);
		if (it == contexts.end())
			return std::nullopt;
		return it->second;
	};
}

const std::map<pid_t, TaskContext> contexts{
	{1, {0, ""}}, {2, {0, ""}}, {4242, {40001, "web"}}, {4243, {42, ""}},
	{777, {1, ""}}, {123456, {49152, "db"}},
};

TEST(InsertContextColumn, ProcpsHeader)
{
	std::string ps =
		"  PID TTY          TIME CMD\n"
		"    1 ?        00:00:03 init\n"
		" 4242 ?        00:00:00 sshd\n"
		" 4243 pts/0    00:00:00 sh\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "  PID   CTX NAME TTY          TIME CMD\n"
		  "    1     0 MAIN ?        00:00:03 init\n"
		  " 4242 40001 web  ?        00:00:00 sshd\n"
		  " 4243    42 -    pts/0    00:00:00 sh\n");
}

TEST(InsertContextColumn, ProcpsUserFirst)
{
	std::string ps =
		"USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n"
		"root           1  0.0  0.1 167000 11000 ?        Ss   08:00   0:03 /sbin/init\n"
		"nobody      4242  0.0  0.0   2000   800 ?        S    08:01   0:00 sleep 600\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "USER         PID   CTX NAME %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n"
		  "root           1     0 MAIN  0.0  0.1 167000 11000 ?        Ss   08:00   0:03 /sbin/init\n"
		  "nobody      4242 40001 web   0.0  0.0   2000   800 ?        S    08:01   0:00 sleep 600\n");
}

TEST(InsertContextColumn, OldBusyboxHeader)
{
	std::string ps =
		"  PID USER       TIME  COMMAND\n"
		"    1 root       0:01 init\n"
		"  777 root       0:00 ps\n"
		" 4242 root       0:00 sleep 600\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "  PID   CTX NAME     USER       TIME  COMMAND\n"
		  "    1     0 MAIN     root       0:01 init\n"
		  "  777     1 ALL_PROC root       0:00 ps\n"
		  " 4242 40001 web      root       0:00 sleep 600\n");
}

TEST(InsertContextColumn, BusyboxHeaderLeftOfRightAlignedPids)
{
	// busybox 1.3x: "PID" is left-aligned, the numbers right-aligned in 5.
	std::string ps =
		"PID   USER     TIME  COMMAND\n"
		"    1 root      0:01 init\n"
		" 4242 root      0:00 sleep 600\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "PID     CTX NAME USER     TIME  COMMAND\n"
		  "    1     0 MAIN root      0:01 init\n"
		  " 4242 40001 web  root      0:00 sleep 600\n");
}

TEST(InsertContextColumn, WidePidsPushOnlyTheirOwnRow)
{
	// busybox prints a 6-digit pid without a gap before USER; the header
	// and the other rows stay as they are.
	std::string ps =
		"PID   USER     TIME  COMMAND\n"
		"    1 root      0:01 init\n"
		"123456 root      0:00 db\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "PID     CTX NAME USER     TIME  COMMAND\n"
		  "    1     0 MAIN root      0:01 init\n"
		  "123456 49152 db   root      0:00 db\n");
}

TEST(InsertContextColumn, GoneTasksSayErr)
{
	std::string ps =
		"  PID TTY          TIME CMD\n"
		" 9999 ?        00:00:00 gone\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "  PID   CTX NAME TTY          TIME CMD\n"
		  " 9999   ERR -    ?        00:00:00 gone\n");
}

TEST(InsertContextColumn, RowsWithoutAPidPassUnchanged)
{
	std::vector<pid_t> asked;
	std::string ps =
		"  PID TTY          TIME CMD\n"
		"    1 ?        00:00:03 init\n"
		"\n"
		"  abc not a process line\n"
		"short\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts, &asked)),
		  "  PID   CTX NAME TTY          TIME CMD\n"
		  "    1     0 MAIN ?        00:00:03 init\n"
		  "\n"
		  "  abc not a process line\n"
		  "short\n");
	EXPECT_EQ(asked, std::vector<pid_t>{1});
}

TEST(InsertContextColumn, NoPidHeaderMeansNoChange)
{
	std::vector<pid_t> asked;
	std::string ps = "  TTY          TIME CMD\n    1 ?        00:00:03 init\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts, &asked)), ps);
	EXPECT_EQ(insert_context_column("", table(contexts, &asked)), "");
	EXPECT_EQ(insert_context_column("  PPID CMD\n    1 init\n", table(contexts, &asked)),
		  "  PPID CMD\n    1 init\n");
	EXPECT_TRUE(asked.empty());
}

TEST(InsertContextColumn, PidAsLastFieldAndNoFinalNewline)
{
	std::string ps =
		"CMD                PID\n"
		"init                 1\n"
		"sshd              4242";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "CMD                PID   CTX NAME\n"
		  "init                 1     0 MAIN\n"
		  "sshd              4242 40001 web");
}

TEST(InsertContextColumn, LongNamesAreCut)
{
	std::string ps = "  PID CMD\n 4242 sshd\n";
	auto lookup = table({{4242, {40001, "a-very-long-vserver-name-indeed"}}});
	EXPECT_EQ(insert_context_column(ps, lookup),
		  "  PID   CTX NAME                 CMD\n"
		  " 4242 40001 a-very-long-vserver- sshd\n");
}

TEST(VpsDisplayName, SpecialXids)
{
	EXPECT_EQ(vps_display_name({0, "x"}), "MAIN");
	EXPECT_EQ(vps_display_name({1, "x"}), "ALL_PROC");
	EXPECT_EQ(vps_display_name({2, "x"}), "x");
	EXPECT_EQ(vps_display_name({2, ""}), "-");
}

::testing::Matcher<const vserver_call &> cmd_id(std::uint32_t cmd, std::uint32_t id)
{
	return AllOf(Field(&vserver_call::cmd, cmd), Field(&vserver_call::id, id));
}

auto named(const char *name)
{
	return [name](const vserver_call &call) {
		vcmd_vhi_name_v0 data{};
		std::strcpy(data.name, name);
		std::memcpy(reinterpret_cast<void *>(call.data), &data, sizeof(data));
		return 0L;
	};
}

TEST(ClientContextLookup, AsksNamesOncePerContext)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 10))).WillOnce(Return(42));
	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 11))).WillOnce(Return(42));
	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 12))).WillOnce(Return(0));
	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 13))).WillOnce(Return(-ESRCH));
	EXPECT_CALL(t, call(cmd_id(VCMD_get_vhi_name, 42))).WillOnce(Invoke(named("web")));

	auto lookup = client_context_lookup(client);
	auto a = lookup(10), b = lookup(11), host = lookup(12), gone = lookup(13);
	ASSERT_TRUE(a && b && host);
	EXPECT_EQ(a->xid, 42u);
	EXPECT_EQ(a->name, "web");
	EXPECT_EQ(b->name, "web");
	EXPECT_EQ(host->xid, 0u);
	EXPECT_EQ(host->name, "");
	EXPECT_EQ(gone, std::nullopt);
}

TEST(ClientContextLookup, OtherErrorsPropagate)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 10))).WillOnce(Return(-EPERM));
	auto lookup = client_context_lookup(client);
	EXPECT_THROW(lookup(10), std::system_error);
}

} // namespace
} // namespace vserver::test
