// vsched's logic: setting names and values, the mask, sched/ directories
// and the --get lines.
#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <vserver/sched.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace vserver::test {
namespace {

TEST(SchedSettings, UtilVserversNamesInOrder)
{
	std::vector<std::string> names;
	for (const auto &s : sched_settings())
		names.emplace_back(s.name);
	EXPECT_EQ(names, (std::vector<std::string>{"fill-rate", "interval", "tokens",
						   "tokens-min", "tokens-max", "prio-bias",
						   "fill-rate2", "interval2", "cpu-id",
						   "bucket-id"}));
}

TEST(SchedSettings, FoundByEverySpelling)
{
	auto mask_of = [](const char *name) {
		const SchedSetting *s = find_sched_setting(name);
		return s ? s->mask : 0u;
	};

	EXPECT_EQ(mask_of("fill-rate"), static_cast<std::uint32_t>(VXSM_FILL_RATE));
	EXPECT_EQ(mask_of("fill_rate"), static_cast<std::uint32_t>(VXSM_FILL_RATE));
	EXPECT_EQ(mask_of("tokens_min"), static_cast<std::uint32_t>(VXSM_TOKENS_MIN));
	EXPECT_EQ(mask_of("tokens-max"), static_cast<std::uint32_t>(VXSM_TOKENS_MAX));
	EXPECT_EQ(mask_of("prio_bias"), static_cast<std::uint32_t>(VXSM_PRIO_BIAS));
	EXPECT_EQ(mask_of("priority-bias"), static_cast<std::uint32_t>(VXSM_PRIO_BIAS));
	EXPECT_EQ(mask_of("priority_bias"), static_cast<std::uint32_t>(VXSM_PRIO_BIAS));
	EXPECT_EQ(mask_of("interval2"), static_cast<std::uint32_t>(VXSM_INTERVAL2));
	EXPECT_EQ(mask_of("cpu_id"), static_cast<std::uint32_t>(VXSM_CPU_ID));
	EXPECT_EQ(mask_of("bucket-id"), static_cast<std::uint32_t>(VXSM_BUCKET_ID));
	EXPECT_EQ(mask_of("Fill-Rate"), 0u);
	EXPECT_EQ(mask_of("idle-time"), 0u);	// a flag, no setting
	EXPECT_EQ(mask_of(""), 0u);
}

TEST(SchedValue, TakesIntegersInTheRangeOfTheSetting)
{
	// each the edge of its range
	const std::pair<std::string, std::int32_t> taken[] = {
		{"fill-rate", 0}, {"interval", 1}, {"tokens-max", 2147483647},
		{"prio-bias", -20}, {"prio-bias", 20}, {"cpu-id", -1}, {"bucket-id", 0}};

	for (const auto &[name, value] : taken)
		EXPECT_EQ(parse_sched_value(*find_sched_setting(name), std::to_string(value)), value)
			<< name;
}

TEST(SchedValue, RefusesOthersNamingSettingAndText)
{
	const std::string one_bucket = "must be 0 or -1 (there is one bucket per context)";
	const std::vector<std::array<std::string, 3>> refused{
		{"fill-rate", "-1", "must be at least 0"},
		{"interval", "0", "must be at least 1"},
		{"interval2", "-4", "must be at least 1"},
		{"tokens", "-5", "must be at least 0"},
		{"prio-bias", "21", "must be from -20 to 20"},
		{"prio-bias", "-21", "must be from -20 to 20"},
		{"cpu-id", "1", one_bucket},
		{"bucket-id", "-2", one_bucket},
		{"tokens", "2147483648", "must be at least 0"},
		{"tokens", "99999999999999999999", "must be at least 0"},
		{"interval", "abc", "not an integer"},
		{"interval", "", "not an integer"},
		{"interval", "-", "not an integer"},
		{"interval", "+4", "not an integer"},
		{"interval", "4ms", "trailing 'ms' after the number"},
		{"interval", "4 ", "trailing ' ' after the number"},
	};

	for (const auto &[name, text, why] : refused)
		EXPECT_EQ(what_thrown<std::invalid_argument>([&] {
			parse_sched_value(*find_sched_setting(name), text);
		}), "invalid " + name + " '" + text + "': " + why);
}

TEST(SchedChange, OnlyTheSettingsGivenGoIntoTheMask)
{
	SchedChange change;

	EXPECT_TRUE(change.empty());
	change.set("fill-rate", "1");
	change.set("interval", "4");
	change.set("prio_bias", "-5");
	change.set_flag(VXSM_FORCE);
	EXPECT_EQ(change.mask(), static_cast<std::uint32_t>(VXSM_FILL_RATE | VXSM_INTERVAL |
							     VXSM_PRIO_BIAS | VXSM_FORCE));

	vcmd_sched_v5 base{};
	base.cpu_id = 3;	// whatever get_sched said: ours wins
	base.bucket_id = 3;
	base.fill_rate[1] = 7;
	base.interval[0] = 100;
	base.tokens_max = 500;
	auto data = change.apply_to(base);
	EXPECT_EQ(data.mask, change.mask());
	EXPECT_EQ(data.cpu_id, 0);
	EXPECT_EQ(data.bucket_id, 0);
	EXPECT_EQ(data.fill_rate[0], 1);
	EXPECT_EQ(data.fill_rate[1], 7);
	EXPECT_EQ(data.interval[0], 4);
	EXPECT_EQ(data.prio_bias, -5);
	EXPECT_EQ(data.tokens_max, 500);
}

TEST(SchedChange, EveryFieldHasItsPlace)
{
	SchedChange change;
	const char *values[] = {"1", "2", "3", "4", "5", "6", "7", "8", "-1", "-1"};
	std::size_t i = 0;
	for (const auto &s : sched_settings())
		change.set(s.name, values[i++]);

	auto data = change.apply_to(vcmd_sched_v5{});
	EXPECT_EQ(data.mask, static_cast<std::uint32_t>(
		VXSM_FILL_RATE | VXSM_INTERVAL | VXSM_TOKENS | VXSM_TOKENS_MIN | VXSM_TOKENS_MAX |
		VXSM_PRIO_BIAS | VXSM_FILL_RATE2 | VXSM_INTERVAL2 | VXSM_CPU_ID | VXSM_BUCKET_ID));
	EXPECT_EQ(data.fill_rate[0], 1);
	EXPECT_EQ(data.interval[0], 2);
	EXPECT_EQ(data.tokens, 3);
	EXPECT_EQ(data.tokens_min, 4);
	EXPECT_EQ(data.tokens_max, 5);
	EXPECT_EQ(data.prio_bias, 6);
	EXPECT_EQ(data.fill_rate[1], 7);
	EXPECT_EQ(data.interval[1], 8);
	EXPECT_EQ(data.cpu_id, -1);
	EXPECT_EQ(data.bucket_id, -1);
}

TEST(SchedChange, RefusesUnknownSettingsAndBadValues)
{
	SchedChange change;

	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { change.set("bogus", "1"); }),
		  "unknown setting 'bogus' (fill-rate, interval, tokens, tokens-min, "
		  "tokens-max, prio-bias, fill-rate2, interval2, cpu-id, bucket-id, idle-time)");
	EXPECT_THROW(change.set("interval", "0"), std::invalid_argument);
	EXPECT_TRUE(change.empty());
}

TEST(SchedChange, MergeTakesTheOthersValues)
{
	SchedChange from_dir, cli;
	from_dir.set("fill-rate", "1");
	from_dir.set("interval", "4");
	from_dir.set_flag(VXSM_IDLE_TIME);
	cli.set("interval", "8");
	cli.set("tokens", "10");

	from_dir.merge(cli);
	auto data = from_dir.apply_to(vcmd_sched_v5{});
	EXPECT_EQ(data.mask, static_cast<std::uint32_t>(VXSM_FILL_RATE | VXSM_INTERVAL |
							 VXSM_TOKENS | VXSM_IDLE_TIME));
	EXPECT_EQ(data.fill_rate[0], 1);
	EXPECT_EQ(data.interval[0], 8);
	EXPECT_EQ(data.tokens, 10);
}

TEST(ReadSchedDir, ReadsUtilVserversFiles)
{
	const std::pair<const char *, const char *> files[] = {
		{"fill-rate", "1\n"}, {"interval", " 4 \n"}, {"tokens_min", "50\n"},
		{"priority-bias", "-3\n"}, {"idle-time", ""},
		{"schedule", "1\n4\n100\n50\n200\n0\n"},	// deprecated: ignored
		{"0/fill-rate", "junk"},	// per-CPU: ignored
		{".swp", "junk"}};
	TempDir dir;
	for (const auto &[name, text] : files)
		dir.write(std::filesystem::path("sched") / name, text);

	SchedChange want;
	want.set("fill-rate", "1");
	want.set("interval", "4");
	want.set("tokens-min", "50");
	want.set("prio-bias", "-3");
	want.set_flag(VXSM_IDLE_TIME);
	EXPECT_EQ(read_sched_dir(dir.path() / "sched", false), want);
	EXPECT_TRUE(read_sched_dir(dir.path() / "none", true).empty());
}

TEST(ReadSchedDir, SaysEveryProblemWithFileAndLine)
{
	const std::pair<const char *, const char *> files[] = {
		{"interval", "0\n"}, {"fill-rate", "1\n"}, {"fill_rate", "2\n"},
		{"prio-bias", "much\n"}, {"bogus", "1\n"}};
	TempDir dir;
	auto d = dir.path() / "sched";
	for (const auto &[name, text] : files)
		dir.write(std::filesystem::path("sched") / name, text);

	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { read_sched_dir(d, false); }),
		  (d / "bogus").string() + ": unknown setting 'bogus' (fill-rate, interval, "
		  "tokens, tokens-min, tokens-max, prio-bias, fill-rate2, interval2, cpu-id, "
		  "bucket-id, idle-time)\n" +
		  (d / "fill_rate").string() + ": fill-rate is set by " +
		  (d / "fill-rate").string() + " already\n" +
		  (d / "interval").string() + ":1: invalid interval '0': must be at least 1\n" +
		  (d / "prio-bias").string() + ":1: invalid prio-bias 'much': not an integer");
}

TEST(SchedLines, NameEqualsValue)
{
	vcmd_sched_v5 sched{};
	sched.fill_rate[0] = 1;
	sched.interval[0] = 4;
	sched.tokens = 100;
	sched.tokens_min = 50;
	sched.tokens_max = 200;
	sched.prio_bias = -2;
	sched.fill_rate[1] = 3;
	sched.interval[1] = 8;
	vcmd_sched_info info{};
	info.user_msec = 1200;
	info.sys_msec = 30;
	info.hold_msec = 4000;
	info.token_usec = 1000;

	EXPECT_EQ(sched_lines(sched, info),
		  "fill-rate=1\n"
		  "interval=4\n"
		  "tokens=100\n"
		  "tokens-min=50\n"
		  "tokens-max=200\n"
		  "prio-bias=-2\n"
		  "fill-rate2=3\n"
		  "interval2=8\n"
		  "user-msec=1200\n"
		  "sys-msec=30\n"
		  "hold-msec=4000\n"
		  "token-usec=1000\n");
}

} // namespace
} // namespace vserver::test
