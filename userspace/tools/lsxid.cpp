// lsxid - show the context (the tag) of files.
#include "list_files.hpp"
#include "tool.hpp"

#include <vserver/client.hpp>
#include <vserver/iattr.hpp>
#include <vserver/tags.hpp>
#include <vserver/vconfig.hpp>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr const char *footer = R"txt(Prints one line per file: its tag, right-aligned in 20 characters, two
blanks, the name.  The tag is the context the file belongs to: the name
of the vserver whose context file holds that number (in /etc/vservers,
or $VSERVER_CONFDIR), unless -n, else the number; "-" for a file that
has none (its filesystem keeps no tags - only ext4 with the project
feature does - or it is no regular file or directory).

A directory FILE is listed: itself, then its entries (not those starting
with '.' unless -a); -d shows it alone.  -R lists subdirectories too,
files first; -x keeps -R on the filesystem of FILE.  Symbolic links are
shown, not followed.  Without FILE: the current directory.

Exit status: 0; 1 when a file could not be read or the kernel refused
(the message names the file); 2 for a usage error.)txt";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Show the context (tag) of files.", "lsxid"};
	std::vector<std::string> files;
	vserver::WalkOptions options;
	bool just_dirs = false, numbers = false;

	tool::describe(app, "lsxid [-Radnx] [--] [FILE...]", footer);
	app.add_flag("-R", options.recurse, "Recurse into subdirectories");
	app.add_flag("-a", options.dot_files, "Also show names starting with '.'");
	app.add_flag("-d", just_dirs, "Show a directory itself, not its entries");
	app.add_flag("-n", numbers, "Numbers only, no vserver names");
	app.add_flag("-x", options.one_file_system, "With -R, do not cross filesystems");
	app.add_option("FILE", files, "Files to show (default: .)")->type_name("");
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;
	options.list_dirs = !just_dirs;
	if (files.empty())
		files.push_back(".");

	std::map<std::uint32_t, std::string> names;
	if (!numbers)
		names = vserver::guest_names(vserver::vserver_confdir());

	return tool::list_files("lsxid", files, options,
				[&](vserver::Client &client, const std::string &path) {
					return vserver::lsxid_line(
						vserver::lsxid_tag(vserver::tag_of(client, path),
								   names),
						path);
				});
}
