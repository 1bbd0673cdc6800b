// vtop - top across contexts, with a context column.
#include "tool.hpp"

#include <vserver/top.hpp>
#include <vserver/transport.hpp>
#include <vserver/xid.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <sys/ioctl.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

constexpr int exit_failure = 1;

constexpr const char *footer = R"(Becomes the spectator (context 1), which sees the tasks of every context,
and every SECONDS shows: a header line (uptime, contexts, tasks, summed
%CPU), one row per context with tasks (CTX NAME TASKS %CPU RSS), then one
row per task (PID CTX NAME %CPU RSS COMMAND).  %CPU is the user and system
time since the last sample, in percent of one CPU.  --xid (repeatable)
keeps only the tasks of those contexts; XID is a number, 'self' or the
name of a vserver in /etc/vservers.  --sort cpu and mem sort descending,
ctx by context then %CPU, pid ascending; the default is cpu.

Batch mode (-b, or stdout no terminal) does not clear the screen and
stops after one iteration unless -n says otherwise; on a terminal vtop
runs until interrupted and shows as many tasks as fit.

Exit status: 0; 1 if /dev/vserver or /proc could not be used or becoming
the spectator was refused; 2 for a usage error.)";

// Rows of the terminal on stdout, if it is one.
std::optional<std::size_t> terminal_rows()
{
	winsize ws{};
	if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0)
		return std::nullopt;
	return ws.ws_row;
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Show the busiest tasks of all contexts, by context.", "vtop"};
	std::vector<std::string> xid_texts;
	std::string sort_text = "cpu";
	unsigned iterations = 0;
	double delay = 1.0;
	bool batch = false, json = false;

	tool::describe(app,
		       "vtop [--xid XID]... [--sort cpu|mem|ctx|pid] [-n ITERATIONS] [-d SECONDS] "
		       "[-b] [--json]",
		       footer);
	app.add_option("-c,--xid", xid_texts, "Show only this context (repeatable)")
		->type_name("XID");
	app.add_option("--sort", sort_text, "Sort by cpu, mem, ctx or pid (default cpu)")
		->type_name("KEY");
	app.add_option("-n", iterations, "Stop after N frames (default: 1 in batch mode)")
		->type_name("ITERATIONS");
	app.add_option("-d", delay, "Seconds between frames (default 1)")->type_name("SECONDS");
	app.add_flag("-b", batch, "Batch mode: no screen clearing");
	app.add_flag("--json", json, "Print one JSON object per frame, one per line");
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	if (app.count("-n") && iterations == 0)
		return tool::usage_error("vtop", "-n must be at least 1");
	if (!std::isfinite(delay) || delay <= 0 || delay > 86400)
		return tool::usage_error("vtop", "-d must be more than 0 and at most 86400 seconds");
	vserver::TopSort key;
	try {
		key = vserver::parse_top_sort(sort_text);
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vtop", e.what());
	}
	if (!::isatty(STDOUT_FILENO))
		batch = true;
	if (!app.count("-n") && batch)
		iterations = 1;

	std::vector<vserver::xid_t> xids;
	try {
		for (const auto &text : xid_texts)
			xids.push_back(vserver::resolve_xid(text, vserver::current_xid));
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vtop", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vtop: {}\n", e.what());
		return exit_failure;
	}

	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);
		auto units = vserver::system_proc_units();

		client.ctx_migrate(VX_WATCH_XID);
		auto before = vserver::take_top_sample();
		for (unsigned n = 0; iterations == 0 || n < iterations; n++) {
			std::this_thread::sleep_for(std::chrono::duration<double>(delay));
			auto after = vserver::take_top_sample();
			auto view = vserver::compute_top(before, after, units, xids, key);
			for (auto &c : view.contexts)
				c.name = vserver::context_name(client, c.xid);

			std::string frame;
			if (json) {
				frame = vserver::format_top_json(view);
			} else if (batch) {
				frame = vserver::format_top(view);
			} else {
				// Header, blank, contexts, blank, task header; one row to spare.
				auto rows = terminal_rows();
				std::size_t used = 6 + view.contexts.size();
				std::optional<std::size_t> max_tasks;
				if (rows)
					max_tasks = *rows > used ? *rows - used : 0;
				frame = "\033[H\033[2J" + vserver::format_top(view, max_tasks);
			}
			if (batch && !json && n > 0)
				frame.insert(0, "\n");
			std::fwrite(frame.data(), 1, frame.size(), stdout);
			std::fflush(stdout);
			before = std::move(after);
		}
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vtop: {}\n", e.what());
		return exit_failure;
	}
	return 0;
}
