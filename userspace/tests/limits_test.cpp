// vlimit's logic: resource names, values, rlimits/ directories, what the
// kernel can limit, what goes to it and the -a table.
#include "mock_transport.hpp"
#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <vserver/limits.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <system_error>
#include <utility>
#include <vector>

namespace vserver::test {
namespace {

using ::testing::_;
using ::testing::Invoke;
using ::testing::StrictMock;

constexpr std::uint32_t bit(std::uint32_t resource)
{
	return 1u << resource;
}

// What our kernel says: hard limits for nproc, rss, nofile and nsock, a
// soft one for rss.
constexpr vcmd_ctx_rlimit_mask_v0 kernel_mask{
	0, bit(VLIMIT_RSS),
	bit(VLIMIT_NPROC) | bit(VLIMIT_RSS) | bit(VLIMIT_NOFILE) | bit(VLIMIT_NSOCK)};

TEST(LimitNames, AreUtilVserversWithTheirNumbers)
{
	std::vector<std::string> got;
	std::map<std::string, std::uint32_t> numbers;
	for (const auto &n : limit_names()) {
		got.emplace_back(n.name);
		numbers[std::string(n.name)] = n.resource;
		EXPECT_EQ(limit_name(n.resource), n.name);
		EXPECT_EQ(parse_limit_name(n.name), n.resource);
	}
	EXPECT_EQ(got, (std::vector<std::string>{
		"cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile", "memlock",
		"as", "locks", "msgqueue", "nsock", "openfd", "anon", "shmem", "semary",
		"nsems", "dentry"}));
	EXPECT_EQ(numbers["cpu"], 0u);
	EXPECT_EQ(numbers["core"], 4u);
	EXPECT_EQ(numbers["rss"], static_cast<std::uint32_t>(VLIMIT_RSS));
	EXPECT_EQ(numbers["nproc"], static_cast<std::uint32_t>(VLIMIT_NPROC));
	EXPECT_EQ(numbers["memlock"], 8u);
	EXPECT_EQ(numbers["locks"], 10u);
	EXPECT_EQ(numbers["msgqueue"], 12u);
	EXPECT_EQ(numbers["nsock"], static_cast<std::uint32_t>(VLIMIT_NSOCK));
	EXPECT_EQ(numbers["dentry"], static_cast<std::uint32_t>(VLIMIT_DENTRY));
}

TEST(LimitNames, UnknownOnesAreNumbersOrRefused)
{
	EXPECT_EQ(limit_name(VLIMIT_MAPPED), "23");
	EXPECT_EQ(find_limit("NPROC"), std::nullopt);	// util-vserver: lower case
	EXPECT_EQ(find_limit(""), std::nullopt);
	EXPECT_EQ(what_thrown<std::invalid_argument>([] { parse_limit_name("bogus"); }),
		  "unknown resource 'bogus' (cpu, fsize, data, stack, core, rss, nproc, "
		  "nofile, memlock, as, locks, msgqueue, nsock, openfd, anon, shmem, semary, "
		  "nsems, dentry)");
}

TEST(LimitValue, InfAndDecimalNumbers)
{
	EXPECT_EQ(parse_limit_value("inf"), CRLIM_INFINITY);
	EXPECT_EQ(parse_limit_value("INF"), CRLIM_INFINITY);
	EXPECT_EQ(parse_limit_value("0"), 0u);
	EXPECT_EQ(parse_limit_value("5"), 5u);
	EXPECT_EQ(parse_limit_value("007"), 7u);
	EXPECT_EQ(parse_limit_value("18446744073709551613"), max_limit_value);
}

TEST(LimitValue, RefusesAnythingElseNamingTheText)
{
	const std::string nan = "not a number (a decimal number or 'inf')";
	const std::string large = "too large (at most 18446744073709551613; 'inf' for no limit)";
	const std::vector<std::pair<std::string, std::string>> refused{
		{"-5", "negative"},
		{"abc", nan},
		{"", "empty"},
		{"+5", nan},
		{" 5", nan},
		{"infinity", nan},
		{"5k", "trailing 'k' after the number"},
		{"5 ", "trailing ' ' after the number"},
		{"0x10", "trailing 'x10' after the number"},
		// CRLIM_KEEP and CRLIM_INFINITY are no numbers one can give
		{"18446744073709551614", large},
		{"99999999999999999999", large},
	};

	for (const auto &[text, why] : refused)
		EXPECT_EQ(what_thrown<std::invalid_argument>([&] { parse_limit_value(text); }),
			  "invalid limit '" + text + "': " + why);
}

TEST(LimitValue, FormatsAsUtilVserver)
{
	EXPECT_EQ(format_limit_value(CRLIM_INFINITY, false), "inf");
	EXPECT_EQ(format_limit_value(CRLIM_INFINITY, true), "inf");
	EXPECT_EQ(format_limit_value(500, false), "0x1f4");
	EXPECT_EQ(format_limit_value(500, true), "500");
	EXPECT_EQ(format_limit_value(0, false), "0x0");
}

TEST(SetLimit, SetsTheFieldsGivenLaterOnesWin)
{
	LimitChanges changes;

	set_limit(changes, VLIMIT_NPROC, limit_hard, 10);
	set_limit(changes, VLIMIT_RSS, limit_soft | limit_hard, 100);
	set_limit(changes, VLIMIT_RSS, limit_hard, 200);
	EXPECT_EQ(changes[VLIMIT_NPROC], (LimitValues{std::nullopt, std::nullopt, 10}));
	EXPECT_EQ(changes[VLIMIT_RSS], (LimitValues{std::nullopt, 100, 200}));
	EXPECT_EQ(changes.size(), 2u);
}

TEST(ReadLimitsDir, ReadsEachFileAsUtilVserver)
{
	TempDir dir;
	dir.write("rlimits/nproc", "20\n");
	dir.write("rlimits/rss.hard", "inf\n");
	dir.write("rlimits/rss.soft", "  1000 \t\nignored second line\n");
	dir.write("rlimits/nofile", "100\n");
	dir.write("rlimits/nofile.soft", "50");	// no newline
	dir.write("rlimits/.hidden", "junk");
	dir.mkdir("rlimits/subdir");

	EXPECT_TRUE(read_limits_dir(dir.path() / "none", true).empty());
	auto changes = read_limits_dir(dir.path() / "rlimits", false);
	EXPECT_EQ(changes.size(), 3u);
	// <res> sets all three, minimum and soft leniently
	EXPECT_EQ(changes[VLIMIT_NPROC],
		  (LimitValues{20, 20, 20, limit_minimum | limit_soft}));
	EXPECT_EQ(changes[VLIMIT_RSS], (LimitValues{std::nullopt, 1000, CRLIM_INFINITY}));
	// <res>.soft wins over <res>, and is no longer lenient
	EXPECT_EQ(changes[VLIMIT_NOFILE], (LimitValues{100, 50, 100, limit_minimum}));
}

TEST(ReadLimitsDir, SaysEveryProblemWithFileAndLine)
{
	TempDir dir;
	auto d = dir.path() / "rlimits";
	dir.write("rlimits/nproc", "abc\n");
	dir.write("rlimits/bogus.hard", "5\n");
	dir.write("rlimits/rss.soft", "-1\n");
	dir.write("rlimits/nofile", "\n");
	dir.write("rlimits/nsock.max", "5\n");	// .max is no suffix
	dir.write("rlimits/nsock", "10\n");	// fine, but nothing is applied
	dir.mkdir("rlimits/as.hard");		// not read: a directory

	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { read_limits_dir(d, false); }),
		  (d / "bogus.hard").string() +
		  ": unknown resource 'bogus' (files are RESOURCE or RESOURCE.min, .soft, "
		  ".hard; resources: cpu, fsize, data, stack, core, rss, nproc, nofile, "
		  "memlock, as, locks, msgqueue, nsock, openfd, anon, shmem, semary, nsems, "
		  "dentry)\n" +
		  (d / "nofile").string() + ":1: invalid limit '': empty\n" +
		  (d / "nproc").string() + ":1: invalid limit 'abc': not a number "
		  "(a decimal number or 'inf')\n" +
		  (d / "nsock.max").string() + ": unknown resource 'nsock.max' (files are "
		  "RESOURCE or RESOURCE.min, .soft, .hard; resources: cpu, fsize, data, stack, "
		  "core, rss, nproc, nofile, memlock, as, locks, msgqueue, nsock, openfd, anon, "
		  "shmem, semary, nsems, dentry)\n" +
		  (d / "rss.soft").string() + ":1: invalid limit '-1': negative");
}

TEST(AddLimitsFromDir, TheCommandLineWinsPerResource)
{
	LimitChanges cli, from_dir;
	set_limit(cli, VLIMIT_NPROC, limit_soft, 5);
	set_limit(from_dir, VLIMIT_NPROC, limit_hard, 50);
	set_limit(from_dir, VLIMIT_RSS, limit_hard, 1000);

	add_limits_from_dir(cli, from_dir);
	EXPECT_EQ(cli[VLIMIT_NPROC], (LimitValues{std::nullopt, 5, std::nullopt}));
	EXPECT_EQ(cli[VLIMIT_RSS], (LimitValues{std::nullopt, std::nullopt, 1000}));
}

TEST(CheckLimits, SoftAboveHardIsRefused)
{
	LimitChanges changes;
	set_limit(changes, VLIMIT_RSS, limit_soft, 10);
	set_limit(changes, VLIMIT_RSS, limit_hard, 10);
	set_limit(changes, VLIMIT_NOFILE, limit_soft, 1000);	// hard stays: the kernel clamps
	EXPECT_NO_THROW(check_limits(changes));

	set_limit(changes, VLIMIT_NPROC, limit_soft, CRLIM_INFINITY);
	set_limit(changes, VLIMIT_NPROC, limit_hard, 5);
	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { check_limits(changes); }),
		  "nproc: the soft limit inf is above the hard limit 5");
}

TEST(FitLimitsToMask, RefusesWhatTheKernelCannotLimitByName)
{
	auto refusal = [](std::uint32_t resource, unsigned fields) {
		LimitChanges changes;
		set_limit(changes, resource, fields, 5);
		return what_thrown<std::invalid_argument>(
			[&] { fit_limits_to_mask(changes, kernel_mask); });
	};

	EXPECT_EQ(refusal(RLIMIT_CPU, limit_hard),
		  "the kernel cannot limit cpu (it limits: rss, nproc, nofile, nsock)");
	EXPECT_EQ(refusal(VLIMIT_DENTRY, limit_soft),
		  "the kernel cannot limit dentry (it limits: rss, nproc, nofile, nsock)");
	EXPECT_EQ(refusal(VLIMIT_NPROC, limit_soft),
		  "the kernel has no soft limit for nproc (only for: rss)");
	EXPECT_EQ(refusal(VLIMIT_RSS, limit_minimum | limit_hard),
		  "the kernel has no minimum for rss (only for: none)");
	EXPECT_EQ(refusal(VLIMIT_RSS, limit_soft | limit_hard), "no exception");
	EXPECT_EQ(refusal(VLIMIT_NSOCK, limit_hard), "no exception");
}

TEST(FitLimitsToMask, DropsLenientFieldsTheKernelLacks)
{
	TempDir dir;
	dir.write("rlimits/nproc", "20\n");
	dir.write("rlimits/rss", "1000\n");
	auto changes = read_limits_dir(dir.path() / "rlimits", false);

	fit_limits_to_mask(changes, kernel_mask);
	EXPECT_EQ(changes[VLIMIT_NPROC].minimum, std::nullopt);
	EXPECT_EQ(changes[VLIMIT_NPROC].soft, std::nullopt);
	EXPECT_EQ(changes[VLIMIT_NPROC].hard, 20u);
	EXPECT_EQ(changes[VLIMIT_RSS].minimum, std::nullopt);
	EXPECT_EQ(changes[VLIMIT_RSS].soft, 1000u);
	EXPECT_EQ(changes[VLIMIT_RSS].hard, 1000u);

	dir.write("rlimits2/cpu", "20\n");	// the hard limit is never lenient
	changes = read_limits_dir(dir.path() / "rlimits2", false);
	EXPECT_EQ(what_thrown<std::invalid_argument>(
			  [&] { fit_limits_to_mask(changes, kernel_mask); }),
		  "the kernel cannot limit cpu (it limits: rss, nproc, nofile, nsock)");
}

// A kernel that keeps limits: set_rlimit stores what is not CRLIM_KEEP
// (soft clamped to hard), get_rlimit answers from limits, refuse[resource]
// is a negative errno for both.
struct FakeLimits {
	xid_t xid = 42;
	std::map<std::uint32_t, vcmd_ctx_rlimit_v0> limits;
	std::map<std::uint32_t, long> refuse;
	std::vector<vcmd_ctx_rlimit_v0> sets;

	long operator()(const vserver_call &call)
	{
		EXPECT_EQ(call.id, xid);
		EXPECT_EQ(call.size, sizeof(vcmd_ctx_rlimit_v0));
		auto *data = reinterpret_cast<vcmd_ctx_rlimit_v0 *>(call.data);
		if (auto r = refuse.find(data->id); r != refuse.end())
			return r->second;
		auto &limit = limits.try_emplace(data->id, vcmd_ctx_rlimit_v0{
			data->id, 0, CRLIM_UNSET, CRLIM_INFINITY, CRLIM_INFINITY}).first->second;
		if (call.cmd == VCMD_get_rlimit) {
			*data = limit;
			return 0;
		}
		EXPECT_EQ(call.cmd, static_cast<std::uint32_t>(VCMD_set_rlimit));
		sets.push_back(*data);
		if (data->maximum != CRLIM_KEEP)
			limit.maximum = data->maximum;
		if (data->softlimit != CRLIM_KEEP)
			limit.softlimit = data->softlimit;
		limit.softlimit = std::min(limit.softlimit, limit.maximum);
		return 0;
	}
};

TEST(ApplyLimits, SetsEachResourceKeepingWhatIsNotGiven)
{
	StrictMock<MockTransport> t;
	Client client(t);
	FakeLimits kernel;
	LimitChanges changes;

	set_limit(changes, VLIMIT_NPROC, limit_hard, 5);
	set_limit(changes, VLIMIT_RSS, limit_soft, 100);
	EXPECT_CALL(t, call(_)).WillRepeatedly(Invoke(std::ref(kernel)));
	apply_limits(client, 42, changes);
	ASSERT_EQ(kernel.sets.size(), 2u);
	EXPECT_EQ(kernel.sets[0].id, static_cast<std::uint32_t>(VLIMIT_RSS));
	EXPECT_EQ(kernel.sets[0].minimum, CRLIM_KEEP);
	EXPECT_EQ(kernel.sets[0].softlimit, 100u);
	EXPECT_EQ(kernel.sets[0].maximum, CRLIM_KEEP);
	EXPECT_EQ(kernel.sets[1].id, static_cast<std::uint32_t>(VLIMIT_NPROC));
	EXPECT_EQ(kernel.sets[1].minimum, CRLIM_KEEP);
	EXPECT_EQ(kernel.sets[1].softlimit, CRLIM_KEEP);
	EXPECT_EQ(kernel.sets[1].maximum, 5u);
}

TEST(ApplyLimits, ARefusalNamesTheResource)
{
	StrictMock<MockTransport> t;
	Client client(t);
	FakeLimits kernel;
	LimitChanges changes;

	kernel.refuse[VLIMIT_NOFILE] = -EINVAL;
	set_limit(changes, VLIMIT_NOFILE, limit_hard, 5);
	EXPECT_CALL(t, call(_)).WillRepeatedly(Invoke(std::ref(kernel)));
	try {
		apply_limits(client, 42, changes);
		FAIL() << "no exception";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::invalid_argument);
		EXPECT_STREQ(e.what(), "nofile: set_rlimit(42): Invalid argument");
	}
}

TEST(LimitsTable, UtilVserversColumns)
{
	StrictMock<MockTransport> t;
	Client client(t);
	FakeLimits kernel;

	kernel.limits[VLIMIT_NPROC] = {VLIMIT_NPROC, 0, CRLIM_UNSET, CRLIM_INFINITY, 5};
	kernel.limits[VLIMIT_RSS] = {VLIMIT_RSS, 0, CRLIM_UNSET, 1000, 2000};
	EXPECT_CALL(t, call(_)).WillRepeatedly(Invoke(std::ref(kernel)));

	EXPECT_EQ(limits_table(client, 42, kernel_mask, false, false),
		  "RSS         N/A                 0x3e8               0x7d0\n"
		  "NPROC       N/A                 N/A                 0x5\n"
		  "NOFILE      N/A                 N/A                 inf\n"
		  "NSOCK       N/A                 N/A                 inf\n");
	EXPECT_EQ(limits_table(client, 42, kernel_mask, true, true),
		  "5           N/A                 1000                2000\n"
		  "6           N/A                 N/A                 5\n"
		  "7           N/A                 N/A                 inf\n"
		  "16          N/A                 N/A                 inf\n");
}

TEST(LimitsTable, ARefusalNamesTheResource)
{
	StrictMock<MockTransport> t;
	Client client(t);
	FakeLimits kernel;

	kernel.refuse[VLIMIT_NOFILE] = -ESRCH;
	EXPECT_CALL(t, call(_)).WillRepeatedly(Invoke(std::ref(kernel)));
	EXPECT_EQ(what_thrown<std::system_error>(
			  [&] { limits_table(client, 42, kernel_mask, false, false); }),
		  "nofile: get_rlimit(42): No such process");
}

} // namespace
} // namespace vserver::test
