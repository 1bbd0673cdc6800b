// vattr-image - set, clear or show the vserver attributes of files in an
// unmounted ext2/ext3/ext4 filesystem image, without the kernel.
#include "iattr_options.hpp"
#include "tool.hpp"

#include <vserver/iattr.hpp>
#include <vserver/image.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the image or a path failed

constexpr const char *footer = R"txt(Changes the security.vserver extended attribute (a little-endian 32-bit
word of IATTR_* bits), which the kernel reads once the filesystem is
mounted, of each PATH inside the filesystem IMAGE (a file or a device,
not mounted).  PATH is absolute, from the root of that filesystem; a
last symbolic link is not followed.  The attribute options are
setattr's: --ATTR sets, --~ATTR or --!ATTR clears, --flags takes a list,
clearing wins.  As the kernel would, vattr-image takes only what applies:
the barrier, on directories; anything else is refused ("attribute
'barrier' is not supported on IMAGE:PATH (a regular file)") and that
PATH is left unchanged.  --show prints each PATH as showattr does, after
the changes.

Exit status: 0 when every PATH was done; 1 when the image could not be
opened or written, or a PATH failed (the message names the image and the
path; the other paths are still done); 2 for a usage error (bad option
or attribute, a relative PATH, nothing to do) - the image is not opened.)txt";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Set or show the vserver attributes of files in an unmounted ext4 image.",
		     "vattr-image"};
	std::string image;
	std::vector<std::string> paths;
	bool show = false;

	tool::describe(app, "vattr-image [--show] [--[~!]ATTR]... [--flags [~!]ATTR[,ATTR...]] "
			    "[--] IMAGE PATH...", footer);
	app.add_flag("--show", show, "Print the attributes of each PATH (after any change)");
	tool::IattrOptions attributes(app);
	app.add_option("IMAGE", image, "The filesystem image (or device)")
		->required()->type_name("");
	app.add_option("PATH", paths, "Files in it, from its root")->required()->type_name("");
	vserver::normalize_clear_options(argc, argv);
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	vserver::IattrChange change;
	try {
		change = attributes.change();
		if (change.empty() && !show)
			throw std::invalid_argument(
				"nothing to do: give an attribute (e.g. --barrier) or --show");
		for (const auto &path : paths)
			if (path.empty() || path.front() != '/')
				throw std::invalid_argument(fmt::format(
					"PATH '{}' is not absolute (from the root of the "
					"filesystem in IMAGE)", path));
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vattr-image", e.what());
	}

	std::size_t failures = 0;
	try {
		vserver::Ext2Image fs(image, change.empty() ? vserver::Ext2Image::Access::read :
						 vserver::Ext2Image::Access::write);

		for (const auto &path : paths) {
			try {
				if (!change.empty())
					fs.set(path, change);
				if (show) {
					auto a = fs.get(path);
					fmt::print("{}", vserver::showattr_line(a.flags, a.mask, path));
				}
			} catch (const vserver::ImageError &e) {
				std::fflush(stdout);
				fmt::print(stderr, "vattr-image: {}\n", e.what());
				failures++;
			}
		}
		std::fflush(stdout);
		fs.close();
	} catch (const vserver::ImageError &e) {
		fmt::print(stderr, "vattr-image: {}\n", e.what());
		return exit_failure;
	}
	return failures ? exit_failure : 0;
}
