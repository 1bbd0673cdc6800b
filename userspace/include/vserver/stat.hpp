// What vserver-stat shows: per-context sums over /proc.
#pragma once

#include <vserver/proc.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vserver {

struct ContextStat {
	xid_t xid = 0;
	unsigned processes = 0;
	std::uint64_t vsz = 0;		// bytes, summed
	std::uint64_t rss = 0;		// bytes, summed
	std::uint64_t user_ms = 0;	// CPU time, summed
	std::uint64_t sys_ms = 0;
	// Since its oldest process started; nullopt without processes.
	std::optional<std::uint64_t> uptime_ms;
	std::string name;		// VHIN_CONTEXT, "" for none
};

struct ProcUnits {
	long clock_ticks;		// sysconf(_SC_CLK_TCK)
	long page_size;			// sysconf(_SC_PAGESIZE)
};

// The units of this system.
ProcUnits system_proc_units();

// One ContextStat per context in <proc>/virtual plus the host (xid 0),
// ascending by xid, summed over the processes in proc by their VxID.
// Processes of other xids (the spectator, a context that just ended) are
// not counted.  Names are left empty.  Throws std::system_error when
// <proc>/virtual, proc or <proc>/uptime cannot be read.
std::vector<ContextStat> collect_context_stats(const std::filesystem::path &proc,
					       const ProcUnits &units);

// The NAME column: "root server" for xid 0, "monitoring server" for 1, as
// util-vserver says; else the context's name, "-" for none.
std::string stat_display_name(const ContextStat &stat);

// util-vserver's short forms, at most 7 characters for memory and 10 for
// time: 1023 -> "1023", 1536 -> "1.5K", 125829120 -> "120M";
// 65432 ms -> "1m05s43", 2h05m07, 3d04h12, 3y123d04; INVALID from 1000
// years on.
std::string format_memory(std::uint64_t bytes);
std::string format_duration(std::uint64_t ms);

// The table util-vserver prints, header included:
// "CTX   PROC    VSZ    RSS  userTIME   sysTIME    UPTIME NAME"
std::string format_stat_table(const std::vector<ContextStat> &stats);

// A JSON array, one object per context: xid, name (null for none),
// processes, vsz and rss (bytes), user_ms, sys_ms, uptime_ms (null
// without processes).
std::string format_stat_json(const std::vector<ContextStat> &stats);

} // namespace vserver
