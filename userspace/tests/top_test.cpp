// vtop: samples of a fake /proc, %CPU between two, sorting, filtering,
// per-context sums and the output.
#include "temp_dir.hpp"

#include <vserver/top.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <stdexcept>

namespace vserver::test {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr ProcUnits units{100, 4096};

class TopProc : public ::testing::Test {
protected:
	TempDir proc;

	void uptime(double seconds) { proc.write("uptime", fmt::format("{:.2f} 0.00\n", seconds)); }

	void process(pid_t pid, xid_t xid, std::uint64_t utime, std::uint64_t stime,
		     std::uint64_t start, std::uint64_t rss, std::string_view comm = "p")
	{
		proc.write(fmt::format("{}/status", pid),
			   fmt::format("Name:\t{}\nVxID:\t{}\nNxID:\t0\n", comm, xid));
		proc.write(fmt::format("{}/stat", pid),
			   fmt::format("{} ({}) S 1 1 1 0 -1 0 0 0 0 0 {} {} 0 0 20 0 1 0 {} 1000 {} "
				       "18446744073709551615 0 0\n",
				       pid, comm, utime, stime, start, rss));
		proc.write(fmt::format("{}/comm", pid), fmt::format("{}\n", comm));
	}
};

TEST_F(TopProc, SampleReadsProcessesCommAndUptime)
{
	uptime(12.5);
	process(7, 42, 5, 3, 100, 10, "sh");
	process(3, 0, 1, 2, 10, 20, "init");
	proc.write("8/status", "Name:\tx\n");		// no VxID: left out
	proc.write("self", "not a process");
	auto sample = take_top_sample(proc.path());

	EXPECT_DOUBLE_EQ(sample.uptime, 12.5);
	ASSERT_EQ(sample.tasks.size(), 2u);
	EXPECT_EQ(sample.tasks[0].pid, 3);
	EXPECT_EQ(sample.tasks[0].command, "init");
	EXPECT_EQ(sample.tasks[1].pid, 7);
	EXPECT_EQ(sample.tasks[1].xid, 42u);
	EXPECT_EQ(sample.tasks[1].command, "sh");
	EXPECT_EQ(sample.tasks[1].stat, (ProcessStat{5, 3, 100, 1000, 10}));
}

TEST_F(TopProc, SampleWithoutCommHasAnEmptyCommand)
{
	uptime(1);
	process(7, 42, 5, 3, 100, 10);
	std::filesystem::remove(proc.path() / "7/comm");
	auto sample = take_top_sample(proc.path());
	ASSERT_EQ(sample.tasks.size(), 1u);
	EXPECT_EQ(sample.tasks[0].command, "");
}

TEST_F(TopProc, SampleWithoutUptimeThrows)
{
	process(7, 42, 5, 3, 100, 10);
	EXPECT_THROW(take_top_sample(proc.path()), std::system_error);
}

TEST_F(TopProc, CpuFromTwoSamplesOfTheTree)
{
	uptime(100);
	process(10, 60, 100, 0, 50, 25, "loop");
	process(11, 0, 10, 10, 5, 100, "idle");
	auto before = take_top_sample(proc.path());
	uptime(100.5);
	process(10, 60, 140, 9, 50, 25, "loop");	// 49 ticks in 0.5 s: 98%
	process(11, 0, 10, 10, 5, 100, "idle");
	auto view = compute_top(before, take_top_sample(proc.path()), units);

	ASSERT_EQ(view.tasks.size(), 2u);
	EXPECT_EQ(view.tasks[0].pid, 10);
	EXPECT_THAT(view.tasks[0].cpu, DoubleNear(98, 1e-9));
	EXPECT_EQ(view.tasks[0].rss, 25u * 4096);
	EXPECT_EQ(view.tasks[0].command, "loop");
	EXPECT_EQ(view.tasks[1].cpu, 0);
	EXPECT_DOUBLE_EQ(view.uptime, 100.5);
}

TaskSample task(pid_t pid, xid_t xid, std::uint64_t ticks, std::uint64_t rss = 0,
		std::uint64_t start = 1)
{
	return {pid, xid, ProcessStat{ticks, 0, start, 0, rss}, fmt::format("t{}", pid)};
}

TEST(ComputeTop, NewAndReusedPidsCountAllTheirTicks)
{
	TopSample before{10, {task(5, 0, 100, 0, 1), task(6, 0, 100, 0, 1)}};
	TopSample after{11, {task(5, 0, 30, 0, 900), task(6, 0, 120), task(7, 0, 40, 0, 950)}};
	auto view = compute_top(before, after, units, {}, TopSort::pid);

	EXPECT_THAT(view.tasks, ElementsAre(Field(&TopTask::cpu, DoubleNear(30, 1e-9)),
					    Field(&TopTask::cpu, DoubleNear(20, 1e-9)),
					    Field(&TopTask::cpu, DoubleNear(40, 1e-9))));
}

TEST(ComputeTop, NoTimeOrFewerTicksGiveZero)
{
	TopSample before{10, {task(5, 0, 100)}};
	EXPECT_EQ(compute_top(before, {10, {task(5, 0, 200)}}, units).tasks[0].cpu, 0);
	EXPECT_EQ(compute_top(before, {9, {task(5, 0, 200)}}, units).tasks[0].cpu, 0);
	EXPECT_EQ(compute_top(before, {11, {task(5, 0, 50)}}, units).tasks[0].cpu, 0);
}

TEST(ComputeTop, MoreThanOneCpuForThreads)
{
	auto view = compute_top({1, {task(5, 0, 0)}}, {2, {task(5, 0, 350)}}, units);
	EXPECT_THAT(view.tasks[0].cpu, DoubleNear(350, 1e-9));
}

TopSample sample_before()
{
	return {100, {task(1, 0, 0, 10), task(2, 42, 0, 300), task(3, 42, 0, 5), task(4, 7, 0, 50),
		      task(5, 0, 0, 20)}};
}

TopSample sample_after()
{
	// One second later: pid 1 10%, 2 5%, 3 60%, 4 20%, 5 10%.
	return {101, {task(1, 0, 10, 10), task(2, 42, 5, 300), task(3, 42, 60, 5),
		      task(4, 7, 20, 50), task(5, 0, 10, 20)}};
}

std::vector<pid_t> pids(const TopView &view)
{
	std::vector<pid_t> out;
	for (const auto &t : view.tasks)
		out.push_back(t.pid);
	return out;
}

std::vector<xid_t> xids(const TopView &view)
{
	std::vector<xid_t> out;
	for (const auto &c : view.contexts)
		out.push_back(c.xid);
	return out;
}

TEST(ComputeTop, SumsPerContext)
{
	auto view = compute_top(sample_before(), sample_after(), units, {}, TopSort::pid);

	ASSERT_EQ(view.contexts.size(), 3u);
	const auto &host = view.contexts[0], &seven = view.contexts[1], &ctx = view.contexts[2];
	EXPECT_EQ(host.xid, 0u);
	EXPECT_EQ(host.tasks, 2u);
	EXPECT_THAT(host.cpu, DoubleNear(20, 1e-9));
	EXPECT_EQ(host.rss, 30u * 4096);
	EXPECT_EQ(seven.xid, 7u);
	EXPECT_EQ(seven.tasks, 1u);
	EXPECT_EQ(ctx.xid, 42u);
	EXPECT_EQ(ctx.tasks, 2u);
	EXPECT_THAT(ctx.cpu, DoubleNear(65, 1e-9));
	EXPECT_EQ(ctx.rss, 305u * 4096);
	EXPECT_EQ(ctx.name, "");
}

TEST(ComputeTop, SortKeys)
{
	auto by = [](TopSort key) { return compute_top(sample_before(), sample_after(), units, {}, key); };

	auto cpu = by(TopSort::cpu);	// ties (1 and 5: 10%) by pid
	EXPECT_THAT(pids(cpu), ElementsAre(3, 4, 1, 5, 2));
	EXPECT_THAT(xids(cpu), ElementsAre(42u, 0u, 7u));
	auto mem = by(TopSort::mem);
	EXPECT_THAT(pids(mem), ElementsAre(2, 4, 5, 1, 3));
	EXPECT_THAT(xids(mem), ElementsAre(42u, 7u, 0u));
	auto ctx = by(TopSort::ctx);
	EXPECT_THAT(pids(ctx), ElementsAre(1, 5, 4, 3, 2));
	EXPECT_THAT(xids(ctx), ElementsAre(0u, 7u, 42u));
	auto pid = by(TopSort::pid);
	EXPECT_THAT(pids(pid), ElementsAre(1, 2, 3, 4, 5));
	EXPECT_THAT(xids(pid), ElementsAre(0u, 7u, 42u));
}

TEST(ComputeTop, FilterByContext)
{
	auto view = compute_top(sample_before(), sample_after(), units, {42, 7});
	EXPECT_THAT(pids(view), ElementsAre(3, 4, 2));
	EXPECT_THAT(xids(view), ElementsAre(42u, 7u));

	auto none = compute_top(sample_before(), sample_after(), units, {99});
	EXPECT_THAT(none.tasks, IsEmpty());
	EXPECT_THAT(none.contexts, IsEmpty());
}

TEST(ParseTopSort, Keys)
{
	EXPECT_EQ(parse_top_sort("cpu"), TopSort::cpu);
	EXPECT_EQ(parse_top_sort("mem"), TopSort::mem);
	EXPECT_EQ(parse_top_sort("ctx"), TopSort::ctx);
	EXPECT_EQ(parse_top_sort("pid"), TopSort::pid);
	EXPECT_THROW(parse_top_sort("CPU"), std::invalid_argument);
	EXPECT_THROW(parse_top_sort(""), std::invalid_argument);
	try {
		parse_top_sort("size");
		FAIL();
	} catch (const std::invalid_argument &e) {
		EXPECT_THAT(e.what(), HasSubstr("'size'"));
	}
}

TEST(TopDisplayName, AsVserverStat)
{
	EXPECT_EQ(top_display_name(0, "x"), "root server");
	EXPECT_EQ(top_display_name(1, ""), "monitoring server");
	EXPECT_EQ(top_display_name(60, ""), "-");
	EXPECT_EQ(top_display_name(60, "web"), "web");
}

TopView sample_view()
{
	TopView view;
	view.uptime = 65.432;
	view.contexts = {{60, 1, 99.84, 704 * 1024, ""}, {0, 2, 0.4, 4300000, ""}};
	view.tasks = {{812, 60, 99.84, 704 * 1024, "sh"}, {1, 0, 0.3, 1536, "init"},
		      {2, 0, 0.1, 0, ""}};
	return view;
}

TEST(FormatTop, Table)
{
	EXPECT_EQ(format_top(sample_view()),
		  "vtop - up 1m05s43, 2 contexts, 3 tasks, 100.2% CPU\n"
		  "\n"
		  "CTX   NAME        TASKS  %CPU    RSS\n"
		  "60    -               1  99.8   704K\n"
		  "0     root server     2   0.4   4.1M\n"
		  "\n"
		  "    PID CTX   NAME         %CPU    RSS COMMAND\n"
		  "    812 60    -            99.8   704K sh\n"
		  "      1 0     root server   0.3   1.5K init\n"
		  "      2 0     root server   0.1      0\n");
}

TEST(FormatTop, MaxTasksAndSingulars)
{
	auto view = sample_view();
	view.contexts.resize(1);
	auto text = format_top(view, 1);
	EXPECT_THAT(text, ::testing::StartsWith("vtop - up 1m05s43, 1 context, 3 tasks,"));
	EXPECT_THAT(text, ::testing::EndsWith("COMMAND\n    812 60    -     99.8   704K sh\n"));
	EXPECT_THAT(format_top(TopView{}), HasSubstr("0 contexts, 0 tasks, 0.0% CPU"));
}

TEST(FormatTop, LongNamesAreCut)
{
	TopView view;
	view.contexts = {{42, 1, 0, 0, "a-very-long-vserver-name-indeed"}};
	view.tasks = {{9, 42, 0, 0, "x"}};
	EXPECT_THAT(format_top(view), HasSubstr("\n      9 42    a-very-long-vserver-   0.0"));
}

TEST(FormatTopJson, OneLinePerFrame)
{
	auto text = format_top_json(sample_view());
	ASSERT_THAT(text, ::testing::EndsWith("}\n"));
	EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);

	auto json = nlohmann::json::parse(text);
	EXPECT_EQ(json["uptime"], 65.43);
	ASSERT_EQ(json["contexts"].size(), 2u);
	EXPECT_EQ(json["contexts"][0], nlohmann::json::parse(
		R"({"xid": 60, "name": null, "tasks": 1, "cpu": 99.8, "rss": 720896})"));
	EXPECT_EQ(json["contexts"][1]["name"], "root server");
	ASSERT_EQ(json["tasks"].size(), 3u);
	EXPECT_EQ(json["tasks"][0], nlohmann::json::parse(
		R"({"pid": 812, "xid": 60, "cpu": 99.8, "rss": 720896, "command": "sh"})"));
	EXPECT_EQ(json["tasks"][2]["command"], "");
}

} // namespace
} // namespace vserver::test
