// File tags: the context a file belongs to (its ext4 project id, the
// kernel's IATTR_TAG), as chxid, lsxid, vdu and 'vserver NAME build' see
// and change them.
//
// A filesystem keeps tags when it is ext4 with the project feature
// (mke2fs -O quota,project -I 256); there get_iattr's mask has IATTR_TAG
// for regular files and directories, never for symbolic links, devices,
// FIFOs or sockets.  Elsewhere no file has a tag.
#pragma once

#include <vserver/client.hpp>
#include <vserver/iattr.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace vserver {

// Visit root and, with recursive, everything below it, dot files
// included, in walk()'s order (a directory, then its files, then its
// subdirectories), never following a symbolic link; with one_filesystem
// no subdirectory on another filesystem than its parent is entered.  An
// error of the walk (lstat, opendir, readdir) throws std::system_error
// naming the path: "/vservers/web/x: No such file or directory";
// whatever fn throws passes through.
void for_each_file(const std::string &root, bool recursive, bool one_filesystem,
		   const std::function<void(const WalkEntry &)> &fn);

// The tag in attributes get_iattr returned; nullopt when the file has
// none (its filesystem keeps no tags, or it is no regular file or
// directory).
std::optional<std::uint32_t> tag_of(const vcmd_ctx_fiattr_v0 &attributes);
// The same for the file at path (get_iattr; EOPNOTSUPP, a filesystem
// the kernel cannot ask, is no tag; another failure throws
// std::system_error "get_iattr(PATH): ...").
std::optional<std::uint32_t> tag_of(Client &client, std::string_view path);

// Is it a unified file (vhashify's): one whose flags have both
// IATTR_IMMUTABLE and IATTR_IXUNLINK, which only regular files take?
bool is_unified(const vcmd_ctx_fiattr_v0 &attributes);
bool is_unified(Client &client, std::string_view path);

// What happened to one file.
enum class TagResult {
	tagged,		// it has the tag now (set_iattr, or it had it already)
	unified,	// a unified file left alone (skip_unified)
	untaggable,	// it has no tag to set (tag_of is nullopt)
};

// Give the file at path the tag (0..VX_MAX_TAG): get_iattr, then
// set_iattr(path, 0, IATTR_TAG, tag) unless it has the tag already, is
// untaggable or, with skip_unified, unified.  Kernel errors throw
// std::system_error "set_iattr(PATH): ...".
TagResult tag_file(Client &client, const std::string &path, std::uint32_t tag,
		   bool skip_unified);

// The text of a failed get_iattr or set_iattr with a hint for EPERM:
// "set_iattr(PATH): Operation not permitted (only root on the host
// changes tags)".
std::string tag_error_message(const std::system_error &e);

// "" when path can be tagged, else why not, for chxid's check of the
// files it is given: "PATH: No such file or directory", "cannot tag PATH:
// its filesystem keeps no tags (ext4 with the project feature has them)",
// "cannot tag PATH: a symbolic link has no tag (regular files and
// directories have)".  Kernel errors of get_iattr come as the kernel's
// "get_iattr(PATH): ..." text.
std::string why_untaggable(Client &client, const std::string &path);

struct TagCounts {
	std::size_t tagged = 0;		// regular files and directories with the tag now
	std::size_t unified = 0;	// unified files left alone
	std::size_t untaggable = 0;	// symbolic links, devices, ... passed over

	bool operator==(const TagCounts &) const = default;
};

// Tag root and everything below it on its filesystem (tag_file each;
// mount points below are not entered).  nullopt, with nothing changed,
// when root has no tag (its filesystem keeps none).  The first error
// throws std::system_error; files before it keep their new tag.
std::optional<TagCounts> tag_tree(Client &client, const std::string &root, std::uint32_t tag,
				  bool skip_unified);

// lsxid's tag column: "-" for no tag, the guest's name for a tag in names
// (unless numbers are asked for), else the number.
std::string lsxid_tag(std::optional<std::uint32_t> tag,
		      const std::map<std::uint32_t, std::string> &names);

// One lsxid line, util-vserver's: the tag column right-aligned in 20
// characters, two blanks, the path: "                  42  /vservers/web".
std::string lsxid_line(std::string_view tag, std::string_view path);

// The guests of confdir by xid (the xid of each one's context file; the
// first name in order when two have the same).
std::map<std::uint32_t, std::string> guest_names(const std::filesystem::path &confdir);

// What vdu counts: the 512-byte blocks (st_blocks) and the inodes of the
// files with the tag.
struct DiskUsage {
	std::uint64_t blocks = 0;
	std::uint64_t inodes = 0;

	bool operator==(const DiskUsage &) const = default;
};

// What the files below dir (dir included) with the tag use, each file
// once however many links it has (by device and inode), without leaving
// dir's filesystem.  Throws std::invalid_argument "DIR: its filesystem
// keeps no tags" when dir has no tag, std::system_error for an error of
// the walk or the kernel.
DiskUsage tag_usage(Client &client, const std::string &dir, std::uint32_t tag);

// One line of vdu, util-vserver's: "DIR VALUE\n", the space (in
// blocksize units, rounded down) before the inodes when both are asked
// for; with script only the values.
std::string vdu_line(std::string_view dir, const DiskUsage &usage, bool space, bool inodes,
		     std::uint64_t blocksize, bool script);

} // namespace vserver
