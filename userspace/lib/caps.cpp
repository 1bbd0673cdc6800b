#include <vserver/caps.hpp>

#include <linux/capability.h>
#include <linux/vserver.h>
#include <sys/capability.h>

#include <fmt/format.h>

#include <array>
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

// util-vserver's names (lib/ccaps-v13.c) and its aliases
constexpr std::array ccaps{
	FlagName{"set_utsname", VXC_SET_UTSNAME},
	FlagName{"set_rlimit", VXC_SET_RLIMIT},
	FlagName{"fs_security", VXC_FS_SECURITY},
	FlagName{"fs_trusted", VXC_FS_TRUSTED},
	FlagName{"tiocsti", VXC_TIOCSTI},
	FlagName{"syslog", VXC_SYSLOG},
	FlagName{"oom_adjust", VXC_OOM_ADJUST},
	FlagName{"audit_control", VXC_AUDIT_CONTROL},
	FlagName{"secure_mount", VXC_SECURE_MOUNT},
	FlagName{"secure_remount", VXC_SECURE_REMOUNT},
	FlagName{"binary_mount", VXC_BINARY_MOUNT},
	FlagName{"quota_ctl", VXC_QUOTA_CTL},
	FlagName{"admin_mapper", VXC_ADMIN_MAPPER},
	FlagName{"admin_cloop", VXC_ADMIN_CLOOP},
	FlagName{"kthread", VXC_KTHREAD},
	FlagName{"namespace", VXC_NAMESPACE},
	FlagName{"utsname", VXC_SET_UTSNAME},
	FlagName{"rlimit", VXC_SET_RLIMIT},
	FlagName{"mount", VXC_SECURE_MOUNT},
	FlagName{"remount", VXC_SECURE_REMOUNT},
};

const NameTable ccap_table{ccaps, "vxc_", "context capability"};

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

const NameTable &ccap_names()
{
	return ccap_table;
}

std::string ccaps_line(std::uint64_t value)
{
	return bits_line("ccaps", value, ccap_table);
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
