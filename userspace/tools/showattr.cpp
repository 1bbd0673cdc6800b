// showattr - show the vserver attributes (IATTR_*) of files.
#include "list_files.hpp"
#include "tool.hpp"

#include <vserver/client.hpp>
#include <vserver/iattr.hpp>

#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr const char *footer = R"txt(Prints one line per file: nine attribute letters, a space, the name.
The letters, in bit order, are util-vserver's: a(dmin) w(atch) h(ide)
m (write) b(arrier) u (ixunlink) i(mmutable) c(ow) x (tag); upper case
when the attribute is set, lower case when it applies to the file but is
not set, '-' when it does not apply.  A directory with the barrier:
"----B---- /vservers".  So far the kernel applies only the barrier, and
only to directories.

A directory FILE is listed: itself, then its entries (not those starting
with '.' unless -a); -d shows it alone.  -R lists subdirectories too,
files first; -x keeps -R on the filesystem of FILE.  Symbolic links are
shown, not followed.  Without FILE: the current directory.

Exit status: 0; 1 when a file could not be read or the kernel refused
(the message names the file); 2 for a usage error.)txt";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Show the vserver attributes of files.", "showattr"};
	std::vector<std::string> files;
	vserver::WalkOptions options;
	bool just_dirs = false;

	tool::describe(app, "showattr [-Radx] [--] [FILE...]", footer);
	app.add_flag("-R", options.recurse, "Recurse into subdirectories");
	app.add_flag("-a", options.dot_files, "Also show names starting with '.'");
	app.add_flag("-d", just_dirs, "Show a directory itself, not its entries");
	app.add_flag("-x", options.one_file_system, "With -R, do not cross filesystems");
	app.add_option("FILE", files, "Files to show (default: .)")->type_name("");
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;
	options.list_dirs = !just_dirs;
	if (files.empty())
		files.push_back(".");

	return tool::list_files("showattr", files, options,
				[](vserver::Client &client, const std::string &path) {
					auto a = client.get_iattr(path);
					return vserver::showattr_line(a.flags, a.mask, path);
				});
}
