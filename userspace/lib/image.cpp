#include <vserver/image.hpp>

#include <linux/vserver.h>

#include <ext2fs/ext2fs.h>
#include <ext2fs/ext2_err.h>
#include <et/com_err.h>

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>

namespace vserver {

namespace {

constexpr const char *xattr_name = "security.vserver";

// libext2fs's errors are com_err codes; errno values pass through.
std::string reason(long err)
{
	static std::once_flag tables;

	std::call_once(tables, [] { initialize_ext2_error_table(); });
	switch (err) {
	case EXT2_ET_FILE_NOT_FOUND:
		return std::strerror(ENOENT);
	case EXT2_ET_NO_DIRECTORY:
		return std::strerror(ENOTDIR);
	case EXT2_ET_SYMLINK_LOOP:
		return std::strerror(ELOOP);
	}
	return error_message(err);
}

// The handle of one inode's extended attributes, read in.
class Xattrs {
public:
	Xattrs(ext2_filsys fs, ext2_ino_t ino) : fs_(fs), ino_(ino) {}
	~Xattrs()
	{
		if (h_)
			ext2fs_xattrs_close(&h_);
	}
	Xattrs(const Xattrs &) = delete;
	Xattrs &operator=(const Xattrs &) = delete;

	errcode_t open()
	{
		errcode_t err = ext2fs_xattrs_open(fs_, ino_, &h_);
		return err ? err : ext2fs_xattrs_read(h_);
	}
	ext2_xattr_handle *get() { return h_; }

private:
	ext2_filsys fs_;
	ext2_ino_t ino_;
	ext2_xattr_handle *h_ = nullptr;
};

// The attribute word of an inode: 0 when it has none.  present says
// whether it has one.
errcode_t read_word(Xattrs &xattrs, std::uint32_t &flags, bool &present, std::size_t &len)
{
	void *value = nullptr;
	errcode_t err = ext2fs_xattr_get(xattrs.get(), xattr_name, &value, &len);

	flags = 0;
	present = false;
	if (err == EXT2_ET_EA_KEY_NOT_FOUND)
		return 0;
	if (err)
		return err;
	present = true;
	if (len == 4) {
		const auto *b = static_cast<const unsigned char *>(value);
		flags = static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
			static_cast<std::uint32_t>(b[2]) << 16 |
			static_cast<std::uint32_t>(b[3]) << 24;
	}
	ext2fs_free_mem(&value);
	return 0;
}

// Write word (0: remove the attribute) through xattrs.
errcode_t write_word(Xattrs &xattrs, std::uint32_t word)
{
	errcode_t err;

	if (word) {
		std::string value = iattr_xattr_value(word);
		err = ext2fs_xattr_set(xattrs.get(), xattr_name, value.data(), value.size());
	} else {
		err = ext2fs_xattr_remove(xattrs.get(), xattr_name);
	}
	return err ? err : ext2fs_xattrs_write(xattrs.get());
}

// The extended attribute block of inode ino (0: none).
errcode_t xattr_block(ext2_filsys fs, ext2_ino_t ino, blk64_t &block)
{
	ext2_inode inode{};
	errcode_t err = ext2fs_read_inode(fs, ino, &inode);

	block = err ? 0 : ext2fs_file_acl_block(fs, &inode);
	return err;
}

// How many inodes share attribute block, and whether it holds no entry.
errcode_t xattr_block_state(ext2_filsys fs, ext2_ino_t ino, blk64_t block,
			    std::uint32_t &refcount, bool &empty)
{
	std::unique_ptr<char[]> buf(new char[fs->blocksize]);
	errcode_t err = ext2fs_read_ext_attr3(fs, block, buf.get(), ino);

	if (err)
		return err;
	const auto *header = reinterpret_cast<const ext2_ext_attr_header *>(buf.get());
	refcount = header->h_refcount;
	empty = EXT2_EXT_IS_LAST_ENTRY(buf.get() + sizeof(ext2_ext_attr_header));
	return 0;
}

} // namespace

std::string iattr_xattr_value(std::uint32_t flags)
{
	std::string value(4, '\0');

	for (int i = 0; i < 4; i++)
		value[i] = static_cast<char>((flags >> (8 * i)) & 0xff);
	return value;
}

Ext2Image::Ext2Image(std::string image, Access access) : image_(std::move(image))
{
	int flags = EXT2_FLAG_64BITS;
	errcode_t err;

	if (access == Access::write) {
		int mount_flags = 0;

		err = ext2fs_check_if_mounted(image_.c_str(), &mount_flags);
		if (err)
			throw ImageError(fmt::format("{}: cannot tell whether it is mounted: {}",
						     image_, reason(err)));
		if (mount_flags & EXT2_MF_MOUNTED)
			throw ImageError(fmt::format(
				"{}: is mounted; unmount it first, or use setattr on the mounted "
				"filesystem", image_));
		flags |= EXT2_FLAG_RW;
	}
	err = ext2fs_open(image_.c_str(), flags, 0, 0, unix_io_manager, &fs_);
	if (err) {
		fs_ = nullptr;
		throw ImageError(fmt::format("{}: cannot open the filesystem: {}", image_,
					     reason(err)));
	}
	if (!ext2fs_has_feature_xattr(fs_->super)) {
		ext2fs_close_free(&fs_);
		throw ImageError(fmt::format(
			"{}: the filesystem has no extended attributes (ext_attr feature)", image_));
	}
	if (access == Access::write) {
		// a new attribute block may need allocating
		err = ext2fs_read_bitmaps(fs_);
		if (err) {
			ext2fs_close_free(&fs_);
			throw ImageError(fmt::format("{}: cannot read the bitmaps: {}", image_,
						     reason(err)));
		}
	}
}

Ext2Image::~Ext2Image()
{
	if (fs_)
		ext2fs_close_free(&fs_);
}

void Ext2Image::close()
{
	if (!fs_)
		return;
	errcode_t err = ext2fs_close_free(&fs_);
	fs_ = nullptr;
	if (err)
		throw ImageError(fmt::format("{}: cannot write the filesystem: {}", image_,
					     reason(err)));
}

void Ext2Image::fail(const std::string &path, long err) const
{
	throw ImageError(fmt::format("{}:{}: {}", image_, path, reason(err)));
}

std::uint32_t Ext2Image::lookup(const std::string &path, mode_t &mode)
{
	ext2_ino_t ino = 0;
	ext2_inode inode{};
	errcode_t err;

	if (!fs_)
		throw ImageError(fmt::format("{}: closed", image_));
	if (path.empty())
		fail(path, EXT2_ET_FILE_NOT_FOUND);
	err = ext2fs_namei(fs_, EXT2_ROOT_INO, EXT2_ROOT_INO, path.c_str(), &ino);
	if (err)
		fail(path, err);
	err = ext2fs_read_inode(fs_, ino, &inode);
	if (err)
		fail(path, err);
	mode = inode.i_mode;
	return ino;
}

ImageFileAttr Ext2Image::get(const std::string &path)
{
	mode_t mode = 0;
	ext2_ino_t ino = lookup(path, mode);
	Xattrs xattrs(fs_, ino);
	std::uint32_t flags;
	std::size_t len = 0;
	bool present;
	errcode_t err;

	if ((err = xattrs.open()) || (err = read_word(xattrs, flags, present, len)))
		fail(path, err);
	if (present && len != 4)
		throw ImageError(fmt::format("{}:{}: {} holds {} bytes, not a 32-bit word",
					     image_, path, xattr_name, len));
	std::uint32_t mask = iattr_applicable(mode);
	if ((S_ISREG(mode) || S_ISDIR(mode)) && get_tag(path))
		mask |= IATTR_TAG;	// as get_iattr says on a filesystem that keeps tags
	return {flags, mask, mode};
}

bool Ext2Image::set(const std::string &path, const IattrChange &change)
{
	mode_t mode = 0;
	ext2_ino_t ino = lookup(path, mode);
	std::uint32_t bad = change.mask() & ~iattr_applicable(mode);
	Xattrs xattrs(fs_, ino);
	std::uint32_t old, word;
	std::size_t len = 0;
	bool present;
	errcode_t err;

	if (bad)
		throw ImageError(fmt::format("{} {} {} not supported on {}:{} ({})",
					     std::popcount(bad) > 1 ? "attributes" : "attribute",
					     quoted_iattr_bits(bad),
					     std::popcount(bad) > 1 ? "are" : "is", image_, path,
					     file_type_name(mode)));
	if ((err = xattrs.open()) || (err = read_word(xattrs, old, present, len)))
		fail(path, err);
	if (present && len != 4)
		throw ImageError(fmt::format("{}:{}: {} holds {} bytes, not a 32-bit word; "
					     "not changed", image_, path, xattr_name, len));
	word = (old & ~change.mask()) | (change.flags() & change.mask());
	if (word == old)
		return false;

	// libext2fs does not count a block it allocates for attributes in
	// the quota files (e2fsck would find them wrong), nor free an
	// attribute block it empties.
	bool quota = ext2fs_has_feature_quota(fs_->super);
	blk64_t block_before = 0, block_after = 0;
	std::uint32_t refcount = 0;
	bool empty = false;

	if ((err = xattr_block(fs_, ino, block_before)))
		fail(path, err);
	if (quota && block_before) {
		if ((err = xattr_block_state(fs_, ino, block_before, refcount, empty)))
			fail(path, err);
		if (refcount > 1)	// it would be copied
			throw ImageError(fmt::format(
				"{}:{}: the inode shares its attribute block, and a copy would "
				"not be counted in the filesystem's quota; not changed",
				image_, path));
	}
	if ((err = write_word(xattrs, word)) || (err = xattr_block(fs_, ino, block_after)))
		fail(path, err);
	if (quota && block_after != block_before) {
		// take it back: the entry out, the new block freed
		if ((err = write_word(xattrs, old)) ||
		    (err = ext2fs_free_ext_attr(fs_, ino, nullptr)))
			fail(path, err);
		throw ImageError(fmt::format(
			"{}:{}: no room for {} in the inode, and a block for it would not be "
			"counted in the filesystem's quota (make it with 256-byte inodes); "
			"not changed", image_, path, xattr_name));
	}
	if (!quota && block_after) {
		if ((err = xattr_block_state(fs_, ino, block_after, refcount, empty)) ||
		    (empty && (err = ext2fs_free_ext_attr(fs_, ino, nullptr))))
			fail(path, err);
	}
	return true;
}

bool Ext2Image::keeps_tags() const
{
	return fs_ && ext2fs_has_feature_project(fs_->super);
}

bool Ext2Image::counts_tags() const
{
	return keeps_tags() && ext2fs_has_feature_quota(fs_->super) &&
	       fs_->super->s_prj_quota_inum != 0;
}

namespace {

// Has this inode (of an inode size) room for a project id?
bool has_projid(ext2_filsys fs, const ext2_inode_large &inode)
{
	return EXT2_INODE_SIZE(fs->super) > EXT2_GOOD_OLD_INODE_SIZE &&
	       inode_includes(EXT2_GOOD_OLD_INODE_SIZE + inode.i_extra_isize, i_projid);
}

} // namespace

std::optional<std::uint32_t> Ext2Image::get_tag(const std::string &path)
{
	mode_t mode = 0;
	ext2_ino_t ino = lookup(path, mode);
	ext2_inode_large inode{};
	if (!keeps_tags())
		return std::nullopt;
	if (errcode_t err = ext2fs_read_inode_full(fs_, ino, reinterpret_cast<ext2_inode *>(&inode),
						   sizeof(inode)))
		fail(path, err);
	if (!has_projid(fs_, inode))
		return std::nullopt;
	return inode.i_projid;
}

bool Ext2Image::set_tag(const std::string &path, std::uint32_t tag)
{
	mode_t mode = 0;
	ext2_ino_t ino = lookup(path, mode);
	ext2_inode_large inode{};
	errcode_t err;

	if (!keeps_tags())
		throw ImageError(fmt::format(
			"{}: the filesystem keeps no tags (no project feature; make it with "
			"mke2fs -O quota,project -I 256, or tune2fs -O project on a filesystem "
			"with 256-byte inodes)", image_));
	if (EXT2_INODE_SIZE(fs_->super) <= EXT2_GOOD_OLD_INODE_SIZE)
		throw ImageError(fmt::format("{}: its {}-byte inodes have no room for a tag "
					     "(make it with mke2fs -I 256)", image_,
					     EXT2_INODE_SIZE(fs_->super)));
	if (!S_ISREG(mode) && !S_ISDIR(mode))
		throw ImageError(fmt::format("{}:{}: only regular files and directories have tags, "
					     "not {}", image_, path, file_type_name(mode)));
	if ((err = ext2fs_read_inode_full(fs_, ino, reinterpret_cast<ext2_inode *>(&inode),
					  sizeof(inode))))
		fail(path, err);
	if (!has_projid(fs_, inode))
		throw ImageError(fmt::format("{}:{}: the inode has no room for a tag "
					     "(i_extra_isize {})", image_, path, inode.i_extra_isize));
	if (inode.i_projid == tag)
		return false;
	inode.i_projid = tag;
	if ((err = ext2fs_write_inode_full(fs_, ino, reinterpret_cast<ext2_inode *>(&inode),
					   sizeof(inode))))
		fail(path, err);
	return true;
}

namespace {

struct DirNames {
	std::vector<std::pair<std::string, ext2_ino_t>> entries;
};

int collect_name(ext2_ino_t, int, ext2_dir_entry *dirent, int, int, char *, void *priv)
{
	auto *names = static_cast<DirNames *>(priv);
	std::string name(dirent->name, static_cast<std::size_t>(ext2fs_dirent_name_len(dirent)));
	if (name != "." && name != "..")
		names->entries.emplace_back(std::move(name), dirent->inode);
	return 0;
}

} // namespace

std::vector<std::string> Ext2Image::below(const std::string &dir)
{
	mode_t mode = 0;
	ext2_ino_t ino = lookup(dir, mode);
	std::vector<std::string> out;
	if (!S_ISDIR(mode))
		return out;

	DirNames names;
	if (errcode_t err = ext2fs_dir_iterate2(fs_, ino, 0, nullptr, collect_name, &names))
		fail(dir, err);
	std::sort(names.entries.begin(), names.entries.end());
	std::string prefix = dir == "/" ? "/" : dir + "/";
	for (const auto &[name, child] : names.entries) {
		std::string path = prefix + name;
		ext2_inode inode{};
		if (errcode_t err = ext2fs_read_inode(fs_, child, &inode))
			fail(path, err);
		out.push_back(path);
		if (LINUX_S_ISDIR(inode.i_mode)) {
			auto sub = below(path);
			out.insert(out.end(), sub.begin(), sub.end());
		}
	}
	return out;
}

} // namespace vserver
