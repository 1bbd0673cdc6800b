// Inode attributes (IATTR_*): util-vserver's names for them, setattr's
// options, showattr's listing and the file walk both tools share.
#pragma once

#include <vserver/cflags.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <sys/types.h>
#include <vector>

namespace vserver {

class Client;

// util-vserver's VC_IATTR_WRITE (a procfs entry contexts may write); the
// kernel header has no such bit, the kernel refuses it.
inline constexpr std::uint32_t iattr_write = 0x00000008;

// setattr's attribute names (util-vserver's), each with the bits it sets:
// admin watch hide write barrier iunlink (= ixunlink + immutable) immu
// (old alias of iunlink) iunlink-but-not-immutable ixunlink immutable cow.
const NameTable &iattr_names();

// Does name (exactly, lower case) name an attribute in iattr_names()?
bool is_iattr_name(std::string_view name);

// What setattr asks for.  Options accumulate as util-vserver's did: the
// bits of every attribute given to set, and of every one given to clear;
// clearing wins, so "--iunlink --~immutable" sets ixunlink only and clears
// immutable.
struct IattrChange {
	std::uint32_t set = 0;
	std::uint32_t clear = 0;

	// "barrier" sets, "~barrier" or "!barrier" clears.  Throws
	// std::invalid_argument for an empty or unknown name.
	void add(std::string_view item);
	// A comma-separated list of such items (setattr --flags).
	void add_list(std::string_view list);

	// The values to send: flags, and the bits to change.
	std::uint32_t flags() const { return set & ~clear; }
	std::uint32_t mask() const { return set | clear; }
	bool empty() const { return mask() == 0; }
	bool operator==(const IattrChange &) const = default;
};

// "--!barrier" is "--~barrier": the option parser takes no '!' in an
// option name.  Rewrites, in place, every "--!NAME" among argv[1..argc-1]
// before a "--" argument.
void normalize_clear_options(int argc, char **argv);

// Single-bit names, for messages: "'barrier'", "'immutable', 'ixunlink'";
// bits without a name as one hex number.
std::string quoted_iattr_bits(std::uint32_t bits);

// "a directory", "a regular file", "a symbolic link", ...
std::string file_type_name(mode_t mode);

// The attributes vserver-ng's kernel implements on a file of this type
// (kmod/inode.c, vs_iattr_applicable): a directory takes the barrier and
// immutable, a regular file immutable and ixunlink, nothing else anything.  For tools that have no kernel to ask
// (vattr-image); the others use get_iattr's mask.
std::uint32_t iattr_applicable(mode_t mode);

// showattr's attribute column, util-vserver's: one letter per attribute
// in bit order, "awhmbuicx" (admin watch hide write(m) barrier iunlink
// immutable cow tag(x)), upper case when set, lower case when it applies
// but is not set, '-' when it does not apply (not in mask).  A directory
// with the barrier: "----B----".
std::string iattr_letters(std::uint32_t flags, std::uint32_t mask);

// One line of showattr: "----B---- /vservers\n".
std::string showattr_line(std::uint32_t flags, std::uint32_t mask, std::string_view name);

// How setattr and showattr go through the files they are given
// (util-vserver's fstool).
struct WalkOptions {
	bool recurse = false;		// -R: into subdirectories
	bool list_dirs = false;		// a named directory: its entries, not itself
	bool dot_files = false;		// -a: also names starting with '.'
	bool one_file_system = false;	// -x: no subdirectory on another filesystem
};

struct WalkEntry {
	std::string path;	// as given, or DIR/NAME below it
	struct stat st;		// lstat(2) of it
	bool named;		// given on the command line (or the listed directory)
};

// Visit path.  A directory, with list_dirs, is visited itself, then its
// entries in name order ("." and "..", and dot files unless dot_files,
// left out): with recurse the files first, then each subdirectory the
// same way; otherwise every entry as a file.  Without list_dirs a
// directory is visited like a file.  Symbolic links are
// visited, never followed.  visit returns false for a failure; errors of
// the walk (lstat, opendir) go to error(path, errno) and count as
// failures.  Returns the number of failures.
std::size_t walk(const std::string &path, const WalkOptions &options,
		 const std::function<bool(const WalkEntry &)> &visit,
		 const std::function<void(const std::string &, int)> &error);

// What setattr does to one file: set_iattr(path, change).  With
// only_applicable (a file the walk found below a named directory) the
// change is first cut to the bits get_iattr says apply to that file, and
// nothing is sent when none is left.  Returns "" on success, else the
// message to print after "setattr: ": the kernel's EINVAL turned into
// "attribute 'barrier' is not supported on PATH (a regular file)", other
// errors as "set_iattr(PATH): Operation not permitted (...)".
std::string set_file_iattr(Client &client, const WalkEntry &entry, const IattrChange &change,
			   bool only_applicable);

// "set_iattr(PATH): <strerror>" plus a hint for EPERM and EOPNOTSUPP.
std::string iattr_error_message(const std::string &what, int err);

} // namespace vserver
