#include <vserver/caps.hpp>

#include <linux/capability.h>
#include <sys/capability.h>

#include <fmt/format.h>

#include <string>
#include <vector>

namespace vserver {

namespace {

// libcap's names without their "cap_" prefix, in bit order.
struct CapabilityTable {
	std::vector<std::string> storage;
	std::vector<FlagName> names;
	NameTable table;

	CapabilityTable()
	{
		for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
			char *name = cap_to_name(cap);
			std::string s = name ? name : fmt::format("{}", cap);

			cap_free(name);
			if (s.starts_with("cap_"))
				s.erase(0, 4);
			storage.push_back(std::move(s));
		}
		for (int cap = 0; cap <= CAP_LAST_CAP; cap++)
			names.push_back(FlagName{storage[cap], std::uint64_t{1} << cap});
		table = NameTable{names, "cap_", "capability"};
	}
};

const CapabilityTable &capabilities()
{
	static const CapabilityTable table;
	return table;
}

constexpr std::uint64_t bit(int cap)
{
	return std::uint64_t{1} << cap;
}

} // namespace

std::uint64_t all_capabilities()
{
	return (std::uint64_t{1} << (CAP_LAST_CAP + 1)) - 1;
}

const NameTable &capability_names()
{
	return capabilities().table;
}

std::uint64_t insecure_capabilities()
{
	return bit(CAP_DAC_READ_SEARCH) |	// open_by_handle_at: leaves a chroot
	       bit(CAP_LINUX_IMMUTABLE) | bit(CAP_NET_BROADCAST) |
	       bit(CAP_NET_ADMIN) | bit(CAP_NET_RAW) | bit(CAP_IPC_LOCK) |
	       bit(CAP_IPC_OWNER) | bit(CAP_SYS_MODULE) | bit(CAP_SYS_RAWIO) |
	       bit(CAP_SYS_PACCT) | bit(CAP_SYS_ADMIN) | bit(CAP_SYS_BOOT) |
	       bit(CAP_SYS_NICE) | bit(CAP_SYS_RESOURCE) | bit(CAP_SYS_TIME) |
	       bit(CAP_SYS_TTY_CONFIG) | bit(CAP_MKNOD) | bit(CAP_AUDIT_CONTROL) |
	       bit(CAP_MAC_OVERRIDE) | bit(CAP_MAC_ADMIN) | bit(CAP_SYSLOG) |
	       bit(CAP_WAKE_ALARM) | bit(CAP_BLOCK_SUSPEND) | bit(CAP_AUDIT_READ) |
	       bit(CAP_PERFMON) | bit(CAP_BPF) | bit(CAP_CHECKPOINT_RESTORE) |
	       bit(CAP_SYS_PTRACE);	// userfaultfd, ptrace of other users
}

std::string bcaps_line(std::uint64_t bcaps)
{
	std::uint64_t missing = all_capabilities() & ~bcaps;
	std::string names;

	for (const auto &c : capability_names().names) {
		if (!(missing & c.bit))
			continue;
		if (!names.empty())
			names += ',';
		names += '~';
		names += c.name;
	}
	return fmt::format("bcaps: {:#018x} ({})\n", bcaps, names.empty() ? "all" : names);
}

} // namespace vserver
