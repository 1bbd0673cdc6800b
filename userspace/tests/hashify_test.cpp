// Unification (vhashify): the exclude list, the store's names, and
// hashify on temporary trees with a fake kernel keeping the attributes.
#include "mock_transport.hpp"
#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <vserver/client.hpp>
#include <vserver/files.hpp>
#include <vserver/hashify.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace vserver::test {
namespace {

namespace fs = std::filesystem;

using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::NiceMock;
using ::testing::StartsWith;

constexpr std::uint32_t unified = IATTR_IMMUTABLE | IATTR_IXUNLINK;

// ---- the exclude list

TEST(UnifyExcludes, PathsAreSubtreesGlobsMatchWholePaths)
{
	auto l = UnifyExcludes::parse("# comment\n\n/etc/\n  /var/log  \n/opt/*.bak\n*.pid\n", "x");
	EXPECT_EQ(l.size(), 4u);
	EXPECT_TRUE(l.excluded("/etc"));
	EXPECT_TRUE(l.excluded("/etc/passwd"));
	EXPECT_TRUE(l.excluded("/etc/a/b/c"));
	EXPECT_FALSE(l.excluded("/etcetera"));
	EXPECT_TRUE(l.excluded("/var/log/syslog"));
	EXPECT_FALSE(l.excluded("/var/logs"));
	EXPECT_TRUE(l.excluded("/opt/x.bak"));
	EXPECT_TRUE(l.excluded("/opt/sub/x.bak"));	// '*' matches '/' too
	EXPECT_FALSE(l.excluded("/opt/x.bak2"));
	EXPECT_TRUE(l.excluded("/run/sshd.pid"));
	EXPECT_FALSE(l.excluded("/usr/bin/ls"));
}

TEST(UnifyExcludes, FirstMatchDecidesPlusReincludes)
{
	auto l = UnifyExcludes::parse("+/etc/init.d/\n/etc/\n-/usr/share/doc\n~/srv\n", "x");
	EXPECT_FALSE(l.excluded("/etc/init.d"));
	EXPECT_FALSE(l.excluded("/etc/init.d/ssh"));
	EXPECT_TRUE(l.excluded("/etc/passwd"));
	EXPECT_TRUE(l.excluded("/etc"));
	EXPECT_TRUE(l.excluded("/usr/share/doc/x"));
	EXPECT_TRUE(l.excluded("/srv/a"));
	// the walk still goes into /etc, for /etc/init.d; not into /usr/share/doc
	EXPECT_TRUE(l.may_include_below("/etc"));
	EXPECT_FALSE(l.may_include_below("/usr/share/doc"));
	EXPECT_FALSE(l.may_include_below("/etc/init.dx"));
	// a re-include after the broader exclude never matches
	auto late = UnifyExcludes::parse("/etc/\n+/etc/init.d/\n", "x");
	EXPECT_TRUE(late.excluded("/etc/init.d/ssh"));
}

TEST(UnifyExcludes, WhatNoLineMatchesIsAsItsDirectory)
{
	auto l = UnifyExcludes::parse("+/opt/keep\n/opt/*/\n", "x");
	EXPECT_FALSE(l.excluded("/opt/a/file", false));
	EXPECT_TRUE(l.excluded("/opt/a/file", true));
	EXPECT_FALSE(l.excluded("/opt/keep/file", true));
	EXPECT_TRUE(l.may_include_below("/opt"));
	// a glob re-include: its part before the wildcard says where
	auto g = UnifyExcludes::parse("+/usr/*/keep\n/usr/\n", "x");
	EXPECT_TRUE(g.may_include_below("/usr/lib"));
	EXPECT_FALSE(g.may_include_below("/var"));
}

TEST(UnifyExcludes, BadLinesAreAllNamed)
{
	EXPECT_EQ(what_thrown<std::invalid_argument>([] {
			  UnifyExcludes::parse("/ok\netc/passwd\n+\n/also/ok\nfoo*\n", "/e/exclude");
		  }),
		  "/e/exclude:2: 'etc/passwd' is neither an absolute path in the guest nor a glob "
		  "starting with '/' or '*'\n"
		  "/e/exclude:3: '+' names no path\n"
		  "/e/exclude:5: 'foo*' is neither an absolute path in the guest nor a glob "
		  "starting with '/' or '*'");
}

TEST(UnifyExcludes, DebianDefault)
{
	auto l = UnifyExcludes::debian_default();
	EXPECT_EQ(l.size(), 15u);
	for (const char *p : {"/etc/passwd", "/var/log/x", "/var/lib/dpkg/status", "/var/cache/apt/x",
			      "/var/run/x", "/run/x", "/tmp/x", "/var/tmp/x", "/dev/null", "/proc/1",
			      "/sys/x", "/home/u/x", "/root/.bashrc", "/var/spool/cron/x",
			      "/var/mail/root"})
		EXPECT_TRUE(l.excluded(p)) << p;
	for (const char *p : {"/usr/bin/ls", "/lib/x", "/var/lib/apt/lists/x", "/bin/sh", "/opt/x"})
		EXPECT_FALSE(l.excluded(p)) << p;
}

// ---- hashes and store names

TEST(Sha256, KnownDigests)
{
	TempDir tmp;
	auto abc = tmp.write("abc", "abc");
	int fd = ::open(abc.c_str(), O_RDONLY);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(sha256_hex(fd, "abc"),
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	::close(fd);
	// more than one read buffer (256 KiB) of 'a'
	auto big = tmp.write("big", std::string(1000000, 'a'));
	fd = ::open(big.c_str(), O_RDONLY);
	EXPECT_EQ(sha256_hex(fd, "big"),
		  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	::close(fd);
}

TEST(StoreName, HashSizeModeOwner)
{
	struct stat st {};
	st.st_size = 1234;
	st.st_mode = S_IFREG | 04755;
	st.st_uid = 0;
	st.st_gid = 50;
	std::string hex(64, 'f');
	hex[0] = 'a';
	hex[1] = 'b';
	EXPECT_EQ(store_name(hex, st), "ab/" + std::string(62, 'f') + "-1234-4755-0-50");
}

// ---- hashify

// The kernel's inode attributes, by inode: what get_iattr/set_iattr see.
class FakeKernel {
public:
	explicit FakeKernel(MockTransport &t)
	{
		ON_CALL(t, call(_)).WillByDefault(Invoke([this](const vserver_call &c) {
			return call(c);
		}));
	}

	struct Attr {
		std::uint32_t flags = 0;
		std::uint32_t tag = 0;
	};

	Attr &of(const fs::path &path)
	{
		struct stat st;
		EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
		return attrs[st.st_ino];
	}

	bool keeps_tags = true;
	std::uint32_t default_tag = 42;	// what a file not yet set has (a guest's)
	int fail_set = 0;		// errno for set_iattr
	std::vector<std::string> sets;	// the paths set_iattr was called for
	std::map<ino_t, Attr> attrs;

private:
	long call(const vserver_call &c)
	{
		vcmd_ctx_iattr_v1 d;
		std::memcpy(&d, reinterpret_cast<const void *>(c.data), sizeof(d));
		const char *name = reinterpret_cast<const char *>(d.name);
		struct stat st;
		if (::lstat(name, &st) < 0)
			return -errno;
		auto [it, fresh] = attrs.try_emplace(st.st_ino);
		if (fresh)
			it->second.tag = default_tag;
		Attr &a = it->second;
		std::uint32_t applies = S_ISREG(st.st_mode) ? unified : 0;
		if (keeps_tags && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
			applies |= IATTR_TAG;
		if (c.cmd == VCMD_get_iattr) {
			d.flags = a.flags;
			d.mask = applies;
			d.tag = keeps_tags ? a.tag : 0;
			std::memcpy(reinterpret_cast<void *>(c.data), &d, sizeof(d));
			return 0;
		}
		if (c.cmd == VCMD_set_iattr) {
			sets.emplace_back(name);
			if (fail_set)
				return -fail_set;
			if (d.mask & ~applies)
				return -EINVAL;
			a.flags = (a.flags & ~d.mask) | (d.flags & d.mask & ~IATTR_TAG);
			if (d.mask & IATTR_TAG)
				a.tag = d.tag;
			return 0;
		}
		return -ENOSYS;
	}
};

struct Reported {
	HashifyOutcome outcome;
	std::string path;
	std::string detail;
};

class Hashify : public ::testing::Test {
protected:
	Hashify() : kernel(transport), client(transport)
	{
		target.root = tmp.mkdir("vservers");
		target.hashdir = tmp.mkdir("vservers/.hash");
	}

	HashifyStats run()
	{
		said.clear();
		return hashify(client, target, options, [this](HashifyOutcome o, const std::string &p,
							      const std::string &d) {
			said.push_back({o, p, d});
		});
	}

	fs::path write(const std::string &rel, std::string_view text, mode_t mode = 0644)
	{
		auto p = tmp.write("vservers/" + rel, text);
		fs::permissions(p, fs::perms(mode));
		return p;
	}

	static ino_t ino(const fs::path &p)
	{
		struct stat st;
		return ::lstat(p.c_str(), &st) == 0 ? st.st_ino : 0;
	}
	static nlink_t links(const fs::path &p)
	{
		struct stat st;
		return ::lstat(p.c_str(), &st) == 0 ? st.st_nlink : 0;
	}
	// The paths reported with outcome o, relative to the root.
	std::vector<std::string> with(HashifyOutcome o) const
	{
		std::vector<std::string> out;
		for (const auto &r : said)
			if (r.outcome == o)
				out.push_back(fs::path(r.path).lexically_relative(target.root).string());
		return out;
	}
	std::size_t store_files() const
	{
		std::size_t n = 0;
		for (const auto &e : fs::recursive_directory_iterator(target.hashdir))
			n += e.is_regular_file();
		return n;
	}

	TempDir tmp;
	NiceMock<MockTransport> transport;
	FakeKernel kernel;
	Client client;
	HashifyTarget target;
	HashifyOptions options;
	std::vector<Reported> said;
};

TEST_F(Hashify, TwoGuestsShareOneInode)
{
	std::string big(100000, 'x');
	auto a = write("a/usr/bin/tool", big, 0755);
	auto b = write("b/usr/bin/tool", big, 0755);
	auto c = write("c/usr/bin/tool", big, 0755);
	auto own = write("a/usr/bin/own", "only in a");

	auto s = run();
	EXPECT_EQ(s.seen, 4u);
	EXPECT_EQ(s.stored, 2u);	// a's tool and own
	EXPECT_EQ(s.linked, 2u);	// b's and c's tool
	EXPECT_EQ(s.unified_now(), 4u);
	EXPECT_EQ(s.already, 0u);
	EXPECT_EQ(s.bytes_saved, 200000u);
	EXPECT_EQ(s.failed, 0u);
	EXPECT_EQ(ino(a), ino(b));
	EXPECT_EQ(ino(a), ino(c));
	EXPECT_EQ(links(a), 4u);	// three guests and the store
	EXPECT_EQ(links(own), 2u);
	EXPECT_EQ(read_file(b), big);
	EXPECT_EQ(fs::status(b).permissions(), fs::perms(0755));
	EXPECT_EQ(store_files(), 2u);

	// the store file: named by hash, size, mode, owner; immutable,
	// unlinkable, tag 0
	struct stat st;
	ASSERT_EQ(::stat(a.c_str(), &st), 0);
	int fd = ::open(a.c_str(), O_RDONLY);
	std::string name = store_name(sha256_hex(fd, "a"), st);
	::close(fd);
	EXPECT_THAT(name, HasSubstr(fmt::format("-100000-755-{}-{}", st.st_uid, st.st_gid)));
	EXPECT_EQ(ino(target.hashdir / name), ino(a));
	EXPECT_EQ(kernel.of(a).flags, unified);
	EXPECT_EQ(kernel.of(a).tag, 0u);
	EXPECT_EQ(kernel.of(own).tag, 0u);
	// no temporary names left behind
	for (const auto &e : fs::recursive_directory_iterator(target.root))
		EXPECT_THAT(e.path().filename().string(), ::testing::Not(StartsWith(".vhashify")));
	EXPECT_EQ(fs::status(target.hashdir / name.substr(0, 2)).permissions(), fs::perms(0700));

	// again: everything is unified already, nothing is set
	kernel.sets.clear();
	s = run();
	EXPECT_EQ(s.seen, 4u);
	EXPECT_EQ(s.already, 4u);
	EXPECT_EQ(s.unified_now(), 0u);
	EXPECT_EQ(s.bytes_saved, 0u);
	EXPECT_TRUE(kernel.sets.empty());
}

TEST_F(Hashify, WithoutTagsOnlyTheFlagsAreSet)
{
	kernel.keeps_tags = false;
	auto a = write("a/f", "same");
	auto b = write("b/f", "same");
	run();
	EXPECT_EQ(ino(a), ino(b));
	EXPECT_EQ(kernel.of(a).flags, unified);
	EXPECT_EQ(kernel.sets.size(), 1u);	// once, for the new store file
}

TEST_F(Hashify, OwnerOrModeKeepFilesApart)
{
	auto a = write("a/f", "same", 0644);
	auto b = write("b/f", "same", 0600);
	auto c = write("c/f", "same", 0644);
	ASSERT_EQ(::chown(c.c_str(), 1234, 1234), 0);
	auto s = run();
	EXPECT_EQ(s.stored, 3u);
	EXPECT_EQ(s.linked, 0u);
	EXPECT_NE(ino(a), ino(b));
	EXPECT_NE(ino(a), ino(c));
}

TEST_F(Hashify, SkipsEmptyHardLinkedExcludedAndSpecialFiles)
{
	write("a/empty", "");
	auto one = write("a/linked", "data");
	fs::create_hard_link(one, target.root / "a/linked2");
	write("b/linked", "data");
	auto etc = write("a/etc/passwd", "data");
	write("b/etc/passwd", "data");
	fs::create_symlink("linked", target.root / "b/symlink");
	ASSERT_EQ(::mkfifo((target.root / "b/fifo").c_str(), 0600), 0);
	kernel.of(one);	// (the fake's tag default)
	target.excludes = UnifyExcludes::parse("/a/etc/\n/b/etc/passwd\n", "x");

	auto s = run();
	EXPECT_EQ(s.seen, 4u);		// empty, linked, linked2, b/linked
	EXPECT_EQ(s.skipped, 3u);
	EXPECT_EQ(s.stored, 1u);	// b/linked
	EXPECT_EQ(s.linked, 0u);
	EXPECT_THAT(with(HashifyOutcome::skipped),
		    ::testing::UnorderedElementsAre("a/empty", "a/linked", "a/linked2"));
	EXPECT_EQ(links(one), 2u);
	EXPECT_EQ(links(etc), 1u);
	EXPECT_EQ(kernel.of(etc).flags, 0u);
	auto linked = std::find_if(said.begin(), said.end(),
				   [](const Reported &r) { return r.path.ends_with("a/linked"); });
	ASSERT_NE(linked, said.end());
	EXPECT_EQ(linked->detail, "hard-linked elsewhere, not unified");
}

TEST_F(Hashify, FilesWithAttributesOfTheirOwnAreLeftAlone)
{
	auto a = write("a/f", "same");
	auto b = write("b/f", "same");
	kernel.of(b).flags = IATTR_IMMUTABLE;
	auto s = run();
	EXPECT_EQ(s.stored, 1u);
	EXPECT_EQ(s.skipped, 1u);
	EXPECT_NE(ino(a), ino(b));
	EXPECT_EQ(said.at(1).detail, "has attributes of its own ('immutable')");
}

TEST_F(Hashify, DryRunChangesNothing)
{
	auto a = write("a/f", "same");
	auto b = write("b/f", "same");
	auto c = write("c/g", "other");
	ino_t ia = ino(a), ib = ino(b);
	options.dry_run = true;
	auto s = run();
	EXPECT_EQ(s.stored, 2u);
	EXPECT_EQ(s.linked, 1u);
	EXPECT_EQ(s.bytes_saved, 4u);
	EXPECT_EQ(ino(a), ia);
	EXPECT_EQ(ino(b), ib);
	EXPECT_EQ(store_files(), 0u);
	EXPECT_TRUE(kernel.sets.empty());
	EXPECT_TRUE(fs::is_empty(target.hashdir));
	EXPECT_THAT(hashify_summary(s, true), StartsWith("dry run (-n): nothing was changed"));
	EXPECT_THAT(hashify_summary(s, true), HasSubstr("would unify:     3 (2 new in the hash directory)\n"));
}

TEST_F(Hashify, SameNameOtherContentsIsACollisionLeftAlone)
{
	auto a = write("a/f", "real contents");
	struct stat st;
	ASSERT_EQ(::stat(a.c_str(), &st), 0);
	int fd = ::open(a.c_str(), O_RDONLY);
	std::string name = store_name(sha256_hex(fd, "a"), st);
	::close(fd);
	// a store file of that name, other bytes of the same size
	auto fake = target.hashdir / name;
	fs::create_directories(fake.parent_path());
	{
		std::ofstream(fake) << "fake contents";
	}
	fs::permissions(fake, fs::perms(st.st_mode & 07777));
	ino_t before = ino(a);
	auto s = run();
	EXPECT_EQ(s.skipped, 1u);
	EXPECT_EQ(s.linked, 0u);
	EXPECT_EQ(ino(a), before);
	EXPECT_EQ(read_file(a), "real contents");
	ASSERT_EQ(with(HashifyOutcome::differs).size(), 1u);
	EXPECT_THAT(said.at(0).detail, HasSubstr("other contents; left alone"));
}

TEST_F(Hashify, RefreshRestoresAStoreFileThatWasRemoved)
{
	auto a = write("a/f", "same");
	auto b = write("b/f", "same");
	run();
	fs::remove_all(target.hashdir);
	fs::create_directory(target.hashdir);
	ASSERT_EQ(links(a), 2u);	// a and b: unified, but not in the store

	auto s = run();	// without --refresh: taken as unified
	EXPECT_EQ(s.already, 2u);
	EXPECT_EQ(store_files(), 0u);

	options.refresh = true;
	s = run();
	EXPECT_EQ(s.stored, 1u);
	EXPECT_EQ(s.already, 1u);
	EXPECT_EQ(store_files(), 1u);
	EXPECT_EQ(links(a), 3u);
	EXPECT_EQ(ino(a), ino(b));
}

TEST_F(Hashify, AFailedSetIattrLeavesTheFileAsItWas)
{
	auto a = write("a/f", "same");
	kernel.fail_set = EPERM;
	auto s = run();
	EXPECT_EQ(s.failed, 1u);
	EXPECT_EQ(s.stored, 0u);
	EXPECT_EQ(store_files(), 0u);
	EXPECT_EQ(links(a), 1u);
	ASSERT_EQ(with(HashifyOutcome::failed).size(), 1u);
	EXPECT_THAT(said.at(0).detail, HasSubstr("set_iattr("));
	EXPECT_THAT(said.at(0).detail, HasSubstr("Operation not permitted"));
}

TEST_F(Hashify, TheHashDirectoryIsNotWalked)
{
	write("a/f", "same");
	run();
	auto s = run();
	EXPECT_EQ(s.seen, 1u);
}

TEST_F(Hashify, SetupErrorsChangeNothing)
{
	auto a = write("a/f", "same");
	target.hashdir = "/proc/sys";	// a directory on another filesystem
	EXPECT_THAT(what_thrown<HashifyError>([this] { run(); }),
		    StartsWith("the hash directory /proc/sys is not on the filesystem of " +
			       target.root.string()));
	target.hashdir = tmp.path() / "missing";
	EXPECT_EQ(what_thrown<HashifyError>([this] { run(); }),
		  "hash directory " + target.hashdir.string() + ": No such file or directory");
	target.hashdir = a;
	EXPECT_EQ(what_thrown<HashifyError>([this] { run(); }),
		  "hash directory " + a.string() + ": not a directory");
	target.hashdir = tmp.path() / "vservers/.hash";
	target.root = tmp.path() / "nosuch";
	EXPECT_EQ(what_thrown<HashifyError>([this] { run(); }),
		  target.root.string() + ": No such file or directory");
	EXPECT_EQ(links(a), 1u);
	EXPECT_TRUE(kernel.sets.empty());
}

TEST_F(Hashify, TheDefaultHashDirectoryIsMadeOnlyWhenChanging)
{
	write("a/f", "same");
	fs::remove(target.hashdir);
	target.make_hashdir = true;
	options.dry_run = true;
	run();
	EXPECT_FALSE(fs::exists(target.hashdir));
	options.dry_run = false;
	run();
	EXPECT_EQ(fs::status(target.hashdir).permissions(), fs::perms(0700));
	EXPECT_EQ(store_files(), 1u);
}

TEST(HashifySummary, OneLineEach)
{
	HashifyStats s;
	s.seen = 10;
	s.linked = 4;
	s.stored = 2;
	s.already = 3;
	s.skipped = 1;
	s.bytes_saved = 3 * 1024 * 1024;
	EXPECT_EQ(hashify_summary(s, false),
		  "files seen:      10\n"
		  "unified now:     6 (2 new in the hash directory)\n"
		  "already unified: 3\n"
		  "skipped:         1\n"
		  "bytes saved:     3145728 (3.0 MiB)\n");
	s.failed = 2;
	EXPECT_THAT(hashify_summary(s, false), HasSubstr("failed:          2\n"));
}

// ---- the target of 'vhashify NAME'

class GuestTarget : public ::testing::Test {
protected:
	GuestTarget()
	{
		root = tmp.mkdir("vservers/web");
		tmp.mkdir("etc/web");
		fs::create_directory_symlink(root, tmp.path() / "etc/web/vdir");
	}
	HashifyTarget target() { return guest_hashify_target(tmp.path() / "etc", "web"); }

	TempDir tmp;
	fs::path root;
};

TEST_F(GuestTarget, Defaults)
{
	auto t = target();
	EXPECT_EQ(t.root, root);
	EXPECT_EQ(t.hashdir, tmp.path() / "vservers/.hash");
	EXPECT_TRUE(t.make_hashdir);
	EXPECT_EQ(t.excludes.size(), 15u);
	EXPECT_FALSE(fs::exists(t.hashdir));	// made by hashify, not here
}

TEST_F(GuestTarget, TheGuestsOwnThenTheDefaults)
{
	auto shared = tmp.mkdir("store");
	tmp.mkdir("etc/.defaults/apps/vunify/hash");
	fs::create_directory_symlink("/proc", tmp.path() / "etc/.defaults/apps/vunify/hash/0-proc");
	fs::create_directory_symlink(shared, tmp.path() / "etc/.defaults/apps/vunify/hash/1-here");
	tmp.write("etc/.defaults/apps/vunify/exclude", "/a\n/b\n");
	auto t = target();
	EXPECT_EQ(t.hashdir, tmp.path() / "etc/.defaults/apps/vunify/hash/1-here");
	EXPECT_FALSE(t.make_hashdir);
	EXPECT_EQ(t.excludes.size(), 2u);

	auto own = tmp.mkdir("own-store");
	fs::create_directories(tmp.path() / "etc/web/apps/vunify");
	fs::create_directory_symlink(own, tmp.path() / "etc/web/apps/vunify/hash");
	tmp.write("etc/web/apps/vunify/exclude", "/only\n");
	t = target();
	EXPECT_EQ(t.hashdir, tmp.path() / "etc/web/apps/vunify/hash");
	EXPECT_EQ(t.excludes.size(), 1u);
}

TEST_F(GuestTarget, Errors)
{
	EXPECT_EQ(what_thrown<HashifyError>(
			  [this] { guest_hashify_target(tmp.path() / "etc", "nosuch"); }),
		  "no such guest: " + (tmp.path() / "etc/nosuch").string() + " is not a directory");

	tmp.mkdir("etc/.defaults/apps/vunify/hash");
	fs::create_directory_symlink("/proc", tmp.path() / "etc/.defaults/apps/vunify/hash/proc");
	EXPECT_THAT(what_thrown<HashifyError>([this] { target(); }),
		    HasSubstr("is a directory on the filesystem of " + root.string()));

	tmp.write("etc/web/apps/vunify/hash", "a file");
	EXPECT_THAT(what_thrown<HashifyError>([this] { target(); }),
		    HasSubstr("not a directory nor a symbolic link to one"));
	fs::remove(tmp.path() / "etc/web/apps/vunify/hash");
	fs::create_directory(tmp.path() / "etc/web/apps/vunify/hash");

	tmp.write("etc/web/apps/vunify/exclude", "relative\n");
	EXPECT_EQ(what_thrown<std::invalid_argument>([this] { target(); }),
		  (tmp.path() / "etc/web/apps/vunify/exclude").string() +
			  ":1: 'relative' is neither an absolute path in the guest nor a glob "
			  "starting with '/' or '*'");

	fs::remove(tmp.path() / "etc/web/vdir");
	EXPECT_THAT(what_thrown<HashifyError>([this] { target(); }),
		    StartsWith("the guest's root "));
}

} // namespace
} // namespace vserver::test
