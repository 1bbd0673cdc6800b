#include <vserver/stat.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <unistd.h>

namespace vserver {

ProcUnits system_proc_units()
{
	return {::sysconf(_SC_CLK_TCK), ::sysconf(_SC_PAGESIZE)};
}

std::vector<ContextStat> collect_context_stats(const std::filesystem::path &proc,
					       const ProcUnits &units)
{
	std::map<xid_t, ContextStat> stats;
	std::map<xid_t, std::uint64_t> first_start;	// oldest starttime, ticks

	stats[VX_HOST_XID].xid = VX_HOST_XID;
	for (xid_t xid : list_contexts(proc))
		stats[xid].xid = xid;

	for (pid_t pid : list_processes(proc)) {
		auto info = read_process(pid, proc);
		if (!info)
			continue;
		auto it = stats.find(info->xid);
		if (it == stats.end())
			continue;

		auto &s = it->second;
		const auto &ps = info->stat;
		s.processes++;
		s.vsz += ps.vsize;
		s.rss += ps.rss * static_cast<std::uint64_t>(units.page_size);
		s.user_ms += ps.utime * 1000 / static_cast<std::uint64_t>(units.clock_ticks);
		s.sys_ms += ps.stime * 1000 / static_cast<std::uint64_t>(units.clock_ticks);
		auto [first, inserted] = first_start.try_emplace(info->xid, ps.starttime);
		if (!inserted)
			first->second = std::min(first->second, ps.starttime);
	}

	std::vector<ContextStat> out;
	double uptime = first_start.empty() ? 0 : read_uptime(proc);
	for (auto &[xid, s] : stats) {
		auto first = first_start.find(xid);
		if (first != first_start.end()) {
			double started = static_cast<double>(first->second) / units.clock_ticks;
			double ms = (uptime - started) * 1000;
			s.uptime_ms = ms > 0 ? static_cast<std::uint64_t>(ms) : 0;
		}
		out.push_back(std::move(s));
	}
	return out;
}

namespace {

std::optional<std::string> name_of(const ContextStat &stat)
{
	if (stat.xid == VX_HOST_XID)
		return "root server";
	if (stat.xid == VX_WATCH_XID)
		return "monitoring server";
	if (stat.name.empty())
		return std::nullopt;
	return stat.name;
}

} // namespace

std::string stat_display_name(const ContextStat &stat)
{
	return name_of(stat).value_or("-");
}

std::string format_memory(std::uint64_t bytes)
{
	constexpr std::string_view units = "KMGTPE";

	if (bytes < 1000)
		return std::to_string(bytes);

	double value = static_cast<double>(bytes);
	std::size_t unit = 0;
	do {
		value /= 1024;
		unit++;
	} while (value >= 1000 && unit < units.size());

	std::string text = fmt::format("{:.1f}", value);
	if (text.ends_with(".0"))
		text.resize(text.size() - 2);
	return text + units[unit - 1];
}

std::string format_duration(std::uint64_t ms)
{
	constexpr std::uint64_t second = 1000, minute = 60 * second, hour = 60 * minute,
		day = 24 * hour;

	if (ms < hour)
		return fmt::format("{}m{:02}s{:02}", ms / minute, ms / second % 60, ms % second / 10);
	if (ms < day)
		return fmt::format("{}h{:02}m{:02}", ms / hour, ms / minute % 60, ms / second % 60);
	std::uint64_t days = ms / day;
	if (days < 1000)
		return fmt::format("{}d{:02}h{:02}", days, ms / hour % 24, ms / minute % 60);
	if (days / 365 < 1000)
		return fmt::format("{}y{:03}d{:02}", days / 365, days % 365, ms / hour % 24);
	return "INVALID";	// as util-vserver says for what cannot be

}

namespace {

constexpr std::size_t max_name = 20;

std::string table_row(std::string_view xid, std::string_view procs, std::string_view vsz,
		      std::string_view rss, std::string_view user, std::string_view sys,
		      std::string_view uptime, std::string_view name)
{
	return fmt::format("{:<5}{:>5}{:>7}{:>7}{:>10}{:>10}{:>10} {}\n", xid, procs, vsz, rss,
			   user, sys, uptime, name.substr(0, max_name));
}

} // namespace

std::string format_stat_table(const std::vector<ContextStat> &stats)
{
	std::string out = table_row("CTX", "PROC", "VSZ", "RSS", "userTIME", "sysTIME", "UPTIME",
				    "NAME");

	for (const auto &s : stats)
		out += table_row(std::to_string(s.xid), std::to_string(s.processes),
				 format_memory(s.vsz), format_memory(s.rss),
				 format_duration(s.user_ms), format_duration(s.sys_ms),
				 s.uptime_ms ? format_duration(*s.uptime_ms) : "-",
				 stat_display_name(s));
	return out;
}

std::string format_stat_json(const std::vector<ContextStat> &stats)
{
	using json = nlohmann::ordered_json;	// keys in the table's order
	auto array = json::array();

	for (const auto &s : stats) {
		auto name = name_of(s);
		array.push_back({
			{"xid", s.xid},
			{"name", name ? json(*name) : json(nullptr)},
			{"processes", s.processes},
			{"vsz", s.vsz},
			{"rss", s.rss},
			{"user_ms", s.user_ms},
			{"sys_ms", s.sys_ms},
			{"uptime_ms", s.uptime_ms ? json(*s.uptime_ms) : json(nullptr)},
		});
	}
	return array.dump(2) + "\n";
}

} // namespace vserver
