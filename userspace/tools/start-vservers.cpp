// start-vservers - start the guests of a mark at boot, stop them at
// shutdown (util-vserver's, for its vservers-default init script).
#include "tool.hpp"

#include <vserver/guest.hpp>
#include <vserver/marked.hpp>
#include <vserver/vconfig.hpp>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr int exit_failure = 1;

constexpr const char *footer = R"(Starts every guest of DIR (default $VSERVER_CONFDIR or /etc/vservers)
whose apps/init/mark has the line MARK (default 'default'), each after
the guests its apps/init/depends names (one per line; they are started
too, marked or not); --stop stops them in the reverse order.  Each guest
is started with 'vserver --confdir DIR NAME start' (stopped with
'... stop'), the vserver next to this program or else in PATH.  A
dependency that is no guest, or guests that depend on each other in a
cycle: said, nothing is started or stopped.  A guest that fails to
start is said and the others go on, but not those that depend on it.

Exit status: 0; 1 if a guest failed (or was left out), or the
dependencies are wrong; 2 for a usage error.)";

// The vserver tool: beside this program, else found through PATH.
std::string vserver_program()
{
	std::error_code ec;
	auto self = fs::read_symlink("/proc/self/exe", ec);
	if (!ec) {
		auto beside = self.parent_path() / "vserver";
		if (::access(beside.c_str(), X_OK) == 0)
			return beside.string();
	}
	return "vserver";
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Start or stop the guests of a mark, in the order of their dependencies.",
		     "start-vservers"};
	std::string confdir, mark = "default";
	bool start = false, stop = false, test = false;

	tool::describe(app, "start-vservers [-c DIR] [-m MARK] [--test] --start|--stop", footer);
	app.add_option("-c,--confdir", confdir, "The guests' configurations")->type_name("DIR");
	app.add_option("-m,--mark", mark, "The mark (apps/init/mark) of the guests")
		->type_name("MARK");
	auto *start_flag = app.add_flag("--start", start, "Start them, dependencies first");
	auto *stop_flag = app.add_flag("--stop", stop, "Stop them, in the reverse order");
	start_flag->excludes(stop_flag);
	app.add_flag("--test", test, "Only say what would be run");
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;
	if (!start && !stop)
		return tool::usage_error("start-vservers", "say --start or --stop");

	fs::path dir = confdir.empty() ? vserver::vserver_confdir() : fs::path(confdir);
	const char *verb = start ? "start" : "stop";
	vserver::StartPlan plan;
	try {
		plan = vserver::start_plan(dir, vserver::marked_guests(dir, mark));
	} catch (const std::exception &e) {
		std::string_view what = e.what();
		for (std::size_t nl; (nl = what.find('\n')) != what.npos; what.remove_prefix(nl + 1))
			fmt::print(stderr, "start-vservers: {}\n", what.substr(0, nl));
		fmt::print(stderr, "start-vservers: {}\nstart-vservers: nothing was {}\n", what,
			   start ? "started" : "stopped");
		return exit_failure;
	}

	auto program = vserver_program();
	auto failed = vserver::run_plan(
		plan, verb,
		[&](const std::string &name, std::string_view v) -> std::string {
			std::vector<std::string> argv{program, "--confdir", dir.string(), name,
						      std::string(v)};
			if (test) {
				std::string line;
				for (const auto &a : argv)
					line += (line.empty() ? "" : " ") + a;
				fmt::print("{}\n", line);
				std::fflush(stdout);
				return {};
			}
			try {
				vserver::run_program(argv);
			} catch (const std::exception &e) {
				return e.what();
			}
			return {};
		},
		[](std::string_view line) { fmt::print(stderr, "start-vservers: {}\n", line); });
	return failed.empty() ? 0 : exit_failure;
}
