// vps - ps for all contexts, with a context column.
#include "tool.hpp"

#include <vserver/process.hpp>
#include <vserver/vps.hpp>

#include <cstdio>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;

constexpr const char *footer = R"(Runs ps with PS-ARGS as the spectator (context 1), which sees the tasks
of every context, and inserts after the PID column the xid of each task
and its context's name ("MAIN" for the host, "ALL_PROC" for the
spectator, "-" without a name; "ERR" when the task is gone).

Exit status: that of ps; 1 if vps itself failed (no /dev/vserver, not
allowed to become the spectator, no ps).)";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Show processes of all contexts with their context.", "vps"};

	tool::describe(app, "vps [PS-ARGS...]", footer);
	app.prefix_command();	// everything else is ps's
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	std::vector<std::string> ps{"ps"};
	for (const auto &arg : app.remaining())
		ps.push_back(arg);
	if (ps.size() > 1 && ps[1] == "--")
		ps.erase(ps.begin() + 1);

	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);

		client.ctx_migrate(VX_WATCH_XID);
		// The rows are looked up while ps is still writing the next ones.
		vserver::ContextColumn column(vserver::client_context_lookup(client));
		auto result = vserver::run_streamed(
			ps, [&](std::string_view piece) { column.feed(piece); },
			[&] { return column.finish(); });
		std::fwrite(result.output.data(), 1, result.output.size(), stdout);
		std::fflush(stdout);
		return vserver::shell_status(result.status);
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vps: {}\n", e.what());
		return exit_failure;
	}
}
