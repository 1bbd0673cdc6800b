// Disk limits: vdlimit's values, --set, the listing, what goes to the
// kernel, and the disk limits a guest's start sets and its stop removes.
#include "mock_transport.hpp"
#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <vserver/dlimits.hpp>
#include <vserver/files.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

namespace vserver::test {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::Invoke;
using ::testing::IsEmpty;

std::string value_error(std::string_view name, std::string_view text)
{
	return what_thrown<std::invalid_argument>([&] { parse_dlimit_value(name, text); });
}

TEST(DlimitValues, NumbersOrInf)
{
	EXPECT_EQ(parse_dlimit_value("space_total", "0"), 0u);
	EXPECT_EQ(parse_dlimit_value("space_total", "1048576"), 1048576u);
	EXPECT_EQ(parse_dlimit_value("inodes_total", "4294967293"), max_dlimit_value);
	EXPECT_EQ(parse_dlimit_value("space_total", "inf"), CDLIM_INFINITY);
	EXPECT_EQ(parse_dlimit_value("space_used", "-1"), CDLIM_INFINITY);	// util-vserver's
	EXPECT_EQ(parse_dlimit_value("reserved", "0"), 0u);
	EXPECT_EQ(parse_dlimit_value("reserved", "100"), 100u);
}

TEST(DlimitValues, AnythingElseIsNamed)
{
	EXPECT_EQ(value_error("space_total", "10G"),
		  "invalid space_total '10G': not a decimal number or 'inf'");
	EXPECT_EQ(value_error("space_total", ""),
		  "invalid space_total '': not a decimal number or 'inf'");
	EXPECT_EQ(value_error("space_total", "-5"),
		  "invalid space_total '-5': not a decimal number or 'inf'");
	EXPECT_EQ(value_error("space_total", " 5"),
		  "invalid space_total ' 5': not a decimal number or 'inf'");
	EXPECT_EQ(value_error("space_total", "INF"),
		  "invalid space_total 'INF': not a decimal number or 'inf'");
	// CDLIM_KEEP and beyond: no number
	EXPECT_EQ(value_error("inodes_total", "4294967294"),
		  "invalid inodes_total '4294967294': too large (at most 4294967293, or 'inf')");
	EXPECT_EQ(value_error("inodes_total", "99999999999999999999999"),
		  "invalid inodes_total '99999999999999999999999': too large (at most "
		  "4294967293, or 'inf')");
	EXPECT_EQ(value_error("reserved", "101"), "invalid reserved '101': a percentage, 0..100");
	EXPECT_EQ(value_error("reserved", "inf"), "invalid reserved 'inf': a percentage, 0..100");
	EXPECT_EQ(value_error("reserved", "5%"),
		  "invalid reserved '5%': not a decimal number (a percentage, 0..100)");
}

TEST(DlimitSet, EachLimitOnce)
{
	auto limit = unchanged_dlimit();
	EXPECT_EQ(limit.space_used, CDLIM_KEEP);
	EXPECT_EQ(limit.space_total, CDLIM_KEEP);
	EXPECT_EQ(limit.inodes_used, CDLIM_KEEP);
	EXPECT_EQ(limit.inodes_total, CDLIM_KEEP);
	EXPECT_EQ(limit.reserved, CDLIM_KEEP);
	EXPECT_EQ(limit.flags, 0u);

	set_dlimit_field(limit, "space_total=1000");
	set_dlimit_field(limit, "inodes_total=inf");
	set_dlimit_field(limit, "reserved=5");
	EXPECT_EQ(limit.space_total, 1000u);
	EXPECT_EQ(limit.inodes_total, CDLIM_INFINITY);
	EXPECT_EQ(limit.reserved, 5u);
	EXPECT_EQ(limit.space_used, CDLIM_KEEP);
	set_dlimit_field(limit, "space_used=10");
	set_dlimit_field(limit, "inodes_used=3");
	EXPECT_EQ(limit.space_used, 10u);
	EXPECT_EQ(limit.inodes_used, 3u);
}

TEST(DlimitSet, BadAssignmentsAreRefusedAndChangeNothing)
{
	auto limit = unchanged_dlimit();
	set_dlimit_field(limit, "space_total=1000");
	auto error = [&](std::string_view text) {
		return what_thrown<std::invalid_argument>([&] { set_dlimit_field(limit, text); });
	};
	EXPECT_EQ(error("space_total=2000"), "--set 'space_total=2000': space_total is given twice");
	EXPECT_EQ(error("space=5"),
		  "--set 'space=5': unknown limit 'space' (space_used, space_total, inodes_used, "
		  "inodes_total, reserved)");
	EXPECT_EQ(error("reserved"),
		  "--set 'reserved': say LIMIT=VALUE (space_used, space_total, inodes_used, "
		  "inodes_total, reserved)");
	EXPECT_EQ(error("reserved=x"),
		  "invalid reserved 'x': not a decimal number (a percentage, 0..100)");
	EXPECT_EQ(limit.space_total, 1000u);
	EXPECT_EQ(limit.reserved, CDLIM_KEEP);
}

TEST(DlimitCheck, UsedAboveTotalAsUtilVserver)
{
	auto limit = unchanged_dlimit();
	limit.space_used = 2000;
	check_dlimit(limit);	// the total is kept: the kernel decides
	limit.space_total = 1000;
	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { check_dlimit(limit); }),
		  "space_used 2000 is above space_total 1000");
	limit.space_total = CDLIM_INFINITY;
	check_dlimit(limit);
	limit.inodes_used = 11;
	limit.inodes_total = 10;
	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { check_dlimit(limit); }),
		  "inodes_used 11 is above inodes_total 10");
}

TEST(DlimitFormat, UtilVserversListing)
{
	vcmd_ctx_dlimit_v0 limit{};
	limit.space_used = 1234;
	limit.space_total = 100000;
	limit.inodes_used = 56;
	limit.inodes_total = CDLIM_INFINITY;
	limit.reserved = 5;
	EXPECT_EQ(format_dlimit(42, "/vservers", limit),
		  "42 /vservers\n"
		  "space_used=1234\n"
		  "space_total=100000\n"
		  "inodes_used=56\n"
		  "inodes_total=-1\n"
		  "reserved=5\n");
}

// The calls a dlimit test sees: "add 42 /v", "set 42 /v 1000", "rem 42 /v".
struct DlimitKernel {
	std::vector<std::string> calls;
	int add_error = 0, set_error = 0, rem_error = 0;
	vcmd_ctx_dlimit_v0 last_set{};

	long operator()(const vserver_call &call)
	{
		const char *name = nullptr;
		switch (call.cmd) {
		case VCMD_add_dlimit:
		case VCMD_rem_dlimit:
			name = reinterpret_cast<const char *>(
				data_of<vcmd_ctx_dlimit_base_v0>(call).name);
			break;
		case VCMD_set_dlimit:
			last_set = data_of<vcmd_ctx_dlimit_v0>(call);
			name = reinterpret_cast<const char *>(last_set.name);
			break;
		default:
			return -ENOSYS;
		}
		std::string verb = call.cmd == VCMD_add_dlimit ? "add" :
				   call.cmd == VCMD_set_dlimit ? "set" : "rem";
		calls.push_back(fmt::format("{} {} {}", verb, call.id, name));
		int err = call.cmd == VCMD_add_dlimit ? add_error :
			  call.cmd == VCMD_set_dlimit ? set_error : rem_error;
		return -err;
	}
};

class Dlimit : public ::testing::Test {
protected:
	Dlimit()
	{
		ON_CALL(transport, call(_)).WillByDefault(Invoke(std::ref(kernel)));
	}

	DlimitKernel kernel;
	::testing::NiceMock<MockTransport> transport;
	Client client{transport};
	TempDir tmp;
	std::vector<std::string> said;
	std::function<void(std::string_view)> say = [this](std::string_view l) {
		said.emplace_back(l);
	};
};

TEST_F(Dlimit, ApplyAddsThenSets)
{
	auto limit = unchanged_dlimit();
	limit.space_total = 1000;
	EXPECT_TRUE(apply_dlimit(client, 42, "/v", limit));
	EXPECT_THAT(kernel.calls, ElementsAre("add 42 /v", "set 42 /v"));
	EXPECT_EQ(kernel.last_set.space_total, 1000u);
	EXPECT_EQ(kernel.last_set.space_used, CDLIM_KEEP);
	EXPECT_EQ(kernel.last_set.flags, 0u);
}

TEST_F(Dlimit, ApplyToALimitThatExists)
{
	kernel.add_error = EEXIST;
	EXPECT_FALSE(apply_dlimit(client, 42, "/v", unchanged_dlimit()));
	EXPECT_THAT(kernel.calls, ElementsAre("add 42 /v", "set 42 /v"));
}

TEST_F(Dlimit, ARefusedSetTakesBackTheLimitItAdded)
{
	kernel.set_error = EINVAL;
	try {
		apply_dlimit(client, 42, "/v", unchanged_dlimit());
		FAIL() << "no error";
	} catch (const std::system_error &e) {
		EXPECT_EQ(dlimit_error_message(e),
			  "set_dlimit(42, /v): Invalid argument (a total below what is used, or "
			  "a used value other than the one the quota counts)");
	}
	EXPECT_THAT(kernel.calls, ElementsAre("add 42 /v", "set 42 /v", "rem 42 /v"));

	// one that existed stays
	kernel.calls.clear();
	kernel.add_error = EEXIST;
	EXPECT_THROW(apply_dlimit(client, 42, "/v", unchanged_dlimit()), std::system_error);
	EXPECT_THAT(kernel.calls, ElementsAre("add 42 /v", "set 42 /v"));
}

TEST_F(Dlimit, OtherAddErrorsStopThere)
{
	kernel.add_error = EOPNOTSUPP;
	try {
		apply_dlimit(client, 42, "/tmp", unchanged_dlimit());
		FAIL() << "no error";
	} catch (const std::system_error &e) {
		EXPECT_EQ(dlimit_error_message(e),
			  "add_dlimit(42, /tmp): Operation not supported (not a filesystem with "
			  "project quota: ext4 with the project feature, mounted with prjquota)");
	}
	EXPECT_THAT(kernel.calls, ElementsAre("add 42 /tmp"));
}

TEST_F(Dlimit, ErrorHints)
{
	auto msg = [](int err) {
		return dlimit_error_message(
			std::system_error(err, std::generic_category(), "rem_dlimit(42, /v)"));
	};
	EXPECT_EQ(msg(ESRCH), "rem_dlimit(42, /v): No such process (there is no disk limit for "
			      "that tag there)");
	EXPECT_EQ(msg(EPERM), "rem_dlimit(42, /v): Operation not permitted (only root on the "
			      "host changes disk limits)");
	EXPECT_EQ(msg(ENOENT), "rem_dlimit(42, /v): No such file or directory");
}

std::vector<GuestDlimit> two_dlimits()
{
	GuestDlimit a{"/etc/vservers/web/dlimits/0", "/vservers", 100000, 5000, 5};
	GuestDlimit b{"/etc/vservers/web/dlimits/1", "/srv/web data", CDLIM_INFINITY, 100, 0};
	return {a, b};
}

TEST_F(Dlimit, AGuestsStartRecordsThenSetsEach)
{
	auto record = tmp.path() / "run/web/dlimits";
	apply_guest_dlimits(client, 42, two_dlimits(), record);

	EXPECT_THAT(kernel.calls, ElementsAre("add 42 /vservers", "set 42 /vservers",
					      "add 42 /srv/web data", "set 42 /srv/web data"));
	EXPECT_EQ(kernel.last_set.space_total, CDLIM_INFINITY);
	EXPECT_EQ(kernel.last_set.inodes_total, 100u);
	EXPECT_EQ(kernel.last_set.reserved, 0u);
	EXPECT_EQ(kernel.last_set.space_used, CDLIM_KEEP);
	EXPECT_EQ(kernel.last_set.inodes_used, CDLIM_KEEP);
	EXPECT_EQ(read_file(record), "# disk limits of the guest (vserver start): TAG DIRECTORY\n"
				     "42 /vservers\n"
				     "42 /srv/web data\n");

	kernel.calls.clear();
	remove_guest_dlimits(client, record, say);
	EXPECT_THAT(kernel.calls, ElementsAre("rem 42 /vservers", "rem 42 /srv/web data"));
	EXPECT_FALSE(std::filesystem::exists(record));
	EXPECT_THAT(said, IsEmpty());
}

TEST_F(Dlimit, AGuestsStartNamesTheDlimitTheKernelRefused)
{
	auto record = tmp.path() / "dlimits";
	kernel.set_error = EINVAL;
	EXPECT_EQ(what_thrown<std::runtime_error>(
			  [&] { apply_guest_dlimits(client, 42, two_dlimits(), record); }),
		  "/etc/vservers/web/dlimits/0: set_dlimit(42, /vservers): Invalid argument (a "
		  "total below what is used, or a used value other than the one the quota "
		  "counts)");
	// the record lists both, for the undo
	EXPECT_THAT(read_file(record), ::testing::HasSubstr("42 /srv/web data\n"));
}

TEST_F(Dlimit, NoDlimitsNoRecord)
{
	auto record = tmp.path() / "dlimits";
	apply_guest_dlimits(client, 42, {}, record);
	remove_guest_dlimits(client, record, say);
	EXPECT_FALSE(std::filesystem::exists(record));
	EXPECT_THAT(kernel.calls, IsEmpty());
}

TEST_F(Dlimit, StopPassesOverWhatIsGoneAndSaysOtherRefusals)
{
	auto record = tmp.write("dlimits", "# comment\n42 /gone\nbroken\n42 /v\n");
	kernel.rem_error = ESRCH;
	remove_guest_dlimits(client, record, say);
	EXPECT_THAT(kernel.calls, ElementsAre("rem 42 /gone", "rem 42 /v"));
	EXPECT_THAT(said, ElementsAre(record.string() +
				      ": passed over a line that is no 'TAG DIRECTORY': broken"));
	EXPECT_FALSE(std::filesystem::exists(record));

	said.clear();
	record = tmp.write("dlimits", "42 /v\n");
	kernel.rem_error = EPERM;
	remove_guest_dlimits(client, record, say);
	EXPECT_THAT(said, ElementsAre("could not remove the disk limit: rem_dlimit(42, /v): "
				      "Operation not permitted (only root on the host changes "
				      "disk limits)"));
}

TEST(GuestDlimitValues, TotalsAndReservedTheUsedOnesKept)
{
	GuestDlimit d{"/c", "/v", 1000, 50, 10};
	auto limit = guest_dlimit_values(d);
	EXPECT_EQ(limit.space_total, 1000u);
	EXPECT_EQ(limit.inodes_total, 50u);
	EXPECT_EQ(limit.reserved, 10u);
	EXPECT_EQ(limit.space_used, CDLIM_KEEP);
	EXPECT_EQ(limit.inodes_used, CDLIM_KEEP);
}

} // namespace
} // namespace vserver::test
