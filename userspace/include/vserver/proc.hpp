// Reading /proc: processes with their xid, and the contexts in
// /proc/virtual.  Every function takes the proc root, so tests can hand
// them a fake tree.
#pragma once

#include <vserver/client.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace vserver {

inline const std::filesystem::path default_proc = "/proc";

// The fields of /proc/<pid>/stat we use.
struct ProcessStat {
	std::uint64_t utime = 0;	// clock ticks in user mode
	std::uint64_t stime = 0;	// clock ticks in kernel mode
	std::uint64_t starttime = 0;	// clock ticks after boot
	std::uint64_t vsize = 0;	// bytes
	std::uint64_t rss = 0;		// pages

	bool operator==(const ProcessStat &) const = default;
};

// One process: its xid (the VxID: line of /proc/<pid>/status) and stat.
struct ProcessInfo {
	pid_t pid = 0;
	xid_t xid = 0;
	ProcessStat stat;
};

// The number on the "VxID:" line of a status file; nullopt without one
// (the vserver module is not loaded) or when it is malformed.
std::optional<xid_t> parse_vxid(std::string_view status);

// A /proc/<pid>/stat line; the command name may hold spaces and
// parentheses.  nullopt when it is malformed.
std::optional<ProcessStat> parse_process_stat(std::string_view line);

// The pids of the numbered directories in proc, ascending.  Throws
// std::system_error if proc cannot be read.
std::vector<pid_t> list_processes(const std::filesystem::path &proc = default_proc);

// One process; nullopt if it is gone (or has no VxID line).
std::optional<ProcessInfo> read_process(pid_t pid,
					const std::filesystem::path &proc = default_proc);

// The xids of the numbered directories in <proc>/virtual, ascending.
// Throws std::system_error (ENOENT) if there is no <proc>/virtual: the
// vserver module is not loaded.
std::vector<xid_t> list_contexts(const std::filesystem::path &proc = default_proc);

// Seconds since boot, from <proc>/uptime.  Throws std::system_error.
double read_uptime(const std::filesystem::path &proc = default_proc);

} // namespace vserver
