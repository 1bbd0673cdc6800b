// What vtop shows: %CPU per process from two samples of /proc, per
// context, sorted and filtered by context.
#pragma once

#include <vserver/proc.hpp>
#include <vserver/stat.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vserver {

// One process as read at one moment.
struct TaskSample {
	pid_t pid = 0;
	xid_t xid = 0;
	ProcessStat stat;
	std::string command;	// /proc/<pid>/comm without the newline
};

struct TopSample {
	double uptime = 0;	// seconds since boot, when it was taken
	std::vector<TaskSample> tasks;	// ascending by pid
};

// Every process in proc with a VxID (read_process) and its comm ("" when
// that cannot be read), and <proc>/uptime.  Processes that go away while
// it reads are left out.  Throws std::system_error when proc or
// <proc>/uptime cannot be read.
TopSample take_top_sample(const std::filesystem::path &proc = default_proc);

enum class TopSort { cpu, mem, ctx, pid };

// "cpu", "mem", "ctx", "pid"; anything else throws std::invalid_argument.
TopSort parse_top_sort(std::string_view text);

struct TopTask {
	pid_t pid = 0;
	xid_t xid = 0;
	double cpu = 0;			// percent of one CPU; above 100 for threads on several
	std::uint64_t rss = 0;		// bytes
	std::string command;
};

struct TopContext {
	xid_t xid = 0;
	unsigned tasks = 0;
	double cpu = 0;			// summed over its tasks
	std::uint64_t rss = 0;		// bytes, summed
	std::string name;		// VHIN_CONTEXT, "" for none
};

struct TopView {
	double uptime = 0;		// of the later sample
	std::vector<TopContext> contexts;
	std::vector<TopTask> tasks;
};

// The processes of after with their %CPU: utime+stime ticks since before,
// over the uptime between the two, as a percentage of one CPU.  A process
// not in before, or with another starttime there (its pid was reused),
// started in between, so all its ticks count; counters that went down
// count as 0; no time between the samples gives 0.  Only processes whose
// xid is in xids are kept (all when xids is empty).  Contexts are those
// with a kept process.  Sorted by key, ties by pid (tasks) or xid
// (contexts), ascending: cpu and mem descending, ctx by xid ascending then
// cpu descending, pid ascending (contexts by xid).  Names are left empty.
TopView compute_top(const TopSample &before, const TopSample &after, const ProcUnits &units,
		    const std::vector<xid_t> &xids = {}, TopSort key = TopSort::cpu);

// The NAME vtop shows: "root server" for xid 0, "monitoring server" for 1,
// as vserver-stat says; else the context's name, "-" for none.
std::string top_display_name(xid_t xid, std::string_view name);

// The text of one frame: a header line
// "vtop - up 0m09s12, 2 contexts, 38 tasks, 100.3% CPU", a blank line,
// the contexts ("CTX   NAME TASKS  %CPU    RSS"), a blank line and the
// tasks ("    PID CTX   NAME  %CPU    RSS COMMAND").  NAME is
// top_display_name cut to 20 characters, as wide as the widest shown.
// With max_tasks, at most that many task rows.
std::string format_top(const TopView &view,
		       std::optional<std::size_t> max_tasks = std::nullopt);

// The same as one line of JSON: {"uptime": seconds, "contexts": [{"xid",
// "name" (null for none), "tasks", "cpu", "rss" (bytes)}], "tasks":
// [{"pid", "xid", "cpu", "rss", "command"}]}.  cpu is rounded to 0.1.
std::string format_top_json(const TopView &view);

} // namespace vserver
