// vhashify's command line, shared by vhashify and 'vserver NAME hashify'.
#pragma once

#include "tool.hpp"

#include <vserver/files.hpp>
#include <vserver/hashify.hpp>
#include <vserver/transport.hpp>
#include <vserver/vconfig.hpp>
#include <vserver/xid.hpp>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace tool {

inline constexpr const char *vhashify_footer = R"txt(Unifies the files of the guest NAME (of DIR, default $VSERVER_CONFDIR
or /etc/vservers) with those of other guests: a regular file that is
not empty, not excluded and not hard-linked elsewhere is hashed
(SHA-256); identical files of the same size, mode and owner become one
inode, kept in the hash directory as
HASHDIR/ab/cdef...-SIZE-MODE-UID-GID and hard-linked into every guest
that has it, immutable but unlinkable (setattr --iunlink) and of tag 0.
A guest that writes such a file gets a copy of its own; removing it
removes only its own name.  The hash directory: DIR/NAME/apps/vunify/hash,
else the first entry of DIR/.defaults/apps/vunify/hash/ on the guest's
filesystem, else .hash beside the guest's root (made, mode 0700).  It
must be on the guest's filesystem.  The exclude list:
DIR/NAME/apps/vunify/exclude, else DIR/.defaults/apps/vunify/exclude,
else a built-in list for Debian (/etc/, /var/log/, /var/lib/dpkg/, ...);
one path or glob a line, '+' re-includes, the first line that matches
decides (vhashify(8)).  With --manually, the files below PATH are
unified with the existing directory HASHDIR, excluding what the file
EXCLUDELIST says (/dev/null: nothing).

-v prints one line per file: unified (now a link to the hash directory),
stored (now in the hash directory), already, skipped (why) or failed.
At the end a summary: files seen, unified now, already unified, skipped,
bytes saved.

Exit status: 0; 1 when something must be fixed first (nothing was
changed: a hash directory on another filesystem, a bad exclude list,
...) or a file failed (the others were done); 2 for a usage error; 5 if
there is no such guest.)txt";

inline int vhashify_main(int argc, char **argv, const std::string &name = "vhashify")
{
	constexpr int exit_failure = 1;
	constexpr int exit_no_guest = 5;

	CLI::App app{"Unify identical files of guests through a hash directory.", name};
	vserver::HashifyOptions options;
	bool verbose = false, manually = false;
	std::string confdir;
	std::vector<std::string> args;

	describe(app, "vhashify [-nv] [--refresh] [--confdir DIR] NAME\n"
		      "   or: vhashify --manually [-nv] [--refresh] HASHDIR PATH EXCLUDELIST",
		 vhashify_footer);
	app.add_flag("-n,--dry-run", options.dry_run, "Change nothing; say what would be done");
	app.add_flag("-v,--verbose", verbose, "One line per file");
	app.add_flag("--refresh", options.refresh, "Hash files that are unified already too");
	app.add_flag("--manually", manually, "Unify PATH with HASHDIR, excluding EXCLUDELIST");
	app.add_option("--confdir", confdir,
		       "The guests' configurations (default $VSERVER_CONFDIR or /etc/vservers)")
		->type_name("DIR");
	app.add_option("ARGS", args, "NAME, or with --manually HASHDIR PATH EXCLUDELIST")
		->type_name("");
	if (int rc = parse(app, argc, argv); rc >= 0)
		return rc;
	if (manually && args.size() != 3)
		return usage_error(name, "--manually takes HASHDIR PATH EXCLUDELIST");
	if (manually && !confdir.empty())
		return usage_error(name, "--confdir is for NAME, not --manually");
	if (!manually && args.size() != 1)
		return usage_error(name, args.empty() ? "no NAME given" : "give one NAME (or --manually)");
	if (!manually && !vserver::is_vserver_name(args[0]))
		return usage_error(name, fmt::format("'{}' is not a vserver name", args[0]));

	auto print_error = [&](std::string_view msg) {
		std::fflush(stdout);
		for (std::size_t nl; (nl = msg.find('\n')) != std::string_view::npos;
		     msg.remove_prefix(nl + 1))
			fmt::print(stderr, "{}: {}\n", name, msg.substr(0, nl));
		fmt::print(stderr, "{}: {}\n", name, msg);
	};

	vserver::HashifyTarget target;
	try {
		if (manually) {
			target.hashdir = args[0];
			target.root = args[1];
			target.excludes = vserver::UnifyExcludes::parse(vserver::read_file(args[2]),
									args[2]);
		} else {
			auto dir = confdir.empty() ? vserver::vserver_confdir()
						   : std::filesystem::path(confdir);
			if (!std::filesystem::is_directory(dir / args[0])) {
				print_error(fmt::format("{}: no such guest ({} is not a directory)",
							args[0], (dir / args[0]).string()));
				return exit_no_guest;
			}
			target = vserver::guest_hashify_target(dir, args[0]);
		}
	} catch (const std::exception &e) {
		print_error(e.what());
		return exit_failure;
	}

	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);
		auto stats = vserver::hashify(
			client, target, options,
			[&](vserver::HashifyOutcome o, const std::string &path,
			    const std::string &detail) {
				using vserver::HashifyOutcome;
				if (o == HashifyOutcome::failed) {
					print_error(detail);
					return;
				}
				if (o == HashifyOutcome::differs) {
					print_error(fmt::format("warning: {} {}", path, detail));
					return;
				}
				if (!verbose)
					return;
				if (o == HashifyOutcome::skipped)
					fmt::print("{:<8} {} ({})\n", vserver::outcome_word(o), path,
						   detail);
				else
					fmt::print("{:<8} {}\n", vserver::outcome_word(o), path);
			});
		fmt::print("{}", vserver::hashify_summary(stats, options.dry_run));
		std::fflush(stdout);
		return stats.failed ? exit_failure : 0;
	} catch (const std::exception &e) {
		print_error(e.what());
	}
	return exit_failure;
}

} // namespace tool
