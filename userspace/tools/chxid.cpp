// chxid - give files a context: their tag (the ext4 project id).
#include "tool.hpp"

#include <vserver/client.hpp>
#include <vserver/iattr.hpp>
#include <vserver/tags.hpp>
#include <vserver/vconfig.hpp>
#include <vserver/xid.hpp>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// a file could not be tagged, or no device

constexpr const char *footer = R"txt(CTX is a number, 0..65535, or the name of a vserver (its context file
says the number).  Each FILE gets CTX as its tag, the context the kernel
counts it to (its disk limits) and lets write it; -R also every file
below a directory FILE, dot files included, without following symbolic
links; -x keeps -R on the filesystem of FILE; -U leaves unified files
(immutable and ixunlink, vhashify's) alone.  Only filesystems that keep
tags have them: ext4 with the project feature.  There regular files and
directories have a tag; symbolic links, devices, FIFOs and sockets do
not and are passed over below a directory.

Every FILE is checked first: one that is missing, on a filesystem that
keeps no tags, or no regular file or directory is an error, and then no
file is changed.

Exit status: 0 when every file was tagged; 1 when a FILE cannot be
tagged (nothing was changed), the kernel refused a file (the message
names it; the others were still tagged) or /dev/vserver could not be
opened; 2 for a usage error (bad option or CTX, no FILE; nothing was
changed).)txt";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Give files a context (their tag).", "chxid"};
	std::string ctx_text;
	std::vector<std::string> files;
	bool recurse = false, one_fs = false, skip_unified = false;

	tool::describe(app, "chxid -c CTX [-RUx] [--] FILE...", footer);
	app.add_option("-c", ctx_text, "The context: number or vserver name")
		->type_name("CTX")->required();
	app.add_flag("-R", recurse, "Recurse: also the files below each directory");
	app.add_flag("-U", skip_unified, "Leave unified files alone");
	app.add_flag("-x", one_fs, "With -R, do not cross filesystems");
	app.add_option("FILE", files, "Files to tag")->type_name("")->required();
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	std::uint32_t tag;
	try {
		tag = vserver::resolve_xid(ctx_text, vserver::current_xid,
					   vserver::vserver_confdir());
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("chxid", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "chxid: {}\n", e.what());
		return exit_failure;
	}

	std::size_t failures = 0;
	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);

		std::vector<std::string> problems;
		for (const auto &file : files)
			if (auto why = vserver::why_untaggable(client, file); !why.empty())
				problems.push_back(std::move(why));
		if (!problems.empty()) {
			for (const auto &p : problems)
				fmt::print(stderr, "chxid: {}\n", p);
			fmt::print(stderr, "chxid: no file was changed\n");
			return exit_failure;
		}

		vserver::WalkOptions options;
		options.recurse = recurse;
		options.list_dirs = recurse;
		options.dot_files = true;
		options.one_file_system = one_fs;
		for (const auto &file : files) {
			failures += vserver::walk(
				file, options,
				[&](const vserver::WalkEntry &entry) {
					try {
						vserver::tag_file(client, entry.path, tag, skip_unified);
						return true;
					} catch (const std::system_error &e) {
						fmt::print(stderr, "chxid: {}\n",
							   vserver::tag_error_message(e));
						return false;
					}
				},
				[](const std::string &path, int err) {
					fmt::print(stderr, "chxid: {}: {}\n", path, std::strerror(err));
				});
		}
	} catch (const std::system_error &e) {
		fmt::print(stderr, "chxid: {}\n", e.what());
		return exit_failure;
	}
	return failures ? exit_failure : 0;
}
