// Capability names and the bounding set of a context.
#include <vserver/caps.hpp>

#include <linux/capability.h>
#include <linux/vserver.h>

#include <gtest/gtest.h>

#include <stdexcept>

namespace vserver::test {
namespace {

constexpr std::uint64_t bit(int cap)
{
	return std::uint64_t{1} << cap;
}

TEST(Capabilities, LibcapNamesWithOrWithoutPrefix)
{
	const auto &t = capability_names();

	EXPECT_EQ(t.names.size(), std::size_t{CAP_LAST_CAP + 1});
	EXPECT_EQ(find_name(t, "sys_time"), bit(CAP_SYS_TIME));
	EXPECT_EQ(find_name(t, "CAP_SYS_TIME"), bit(CAP_SYS_TIME));
	EXPECT_EQ(find_name(t, "cap_chown"), bit(CAP_CHOWN));
	EXPECT_EQ(find_name(t, "checkpoint_restore"), bit(CAP_CHECKPOINT_RESTORE));
	EXPECT_EQ(find_name(t, "sys_tim"), std::nullopt);
	EXPECT_EQ(find_name(t, "cap_"), std::nullopt);
	EXPECT_EQ(all_capabilities(), (std::uint64_t{1} << (CAP_LAST_CAP + 1)) - 1);
}

TEST(Capabilities, ListsAndErrors)
{
	FlagChange change;

	merge_name_list(change, "~sys_time,!CAP_MKNOD,chown", capability_names());
	EXPECT_EQ(change, (FlagChange{bit(CAP_CHOWN), bit(CAP_SYS_TIME) | bit(CAP_MKNOD)}));
	try {
		merge_name_list(change, "~bogus", capability_names());
		ADD_FAILURE() << "accepted";
	} catch (const std::invalid_argument &e) {
		EXPECT_STREQ(e.what(), "unknown capability 'bogus'");
	}
}

TEST(Capabilities, SecureKeepsWhatAGuestRootNeeds)
{
	const std::uint64_t insecure = insecure_capabilities();

	// what reaches the host or leaves the chroot
	for (int cap : {CAP_SYS_MODULE, CAP_SYS_TIME, CAP_SYS_BOOT, CAP_MKNOD,
			CAP_SYS_ADMIN, CAP_SYS_RESOURCE, CAP_NET_RAW, CAP_SYS_RAWIO,
			CAP_DAC_READ_SEARCH, CAP_BPF, CAP_PERFMON, CAP_SYSLOG})
		EXPECT_TRUE(insecure & bit(cap)) << cap;
	// installing packages and running services
	for (int cap : {CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID,
			CAP_KILL, CAP_SETUID, CAP_SETGID, CAP_NET_BIND_SERVICE,
			CAP_SETFCAP, CAP_SYS_CHROOT, CAP_AUDIT_WRITE})
		EXPECT_FALSE(insecure & bit(cap)) << cap;
	EXPECT_EQ(insecure & ~all_capabilities(), 0u);
}

TEST(Capabilities, BcapsLineNamesWhatIsMissing)
{
	EXPECT_EQ(bcaps_line(all_capabilities()), "bcaps: 0x000001ffffffffff (all)\n");
	EXPECT_EQ(bcaps_line(all_capabilities() & ~bit(CAP_SYS_TIME) & ~bit(CAP_CHOWN)),
		  "bcaps: 0x000001fffdfffffe (~chown,~sys_time)\n");
}

TEST(ContextCapabilities, UtilVserverNamesAndAliases)
{
	const auto &t = ccap_names();

	EXPECT_EQ(find_name(t, "set_utsname"), VXC_SET_UTSNAME);
	EXPECT_EQ(find_name(t, "utsname"), VXC_SET_UTSNAME);
	EXPECT_EQ(find_name(t, "VXC_SECURE_MOUNT"), VXC_SECURE_MOUNT);
	EXPECT_EQ(find_name(t, "mount"), VXC_SECURE_MOUNT);
	EXPECT_EQ(find_name(t, "raw_icmp"), std::nullopt);	// a network capability now
	EXPECT_EQ(ccaps_line(VXC_SET_UTSNAME | VXC_SYSLOG),
		  "ccaps: 0x0000000000001001 (set_utsname,syslog)\n");
	EXPECT_EQ(ccaps_line(0), "ccaps: 0x0000000000000000 ()\n");
}

} // namespace
} // namespace vserver::test
