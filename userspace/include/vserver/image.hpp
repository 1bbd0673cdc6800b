// Inode attributes in an unmounted ext2/ext3/ext4 filesystem image (or
// device), through libext2fs: the "security.vserver" extended attribute
// (a little-endian 32-bit word of IATTR_* bits) the kernel reads once the
// filesystem is mounted.  For vattr-image; link vserver_image.
#pragma once

#include <vserver/iattr.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <vector>

struct struct_ext2_filsys;

namespace vserver {

// what() names the image, and the path in it when there is one:
// "disk.img:/vservers: No such file or directory".
class ImageError : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

struct ImageFileAttr {
	std::uint32_t flags;	// the attribute word; 0 when there is none
	std::uint32_t mask;	// what applies to the file (iattr_applicable)
	mode_t mode;		// the file's type and permissions
};

class Ext2Image {
public:
	enum class Access { read, write };

	// Opens the filesystem in image.  For writing, an image that is
	// mounted (as a device or through a loop device) is refused: the
	// kernel would not see the change and could overwrite it.
	Ext2Image(std::string image, Access access);
	~Ext2Image();	// closes it; errors are lost, call close() to see them
	Ext2Image(const Ext2Image &) = delete;
	Ext2Image &operator=(const Ext2Image &) = delete;

	// The attributes of path (from the root of the filesystem; a last
	// symbolic link is not followed).
	ImageFileAttr get(const std::string &path);
	// As set_iattr would: flags = (flags & ~mask) | (value & mask), the
	// attribute removed when that leaves 0.  A bit that does not apply to
	// the file throws "attribute 'barrier' is not supported on
	// IMAGE:PATH (a regular file)" and nothing changes.  Returns whether
	// the word changed.
	bool set(const std::string &path, const IattrChange &change);
	// Does the filesystem keep tags (the project feature: a file's tag is
	// its project id)?
	bool keeps_tags() const;
	// Does it count them in a project quota (the quota feature with a
	// project quota inode)?  Then set_tag leaves that quota behind until
	// e2fsck -f recounts it.
	bool counts_tags() const;
	// The tag (project id) of path; nullopt when the filesystem keeps
	// none or the inode has no room for one.
	std::optional<std::uint32_t> get_tag(const std::string &path);
	// Make tag the project id of path, a regular file or directory.
	// Throws, nothing changed, when the filesystem has no project feature
	// or inodes too small to hold one ("make it with mke2fs -O project
	// -I 256"), or path is of another type.  Returns whether it changed.
	bool set_tag(const std::string &path, std::uint32_t tag);
	// Every path below the directory dir, depth first (a directory before
	// what is in it), names in order; nothing for anything but a
	// directory.  Symbolic links are listed, not followed.
	std::vector<std::string> below(const std::string &dir);
	// Writes everything out and closes the filesystem.
	void close();

	const std::string &image() const { return image_; }

private:
	std::uint32_t lookup(const std::string &path, mode_t &mode);
	[[noreturn]] void fail(const std::string &path, long err) const;

	std::string image_;
	struct_ext2_filsys *fs_ = nullptr;
};

// "barrier" -> 00 00 01 00: the value of security.vserver for flags.
std::string iattr_xattr_value(std::uint32_t flags);

} // namespace vserver
