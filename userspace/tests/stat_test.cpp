// vserver-stat: per-context sums over a fake /proc, and its output.
#include "temp_dir.hpp"

#include <vserver/stat.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace vserver::test {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

constexpr ProcUnits units{100, 4096};

class CollectStats : public ::testing::Test {
protected:
	TempDir proc;

	void SetUp() override
	{
		proc.write("uptime", "1000.50 1900.00\n");
		proc.write("virtual/status", "#CActive:\t0\n");
	}

	void context(xid_t xid)
	{
		proc.write(fmt::format("virtual/{}/info", xid), fmt::format("ID:\t{}\n", xid));
	}

	void process(pid_t pid, xid_t xid, std::uint64_t utime, std::uint64_t stime,
		     std::uint64_t start, std::uint64_t vsize, std::uint64_t rss)
	{
		proc.write(fmt::format("{}/status", pid),
			   fmt::format("Name:\tp\nVxID:\t{}\nNxID:\t0\n", xid));
		proc.write(fmt::format("{}/stat", pid),
			   fmt::format("{} (p) S 1 1 1 0 -1 0 0 0 0 0 {} {} 0 0 20 0 1 0 {} {} {} "
				       "18446744073709551615 0 0\n",
				       pid, utime, stime, start, vsize, rss));
	}
};

TEST_F(CollectStats, SumsPerContext)
{
	context(42);
	context(49152);
	process(1, 0, 100, 50, 10, 1000000, 100);
	process(2, 0, 0, 7, 20, 0, 0);			// a kernel thread
	process(300, 42, 250, 30, 60000, 2000000, 200);	// the oldest in 42
	process(301, 42, 50, 20, 70000, 3000000, 300);
	auto stats = collect_context_stats(proc.path(), units);

	ASSERT_EQ(stats.size(), 3u);
	const auto &host = stats[0], &ctx = stats[1], &empty = stats[2];
	EXPECT_EQ(host.xid, 0u);
	EXPECT_EQ(host.processes, 2u);
	EXPECT_EQ(host.vsz, 1000000u);
	EXPECT_EQ(host.rss, 100u * 4096);
	EXPECT_EQ(host.user_ms, 1000u);
	EXPECT_EQ(host.sys_ms, 570u);
	EXPECT_EQ(host.uptime_ms, 1000500u - 100);	// started at tick 10

	EXPECT_EQ(ctx.xid, 42u);
	EXPECT_EQ(ctx.processes, 2u);
	EXPECT_EQ(ctx.vsz, 5000000u);
	EXPECT_EQ(ctx.rss, 500u * 4096);
	EXPECT_EQ(ctx.user_ms, 3000u);
	EXPECT_EQ(ctx.sys_ms, 500u);
	EXPECT_EQ(ctx.uptime_ms, 1000500u - 600000);	// started at tick 60000

	EXPECT_EQ(empty.xid, 49152u);
	EXPECT_EQ(empty.processes, 0u);
	EXPECT_EQ(empty.uptime_ms, std::nullopt);
	EXPECT_EQ(empty.name, "");
}

TEST_F(CollectStats, ProcessesOfUnlistedXidsAreNotCounted)
{
	context(42);
	process(10, 1, 1, 1, 1, 1, 1);		// the spectator
	process(11, 43, 1, 1, 1, 1, 1);		// a context that just ended
	process(12, 42, 1, 1, 1, 1, 1);
	auto stats = collect_context_stats(proc.path(), units);

	EXPECT_THAT(stats, ElementsAre(Field(&ContextStat::xid, 0u), Field(&ContextStat::xid, 42u)));
	EXPECT_EQ(stats[0].processes, 0u);
	EXPECT_EQ(stats[1].processes, 1u);
}

TEST_F(CollectStats, UptimeNeverNegative)
{
	process(5, 0, 0, 0, 200000, 0, 0);	// "started" after /proc/uptime
	auto stats = collect_context_stats(proc.path(), units);
	EXPECT_EQ(stats[0].uptime_ms, 0u);
}

TEST_F(CollectStats, WithoutTheModule)
{
	std::filesystem::remove_all(proc.path() / "virtual");
	EXPECT_THROW(collect_context_stats(proc.path(), units), std::system_error);
}

TEST(FormatMemory, ShortForms)
{
	EXPECT_EQ(format_memory(0), "0");
	EXPECT_EQ(format_memory(999), "999");
	EXPECT_EQ(format_memory(1000), "1K");
	EXPECT_EQ(format_memory(1536), "1.5K");
	EXPECT_EQ(format_memory(4096), "4K");
	EXPECT_EQ(format_memory(163840000), "156.2M");
	EXPECT_EQ(format_memory(120ULL << 20), "120M");
	EXPECT_EQ(format_memory(1825361101ULL), "1.7G");
	EXPECT_EQ(format_memory(999ULL << 20), "999M");
	EXPECT_EQ(format_memory(1000ULL << 20), "1G");		// 0.98G, rounded
	EXPECT_EQ(format_memory(3ULL << 40), "3T");
	EXPECT_EQ(format_memory(~0ULL), "16E");
	for (std::uint64_t b = 1; b < (1ULL << 62); b = b * 3 + 1)
		EXPECT_LE(format_memory(b).size(), 6u) << b;
}

TEST(FormatDuration, ShortForms)
{
	EXPECT_EQ(format_duration(0), "0m00s00");
	EXPECT_EQ(format_duration(65432), "1m05s43");
	EXPECT_EQ(format_duration(20129), "0m20s12");
	EXPECT_EQ(format_duration(3599999), "59m59s99");
	EXPECT_EQ(format_duration(3600000), "1h00m00");
	EXPECT_EQ(format_duration((2 * 3600 + 5 * 60 + 7) * 1000ULL), "2h05m07");
	EXPECT_EQ(format_duration(86400000ULL - 1), "23h59m59");
	EXPECT_EQ(format_duration(((3 * 24 + 4) * 60 + 12) * 60000ULL), "3d04h12");
	EXPECT_EQ(format_duration(999 * 86400000ULL), "999d00h00");
	EXPECT_EQ(format_duration(1000 * 86400000ULL), "2y270d00");
	EXPECT_EQ(format_duration((3 * 365 + 123) * 86400000ULL + 4 * 3600000ULL), "3y123d04");
	EXPECT_EQ(format_duration(999 * 365 * 86400000ULL), "999y000d00");
	EXPECT_EQ(format_duration(1000 * 365 * 86400000ULL), "INVALID");
	EXPECT_EQ(format_duration(~0ULL), "INVALID");
	for (std::uint64_t ms = 1; ms < (1ULL << 50); ms = ms * 3 + 7)
		EXPECT_LE(format_duration(ms).size(), 10u) << ms;
}

std::vector<ContextStat> sample()
{
	std::vector<ContextStat> stats(3);
	stats[0] = {0, 95, 1825361101ULL, 163840000, 7507000, 1503450, 274320000, ""};
	stats[1] = {40001, 12, 120ULL << 20, 24536678, 62340, 20120, 176700000, "web"};
	stats[2] = {49152, 0, 0, 0, 0, 0, std::nullopt, ""};
	return stats;
}

TEST(FormatStatTable, AsUtilVserverLaysItOut)
{
	EXPECT_EQ(format_stat_table(sample()),
		  "CTX   PROC    VSZ    RSS  userTIME   sysTIME    UPTIME NAME\n"
		  "0       95   1.7G 156.2M   2h05m07  25m03s45   3d04h12 root server\n"
		  "40001   12   120M  23.4M   1m02s34   0m20s12   2d01h05 web\n"
		  "49152    0      0      0   0m00s00   0m00s00         - -\n");
}

TEST(FormatStatTable, LongNamesAreCut)
{
	std::vector<ContextStat> stats(1);
	stats[0].xid = 42;
	stats[0].name = "a-very-long-vserver-name-indeed";
	auto table = format_stat_table(stats);
	EXPECT_THAT(table, ::testing::EndsWith(" a-very-long-vserver-\n"));
}

TEST(StatDisplayName, SpecialXids)
{
	ContextStat s;
	s.xid = 0;
	s.name = "ignored";
	EXPECT_EQ(stat_display_name(s), "root server");
	s.xid = 1;
	EXPECT_EQ(stat_display_name(s), "monitoring server");
	s.xid = 2;
	EXPECT_EQ(stat_display_name(s), "ignored");
	s.name = "";
	EXPECT_EQ(stat_display_name(s), "-");
}

TEST(FormatStatJson, OneObjectPerContext)
{
	auto json = nlohmann::json::parse(format_stat_json(sample()));

	ASSERT_TRUE(json.is_array());
	ASSERT_EQ(json.size(), 3u);
	EXPECT_EQ(json[0], nlohmann::json::parse(R"({"xid": 0, "name": "root server",
		"processes": 95, "vsz": 1825361101, "rss": 163840000, "user_ms": 7507000,
		"sys_ms": 1503450, "uptime_ms": 274320000})"));
	EXPECT_EQ(json[1]["name"], "web");
	EXPECT_EQ(json[1]["xid"], 40001);
	EXPECT_TRUE(json[2]["name"].is_null());
	EXPECT_TRUE(json[2]["uptime_ms"].is_null());
	EXPECT_EQ(json[2]["processes"], 0);
}

TEST(FormatStatJson, KeysInTheOrderOfTheTable)
{
	auto text = format_stat_json({sample()[2]});
	EXPECT_EQ(text, "[\n  {\n    \"xid\": 49152,\n    \"name\": null,\n    \"processes\": 0,\n"
			"    \"vsz\": 0,\n    \"rss\": 0,\n    \"user_ms\": 0,\n    \"sys_ms\": 0,\n"
			"    \"uptime_ms\": null\n  }\n]\n");
}

TEST(FormatStatJson, EmptyIsAnEmptyArray)
{
	EXPECT_EQ(format_stat_json({}), "[]\n");
}

} // namespace
} // namespace vserver::test
