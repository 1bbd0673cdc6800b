// vsched - show or set the CPU token bucket of a security context.
#include "tool.hpp"

#include <vserver/cmdline.hpp>
#include <vserver/sched.hpp>
#include <vserver/xid.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the kernel refused, or no device

constexpr const char *footer = R"txt(A context runs FILL-RATE ticks of CPU time every INTERVAL ticks (1 tick =
1 ms; milliseconds anyway with --msec); its bucket holds at most
TOKENS-MAX, and once it ran dry the context waits until TOKENS-MIN have
come back.  The kernel applies this as CPU bandwidth of the context's
cgroup while the context has the flag sched_hard (vattribute --flag).
Only the settings given change.  Underscores may stand for the dashes
(--tokens_min), --priority-bias for --prio-bias.  --dir sets each setting
that has a file DIR/SETTING (first line: the value; a file idle-time sets
--idle-time); the command line wins over it.  Everything is checked
first: values are integers, fill rates and tokens at least 0, intervals
at least 1, the bias from -20 to 20, --cpu-id and --bucket-id 0 or -1
(there is one bucket per context).  --get prints the settings and the
CPU time used (sched_info) as NAME=VALUE lines, after any change.  XID is
a number, 'self' or a vserver name; the default is the caller's context.
Then PROG is executed, if given.

Exit status: that of PROG; 0 without PROG; 1 if the kernel refused; 2 for
a usage error (bad option, XID or value, a bad file in DIR; nothing was
changed); 255 if PROG could not be executed.)txt";

// The option names of a setting: util-vserver's, with '_' for '-' too.
std::string option_names(std::string_view setting)
{
	std::string dashes = "--" + std::string(setting);
	std::string underscores = dashes.substr(0, 2) + std::string(setting);
	std::replace(underscores.begin() + 2, underscores.end(), '-', '_');
	std::string names = dashes;
	if (underscores != dashes)
		names += "," + underscores;
	if (setting == "prio-bias")
		names += ",--priority-bias,--priority_bias";
	return names;
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Show or set the CPU token bucket of a security context.", "vsched"};
	std::string xid_text = "self", dir;
	bool get = false, idle_time = false, force = false, msec = false, missing_ok = false;
	std::map<std::string_view, std::string> texts;	// setting -> its value

	tool::describe(app, "vsched [--xid XID] [--fill-rate N] [--interval N] [--tokens N] "
			    "[--tokens-min N] [--tokens-max N] [--prio-bias N] [--fill-rate2 N] "
			    "[--interval2 N] [--cpu-id N] [--bucket-id N] [--idle-time] [--force] "
			    "[--msec] [--dir DIR [--missingok]] [--get] [--] [PROG ARGS...]", footer);
	app.add_option("--xid,--ctx", xid_text, "Context: number, 'self' or vserver name")
		->type_name("XID");
	for (const auto &s : vserver::sched_settings())
		app.add_option(option_names(s.name), texts[s.name], std::string(s.what))
			->type_name("N")->allow_extra_args(false)
			->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
	app.add_flag("--idle-time,--idle_time", idle_time, "Set the idle-time flag");
	app.add_flag("--force", force, "Apply the settings at once");
	app.add_flag("--msec", msec, "Intervals are in milliseconds");
	app.add_option("--dir", dir, "Set what the files in DIR say")->type_name("DIR");
	app.add_flag("--missingok", missing_ok, "A missing DIR is no error");
	app.add_flag("--get", get, "Print the settings and the CPU time used");
	app.add_option("--cpu_mask,--cpu-mask")->description("Deprecated, no effect")
		->group("")->allow_extra_args(false)
		->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
	app.prefix_command();	// stop at PROG; its arguments are its own
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	bool have_dir = app.count("--dir") > 0;
	vserver::SchedChange change;
	std::vector<std::string> command;
	vserver::xid_t xid;
	try {
		if (missing_ok && !have_dir)
			throw std::invalid_argument("--missingok needs --dir");
		if (app.count("--cpu_mask"))
			fmt::print(stderr, "vsched: --cpu_mask is deprecated and has no effect\n");
		vserver::SchedChange given;
		for (const auto &s : vserver::sched_settings())
			if (app.count("--" + std::string(s.name)))
				given.set(s, vserver::parse_sched_value(s, texts[s.name]));
		if (idle_time)
			given.set_flag(VXSM_IDLE_TIME);
		if (force)
			given.set_flag(VXSM_FORCE);
		if (msec)
			given.set_flag(VXSM_MSEC);
		if (have_dir)
			change = vserver::read_sched_dir(dir, missing_ok);
		change.merge(given);
		command = vserver::take_optional_command(app.remaining());
		if (change.empty() && !have_dir && !get && command.empty())
			throw std::invalid_argument("nothing to do: say a setting, --dir, --get "
						    "or PROG");
		xid = vserver::resolve_xid(xid_text, vserver::current_xid);
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vsched", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vsched: {}\n", e.what());
		return exit_failure;
	}

	if (!change.empty() || get) {
		try {
			vserver::DeviceTransport device;
			vserver::Client client(device);

			// the fields left alone carry the current values, not zeros
			// the kernel might check
			if (!change.empty())
				client.set_sched(xid, change.apply_to(client.get_sched(xid)));
			if (get) {
				auto sched = client.get_sched(xid);
				fmt::print("{}", vserver::sched_lines(sched, client.sched_info(xid)));
				std::fflush(stdout);
			}
		} catch (const std::system_error &e) {
			fmt::print(stderr, "vsched: {}\n", e.what());
			return exit_failure;
		}
	}

	if (command.empty())
		return 0;
	return tool::exec_prog("vsched", std::move(command));
}
