// /proc parsing, against fake /proc trees and the real /proc/self.
#include "temp_dir.hpp"

#include <vserver/proc.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <system_error>

namespace vserver::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A /proc/<pid>/stat line as Linux 6.12 writes it (52 fields).
std::string stat_line(pid_t pid, std::string_view comm, std::uint64_t utime,
		      std::uint64_t stime, std::uint64_t start, std::uint64_t vsize,
		      std::uint64_t rss)
{
	return fmt::format("{} ({}) S 1 {} {} 0 -1 4194560 120 0 0 0 {} {} 0 0 20 0 1 0 {} {} {} "
			   "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 "
			   "0 0 0 0 0 0 0 0\n",
			   pid, comm, pid, pid, utime, stime, start, vsize, rss);
}

std::string status_text(std::string_view name, std::string_view vxid_line)
{
	return fmt::format("Name:\t{}\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t7\n{}"
			   "Threads:\t1\n", name, vxid_line);
}

TEST(ParseVxid, FindsTheLine)
{
	EXPECT_EQ(parse_vxid(status_text("sh", "VxID:\t42\nNxID:\t0\n")), 42u);
	EXPECT_EQ(parse_vxid("VxID:\t0\n"), 0u);
	EXPECT_EQ(parse_vxid("VxID: 49152"), 49152u);	// last line, no newline
}

TEST(ParseVxid, MissingOrMalformed)
{
	EXPECT_EQ(parse_vxid(status_text("sh", "")), std::nullopt);
	EXPECT_EQ(parse_vxid("VxID:\t\n"), std::nullopt);
	EXPECT_EQ(parse_vxid("VxID:\tabc\n"), std::nullopt);
	EXPECT_EQ(parse_vxid("VxID:\t-1\n"), std::nullopt);
	EXPECT_EQ(parse_vxid("XVxID:\t4\n"), std::nullopt);
	EXPECT_EQ(parse_vxid(""), std::nullopt);
}

TEST(ParseProcessStat, TheFieldsWeUse)
{
	auto stat = parse_process_stat(stat_line(7, "sleep", 5, 3, 500, 2252800, 180));
	ASSERT_TRUE(stat);
	EXPECT_EQ(*stat, (ProcessStat{5, 3, 500, 2252800, 180}));
}

TEST(ParseProcessStat, CommandNamesWithSpacesAndParentheses)
{
	auto stat = parse_process_stat(stat_line(7, "a) b (c) 1 2 3", 11, 12, 13, 14, 15));
	ASSERT_TRUE(stat);
	EXPECT_EQ(*stat, (ProcessStat{11, 12, 13, 14, 15}));
}

TEST(ParseProcessStat, Malformed)
{
	EXPECT_EQ(parse_process_stat(""), std::nullopt);
	EXPECT_EQ(parse_process_stat("7 sleep S 1"), std::nullopt);
	EXPECT_EQ(parse_process_stat("7 (sleep) S 1 7 7 0 -1 4194560 120 0 0 0 5 3"), std::nullopt);
	auto line = stat_line(7, "sleep", 5, 3, 500, 2252800, 180);
	line.replace(line.find("2252800"), 7, "2252x00");
	EXPECT_EQ(parse_process_stat(line), std::nullopt);
}

TEST(ParseProcessStat, ReadsTheRealProcSelf)
{
	std::ifstream in("/proc/self/stat");
	std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	auto stat = parse_process_stat(line);
	ASSERT_TRUE(stat) << line;
	EXPECT_GT(stat->vsize, 0u);
	EXPECT_GT(stat->rss, 0u);
	EXPECT_GT(stat->starttime, 0u);
}

// A fake /proc: processes, /proc/virtual, /proc/uptime.
class FakeProc : public ::testing::Test {
protected:
	TempDir proc;

	void process(pid_t pid, std::optional<xid_t> xid, std::uint64_t utime = 0,
		     std::uint64_t stime = 0, std::uint64_t start = 0, std::uint64_t vsize = 0,
		     std::uint64_t rss = 0)
	{
		auto dir = std::to_string(pid);
		proc.write(dir + "/status",
			   status_text("p", xid ? fmt::format("VxID:\t{}\nNxID:\t0\n", *xid) : ""));
		proc.write(dir + "/stat", stat_line(pid, "p", utime, stime, start, vsize, rss));
	}
};

TEST_F(FakeProc, ListProcessesTakesNumberedDirectoriesOnly)
{
	process(300, 0);
	process(20, 0);
	process(1, 0);
	proc.mkdir("self");
	proc.mkdir("virtual");
	proc.mkdir("12abc");
	proc.write("4000", "a file, not a process\n");
	EXPECT_THAT(list_processes(proc.path()), ElementsAre(1, 20, 300));
}

TEST_F(FakeProc, ReadProcess)
{
	process(7, 42, 5, 3, 500, 2252800, 180);
	auto info = read_process(7, proc.path());
	ASSERT_TRUE(info);
	EXPECT_EQ(info->pid, 7);
	EXPECT_EQ(info->xid, 42u);
	EXPECT_EQ(info->stat, (ProcessStat{5, 3, 500, 2252800, 180}));
}

TEST_F(FakeProc, ReadProcessGoneOrWithoutVxid)
{
	process(8, std::nullopt);
	proc.write("9/status", status_text("p", "VxID:\t1\n"));	// no stat
	EXPECT_EQ(read_process(7, proc.path()), std::nullopt);
	EXPECT_EQ(read_process(8, proc.path()), std::nullopt);
	EXPECT_EQ(read_process(9, proc.path()), std::nullopt);
}

TEST_F(FakeProc, ListContexts)
{
	proc.write("virtual/info", "VCIVersion:\t0002:0308\n");
	proc.write("virtual/status", "#CActive:\t3\n");
	proc.write("virtual/49152/info", "ID:\t49152\n");
	proc.write("virtual/42/info", "ID:\t42\n");
	proc.write("virtual/7/info", "ID:\t7\n");
	EXPECT_THAT(list_contexts(proc.path()), ElementsAre(7, 42, 49152));
}

TEST_F(FakeProc, ListContextsWithoutAny)
{
	proc.write("virtual/status", "#CActive:\t0\n");
	EXPECT_THAT(list_contexts(proc.path()), IsEmpty());
}

TEST_F(FakeProc, ListContextsWithoutTheModule)
{
	try {
		list_contexts(proc.path());
		FAIL() << "no exception";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::no_such_file_or_directory);
		EXPECT_EQ(std::string(e.what()),
			  (proc.path() / "virtual").string() + ": No such file or directory");
	}
}

TEST_F(FakeProc, Uptime)
{
	proc.write("uptime", "12345.67 23456.78\n");
	EXPECT_DOUBLE_EQ(read_uptime(proc.path()), 12345.67);
	proc.write("uptime", "garbage\n");
	EXPECT_THROW(read_uptime(proc.path()), std::system_error);
	std::filesystem::remove(proc.path() / "uptime");
	EXPECT_THROW(read_uptime(proc.path()), std::system_error);
}

} // namespace
} // namespace vserver::test
