// vattr-image - set, clear or show the vserver attributes and tags of
// files in an unmounted ext2/ext3/ext4 filesystem image, without the
// kernel.
#include "iattr_options.hpp"
#include "tool.hpp"

#include <vserver/iattr.hpp>
#include <vserver/image.hpp>

#include <linux/vserver.h>

#include <charconv>
#include <sys/stat.h>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the image or a path failed
constexpr std::uint32_t max_tag = VX_MAX_TAG;

constexpr const char *footer = R"txt(Changes the security.vserver extended attribute (a little-endian 32-bit
word of IATTR_* bits), which the kernel reads once the filesystem is
mounted, of each PATH inside the filesystem IMAGE (a file or a device,
not mounted).  PATH is absolute, from the root of that filesystem; a
last symbolic link is not followed.  The attribute options are
setattr's: --ATTR sets, --~ATTR or --!ATTR clears, --flags takes a list,
clearing wins; --unified is --iunlink (immutable and ixunlink, what
vhashify gives shared files).  As the kernel would, vattr-image takes
only what applies: the barrier and immutable on directories, immutable
and ixunlink on regular files; anything else is refused ("attribute
'barrier' is not supported on IMAGE:PATH (a regular file)") and that
PATH is left unchanged.

--tag N makes N (0..65535) the tag of each PATH, a regular file or a
directory: its ext4 project id, which needs a filesystem with the
project feature and 256-byte inodes (mke2fs -O quota,project -I 256).
With the quota feature the project quota still counts the old tags
afterwards: run e2fsck -fp IMAGE before mounting it (vattr-image says
so).  -R also changes everything below a directory PATH; there each
file gets only the attributes that apply to it, and only regular files
and directories get the tag.  --show prints each PATH as showattr does,
after the changes.

Exit status: 0 when every PATH was done; 1 when the image could not be
opened or written, or a PATH failed (the message names the image and the
path; the other paths are still done); 2 for a usage error (bad option
or attribute, a bad tag, a relative PATH, nothing to do) - the image is
not opened.)txt";

std::uint32_t parse_tag(const std::string &text)
{
	std::uint32_t tag = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), tag);
	if (text.empty() || ec != std::errc() || end != text.data() + text.size() || tag > max_tag)
		throw std::invalid_argument(fmt::format(
			"--tag '{}': a tag is a number from 0 to {}", text, max_tag));
	return tag;
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Set or show the vserver attributes of files in an unmounted ext4 image.",
		     "vattr-image"};
	std::string image, tag_text;
	std::vector<std::string> paths;
	bool show = false, recurse = false, unified = false;

	tool::describe(app, "vattr-image [-R] [--show] [--[~!]ATTR]... [--flags [~!]ATTR[,ATTR...]] "
			    "[--unified] [--tag N] [--] IMAGE PATH...", footer);
	app.add_flag("--show", show, "Print the attributes of each PATH (after any change)");
	app.add_flag("-R", recurse, "Recurse: also everything below each directory PATH");
	tool::IattrOptions attributes(app);
	app.add_flag("--unified", unified, "Immutable and ixunlink, as vhashify's shared files");
	app.add_option("--tag", tag_text, "Make N the tag (ext4 project id) of each PATH")
		->type_name("N");
	app.add_option("IMAGE", image, "The filesystem image (or device)")
		->required()->type_name("");
	app.add_option("PATH", paths, "Files in it, from its root")->required()->type_name("");
	vserver::normalize_clear_options(argc, argv);
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	vserver::IattrChange change;
	std::optional<std::uint32_t> tag;
	try {
		change = attributes.change();
		if (unified)
			change.add("iunlink");
		if (app.count("--tag"))
			tag = parse_tag(tag_text);
		if (change.empty() && !tag && !show)
			throw std::invalid_argument(
				"nothing to do: give an attribute (e.g. --barrier), --tag or --show");
		for (const auto &path : paths)
			if (path.empty() || path.front() != '/')
				throw std::invalid_argument(fmt::format(
					"PATH '{}' is not absolute (from the root of the "
					"filesystem in IMAGE)", path));
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vattr-image", e.what());
	}

	std::size_t failures = 0;
	bool retagged = false;
	try {
		bool writing = !change.empty() || tag;
		vserver::Ext2Image fs(image, writing ? vserver::Ext2Image::Access::write
						     : vserver::Ext2Image::Access::read);
		auto report = [&](const vserver::ImageError &e) {
			std::fflush(stdout);
			fmt::print(stderr, "vattr-image: {}\n", e.what());
			failures++;
		};
		// One file: named (all of the change) or found below (what applies).
		auto one = [&](const std::string &path, bool named) {
			try {
				if (!change.empty()) {
					vserver::IattrChange c = change;
					if (!named) {
						std::uint32_t applies = fs.get(path).mask;
						c.set &= applies;
						c.clear &= applies;
					}
					if (!c.empty())
						fs.set(path, c);
				}
				if (tag) {
					mode_t mode = fs.get(path).mode;
					if (named || S_ISREG(mode) || S_ISDIR(mode))
						retagged |= fs.set_tag(path, *tag);
				}
				if (show) {
					auto a = fs.get(path);
					fmt::print("{}", vserver::showattr_line(a.flags, a.mask, path));
				}
			} catch (const vserver::ImageError &e) {
				report(e);
			}
		};
		for (const auto &path : paths) {
			one(path, true);
			if (!recurse)
				continue;
			try {
				for (const auto &below : fs.below(path))
					one(below, false);
			} catch (const vserver::ImageError &e) {
				report(e);
			}
		}
		std::fflush(stdout);
		if (retagged && fs.counts_tags())
			fmt::print(stderr, "vattr-image: note: the project quota of {} still counts the "
				   "old tags; run e2fsck -fp {} before mounting it\n", image, image);
		fs.close();
	} catch (const vserver::ImageError &e) {
		fmt::print(stderr, "vattr-image: {}\n", e.what());
		return exit_failure;
	}
	return failures ? exit_failure : 0;
}
