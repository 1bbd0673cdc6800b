// Inode attributes: setattr's names and options, showattr's column, the
// file walk and what setattr does to one file.
#include "mock_transport.hpp"
#include "temp_dir.hpp"

#include <vserver/client.hpp>
#include <vserver/iattr.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace vserver::test {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::InSequence;
using ::testing::Invoke;
using ::testing::Return;
using ::testing::StrictMock;

IattrChange change_of(std::initializer_list<std::string_view> items)
{
	IattrChange c;
	for (auto item : items)
		c.add(item);
	return c;
}

TEST(IattrNames, AreUtilVserversWithTheirBits)
{
	EXPECT_EQ(change_of({"barrier"}).set, IATTR_BARRIER);
	EXPECT_EQ(change_of({"admin"}).set, IATTR_ADMIN);
	EXPECT_EQ(change_of({"watch"}).set, IATTR_WATCH);
	EXPECT_EQ(change_of({"hide"}).set, IATTR_HIDE);
	EXPECT_EQ(change_of({"write"}).set, 0x8u);
	EXPECT_EQ(change_of({"cow"}).set, IATTR_COW);
	EXPECT_EQ(change_of({"immutable"}).set, IATTR_IMMUTABLE);
	EXPECT_EQ(change_of({"ixunlink"}).set, IATTR_IXUNLINK);
	EXPECT_EQ(change_of({"iunlink-but-not-immutable"}).set, IATTR_IXUNLINK);
	// iunlink: immutable, but may be unlinked
	EXPECT_EQ(change_of({"iunlink"}).set, IATTR_IXUNLINK | IATTR_IMMUTABLE);
	EXPECT_EQ(change_of({"immu"}).set, IATTR_IXUNLINK | IATTR_IMMUTABLE);
	EXPECT_TRUE(is_iattr_name("iunlink-but-not-immutable"));
	EXPECT_FALSE(is_iattr_name("Barrier"));
	EXPECT_EQ(iattr_names().names.size(), 11u);
}

TEST(IattrChange, TildeOrBangClears)
{
	auto c = change_of({"~barrier"});
	EXPECT_EQ(c.set, 0u);
	EXPECT_EQ(c.clear, IATTR_BARRIER);
	EXPECT_EQ(c.flags(), 0u);
	EXPECT_EQ(c.mask(), IATTR_BARRIER);
	EXPECT_EQ(change_of({"!barrier"}), c);
	EXPECT_FALSE(c.empty());
	EXPECT_TRUE(IattrChange{}.empty());
}

TEST(IattrChange, ClearingWinsAsInUtilVserver)
{
	auto c = change_of({"~barrier", "barrier"});
	EXPECT_EQ(c.flags(), 0u);
	EXPECT_EQ(c.mask(), IATTR_BARRIER);

	// --iunlink --~immutable: ixunlink alone
	c = change_of({"iunlink", "~immutable"});
	EXPECT_EQ(c.flags(), IATTR_IXUNLINK);
	EXPECT_EQ(c.mask(), IATTR_IXUNLINK | IATTR_IMMUTABLE);
}

TEST(IattrChange, UnknownOrEmptyNamesAreRefused)
{
	IattrChange c;
	try {
		c.add("~bogus");
		FAIL() << "accepted";
	} catch (const std::invalid_argument &e) {
		EXPECT_STREQ(e.what(), "unknown attribute 'bogus'");
	}
	EXPECT_THROW(c.add("BARRIER"), std::invalid_argument);	// util-vserver: case matters
	EXPECT_THROW(c.add(""), std::invalid_argument);
	EXPECT_THROW(c.add("!"), std::invalid_argument);
	EXPECT_TRUE(c.empty());
}

TEST(IattrChange, Lists)
{
	IattrChange c;
	c.add_list("barrier,~cow,!hide");
	EXPECT_EQ(c.set, IATTR_BARRIER);
	EXPECT_EQ(c.clear, IATTR_COW | IATTR_HIDE);
	for (auto bad : {"", "barrier,", ",barrier", "barrier,,cow", "~"}) {
		IattrChange d;
		try {
			d.add_list(bad);
			ADD_FAILURE() << "accepted '" << bad << "'";
		} catch (const std::invalid_argument &e) {
			EXPECT_THAT(e.what(), ::testing::HasSubstr("empty attribute name")) << bad;
		}
	}
	try {
		c.add_list("barrier,bogus");
		FAIL() << "accepted";
	} catch (const std::invalid_argument &e) {
		EXPECT_STREQ(e.what(), "unknown attribute 'bogus'");
	}
}

TEST(NormalizeClearOptions, BangBecomesTildeBeforeDoubleDash)
{
	std::vector<std::string> args{"setattr", "--!barrier", "-R", "--!", "--~cow",
				      "--flags", "!hide", "--", "--!file"};
	std::vector<char *> argv;
	for (auto &a : args)
		argv.push_back(a.data());

	normalize_clear_options(static_cast<int>(argv.size()), argv.data());
	EXPECT_THAT(args, ElementsAre("setattr", "--~barrier", "-R", "--!", "--~cow", "--flags",
				      "!hide", "--", "--!file"));
}

TEST(QuotedIattrBits, NamesEachBitInBitOrder)
{
	EXPECT_EQ(quoted_iattr_bits(IATTR_BARRIER), "'barrier'");
	EXPECT_EQ(quoted_iattr_bits(IATTR_IMMUTABLE | IATTR_IXUNLINK), "'ixunlink', 'immutable'");
	EXPECT_EQ(quoted_iattr_bits(IATTR_HIDE | 0x100), "'hide', 0x100");
	EXPECT_EQ(quoted_iattr_bits(0), "");
}

TEST(FileTypeName, ForMessages)
{
	EXPECT_EQ(file_type_name(S_IFDIR | 0755), "a directory");
	EXPECT_EQ(file_type_name(S_IFREG | 0644), "a regular file");
	EXPECT_EQ(file_type_name(S_IFLNK | 0777), "a symbolic link");
	EXPECT_EQ(file_type_name(S_IFCHR), "a character device");
	EXPECT_EQ(file_type_name(S_IFBLK), "a block device");
	EXPECT_EQ(file_type_name(S_IFIFO), "a FIFO");
	EXPECT_EQ(file_type_name(S_IFSOCK), "a socket");
}

TEST(IattrApplicable, TheBarrierOnDirectoriesAsTheKernel)
{
	EXPECT_EQ(iattr_applicable(S_IFDIR | 0755), IATTR_BARRIER | IATTR_IMMUTABLE);
	EXPECT_EQ(iattr_applicable(S_IFREG | 0644), IATTR_IMMUTABLE | IATTR_IXUNLINK);
	EXPECT_EQ(iattr_applicable(S_IFLNK | 0777), 0u);
}

TEST(IattrLetters, UtilVserversColumn)
{
	EXPECT_EQ(iattr_letters(0, 0), "---------");
	EXPECT_EQ(iattr_letters(0, IATTR_BARRIER), "----b----");
	EXPECT_EQ(iattr_letters(IATTR_BARRIER, IATTR_BARRIER), "----B----");
	// a set bit that does not apply is not shown, as the kernel hides it
	EXPECT_EQ(iattr_letters(IATTR_BARRIER, 0), "---------");
	std::uint32_t all = IATTR_ADMIN | IATTR_WATCH | IATTR_HIDE | iattr_write | IATTR_BARRIER |
			    IATTR_IXUNLINK | IATTR_IMMUTABLE | IATTR_COW | IATTR_TAG;
	EXPECT_EQ(iattr_letters(0, all), "awhmbuicx");
	EXPECT_EQ(iattr_letters(all, all), "AWHMBUICX");
	EXPECT_EQ(iattr_letters(IATTR_ADMIN | IATTR_IMMUTABLE, all), "AwhmbuIcx");
}

TEST(ShowattrLine, LettersSpaceName)
{
	EXPECT_EQ(showattr_line(IATTR_BARRIER, IATTR_BARRIER, "/vservers"), "----B---- /vservers\n");
	EXPECT_EQ(showattr_line(0, 0, "a file"), "--------- a file\n");
}

// The tree the walk tests go through:
//   top/a, top/b, top/.hidden, top/link -> sub, top/sub/c, top/sub/.d,
//   top/sub/deeper/e, top/sub2/
class Walk : public ::testing::Test {
protected:
	void SetUp() override
	{
		top = dir.mkdir("top").string();
		dir.write("top/b", "");
		dir.write("top/a", "");
		dir.write("top/.hidden", "");
		dir.write("top/sub/c", "");
		dir.write("top/sub/.d", "");
		dir.write("top/sub/deeper/e", "");
		dir.mkdir("top/sub2");
		ASSERT_EQ(0, ::symlink("sub", (dir.path() / "top/link").c_str()));
	}

	// The paths visited, relative to the temp dir, "*" marking named ones.
	std::vector<std::string> visited(const std::string &path, const WalkOptions &options,
					 std::size_t *failures = nullptr)
	{
		std::vector<std::string> out;
		std::string base = dir.path().string() + "/";
		std::size_t n = walk(
			path, options,
			[&](const WalkEntry &e) {
				std::string rel = e.path.rfind(base, 0) == 0 ? e.path.substr(base.size())
									       : e.path;
				out.push_back(rel + (e.named ? "*" : ""));
				return rel.find("fail") == std::string::npos;
			},
			[&](const std::string &p, int err) {
				out.push_back("error " + p + ": " + std::strerror(err));
			});
		if (failures)
			*failures = n;
		return out;
	}

	TempDir dir;
	std::string top;
};

TEST_F(Walk, WithoutListDirsADirectoryIsAFile)
{
	WalkOptions o;
	EXPECT_THAT(visited(top, o), ElementsAre("top*"));
	o.recurse = true;	// setattr -R without list_dirs cannot happen; -d wins in showattr
	EXPECT_THAT(visited(top, o), ElementsAre("top*"));
}

TEST_F(Walk, ListsADirectoryItselfThenItsEntriesInOrder)
{
	WalkOptions o;
	o.list_dirs = true;
	EXPECT_THAT(visited(top, o), ElementsAre("top*", "top/a", "top/b", "top/link", "top/sub",
						 "top/sub2"));
	o.dot_files = true;
	EXPECT_THAT(visited(top, o), ElementsAre("top*", "top/.hidden", "top/a", "top/b",
						 "top/link", "top/sub", "top/sub2"));
}

TEST_F(Walk, RecursesFilesFirstWithoutFollowingLinks)
{
	WalkOptions o;
	o.list_dirs = o.recurse = o.dot_files = true;
	EXPECT_THAT(visited(top, o),
		    ElementsAre("top*", "top/.hidden", "top/a", "top/b", "top/link", "top/sub",
				"top/sub/.d", "top/sub/c", "top/sub/deeper", "top/sub/deeper/e",
				"top/sub2"));
}

TEST_F(Walk, AFileIsVisitedAloneAndTrailingSlashesAreDropped)
{
	WalkOptions o;
	o.list_dirs = true;
	EXPECT_THAT(visited(top + "/a", o), ElementsAre("top/a*"));
	EXPECT_THAT(visited(top + "/link", o), ElementsAre("top/link*"));	// not followed
	EXPECT_THAT(visited(top + "/sub2//", o), ElementsAre("top/sub2//*"));
	dir.write("top/sub2/f", "");
	EXPECT_THAT(visited(top + "/sub2//", o), ElementsAre("top/sub2//*", "top/sub2/f"));
}

TEST_F(Walk, CountsFailuresOfTheWalkAndOfTheVisitor)
{
	WalkOptions o;
	std::size_t failures = 0;
	std::string missing = top + "/missing";

	EXPECT_THAT(visited(missing, o, &failures),
		    ElementsAre("error " + missing + ": No such file or directory"));
	EXPECT_EQ(failures, 1u);
	dir.write("top/fail1", "");
	dir.write("top/fail2", "");
	o.list_dirs = true;
	visited(top, o, &failures);
	EXPECT_EQ(failures, 2u);
}

TEST_F(Walk, TheRootJoinsWithOneSlash)
{
	WalkOptions o;
	o.list_dirs = true;
	std::vector<std::string> seen;
	walk("/", o, [&](const WalkEntry &e) { seen.push_back(e.path); return true; },
	     [](const std::string &, int) {});
	ASSERT_GE(seen.size(), 2u);
	EXPECT_EQ(seen[0], "/");
	EXPECT_EQ(seen[1].substr(0, 1), "/");
	EXPECT_NE(seen[1].substr(0, 2), "//");
}

// What setattr does to one file.
::testing::Matcher<const vserver_call &> cmd_is(std::uint32_t cmd)
{
	return Field(&vserver_call::cmd, cmd);
}

// A get_iattr answer: these bits apply, none is set.
auto applies(std::uint32_t mask)
{
	return [mask](const vserver_call &call) {
		vcmd_ctx_iattr_v1 data;
		std::memcpy(&data, reinterpret_cast<const void *>(call.data), sizeof(data));
		data.flags = 0;
		data.mask = mask;
		std::memcpy(reinterpret_cast<void *>(call.data), &data, sizeof(data));
		return 0L;
	};
}

WalkEntry entry(std::string path, mode_t mode, bool named = true)
{
	WalkEntry e{std::move(path), {}, named};
	e.st.st_mode = mode;
	return e;
}

TEST(SetFileIattr, SendsTheChange)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_ctx_iattr_v1 seen{};

	EXPECT_CALL(t, call(cmd_is(VCMD_set_iattr))).WillOnce(Invoke([&](const vserver_call &c) {
		std::memcpy(&seen, reinterpret_cast<const void *>(c.data), sizeof(seen));
		return 0L;
	}));
	EXPECT_EQ(set_file_iattr(client, entry("/v", S_IFDIR), change_of({"~barrier"}), false), "");
	EXPECT_EQ(seen.flags, 0u);
	EXPECT_EQ(seen.mask, IATTR_BARRIER);
}

TEST(SetFileIattr, BelowANamedDirectoryOnlyWhatApplies)
{
	StrictMock<MockTransport> t;
	Client client(t);
	vcmd_ctx_iattr_v1 seen{};
	InSequence seq;

	EXPECT_CALL(t, call(cmd_is(VCMD_get_iattr))).WillOnce(Invoke(applies(IATTR_BARRIER)));
	EXPECT_CALL(t, call(cmd_is(VCMD_set_iattr))).WillOnce(Invoke([&](const vserver_call &c) {
		std::memcpy(&seen, reinterpret_cast<const void *>(c.data), sizeof(seen));
		return 0L;
	}));
	// a file: nothing applies, nothing is sent
	EXPECT_CALL(t, call(cmd_is(VCMD_get_iattr))).WillOnce(Invoke(applies(0)));
	auto change = change_of({"barrier", "immutable"});
	EXPECT_EQ(set_file_iattr(client, entry("/v/d", S_IFDIR, false), change, true), "");
	EXPECT_EQ(seen.flags, IATTR_BARRIER);
	EXPECT_EQ(seen.mask, IATTR_BARRIER);
	EXPECT_EQ(set_file_iattr(client, entry("/v/f", S_IFREG, false), change, true), "");
}

TEST(SetFileIattr, TheKernelsEinvalNamesTheAttributesThatDoNotApply)
{
	StrictMock<MockTransport> t;
	Client client(t);
	InSequence seq;

	EXPECT_CALL(t, call(cmd_is(VCMD_set_iattr))).WillOnce(Return(-EINVAL));
	EXPECT_CALL(t, call(cmd_is(VCMD_get_iattr))).WillOnce(Invoke(applies(0)));
	EXPECT_EQ(set_file_iattr(client, entry("/v/file", S_IFREG), change_of({"barrier"}), false),
		  "attribute 'barrier' is not supported on /v/file (a regular file)");

	EXPECT_CALL(t, call(cmd_is(VCMD_set_iattr))).WillOnce(Return(-EINVAL));
	EXPECT_CALL(t, call(cmd_is(VCMD_get_iattr))).WillOnce(Invoke(applies(IATTR_BARRIER)));
	EXPECT_EQ(set_file_iattr(client, entry("/v", S_IFDIR),
				 change_of({"barrier", "~iunlink"}), false),
		  "attributes 'ixunlink', 'immutable' are not supported on /v (a directory)");

	// EINVAL for another reason: the kernel's word
	EXPECT_CALL(t, call(cmd_is(VCMD_set_iattr))).WillOnce(Return(-EINVAL));
	EXPECT_CALL(t, call(cmd_is(VCMD_get_iattr))).WillOnce(Invoke(applies(IATTR_BARRIER)));
	EXPECT_EQ(set_file_iattr(client, entry("/v", S_IFDIR), change_of({"barrier"}), false),
		  "set_iattr(/v): Invalid argument");
}

TEST(SetFileIattr, OtherErrorsNameTheCallAndTheFile)
{
	StrictMock<MockTransport> t;
	Client client(t);
	InSequence seq;

	EXPECT_CALL(t, call(cmd_is(VCMD_set_iattr))).WillOnce(Return(-EPERM));
	EXPECT_EQ(set_file_iattr(client, entry("/v", S_IFDIR), change_of({"barrier"}), false),
		  "set_iattr(/v): Operation not permitted "
		  "(only root on the host changes inode attributes)");
	EXPECT_CALL(t, call(cmd_is(VCMD_set_iattr))).WillOnce(Return(-EOPNOTSUPP));
	EXPECT_EQ(set_file_iattr(client, entry("/proc", S_IFDIR), change_of({"barrier"}), false),
		  "set_iattr(/proc): Operation not supported "
		  "(the filesystem keeps no extended attributes)");
	EXPECT_CALL(t, call(cmd_is(VCMD_get_iattr))).WillOnce(Return(-ENOENT));
	EXPECT_EQ(set_file_iattr(client, entry("/v/gone", S_IFREG, false), change_of({"barrier"}),
				 true),
		  "get_iattr(/v/gone): No such file or directory");
}

} // namespace
} // namespace vserver::test
