// vlimit - show or set the limits of a security context.
#include "tool.hpp"

#include <vserver/cmdline.hpp>
#include <vserver/limits.hpp>
#include <vserver/xid.hpp>

#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the kernel refused, or no device

constexpr const char *footer = R"txt(RESOURCEs: cpu fsize data stack core rss nproc nofile memlock as locks
msgqueue nsock openfd anon shmem semary nsems dentry (--NR: the number of
one).  The kernel limits some of them (vlimit -a lists those); memory
counts in pages.  VALUE is a decimal number or 'inf'.  -M, -S and -H say
which limit the next --RESOURCE sets: minimum, soft or hard (the default),
one or more of them.  --dir sets each limit that the files DIR/RESOURCE
(all three limits) and DIR/RESOURCE.min, .soft, .hard give, for the
resources not set on the command line.  Everything is checked first
(names, values, soft not above hard, what the kernel can limit); then the
limits are set, then -a prints every limit the kernel has: name, minimum,
soft and hard limit, in hexadecimal (-d: decimal), "N/A" where there is
none.  XID is a number, 'self' or a vserver name; the default is the
caller's context.  Then PROG is executed, if given.

Exit status: that of PROG; 0 without PROG; 1 if the kernel refused; 2 for
a usage error (bad option, XID, RESOURCE or VALUE, a bad file in DIR, a
soft limit above the hard one, a limit the kernel cannot set; nothing was
changed); 255 if PROG could not be executed.)txt";

// The limits on the command line, in order: -M, -S and -H apply to the
// --RESOURCE that follows them.
struct LimitOptions {
	const CLI::Option *minimum = nullptr, *soft = nullptr, *hard = nullptr;
	std::map<const CLI::Option *, std::uint32_t> resources;

	vserver::LimitChanges changes(const CLI::App &app) const
	{
		vserver::LimitChanges changes;
		std::map<const CLI::Option *, std::size_t> used;
		unsigned fields = 0;

		for (const CLI::Option *opt : app.parse_order()) {
			if (opt == minimum)
				fields |= vserver::limit_minimum;
			else if (opt == soft)
				fields |= vserver::limit_soft;
			else if (opt == hard)
				fields |= vserver::limit_hard;
			else if (auto r = resources.find(opt); r != resources.end()) {
				const auto &text = opt->results().at(used[opt]++);
				vserver::set_limit(changes, r->second,
						   fields ? fields : vserver::limit_hard,
						   vserver::parse_limit_value(text));
				fields = 0;
			}
		}
		if (fields)
			throw std::invalid_argument("-M, -S and -H go before a --RESOURCE VALUE");
		return changes;
	}
};

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Show or set the limits of a security context.", "vlimit"};
	std::string xid_text = "self", dir;
	bool all = false, numbers = false, decimal = false, missing_ok = false;
	LimitOptions limits;

	tool::describe(app, "vlimit [--xid|-c XID] [-n] [-d] [-a|--all] "
			    "[[-M|-S|-H]... --RESOURCE VALUE]... [--dir DIR [--missingok]] "
			    "[--] [PROG ARGS...]", footer);
	app.add_option("-c,--xid", xid_text, "Context: number, 'self' or vserver name")
		->type_name("XID");
	app.add_flag("-a,--all", all, "Print every limit the kernel has");
	app.add_flag("-n", numbers, "With -a: resource numbers, not names");
	app.add_flag("-d", decimal, "With -a: values in decimal, not hexadecimal");
	limits.minimum = app.add_flag("-M")->description("The next --RESOURCE sets the minimum");
	limits.soft = app.add_flag("-S")->description("The next --RESOURCE sets the soft limit");
	limits.hard = app.add_flag("-H")
		->description("The next --RESOURCE sets the hard limit (the default)");
	app.add_option("--dir", dir, "Set limits from the files in DIR")->type_name("DIR");
	app.add_flag("--missingok", missing_ok, "A missing DIR is no error");
	auto add_resource = [&](const std::string &name, std::uint32_t resource,
				const std::string &group) {
		// no variable: LimitOptions reads the texts in order
		auto *opt = app.add_option("--" + name)->description("Set a limit of " + name)
			->type_name("VALUE")->allow_extra_args(false)
			->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)->group(group);
		limits.resources[opt] = resource;
	};
	for (const auto &n : vserver::limit_names())
		add_resource(std::string(n.name), n.resource, "Resources");
	for (std::uint32_t nr = 0; nr < 32; nr++)	// --NR, util-vserver's
		add_resource(std::to_string(nr), nr, "");
	app.prefix_command();	// stop at PROG; its arguments are its own
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	bool have_dir = app.count("--dir") > 0;
	vserver::LimitChanges changes;
	std::vector<std::string> command;
	vserver::xid_t xid;
	try {
		if (missing_ok && !have_dir)
			throw std::invalid_argument("--missingok needs --dir");
		changes = limits.changes(app);
		if (have_dir)
			vserver::add_limits_from_dir(changes, vserver::read_limits_dir(dir, missing_ok));
		vserver::check_limits(changes);
		auto rest = app.remaining();
		if (!rest.empty() && rest.front().starts_with("--") && rest.front() != "--")
			throw std::invalid_argument(fmt::format(
				"unknown option or resource '{}'", rest.front()));
		command = vserver::take_optional_command(std::move(rest));
		if (changes.empty() && !have_dir && !all && command.empty())
			throw std::invalid_argument("nothing to do: say --RESOURCE VALUE, --dir, "
						    "-a or PROG");
		xid = vserver::resolve_xid(xid_text, vserver::current_xid);
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vlimit", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vlimit: {}\n", e.what());
		return exit_failure;
	}

	if (!changes.empty() || all) {
		try {
			vserver::DeviceTransport device;
			vserver::Client client(device);
			auto mask = client.get_rlimit_mask();

			try {
				vserver::fit_limits_to_mask(changes, mask);
			} catch (const std::invalid_argument &e) {
				return tool::usage_error("vlimit", e.what());
			}
			vserver::apply_limits(client, xid, changes);
			if (all) {
				fmt::print("{}", vserver::limits_table(client, xid, mask, numbers,
								       decimal));
				std::fflush(stdout);
			}
		} catch (const std::system_error &e) {
			fmt::print(stderr, "vlimit: {}\n", e.what());
			return exit_failure;
		}
	}

	if (command.empty())
		return 0;
	return tool::exec_prog("vlimit", std::move(command));
}
