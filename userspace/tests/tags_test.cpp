// File tags: the walk, a file's tag, unified files, what chxid does to a
// file and a tree, lsxid's and vdu's lines, what vdu counts.
#include "mock_transport.hpp"
#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <vserver/iattr.hpp>
#include <vserver/tags.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace vserver::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The attributes of a file as our kernel has them on a filesystem that
// keeps tags: a regular file or directory has IATTR_TAG and its tag,
// other files no tag.
vcmd_ctx_fiattr_v0 attributes(std::uint32_t tag, std::uint32_t flags = 0,
			      mode_t mode = S_IFREG)
{
	vcmd_ctx_fiattr_v0 a{};
	a.tag = tag;
	a.flags = flags;
	a.mask = iattr_applicable(mode) | ((S_ISREG(mode) || S_ISDIR(mode)) ? IATTR_TAG : 0);
	return a;
}

// A kernel that answers get_iattr and set_iattr: from files by path if
// the path is there, else (with the real files of a test's tree) by
// lstat: regular files and directories with tag default_tag, other files
// without one; keeps_tags false: no file has a tag.  Every set_iattr is
// recorded and changes the tag of that path.
class FakeFiles : public Transport {
public:
	long call(const vserver_call &call) override
	{
		if (call.cmd != VCMD_get_iattr && call.cmd != VCMD_set_iattr)
			return -ENOSYS;
		vcmd_ctx_iattr_v1 data;
		std::memcpy(&data, reinterpret_cast<const void *>(call.data), sizeof(data));
		std::string path = reinterpret_cast<const char *>(data.name);
		if (auto e = get_errors.find(path); e != get_errors.end())
			return -e->second;
		auto a = lookup(path);
		if (!a)
			return -ENOENT;
		if (call.cmd == VCMD_get_iattr) {
			gets++;
			data.tag = a->tag;
			data.flags = a->flags;
			data.mask = a->mask;
			std::memcpy(reinterpret_cast<void *>(call.data), &data, sizeof(data));
			return 0;
		}
		if (set_error)
			return -set_error;
		sets.push_back({path, data.tag, data.flags, data.mask});
		a->tag = data.tag;
		files[path] = *a;
		return 0;
	}

	struct Set {
		std::string path;
		std::uint32_t tag, flags, mask;
		bool operator==(const Set &) const = default;
	};

	std::map<std::string, vcmd_ctx_fiattr_v0> files;
	std::map<std::string, int> get_errors;	// get_iattr and set_iattr fail so
	std::uint32_t default_tag = 0;
	bool keeps_tags = true;
	int set_error = 0;
	std::vector<Set> sets;
	unsigned gets = 0;

private:
	std::optional<vcmd_ctx_fiattr_v0> lookup(const std::string &path)
	{
		if (auto f = files.find(path); f != files.end())
			return f->second;
		struct stat st;
		if (::lstat(path.c_str(), &st) < 0)
			return std::nullopt;
		auto a = attributes(default_tag, 0, st.st_mode);
		if (!keeps_tags)
			a.mask &= ~IATTR_TAG;
		return a;
	}
};

class Tags : public ::testing::Test {
protected:
	FakeFiles kernel;
	Client client{kernel};
	TempDir dir;
};

TEST(TagOf, OnlyWithIattrTagInTheMask)
{
	EXPECT_EQ(tag_of(attributes(42)), 42u);
	EXPECT_EQ(tag_of(attributes(0, 0, S_IFDIR)), 0u);
	EXPECT_EQ(tag_of(attributes(42, 0, S_IFLNK)), std::nullopt);
	auto untagged = attributes(42);
	untagged.mask &= ~IATTR_TAG;
	EXPECT_EQ(tag_of(untagged), std::nullopt);
}

TEST(IsUnified, ImmutableAndIxunlinkBoth)
{
	EXPECT_TRUE(is_unified(attributes(0, IATTR_IMMUTABLE | IATTR_IXUNLINK)));
	EXPECT_FALSE(is_unified(attributes(0, IATTR_IMMUTABLE)));
	EXPECT_FALSE(is_unified(attributes(0, IATTR_IXUNLINK)));
	EXPECT_FALSE(is_unified(attributes(0, 0)));
	// a directory takes no ixunlink: never unified
	EXPECT_FALSE(is_unified(attributes(0, IATTR_IMMUTABLE | IATTR_IXUNLINK, S_IFDIR)));
}

TEST_F(Tags, TagFileSetsOnlyTheTag)
{
	kernel.files["/v/f"] = attributes(0, IATTR_IMMUTABLE);
	EXPECT_EQ(tag_file(client, "/v/f", 42, true), TagResult::tagged);
	EXPECT_THAT(kernel.sets, ElementsAre(FakeFiles::Set{"/v/f", 42, 0, IATTR_TAG}));
	EXPECT_EQ(tag_of(client, "/v/f"), 42u);
}

TEST_F(Tags, TagFileLeavesWhatHasTheTagIsUnifiedOrHasNone)
{
	kernel.files["/v/has"] = attributes(42);
	kernel.files["/v/unified"] = attributes(7, IATTR_IMMUTABLE | IATTR_IXUNLINK);
	kernel.files["/v/link"] = attributes(0, 0, S_IFLNK);
	EXPECT_EQ(tag_file(client, "/v/has", 42, false), TagResult::tagged);
	EXPECT_EQ(tag_file(client, "/v/unified", 42, true), TagResult::unified);
	EXPECT_EQ(tag_file(client, "/v/link", 42, false), TagResult::untaggable);
	EXPECT_THAT(kernel.sets, IsEmpty());
	// without skip_unified a unified file is tagged like any other
	EXPECT_EQ(tag_file(client, "/v/unified", 42, false), TagResult::tagged);
	EXPECT_THAT(kernel.sets, ElementsAre(FakeFiles::Set{"/v/unified", 42, 0, IATTR_TAG}));
}

TEST_F(Tags, TagFileErrorsNameTheCallAndThePath)
{
	kernel.files["/v/f"] = attributes(0);
	kernel.set_error = EPERM;
	try {
		tag_file(client, "/v/f", 42, false);
		FAIL() << "no error";
	} catch (const std::system_error &e) {
		EXPECT_EQ(tag_error_message(e),
			  "set_iattr(/v/f): Operation not permitted (only root on the host "
			  "changes tags)");
	}
	EXPECT_EQ(what_thrown<std::system_error>([&] { tag_file(client, "/v/gone", 42, false); }),
		  "get_iattr(/v/gone): No such file or directory");
}

TEST_F(Tags, AFilesystemTheKernelCannotAskHasNoTags)
{
	kernel.get_errors["/proc/x"] = EOPNOTSUPP;
	kernel.get_errors["/v/bad"] = EIO;
	EXPECT_EQ(tag_of(client, "/proc/x"), std::nullopt);
	EXPECT_FALSE(is_unified(client, "/proc/x"));
	EXPECT_EQ(tag_file(client, "/proc/x", 42, false), TagResult::untaggable);
	EXPECT_THAT(kernel.sets, IsEmpty());
	// other errors are errors
	EXPECT_EQ(what_thrown<std::system_error>([&] { tag_of(client, "/v/bad"); }),
		  "get_iattr(/v/bad): Input/output error");
}

TEST_F(Tags, WhyUntaggableSaysWhatIsWrongWithANamedFile)
{
	auto file = dir.write("f", "x").string();
	auto sub = dir.mkdir("sub").string();
	auto link = (dir.path() / "link").string();
	ASSERT_EQ(0, ::symlink("f", link.c_str()));
	auto missing = (dir.path() / "missing").string();

	EXPECT_EQ(why_untaggable(client, file), "");
	EXPECT_EQ(why_untaggable(client, sub), "");
	EXPECT_EQ(why_untaggable(client, missing), missing + ": No such file or directory");
	EXPECT_EQ(why_untaggable(client, link),
		  "cannot tag " + link +
			  ": a symbolic link has no tag (regular files and directories have)");
	kernel.keeps_tags = false;
	EXPECT_EQ(why_untaggable(client, sub),
		  "cannot tag " + sub +
			  ": its filesystem keeps no tags (ext4 with the project feature has them)");
	EXPECT_THAT(kernel.sets, IsEmpty());
}

// The tree of the walk tests: top/a, top/.hidden, top/link -> a,
// top/sub/b, top/sub/.deeper/c.
class TagTree : public Tags {
protected:
	void SetUp() override
	{
		top = dir.mkdir("top").string();
		dir.write("top/a", "aaaa");
		dir.write("top/.hidden", "");
		dir.write("top/sub/b", "");
		dir.write("top/sub/.deeper/c", "");
		ASSERT_EQ(0, ::symlink("a", (dir.path() / "top/link").c_str()));
	}

	// The paths for_each_file visits, relative to the temp dir.
	std::vector<std::string> visited(const std::string &root, bool recursive)
	{
		std::vector<std::string> out;
		std::string base = dir.path().string() + "/";
		for_each_file(root, recursive, true, [&](const WalkEntry &e) {
			out.push_back(e.path.substr(base.size()));
		});
		return out;
	}

	std::string top;
};

TEST_F(TagTree, ForEachFileVisitsAllBelowDotFilesIncluded)
{
	EXPECT_THAT(visited(top, true),
		    ElementsAre("top", "top/.hidden", "top/a", "top/link", "top/sub", "top/sub/b",
				"top/sub/.deeper", "top/sub/.deeper/c"));
	EXPECT_THAT(visited(top, false), ElementsAre("top"));
	EXPECT_THAT(visited(top + "/link", true), ElementsAre("top/link"));	// not followed
}

TEST_F(TagTree, ForEachFileThrowsForAnErrorOfTheWalk)
{
	std::string missing = top + "/missing";
	EXPECT_EQ(what_thrown<std::system_error>([&] { visited(missing, true); }),
		  missing + ": No such file or directory");
}

TEST_F(TagTree, TagsEveryRegularFileAndDirectoryButUnifiedOnes)
{
	kernel.files[top + "/sub/b"] = attributes(0, IATTR_IMMUTABLE | IATTR_IXUNLINK);
	auto counts = tag_tree(client, top, 42, true);

	ASSERT_TRUE(counts);
	EXPECT_EQ(*counts, (TagCounts{6, 1, 1}));	// link: untaggable
	std::set<std::string> tagged;
	for (const auto &s : kernel.sets) {
		EXPECT_EQ(s.tag, 42u);
		EXPECT_EQ(s.mask, IATTR_TAG);
		tagged.insert(s.path.substr(top.size()));
	}
	EXPECT_EQ(tagged, (std::set<std::string>{"", "/.hidden", "/a", "/sub", "/sub/.deeper",
						  "/sub/.deeper/c"}));
	// again: everything has the tag, nothing is sent
	kernel.sets.clear();
	EXPECT_EQ(*tag_tree(client, top, 42, true), (TagCounts{6, 1, 1}));
	EXPECT_THAT(kernel.sets, IsEmpty());
}

TEST_F(TagTree, AFilesystemWithoutTagsIsLeftAlone)
{
	kernel.keeps_tags = false;
	EXPECT_EQ(tag_tree(client, top, 42, true), std::nullopt);
	EXPECT_THAT(kernel.sets, IsEmpty());
	EXPECT_EQ(kernel.gets, 1u);	// the root only
}

TEST_F(TagTree, TheFirstRefusalThrows)
{
	kernel.set_error = EPERM;
	EXPECT_THAT(what_thrown<std::system_error>([&] { tag_tree(client, top, 42, false); }),
		    HasSubstr("set_iattr(" + top + "): Operation not permitted"));
}

TEST_F(TagTree, UsageCountsTheFilesOfTheTagEachOnce)
{
	// a and its second link, and sub/b, have tag 42; the rest tag 0
	ASSERT_EQ(0, ::link((dir.path() / "top/a").c_str(), (dir.path() / "top/sub/a2").c_str()));
	std::string big(20000, 'x');
	std::ofstream(dir.path() / "top/sub/b") << big;
	kernel.files[top + "/a"] = attributes(42);
	kernel.files[top + "/sub/a2"] = attributes(42);
	kernel.files[top + "/sub/b"] = attributes(42);

	auto blocks = [&](const std::string &rel) {
		struct stat st;
		EXPECT_EQ(0, ::lstat((dir.path() / rel).c_str(), &st));
		return static_cast<std::uint64_t>(st.st_blocks);
	};
	auto usage = tag_usage(client, top, 42);
	EXPECT_EQ(usage.inodes, 2u);	// a (once) and sub/b
	EXPECT_EQ(usage.blocks, blocks("top/a") + blocks("top/sub/b"));
	EXPECT_GE(usage.blocks, 40u);	// sub/b: 20000 bytes at least

	// tag 0: top, .hidden, sub, .deeper, c (the link has no tag)
	EXPECT_EQ(tag_usage(client, top, 0).inodes, 5u);
	EXPECT_EQ(tag_usage(client, top, 7), DiskUsage{});
}

TEST_F(TagTree, UsageOfADirectoryWithoutTagsIsAnError)
{
	kernel.keeps_tags = false;
	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { tag_usage(client, top, 0); }),
		  top + ": its filesystem keeps no tags");
}

TEST(LsxidLine, UtilVserversColumns)
{
	std::map<std::uint32_t, std::string> names{{42, "web"}};
	EXPECT_EQ(lsxid_tag(42, names), "web");
	EXPECT_EQ(lsxid_tag(42, {}), "42");
	EXPECT_EQ(lsxid_tag(0, names), "0");
	EXPECT_EQ(lsxid_tag(std::nullopt, names), "-");
	EXPECT_EQ(lsxid_line("42", "/vservers/web"), "                  42  /vservers/web\n");
	EXPECT_EQ(lsxid_line("-", "x"), "                   -  x\n");
	EXPECT_EQ(lsxid_line("a-very-long-guest-name", "f"), "a-very-long-guest-name  f\n");
}

TEST(GuestNames, ByTheirContextFilesFirstNameWins)
{
	TempDir confdir;
	confdir.write("web/context", "42\n");
	confdir.write("www/context", "42\n");
	confdir.write("db/context", "7\n");
	confdir.write("bad/context", "x\n");
	confdir.mkdir("dynamic");
	confdir.write(".defaults/context", "9\n");
	EXPECT_EQ(guest_names(confdir.path()),
		  (std::map<std::uint32_t, std::string>{{7, "db"}, {42, "web"}}));
	EXPECT_TRUE(guest_names(confdir.path() / "none").empty());
}

TEST(VduLine, UtilVserversFormat)
{
	DiskUsage usage{2001, 17};	// 2001 blocks of 512 bytes: 1000.5 KiB
	EXPECT_EQ(vdu_line("/v/web", usage, true, false, 1024, false), "/v/web 1000\n");
	EXPECT_EQ(vdu_line("/v/web", usage, false, true, 1024, false), "/v/web 17\n");
	EXPECT_EQ(vdu_line("/v/web", usage, true, true, 1024, false), "/v/web 1000 17\n");
	EXPECT_EQ(vdu_line("/v/web", usage, true, true, 1024, true), "1000 17\n");
	EXPECT_EQ(vdu_line("/v/web", usage, true, false, 512, true), "2001\n");
	EXPECT_EQ(vdu_line("/v/web", usage, true, false, 4096, true), "250\n");
}

} // namespace
} // namespace vserver::test
