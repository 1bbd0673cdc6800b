#include <vserver/cflags.hpp>

#include <linux/vserver.h>

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <stdexcept>

namespace vserver {

namespace {

constexpr std::array flags{
	FlagName{"private", VXF_INFO_PRIVATE},
	FlagName{"fakeinit", VXF_INFO_INIT},
	FlagName{"hideinfo", VXF_INFO_HIDE},
	FlagName{"sched_hard", VXF_SCHED_HARD},
	FlagName{"sched_prio", VXF_SCHED_PRIO},
	FlagName{"sched_pause", VXF_SCHED_PAUSE},
	FlagName{"virt_mem", VXF_VIRT_MEM},
	FlagName{"virt_uptime", VXF_VIRT_UPTIME},
	FlagName{"virt_cpu", VXF_VIRT_CPU},
	FlagName{"virt_load", VXF_VIRT_LOAD},
	FlagName{"virt_time", VXF_VIRT_TIME},
	FlagName{"hide_mount", VXF_HIDE_MOUNT},
	FlagName{"hide_vinfo", VXF_HIDE_VINFO},
	FlagName{"state_setup", VXF_STATE_SETUP},
	FlagName{"state_init", VXF_STATE_INIT},
	FlagName{"state_admin", VXF_STATE_ADMIN},
	FlagName{"sc_helper", VXF_SC_HELPER},
	FlagName{"reboot_kill", VXF_REBOOT_KILL},
	FlagName{"persistent", VXF_PERSISTENT},
	FlagName{"fork_rss", VXF_FORK_RSS},
	FlagName{"prolific", VXF_PROLIFIC},
	FlagName{"igneg_nice", VXF_IGNEG_NICE},
};

// util-vserver's umask names (lib/umask-v23.c) plus the two namespaces it
// predates.
constexpr std::array umask{
	FlagName{"newtime", VXU_NEWTIME},
	FlagName{"fs", VXU_FS},
	FlagName{"newns", VXU_NEWNS},
	FlagName{"newcgroup", VXU_NEWCGROUP},
	FlagName{"newuts", VXU_NEWUTS},
	FlagName{"newipc", VXU_NEWIPC},
	FlagName{"newuser", VXU_NEWUSER},
	FlagName{"newpid", VXU_NEWPID},
	FlagName{"newnet", VXU_NEWNET},
};

const NameTable cflag_table{flags, "vxf_", "flag"};
const NameTable umask_table{umask, "clone_", "unshare flag"};

bool iequals(std::string_view a, std::string_view b)
{
	if (a.size() != b.size())
		return false;
	for (std::size_t i = 0; i < a.size(); i++)
		if (std::tolower(static_cast<unsigned char>(a[i])) !=
		    std::tolower(static_cast<unsigned char>(b[i])))
			return false;
	return true;
}

} // namespace

const NameTable &cflag_names()
{
	return cflag_table;
}

const NameTable &umask_names()
{
	return umask_table;
}

std::span<const FlagName> context_flags()
{
	return flags;
}

std::optional<std::uint64_t> find_name(const NameTable &table, std::string_view name)
{
	const auto &prefix = table.prefix;

	if (name.size() > prefix.size() && iequals(name.substr(0, prefix.size()), prefix))
		name.remove_prefix(prefix.size());
	for (const auto &f : table.names)
		if (iequals(f.name, name))
			return f.bit;
	return std::nullopt;
}

std::optional<std::uint64_t> find_context_flag(std::string_view name)
{
	return find_name(cflag_table, name);
}

void merge_flag_list(FlagChange &change, std::string_view list)
{
	merge_name_list(change, list, cflag_table);
}

void merge_name_list(FlagChange &change, std::string_view list, const NameTable &table)
{
	std::size_t start = 0;

	for (;;) {
		std::size_t end = list.find(',', start);
		std::string_view item = list.substr(start, end == list.npos ? list.npos : end - start);
		std::string_view name = item;
		bool clear = !name.empty() && (name.front() == '~' || name.front() == '!');

		if (clear)
			name.remove_prefix(1);
		if (name.empty())
			throw std::invalid_argument(fmt::format(
				"invalid {0} list '{1}': empty {0} name", table.what, list));
		auto bit = find_name(table, name);
		if (!bit)
			throw std::invalid_argument(fmt::format("unknown {} '{}'", table.what, name));
		if (!*bit)
			throw std::invalid_argument(fmt::format(
				"{} '{}' is not supported by this kernel", table.what, name));
		if (clear) {
			change.clear |= *bit;
			change.set &= ~*bit;
		} else {
			change.set |= *bit;
			change.clear &= ~*bit;
		}
		if (end == list.npos)
			break;
		start = end + 1;
	}
}

FlagChange parse_flag_list(std::string_view list)
{
	FlagChange change;

	merge_flag_list(change, list);
	return change;
}

std::string format_flags(std::uint64_t value)
{
	return format_names(value, cflag_table);
}

std::string format_names(std::uint64_t value, const NameTable &table)
{
	std::string out;

	for (const auto &f : table.names) {
		if (!(value & f.bit))
			continue;
		if (!out.empty())
			out += ',';
		out += f.name;
		value &= ~f.bit;
	}
	if (value) {
		if (!out.empty())
			out += ',';
		out += fmt::format("{:#x}", value);
	}
	return out;
}

std::string bits_line(std::string_view label, std::uint64_t bits, const NameTable &table)
{
	return fmt::format("{}: {:#018x} ({})\n", label, bits, format_names(bits, table));
}

std::string flags_line(std::uint64_t flags)
{
	return bits_line("flags", flags, cflag_table);
}

std::string umask_line(std::uint64_t umask)
{
	return bits_line("umask", umask, umask_table);
}

} // namespace vserver
