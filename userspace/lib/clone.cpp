#include <vserver/clone.hpp>

#include <vserver/transport.hpp>

#include "dir_names.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <map>
#include <string>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <system_error>
#include <unistd.h>
#include <utility>
#include <vector>

namespace vserver {

namespace {

[[noreturn]] void fail(const std::string &what, int err = errno)
{
	throw std::system_error(err, std::generic_category(), what);
}

std::string join(const std::string &dir, const std::string &name)
{
	return dir.back() == '/' ? dir + name : dir + "/" + name;
}

// The extended attributes of src onto dst, those that can be set.
void copy_xattrs(const std::string &src, const std::string &dst)
{
	ssize_t size = ::llistxattr(src.c_str(), nullptr, 0);
	if (size <= 0)
		return;
	std::vector<char> names(static_cast<std::size_t>(size));
	size = ::llistxattr(src.c_str(), names.data(), names.size());
	if (size <= 0)
		return;
	for (const char *name = names.data(); name < names.data() + size;
	     name += std::char_traits<char>::length(name) + 1) {
		ssize_t len = ::lgetxattr(src.c_str(), name, nullptr, 0);
		if (len < 0)
			continue;
		std::vector<char> value(static_cast<std::size_t>(len));
		len = ::lgetxattr(src.c_str(), name, value.data(), value.size());
		if (len >= 0)
			::lsetxattr(dst.c_str(), name, value.data(), static_cast<std::size_t>(len), 0);
	}
}

// Owner, mode, times and extended attributes of st (of src) onto dst.
void copy_attributes(const std::string &src, const std::string &dst, const struct stat &st)
{
	if (::lchown(dst.c_str(), st.st_uid, st.st_gid) < 0 && errno != EPERM)
		fail(fmt::format("chown {}", dst));
	if (!S_ISLNK(st.st_mode) && ::chmod(dst.c_str(), st.st_mode & 07777) < 0)
		fail(fmt::format("chmod {}", dst));
	const struct timespec times[2] = {st.st_atim, st.st_mtim};
	if (::utimensat(AT_FDCWD, dst.c_str(), times, AT_SYMLINK_NOFOLLOW) < 0)
		fail(fmt::format("set the times of {}", dst));
	copy_xattrs(src, dst);
}

void copy_data(const std::string &src, const std::string &dst)
{
	UniqueFd in(::open(src.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
	if (in.get() < 0)
		fail(fmt::format("open {}", src));
	UniqueFd out(::open(dst.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
	if (out.get() < 0)
		fail(fmt::format("create {}", dst));
	bool range = true;
	std::vector<char> buf;
	for (;;) {
		ssize_t n;
		if (range) {
			n = ::copy_file_range(in.get(), nullptr, out.get(), nullptr, 1 << 30, 0);
			if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
				      errno == EOPNOTSUPP)) {
				range = false;
				continue;
			}
		} else {
			if (buf.empty())
				buf.resize(256 * 1024);
			n = ::read(in.get(), buf.data(), buf.size());
			for (ssize_t done = 0; n > 0 && done < n;) {
				ssize_t w = ::write(out.get(), buf.data() + done,
						    static_cast<std::size_t>(n - done));
				if (w < 0)
					fail(fmt::format("write {}", dst));
				done += w;
			}
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail(fmt::format("copy {} to {}", src, dst));
		}
		if (n == 0)
			break;
	}
}

class Cloner {
public:
	explicit Cloner(const IsUnified &is_unified) : is_unified_(is_unified) {}

	CloneStats run(const std::string &source, const std::string &dest)
	{
		struct stat st;
		if (::stat(source.c_str(), &st) < 0)
			fail(source);
		if (!S_ISDIR(st.st_mode))
			fail(source, ENOTDIR);
		dev_ = st.st_dev;
		directory(source, dest);
		copy_attributes(source, dest, st);
		return stats_;
	}

private:
	void directory(const std::string &src, const std::string &dst)
	{
		DirNames dir = read_dir_names(src);
		if (dir.error)
			fail(fmt::format("{} {}", dir.failed, src), dir.error);
		for (const auto &name : dir.names)
			entry(join(src, name), join(dst, name));
	}

	void entry(const std::string &src, const std::string &dst)
	{
		struct stat st, there;
		if (::lstat(src.c_str(), &st) < 0)
			fail(src);
		bool exists = ::lstat(dst.c_str(), &there) == 0;
		if (exists && S_ISDIR(there.st_mode) != S_ISDIR(st.st_mode)) {
			if (S_ISDIR(there.st_mode))
				fail(fmt::format("{} is a directory, {} is none", dst, src), EISDIR);
			if (::unlink(dst.c_str()) < 0)
				fail(fmt::format("remove {}", dst));
			exists = false;
		} else if (exists && !S_ISDIR(st.st_mode)) {
			if (::unlink(dst.c_str()) < 0)
				fail(fmt::format("remove {}", dst));
			exists = false;
		}

		if (S_ISDIR(st.st_mode)) {
			if (!exists && ::mkdir(dst.c_str(), 0700) < 0)
				fail(fmt::format("mkdir {}", dst));
			if (st.st_dev == dev_)
				directory(src, dst);
			copy_attributes(src, dst, st);
			stats_.copied++;
			return;
		}
		if (S_ISSOCK(st.st_mode))
			return;
		if (st.st_nlink > 1) {
			auto made = made_.find({st.st_dev, st.st_ino});
			if (made != made_.end()) {
				if (::link(made->second.c_str(), dst.c_str()) < 0)
					fail(fmt::format("link {} to {}", made->second, dst));
				return;
			}
			if (S_ISREG(st.st_mode) && is_unified_ && is_unified_(src)) {
				if (::link(src.c_str(), dst.c_str()) == 0) {
					stats_.linked++;
					return;
				}
				if (errno != EXDEV)
					fail(fmt::format("link {} to {}", src, dst));
			}
		}
		if (S_ISREG(st.st_mode)) {
			copy_data(src, dst);
		} else if (S_ISLNK(st.st_mode)) {
			std::string target(static_cast<std::size_t>(st.st_size) + 1, '\0');
			ssize_t n = ::readlink(src.c_str(), target.data(), target.size());
			if (n < 0)
				fail(fmt::format("readlink {}", src));
			target.resize(static_cast<std::size_t>(n));
			if (::symlink(target.c_str(), dst.c_str()) < 0)
				fail(fmt::format("symlink {}", dst));
		} else if (::mknod(dst.c_str(), st.st_mode, st.st_rdev) < 0) {
			fail(fmt::format("mknod {}", dst));
		}
		copy_attributes(src, dst, st);
		stats_.copied++;
		if (st.st_nlink > 1)
			made_.emplace(std::make_pair(st.st_dev, st.st_ino), dst);
	}

	const IsUnified &is_unified_;
	dev_t dev_ = 0;
	CloneStats stats_;
	std::map<std::pair<dev_t, ino_t>, std::string> made_;	// hard-linked files copied
};

} // namespace

CloneStats clone_tree(const std::filesystem::path &source, const std::filesystem::path &dest,
		      const IsUnified &is_unified)
{
	Cloner cloner(is_unified);
	return cloner.run(source.string(), dest.string());
}

} // namespace vserver
