// vserver-stat - list the running security contexts.
#include "tool.hpp"

#include <vserver/stat.hpp>
#include <vserver/transport.hpp>

#include <algorithm>
#include <optional>
#include <system_error>

namespace {

constexpr int exit_failure = 1;

constexpr const char *footer = R"(One row per context in /proc/virtual, and one for the host (0): its
processes, their summed virtual and resident memory, user and system CPU
time, the time since its oldest process started, and its name.

Exit status: 0; 1 if /proc or /dev/vserver could not be read; 2 for a
usage error.)";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"List the running security contexts.", "vserver-stat"};
	bool json = false;

	tool::describe(app, "vserver-stat [--json]", footer);
	app.add_flag("--json", json, "Print a JSON array instead of the table");
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	try {
		auto stats = vserver::collect_context_stats(vserver::default_proc,
							    vserver::system_proc_units());

		// Names need the device; the host alone does not.
		if (std::any_of(stats.begin(), stats.end(),
				[](const auto &s) { return s.xid >= VX_MIN_S_CONTEXT; })) {
			vserver::DeviceTransport device;
			vserver::Client client(device);
			for (auto &s : stats)
				s.name = vserver::context_name(client, s.xid);
		}
		fmt::print("{}", json ? vserver::format_stat_json(stats) :
					vserver::format_stat_table(stats));
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vserver-stat: {}\n", e.what());
		return exit_failure;
	}
	return 0;
}
