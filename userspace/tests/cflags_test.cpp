// Context flag names: parse_flag_list, format_flags.
#include <vserver/cflags.hpp>

#include <linux/vserver.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace vserver::test {
namespace {

TEST(ContextFlags, UtilVserverNamesForEveryUapiFlag)
{
	struct {
		const char *name;
		std::uint64_t bit;
	} expected[] = {
		{"private", VXF_INFO_PRIVATE},	 {"fakeinit", VXF_INFO_INIT},
		{"hideinfo", VXF_INFO_HIDE},	 {"sched_hard", VXF_SCHED_HARD},
		{"sched_prio", VXF_SCHED_PRIO},	 {"sched_pause", VXF_SCHED_PAUSE},
		{"virt_mem", VXF_VIRT_MEM},	 {"virt_uptime", VXF_VIRT_UPTIME},
		{"virt_cpu", VXF_VIRT_CPU},	 {"virt_load", VXF_VIRT_LOAD},
		{"virt_time", VXF_VIRT_TIME},	 {"hide_mount", VXF_HIDE_MOUNT},
		{"hide_vinfo", VXF_HIDE_VINFO},	 {"state_setup", VXF_STATE_SETUP},
		{"state_init", VXF_STATE_INIT},	 {"state_admin", VXF_STATE_ADMIN},
		{"sc_helper", VXF_SC_HELPER},	 {"reboot_kill", VXF_REBOOT_KILL},
		{"persistent", VXF_PERSISTENT},	 {"fork_rss", VXF_FORK_RSS},
		{"prolific", VXF_PROLIFIC},	 {"igneg_nice", VXF_IGNEG_NICE},
	};

	ASSERT_EQ(context_flags().size(), std::size(expected));
	std::uint64_t seen = 0;
	for (std::size_t i = 0; i < std::size(expected); i++) {
		EXPECT_EQ(context_flags()[i].name, expected[i].name);
		EXPECT_EQ(context_flags()[i].bit, expected[i].bit) << expected[i].name;
		EXPECT_EQ(find_context_flag(expected[i].name), expected[i].bit);
		EXPECT_EQ(seen & expected[i].bit, 0u) << expected[i].name << " bit used twice";
		seen |= expected[i].bit;
		if (i > 0) {
			EXPECT_LT(expected[i - 1].bit, expected[i].bit) << "table not in bit order";
		}
	}
}

TEST(FindContextFlag, CaseAndPrefix)
{
	EXPECT_EQ(find_context_flag("PERSISTENT"), VXF_PERSISTENT);
	EXPECT_EQ(find_context_flag("Persistent"), VXF_PERSISTENT);
	EXPECT_EQ(find_context_flag("VXF_PERSISTENT"), VXF_PERSISTENT);
	EXPECT_EQ(find_context_flag("vxf_sched_hard"), VXF_SCHED_HARD);
	EXPECT_EQ(find_context_flag("persist"), std::nullopt);
	EXPECT_EQ(find_context_flag("VXF_"), std::nullopt);
	EXPECT_EQ(find_context_flag("vxf_vxf_persistent"), std::nullopt);
	EXPECT_EQ(find_context_flag(""), std::nullopt);
}

TEST(ParseFlagList, SetAndClear)
{
	EXPECT_EQ(parse_flag_list("persistent"), (FlagChange{VXF_PERSISTENT, 0}));
	EXPECT_EQ(parse_flag_list("private,~state_setup,!hide_mount"),
		  (FlagChange{VXF_INFO_PRIVATE, VXF_STATE_SETUP | VXF_HIDE_MOUNT}));
	EXPECT_EQ(parse_flag_list("~VXF_STATE_INIT"), (FlagChange{0, VXF_STATE_INIT}));

	auto change = parse_flag_list("fakeinit,~persistent");
	EXPECT_EQ(change.mask(), VXF_INFO_INIT | VXF_PERSISTENT);
}

TEST(ParseFlagList, LaterItemsWin)
{
	EXPECT_EQ(parse_flag_list("persistent,~persistent"), (FlagChange{0, VXF_PERSISTENT}));
	EXPECT_EQ(parse_flag_list("!persistent,persistent"), (FlagChange{VXF_PERSISTENT, 0}));

	FlagChange change = parse_flag_list("persistent");
	merge_flag_list(change, "~persistent,private");
	EXPECT_EQ(change, (FlagChange{VXF_INFO_PRIVATE, VXF_PERSISTENT}));
}

TEST(ParseFlagList, Errors)
{
	auto error = [](const char *list) -> std::string {
		try {
			parse_flag_list(list);
		} catch (const std::invalid_argument &e) {
			return e.what();
		}
		return "accepted";
	};

	EXPECT_EQ(error("bogus"), "unknown flag 'bogus'");
	EXPECT_EQ(error("persistent,~bogus"), "unknown flag 'bogus'");
	EXPECT_EQ(error(""), "invalid flag list '': empty flag name");
	EXPECT_EQ(error("private,,persistent"),
		  "invalid flag list 'private,,persistent': empty flag name");
	EXPECT_EQ(error("private,"), "invalid flag list 'private,': empty flag name");
	EXPECT_EQ(error("~"), "invalid flag list '~': empty flag name");
	EXPECT_EQ(error("~~persistent"), "unknown flag '~persistent'");
	EXPECT_EQ(error(" persistent"), "unknown flag ' persistent'");
}

TEST(FormatFlags, NamesInBitOrderUnknownBitsAsHex)
{
	EXPECT_EQ(format_flags(0), "");
	EXPECT_EQ(format_flags(VXF_PERSISTENT), "persistent");
	EXPECT_EQ(format_flags(VXF_INIT_SET), "state_setup,state_init,state_admin");
	EXPECT_EQ(format_flags(VXF_PERSISTENT | VXF_INFO_PRIVATE), "private,persistent");
	EXPECT_EQ(format_flags(VXF_PERSISTENT | 0x800 | (1ULL << 63)),
		  "persistent,0x8000000000000800");
	EXPECT_EQ(format_flags(0x1), "0x1");
}

TEST(FormatFlags, RoundTripsThroughParse)
{
	std::uint64_t all = 0;
	for (const auto &f : context_flags())
		all |= f.bit;
	EXPECT_EQ(parse_flag_list(format_flags(all)).set, all);
}

TEST(FlagsLine, AsVattributePrintsIt)
{
	EXPECT_EQ(flags_line(VXF_INIT_SET),
		  "flags: 0x0000000700000000 (state_setup,state_init,state_admin)\n");
	EXPECT_EQ(flags_line(0), "flags: 0x0000000000000000 ()\n");
	EXPECT_EQ(flags_line(VXF_PERSISTENT | VXF_STATE_ADMIN),
		  "flags: 0x0000004400000000 (state_admin,persistent)\n");
}

TEST(UmaskNames, UtilVserverNamesAndClonePrefix)
{
	const auto &t = umask_names();

	EXPECT_EQ(find_name(t, "newns"), VXU_NEWNS);
	EXPECT_EQ(find_name(t, "NEWUTS"), VXU_NEWUTS);
	EXPECT_EQ(find_name(t, "CLONE_NEWNET"), VXU_NEWNET);
	EXPECT_EQ(find_name(t, "fs"), VXU_FS);
	EXPECT_EQ(find_name(t, "persistent"), std::nullopt);
	EXPECT_EQ(find_name(t, "clone_"), std::nullopt);

	std::uint64_t all = 0;
	for (const auto &f : t.names)
		all |= f.bit;
	EXPECT_EQ(all, VXU_ALL);
}

TEST(UmaskNames, ListsAndErrorsSayUnshareFlag)
{
	FlagChange change;

	merge_name_list(change, "newuts,newipc,~newnet", umask_names());
	EXPECT_EQ(change, (FlagChange{VXU_NEWUTS | VXU_NEWIPC, VXU_NEWNET}));
	try {
		merge_name_list(change, "newns,bogus", umask_names());
		ADD_FAILURE() << "accepted";
	} catch (const std::invalid_argument &e) {
		EXPECT_STREQ(e.what(), "unknown unshare flag 'bogus'");
	}
	EXPECT_EQ(umask_line(VXU_NEWUTS | VXU_NEWNS),
		  "umask: 0x0000000004020000 (newns,newuts)\n");
	EXPECT_EQ(umask_line(0), "umask: 0x0000000000000000 ()\n");
}

} // namespace
} // namespace vserver::test
