// setattr - set or clear the vserver attributes (IATTR_*) of files.
#include "iattr_options.hpp"
#include "tool.hpp"

#include <vserver/client.hpp>
#include <vserver/iattr.hpp>

#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// a file failed, or no device

constexpr const char *footer = R"txt(Each --ATTR sets an attribute of every FILE, --~ATTR or --!ATTR clears
it; --flags takes a comma-separated list of them.  When an attribute is
both set and cleared, clearing wins.  Attributes are util-vserver's; the
kernel decides which apply to which file: so far only the barrier, on
directories (showattr shows them).  The others, or the barrier on
anything but a directory, are refused: "attribute 'immutable' is not
supported on FILE (a directory)", and that file is left unchanged.

-R also changes everything below a directory FILE, dot files included,
without following symbolic links; there each file gets only the
attributes that apply to it.  -x keeps -R on the filesystem of FILE.

Exit status: 0 when every file was changed; 1 when the kernel refused
one (the message names the file and the reason) or a file could not be
read; 2 for a usage error (bad option or attribute, nothing to change,
no FILE) - nothing was changed.)txt";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Set or clear the vserver attributes of files.", "setattr"};
	std::vector<std::string> files;
	bool recurse = false, one_fs = false;

	tool::describe(app, "setattr [-Rx] [--[~!]ATTR]... [--flags [~!]ATTR[,ATTR...]] [--] FILE...",
		       footer);
	app.add_flag("-R", recurse, "Recurse: also the files below each directory");
	app.add_flag("-x", one_fs, "With -R, do not cross filesystems");
	tool::IattrOptions attributes(app);
	app.add_option("FILE", files, "Files to change")->type_name("");
	vserver::normalize_clear_options(argc, argv);
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	vserver::IattrChange change;
	try {
		change = attributes.change();
		if (change.empty())
			throw std::invalid_argument("no attribute to change (e.g. --barrier or --~barrier)");
		if (files.empty())
			throw std::invalid_argument("no FILE given");
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("setattr", e.what());
	}

	std::size_t failures = 0;
	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);
		vserver::WalkOptions options;

		options.recurse = recurse;
		options.list_dirs = recurse;
		options.dot_files = true;
		options.one_file_system = one_fs;
		for (const auto &file : files) {
			failures += vserver::walk(
				file, options,
				[&](const vserver::WalkEntry &entry) {
					auto msg = vserver::set_file_iattr(client, entry, change,
									   !entry.named);
					if (!msg.empty())
						fmt::print(stderr, "setattr: {}\n", msg);
					return msg.empty();
				},
				[](const std::string &path, int err) {
					fmt::print(stderr, "setattr: {}: {}\n", path, std::strerror(err));
				});
		}
	} catch (const std::system_error &e) {
		fmt::print(stderr, "setattr: {}\n", e.what());
		return exit_failure;
	}
	return failures ? exit_failure : 0;
}
