// vuname - show or set the name of a security context and the names uname
// shows inside it.
#include "tool.hpp"

#include <vserver/cmdline.hpp>
#include <vserver/uname.hpp>
#include <vserver/xid.hpp>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the kernel refused, or no device

constexpr const char *footer = R"txt(TAGs: context sysname nodename release version machine domainname (in
any case; a beginning is enough).  'context' is the context's name, the
others are the names of its UTS namespace, what uname shows inside.
--get (the default) prints the values of the TAGs given, or of all seven,
on one line separated by blanks ("???" for one the kernel refused).
--set sets each -t TAG=VALUE (at most 64 bytes; later ones win); --dir
sets each TAG from the first line of the file DIR/TAG, if there is one,
and -t values win over them.  The UTS names are set first, the context's
name last.  XID is a number, 'self' or a vserver name; the default is the
caller's context.  After setting, PROG is executed, if given.

Exit status: that of PROG; 0 without PROG; 1 if the kernel refused; 2 for
a usage error (bad option, XID, TAG or value, DIR missing or unreadable;
nothing was changed); 255 if PROG could not be executed.)txt";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Show or set the name and the uname names of a security context.",
		     "vuname"};
	std::string xid_text = "self", dir;
	std::vector<std::string> assignments;
	bool get = false, set = false, missing_ok = false;

	tool::describe(app, "vuname [--xid XID] [--get|-g] [--] [TAG...]\n"
			    "       vuname [--xid XID] --set|-s -t TAG=VALUE [-t TAG=VALUE]... "
			    "[--] [PROG ARGS...]\n"
			    "       vuname [--xid XID] [--set|-s] --dir DIR [--missingok] "
			    "[-t TAG=VALUE]... [--] [PROG ARGS...]", footer);
	app.add_option("--xid", xid_text, "Context: number, 'self' or vserver name")
		->type_name("XID");
	app.add_flag("-g,--get", get, "Print the values of TAGs (the default)");
	app.add_flag("-s,--set", set, "Set the values given with -t");
	app.add_option("-t", assignments, "Set TAG to VALUE (with --set)")
		->type_name("TAG=VALUE")->allow_extra_args(false);
	app.add_option("--dir", dir, "Set each TAG from the file DIR/TAG")->type_name("DIR");
	app.add_flag("--missingok", missing_ok, "A missing DIR is no error");
	app.prefix_command();	// stop at the first TAG or PROG
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	bool have_dir = app.count("--dir") > 0;
	std::vector<std::string> rest;
	std::vector<std::uint32_t> fields;
	vserver::UtsChange change;
	vserver::xid_t xid;
	try {
		if (get && (set || have_dir))
			throw std::invalid_argument("say either --get or --set/--dir");
		if (!set && !have_dir && !assignments.empty())
			throw std::invalid_argument("-t needs --set");
		if (missing_ok && !have_dir)
			throw std::invalid_argument("--missingok needs --dir");
		set = set || have_dir;
		if (set && assignments.empty() && !have_dir)
			throw std::invalid_argument("--set needs -t TAG=VALUE or --dir");
		rest = vserver::take_optional_command(app.remaining());
		if (set) {
			if (have_dir)
				change = vserver::read_uts_dir(dir, missing_ok);
			vserver::UtsChange given;
			for (const auto &a : assignments)
				given.assign(a);
			change.merge(given);
		} else {
			fields = vserver::parse_uts_tags(rest);
		}
		xid = vserver::resolve_xid(xid_text, vserver::current_xid);
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vuname", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vuname: {}\n", e.what());
		return exit_failure;
	}

	// --dir with --missingok and no DIR: nothing to set, no device needed
	if (!set || !change.empty()) {
		try {
			vserver::DeviceTransport device;
			vserver::Client client(device);

			if (!set) {
				auto values = vserver::get_uts_values(client, xid, fields);
				fmt::print("{}", vserver::uts_line(values));
				std::fflush(stdout);
				for (const auto &error : values.errors)
					fmt::print(stderr, "vuname: {}\n", error);
				return values.errors.empty() ? 0 : exit_failure;
			}
			vserver::apply_uts_change(client, xid, change);
		} catch (const std::system_error &e) {
			fmt::print(stderr, "vuname: {}\n", e.what());
			return exit_failure;
		}
	}

	if (rest.empty())
		return 0;
	return tool::exec_prog("vuname", std::move(rest));
}
