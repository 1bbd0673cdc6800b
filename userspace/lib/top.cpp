#include <vserver/top.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>

namespace vserver {

namespace {

std::string read_comm(const std::filesystem::path &path)
{
	std::ifstream in(path);
	std::string line;

	if (in)
		std::getline(in, line);
	return line;
}

} // namespace

TopSample take_top_sample(const std::filesystem::path &proc)
{
	TopSample sample;

	for (pid_t pid : list_processes(proc)) {
		auto info = read_process(pid, proc);
		if (!info)
			continue;
		sample.tasks.push_back({pid, info->xid, info->stat,
					read_comm(proc / std::to_string(pid) / "comm")});
	}
	// After the processes: their ticks are all in by then.
	sample.uptime = read_uptime(proc);
	return sample;
}

TopSort parse_top_sort(std::string_view text)
{
	if (text == "cpu")
		return TopSort::cpu;
	if (text == "mem")
		return TopSort::mem;
	if (text == "ctx")
		return TopSort::ctx;
	if (text == "pid")
		return TopSort::pid;
	throw std::invalid_argument(fmt::format("invalid sort key '{}': not cpu, mem, ctx or pid",
						text));
}

TopView compute_top(const TopSample &before, const TopSample &after, const ProcUnits &units,
		    const std::vector<xid_t> &xids, TopSort key)
{
	std::map<pid_t, const ProcessStat *> earlier;
	for (const auto &t : before.tasks)
		earlier.emplace(t.pid, &t.stat);

	double elapsed = after.uptime - before.uptime;
	auto wanted = [&](xid_t xid) {
		return xids.empty() || std::find(xids.begin(), xids.end(), xid) != xids.end();
	};

	TopView view;
	view.uptime = after.uptime;
	std::map<xid_t, TopContext> contexts;
	for (const auto &t : after.tasks) {
		if (!wanted(t.xid))
			continue;

		std::uint64_t now = t.stat.utime + t.stat.stime, then = 0;
		auto it = earlier.find(t.pid);
		if (it != earlier.end() && it->second->starttime == t.stat.starttime)
			then = it->second->utime + it->second->stime;
		double cpu = 0;
		if (elapsed > 0 && units.clock_ticks > 0 && now > then)
			cpu = static_cast<double>(now - then) / units.clock_ticks / elapsed * 100;

		TopTask task{t.pid, t.xid, cpu,
			     t.stat.rss * static_cast<std::uint64_t>(units.page_size), t.command};
		auto &c = contexts[t.xid];
		c.xid = t.xid;
		c.tasks++;
		c.cpu += task.cpu;
		c.rss += task.rss;
		view.tasks.push_back(std::move(task));
	}
	for (auto &[xid, c] : contexts)
		view.contexts.push_back(std::move(c));

	// Ties by pid / xid, ascending: the order they are in now.
	auto &tasks = view.tasks;
	auto &ctxs = view.contexts;
	switch (key) {
	case TopSort::cpu:
		std::stable_sort(tasks.begin(), tasks.end(),
				 [](const auto &a, const auto &b) { return a.cpu > b.cpu; });
		std::stable_sort(ctxs.begin(), ctxs.end(),
				 [](const auto &a, const auto &b) { return a.cpu > b.cpu; });
		break;
	case TopSort::mem:
		std::stable_sort(tasks.begin(), tasks.end(),
				 [](const auto &a, const auto &b) { return a.rss > b.rss; });
		std::stable_sort(ctxs.begin(), ctxs.end(),
				 [](const auto &a, const auto &b) { return a.rss > b.rss; });
		break;
	case TopSort::ctx:
		std::stable_sort(tasks.begin(), tasks.end(), [](const auto &a, const auto &b) {
			return a.xid != b.xid ? a.xid < b.xid : a.cpu > b.cpu;
		});
		break;
	case TopSort::pid:
		break;
	}
	return view;
}

std::string top_display_name(xid_t xid, std::string_view name)
{
	ContextStat stat;
	stat.xid = xid;
	stat.name = name;
	return stat_display_name(stat);
}

namespace {

constexpr std::size_t max_name = 20;

std::string plural(std::size_t n, std::string_view word)
{
	return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

} // namespace

std::string format_top(const TopView &view, std::optional<std::size_t> max_tasks)
{
	std::map<xid_t, std::string> names;
	std::size_t width = 4;	// "NAME"
	double total = 0;
	for (const auto &c : view.contexts) {
		auto name = top_display_name(c.xid, c.name).substr(0, max_name);
		width = std::max(width, name.size());
		names.emplace(c.xid, std::move(name));
	}
	for (const auto &t : view.tasks)
		total += t.cpu;
	auto name_of = [&](xid_t xid) {
		auto it = names.find(xid);
		return it != names.end() ? it->second : top_display_name(xid, "").substr(0, max_name);
	};

	auto uptime_ms = view.uptime > 0 ? static_cast<std::uint64_t>(view.uptime * 1000) : 0;
	std::string out = fmt::format("vtop - up {}, {}, {}, {:.1f}% CPU\n\n",
				      format_duration(uptime_ms),
				      plural(view.contexts.size(), "context"),
				      plural(view.tasks.size(), "task"), total);

	out += fmt::format("{:<5} {:<{}} {:>5} {:>5} {:>6}\n", "CTX", "NAME", width, "TASKS", "%CPU",
			   "RSS");
	for (const auto &c : view.contexts)
		out += fmt::format("{:<5} {:<{}} {:>5} {:>5.1f} {:>6}\n", c.xid, name_of(c.xid), width,
				   c.tasks, c.cpu, format_memory(c.rss));

	out += fmt::format("\n{:>7} {:<5} {:<{}} {:>5} {:>6} COMMAND\n", "PID", "CTX", "NAME", width,
			   "%CPU", "RSS");
	std::size_t rows = std::min(view.tasks.size(), max_tasks.value_or(view.tasks.size()));
	for (std::size_t i = 0; i < rows; i++) {
		const auto &t = view.tasks[i];
		out += fmt::format("{:>7} {:<5} {:<{}} {:>5.1f} {:>6}{}{}\n", t.pid, t.xid,
				   name_of(t.xid), width, t.cpu, format_memory(t.rss),
				   t.command.empty() ? "" : " ", t.command);
	}
	return out;
}

std::string format_top_json(const TopView &view)
{
	using json = nlohmann::ordered_json;
	auto tenths = [](double cpu) { return std::round(cpu * 10) / 10; };

	auto contexts = json::array();
	for (const auto &c : view.contexts) {
		bool none = c.xid > VX_WATCH_XID && c.name.empty();
		contexts.push_back({
			{"xid", c.xid},
			{"name", none ? json(nullptr) : json(top_display_name(c.xid, c.name))},
			{"tasks", c.tasks},
			{"cpu", tenths(c.cpu)},
			{"rss", c.rss},
		});
	}
	auto tasks = json::array();
	for (const auto &t : view.tasks)
		tasks.push_back({
			{"pid", t.pid},
			{"xid", t.xid},
			{"cpu", tenths(t.cpu)},
			{"rss", t.rss},
			{"command", t.command},
		});
	json out = {{"uptime", std::round(view.uptime * 100) / 100},
		    {"contexts", std::move(contexts)},
		    {"tasks", std::move(tasks)}};
	return out.dump() + "\n";
}

} // namespace vserver
