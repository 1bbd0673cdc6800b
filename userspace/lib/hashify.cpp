#include <vserver/hashify.hpp>

#include <vserver/files.hpp>
#include <vserver/iattr.hpp>
#include <vserver/transport.hpp>
#include <vserver/vconfig.hpp>

#include "dir_names.hpp"

#include <nettle/sha2.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fnmatch.h>
#include <map>
#include <set>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace vserver {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t unified_bits = IATTR_IMMUTABLE | IATTR_IXUNLINK;
constexpr std::size_t buffer_size = 256 * 1024;

constexpr std::string_view debian_excludes =
	"# What a Debian guest keeps to itself\n"
	"/etc/\n"
	"/var/log/\n"
	"/var/lib/dpkg/\n"
	"/var/cache/\n"
	"/var/run/\n"
	"/run/\n"
	"/tmp/\n"
	"/var/tmp/\n"
	"/dev/\n"
	"/proc/\n"
	"/sys/\n"
	"/home/\n"
	"/root/\n"
	"/var/spool/\n"
	"/var/mail/\n";

[[noreturn]] void fail_errno(const std::string &what)
{
	throw std::system_error(errno, std::generic_category(), what);
}

std::string_view trim(std::string_view s)
{
	while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
		s.remove_prefix(1);
	while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
		s.remove_suffix(1);
	return s;
}

bool is_glob(std::string_view s)
{
	return s.find_first_of("*?[") != std::string_view::npos;
}

// Is path dir itself or below it?
bool at_or_below(std::string_view path, std::string_view dir)
{
	if (dir == "/")
		return true;
	return path.size() >= dir.size() && path.substr(0, dir.size()) == dir &&
	       (path.size() == dir.size() || path[dir.size()] == '/');
}

UniqueFd open_read(const std::string &path)
{
	int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		fail_errno(fmt::format("open({})", path));
	return UniqueFd(fd);
}

// Read up to size bytes; fewer only at the end of the file.
std::size_t read_full(int fd, unsigned char *buf, std::size_t size, const std::string &what)
{
	std::size_t got = 0;
	while (got < size) {
		ssize_t n = ::read(fd, buf + got, size - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail_errno(fmt::format("read({})", what));
		}
		if (n == 0)
			break;
		got += static_cast<std::size_t>(n);
	}
	return got;
}

// Do the two files hold the same bytes?
bool same_contents(const std::string &a, const std::string &b)
{
	UniqueFd fa = open_read(a), fb = open_read(b);
	thread_local std::vector<unsigned char> ba(buffer_size), bb(buffer_size);

	for (;;) {
		std::size_t na = read_full(fa.get(), ba.data(), ba.size(), a);
		std::size_t nb = read_full(fb.get(), bb.data(), bb.size(), b);
		if (na != nb || std::memcmp(ba.data(), bb.data(), na) != 0)
			return false;
		if (na < ba.size())
			return true;
	}
}

bool same_inode(const struct stat &a, const struct stat &b)
{
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

std::string join(const std::string &dir, const std::string &name)
{
	return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::string mib(std::uint64_t bytes)
{
	return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

class Hashifier {
public:
	Hashifier(Client &client, const HashifyTarget &target, const HashifyOptions &options,
		  const HashifyReport &report)
		: client_(client), target_(target), options_(options), report_(report),
		  hashdir_(target.hashdir.string())
	{
	}

	HashifyStats run()
	{
		prepare();
		walk(target_.root.string(), "/", root_, false);
		return stats_;
	}

private:
	// The checks before anything changes.
	void prepare()
	{
		std::string root = target_.root.string();
		if (::stat(root.c_str(), &root_) < 0)
			throw HashifyError(fmt::format("{}: {}", root, std::strerror(errno)));
		if (!S_ISDIR(root_.st_mode))
			throw HashifyError(fmt::format("{}: not a directory", root));

		struct stat st;
		if (::stat(hashdir_.c_str(), &st) < 0) {
			int err = errno;
			if (err != ENOENT || !target_.make_hashdir)
				throw HashifyError(fmt::format("hash directory {}: {}", hashdir_,
							       std::strerror(err)));
			// the default one, made where it will be
			fs::path parent = target_.hashdir.parent_path();
			if (::stat(parent.c_str(), &st) < 0)
				throw HashifyError(fmt::format("{}: {}", parent.string(),
							       std::strerror(errno)));
			check_same_fs(st, parent.string());
			if (!options_.dry_run) {
				if (::mkdir(hashdir_.c_str(), 0700) < 0 ||
				    ::stat(hashdir_.c_str(), &st) < 0)
					throw HashifyError(fmt::format("cannot make the hash directory "
								       "{}: {}", hashdir_,
								       std::strerror(errno)));
				hashdir_st_ = st;
			}
			return;
		}
		if (!S_ISDIR(st.st_mode))
			throw HashifyError(fmt::format("hash directory {}: not a directory", hashdir_));
		check_same_fs(st, hashdir_);
		hashdir_st_ = st;
	}

	void check_same_fs(const struct stat &st, const std::string &what)
	{
		if (st.st_dev != root_.st_dev)
			throw HashifyError(fmt::format(
				"the hash directory {} is not on the filesystem of {} ({} is "
				"not): hard links cannot cross filesystems; nothing was changed",
				hashdir_, target_.root.string(), what));
	}

	void walk(const std::string &dir, const std::string &rel, const struct stat &dir_st,
		  bool dir_excluded)
	{
		// a directory that cannot be opened has no names; one that
		// cannot be read to the end, those read before
		DirNames listing = read_dir_names(dir);
		if (listing.error)
			failed(dir, fmt::format("{}({}): {}", listing.failed, dir,
						std::strerror(listing.error)));
		std::vector<std::string> &names = listing.names;
		std::sort(names.begin(), names.end());

		for (const auto &name : names) {
			std::string path = join(dir, name), child = join(rel, name);
			struct stat st;
			if (::lstat(path.c_str(), &st) < 0) {
				if (errno != ENOENT)	// gone meanwhile: nothing to do
					failed(path, fmt::format("lstat({}): {}", path, std::strerror(errno)));
				continue;
			}
			bool excluded = target_.excludes.excluded(child, dir_excluded);
			if (S_ISDIR(st.st_mode)) {
				if (st.st_dev != dir_st.st_dev)	// another filesystem
					continue;
				if (hashdir_st_ && same_inode(st, *hashdir_st_))
					continue;
				if (excluded && !target_.excludes.may_include_below(child))
					continue;
				walk(path, child, st, excluded);
			} else if (S_ISREG(st.st_mode) && !excluded) {
				if (name.rfind(".vhashify.", 0) == 0)	// our temporary names
					continue;
				stats_.seen++;
				try {
					file(path, st);
				} catch (const std::system_error &e) {
					failed(path, e.what());
				}
			}
		}
	}

	void failed(const std::string &path, const std::string &why)
	{
		stats_.failed++;
		report_(HashifyOutcome::failed, path, why);
	}

	void skipped(const std::string &path, const std::string &why)
	{
		stats_.skipped++;
		report_(HashifyOutcome::skipped, path, why);
	}

	void file(const std::string &path, const struct stat &lst)
	{
		if (lst.st_size == 0) {
			skipped(path, "empty");
			return;
		}
		vcmd_ctx_fiattr_v0 attr = client_.get_iattr(path);
		bool unified = (attr.flags & unified_bits) == unified_bits;
		if (!unified && (attr.flags & (unified_bits | IATTR_COW))) {
			skipped(path, fmt::format("has attributes of its own ({})",
						  quoted_iattr_bits(attr.flags & (unified_bits |
										   IATTR_COW))));
			return;
		}
		if (lst.st_nlink > 1 && !unified) {
			skipped(path, "hard-linked elsewhere, not unified");
			return;
		}
		if (lst.st_nlink > 1 && !options_.refresh) {
			stats_.already++;
			report_(HashifyOutcome::already, path, "");
			return;
		}

		UniqueFd fd = open_read(path);
		struct stat st;
		if (::fstat(fd.get(), &st) < 0)
			fail_errno(fmt::format("fstat({})", path));
		if (!same_inode(st, lst) || !S_ISREG(st.st_mode)) {
			skipped(path, "changed while it was looked at");
			return;
		}
		std::string name = store_name(sha256_hex(fd.get(), path), st);
		std::string store = join(hashdir_, name);
		struct stat sst;
		bool there = ::lstat(store.c_str(), &sst) == 0;
		if (!there && errno != ENOENT)
			fail_errno(fmt::format("lstat({})", store));

		if (!there && options_.dry_run) {
			auto [it, fresh] = would_store_.emplace(store, path);
			if (fresh) {
				stats_.stored++;
				report_(HashifyOutcome::stored, path, store);
			} else {
				link_to(path, st, it->second, store);
			}
			return;
		}
		if (!there) {
			if (store_file(fd.get(), path, st, attr, store))
				return;
			// someone else stored it meanwhile
			if (::lstat(store.c_str(), &sst) < 0)
				fail_errno(fmt::format("lstat({})", store));
		}
		if (!S_ISREG(sst.st_mode)) {
			failed(path, fmt::format("{}: {} in the hash directory is not a regular file", path, store));
			return;
		}
		if (same_inode(sst, st)) {
			ensure_store_attributes(store, sst, std::nullopt);
			stats_.already++;
			report_(HashifyOutcome::already, path, "");
			return;
		}
		link_to(path, st, store, store);
	}

	// Replace path by a link to store (compared with the file compare_with,
	// which is store or, in a dry run, the file that would be it).
	void link_to(const std::string &path, const struct stat &st, const std::string &compare_with,
		     const std::string &store)
	{
		if (!same_contents(path, compare_with)) {
			stats_.skipped++;
			report_(HashifyOutcome::differs, path,
				fmt::format("has the SHA-256, size, mode and owner of {} but other "
					    "contents; left alone", compare_with));
			return;
		}
		if (!options_.dry_run) {
			struct stat sst;
			if (::lstat(store.c_str(), &sst) < 0)
				fail_errno(fmt::format("lstat({})", store));
			ensure_store_attributes(store, sst, std::nullopt);
			std::string dir = fs::path(path).parent_path().string();
			std::string tmp;
			for (;;) {
				tmp = join(dir, fmt::format(".vhashify.{}.{}", ::getpid(), counter_++));
				if (::link(store.c_str(), tmp.c_str()) == 0)
					break;
				if (errno != EEXIST)
					fail_errno(fmt::format("link({}, {})", store, tmp));
			}
			if (::rename(tmp.c_str(), path.c_str()) < 0) {
				int err = errno;
				::unlink(tmp.c_str());
				throw std::system_error(err, std::generic_category(),
							fmt::format("rename({}, {})", tmp, path));
			}
		}
		stats_.linked++;
		if (st.st_nlink == 1)
			stats_.bytes_saved += static_cast<std::uint64_t>(st.st_size);
		report_(HashifyOutcome::linked, path, store);
	}

	// Make path (open as fd, attributes attr) the store file.  False when
	// store exists already (someone was quicker).
	bool store_file(int fd, const std::string &path, const struct stat &st,
			const vcmd_ctx_fiattr_v0 &attr, const std::string &store)
	{
		std::string subdir = fs::path(store).parent_path().string();
		if (::mkdir(subdir.c_str(), 0700) < 0 && errno != EEXIST)
			fail_errno(fmt::format("mkdir({})", subdir));
		if (::link(path.c_str(), store.c_str()) < 0) {
			if (errno == EEXIST)
				return false;
			fail_errno(fmt::format("link({}, {})", path, store));
		}
		try {
			ensure_store_attributes(store, st, attr);
		} catch (...) {
			::unlink(store.c_str());
			throw;
		}
		// A writer between the hash and now: the store would lie.
		struct stat now;
		if (::fstat(fd, &now) < 0 || now.st_size != st.st_size ||
		    now.st_mtim.tv_sec != st.st_mtim.tv_sec ||
		    now.st_mtim.tv_nsec != st.st_mtim.tv_nsec) {
			std::uint32_t mask = unified_bits | (attr.mask & IATTR_TAG);
			client_.set_iattr(store, attr.flags & unified_bits, mask, attr.tag);
			checked_.erase({st.st_dev, st.st_ino});
			::unlink(store.c_str());
			skipped(path, "written while it was hashed; left alone");
			return true;
		}
		stats_.stored++;
		report_(HashifyOutcome::stored, path, store);
		return true;
	}

	// A store file is immutable and unlinkable, and, where files have
	// tags, of tag 0: it counts for no guest.  Once per store file a run.
	void ensure_store_attributes(const std::string &store, const struct stat &st,
				     std::optional<vcmd_ctx_fiattr_v0> known)
	{
		if (options_.dry_run || !checked_.insert({st.st_dev, st.st_ino}).second)
			return;
		vcmd_ctx_fiattr_v0 attr = known ? *known : client_.get_iattr(store);
		bool tags = attr.mask & IATTR_TAG;
		if ((attr.flags & unified_bits) == unified_bits && (!tags || attr.tag == 0))
			return;
		client_.set_iattr(store, unified_bits, unified_bits | (tags ? IATTR_TAG : 0), 0);
	}

	Client &client_;
	const HashifyTarget &target_;
	const HashifyOptions &options_;
	const HashifyReport &report_;
	std::string hashdir_;
	struct stat root_ {};
	std::optional<struct stat> hashdir_st_;
	HashifyStats stats_;
	std::set<std::pair<dev_t, ino_t>> checked_;	// store files with their attributes
	std::map<std::string, std::string> would_store_;	// dry run: store name -> file
	unsigned long counter_ = 0;
};

} // namespace

UnifyExcludes UnifyExcludes::parse(std::string_view text, const std::string &file)
{
	UnifyExcludes list;
	std::vector<std::string> errors;
	unsigned n = 0;

	while (!text.empty()) {
		auto nl = text.find('\n');
		std::string_view line = trim(text.substr(0, nl));
		text.remove_prefix(nl == text.npos ? text.size() : nl + 1);
		n++;
		if (line.empty() || line.front() == '#')
			continue;
		Rule rule{"", false, false};
		std::string_view pattern = line;
		if (pattern.front() == '+' || pattern.front() == '-' || pattern.front() == '~') {
			rule.include = pattern.front() == '+';
			pattern = trim(pattern.substr(1));
		}
		rule.glob = is_glob(pattern);
		if (pattern.empty()) {
			errors.push_back(fmt::format("{}:{}: '{}' names no path", file, n, line));
			continue;
		}
		if (pattern.front() != '/' && !(rule.glob && pattern.front() == '*')) {
			errors.push_back(fmt::format(
				"{}:{}: '{}' is neither an absolute path in the guest nor a glob "
				"starting with '/' or '*'", file, n, pattern));
			continue;
		}
		while (!rule.glob && pattern.size() > 1 && pattern.back() == '/')
			pattern.remove_suffix(1);
		rule.pattern = pattern;
		list.rules_.push_back(std::move(rule));
	}
	if (!errors.empty()) {
		std::string all;
		for (const auto &e : errors)
			all += (all.empty() ? "" : "\n") + e;
		throw std::invalid_argument(all);
	}
	return list;
}

std::string_view UnifyExcludes::debian_default_text()
{
	return debian_excludes;
}

UnifyExcludes UnifyExcludes::debian_default()
{
	return parse(debian_excludes, "(built-in list)");
}

bool UnifyExcludes::matches(const Rule &rule, std::string_view path)
{
	if (!rule.glob)
		return at_or_below(path, rule.pattern);
	return ::fnmatch(rule.pattern.c_str(), std::string(path).c_str(), 0) == 0;
}

bool UnifyExcludes::excluded(std::string_view path, bool parent_excluded) const
{
	for (const auto &rule : rules_)
		if (matches(rule, path))
			return !rule.include;
	return parent_excluded;
}

bool UnifyExcludes::may_include_below(std::string_view dir) const
{
	std::string below = dir == "/" ? "/" : std::string(dir) + "/";
	for (const auto &rule : rules_) {
		if (!rule.include)
			continue;
		// the part before the first wildcard (all of a path)
		std::string_view fixed = rule.pattern;
		if (rule.glob)
			fixed = fixed.substr(0, fixed.find_first_of("*?["));
		else if (fixed != "/")
			fixed = rule.pattern + "/";
		// one of the two starts with the other: the rule may reach below dir
		std::size_t common = std::min(fixed.size(), below.size());
		if (fixed.substr(0, common) == std::string_view(below).substr(0, common))
			return true;
	}
	return false;
}

std::string sha256_hex(int fd, const std::string &what)
{
	sha256_ctx ctx;
	thread_local std::vector<unsigned char> buf(buffer_size);
	sha256_init(&ctx);
	for (;;) {
		std::size_t n = read_full(fd, buf.data(), buf.size(), what);
		sha256_update(&ctx, n, buf.data());
		if (n < buf.size())
			break;
	}
	std::uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_digest(&ctx, sizeof(digest), digest);
	std::string hex;
	hex.reserve(2 * sizeof(digest));
	for (auto b : digest)
		hex += fmt::format("{:02x}", b);
	return hex;
}

std::string store_name(std::string_view hex, const struct stat &st)
{
	return fmt::format("{}/{}-{}-{:o}-{}-{}", hex.substr(0, 2), hex.substr(2),
			   static_cast<long long>(st.st_size), st.st_mode & 07777, st.st_uid,
			   st.st_gid);
}

HashifyTarget guest_hashify_target(const fs::path &confdir, const std::string &name)
{
	fs::path cfgdir = confdir / name;
	std::error_code ec;
	if (!fs::is_directory(cfgdir, ec))
		throw HashifyError(fmt::format("no such guest: {} is not a directory",
					       cfgdir.string()));
	HashifyTarget target;
	auto guest = read_vserver_identity(cfgdir);
	target.root = guest.vdir.lexically_normal();
	if (!target.root.has_filename() && target.root.has_parent_path())	// "/vservers/web/"
		target.root = target.root.parent_path();
	struct stat root;
	if (::stat(target.root.c_str(), &root) < 0)
		throw HashifyError(fmt::format("the guest's root {}: {}", target.root.string(),
					       std::strerror(errno)));
	if (!S_ISDIR(root.st_mode))
		throw HashifyError(fmt::format("the guest's root {}: not a directory",
					       target.root.string()));

	fs::path own = cfgdir / "apps/vunify/hash";
	fs::path shared = confdir / ".defaults/apps/vunify/hash";
	if (fs::exists(fs::symlink_status(own, ec))) {
		if (!fs::is_directory(own, ec))
			throw HashifyError(fmt::format("{}: not a directory nor a symbolic link to one",
						       own.string()));
		target.hashdir = own;
	} else if (fs::is_directory(shared, ec) && !fs::is_empty(shared, ec)) {
		std::vector<fs::path> entries;
		for (const auto &e : fs::directory_iterator(shared, ec))
			entries.push_back(e.path());
		std::sort(entries.begin(), entries.end());
		for (const auto &e : entries) {
			struct stat st;
			if (::stat(e.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
			    st.st_dev == root.st_dev) {
				target.hashdir = e;
				break;
			}
		}
		if (target.hashdir.empty())
			throw HashifyError(fmt::format(
				"no entry of {} is a directory on the filesystem of {}: hard links "
				"cannot cross filesystems", shared.string(), target.root.string()));
	} else {
		target.hashdir = target.root.parent_path() / ".hash";
		target.make_hashdir = true;
	}

	fs::path excludes[] = {cfgdir / "apps/vunify/exclude",
			       confdir / ".defaults/apps/vunify/exclude"};
	target.excludes = UnifyExcludes::debian_default();
	for (const auto &file : excludes) {
		if (!fs::exists(fs::symlink_status(file, ec)))
			continue;
		try {
			target.excludes = UnifyExcludes::parse(read_file(file), file.string());
		} catch (const std::system_error &e) {
			throw HashifyError(e.what());
		}
		break;
	}
	return target;
}

std::string_view outcome_word(HashifyOutcome outcome)
{
	switch (outcome) {
	case HashifyOutcome::linked:
		return "unified";
	case HashifyOutcome::stored:
		return "stored";
	case HashifyOutcome::already:
		return "already";
	case HashifyOutcome::skipped:
		return "skipped";
	case HashifyOutcome::differs:
		return "differs";
	case HashifyOutcome::failed:
		return "failed";
	}
	return "?";
}

HashifyStats hashify(Client &client, const HashifyTarget &target, const HashifyOptions &options,
		     const HashifyReport &report)
{
	Hashifier h(client, target, options, report);
	return h.run();
}

std::string hashify_summary(const HashifyStats &s, bool dry_run)
{
	std::string out;
	auto line = [&](std::string_view what, std::string value) {
		out += fmt::format("{:<17}{}\n", std::string(what) + ":", value);
	};
	if (dry_run)
		out += "dry run (-n): nothing was changed; what would be done:\n";
	line("files seen", std::to_string(s.seen));
	line(dry_run ? "would unify" : "unified now",
	     fmt::format("{} ({} new in the hash directory)", s.unified_now(), s.stored));
	line("already unified", std::to_string(s.already));
	line("skipped", std::to_string(s.skipped));
	if (s.failed)
		line("failed", std::to_string(s.failed));
	line(dry_run ? "would save" : "bytes saved",
	     fmt::format("{} ({})", s.bytes_saved, mib(s.bytes_saved)));
	return out;
}

} // namespace vserver
