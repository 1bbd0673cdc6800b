// read_dir_names: the library's one readdir loop (clone, hashify, the
// setattr/showattr walk).
#include "temp_dir.hpp"

#include "dir_names.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <unistd.h>
#include <vector>

namespace vserver::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ReadDirNames, EveryEntryButDotAndDotDot)
{
	TempDir tmp;
	tmp.write("b", "");
	tmp.write(".hidden", "");
	tmp.mkdir("a/below");
	ASSERT_EQ(::symlink("nowhere", (tmp.path() / "c").c_str()), 0);

	DirNames dir = read_dir_names(tmp.path().string());
	EXPECT_EQ(dir.error, 0);
	EXPECT_EQ(dir.failed, "");
	std::sort(dir.names.begin(), dir.names.end());	// readdir's order is the filesystem's
	EXPECT_THAT(dir.names, ElementsAre(".hidden", "a", "b", "c"));
}

TEST(ReadDirNames, AnEmptyDirectoryHasNone)
{
	TempDir tmp;

	DirNames dir = read_dir_names(tmp.mkdir("empty").string());
	EXPECT_EQ(dir.error, 0);
	EXPECT_THAT(dir.names, IsEmpty());
}

TEST(ReadDirNames, OpendirFailingSaysSoWithItsErrno)
{
	TempDir tmp;

	DirNames missing = read_dir_names((tmp.path() / "missing").string());
	EXPECT_EQ(missing.failed, "opendir");
	EXPECT_EQ(missing.error, ENOENT);
	EXPECT_THAT(missing.names, IsEmpty());

	DirNames file = read_dir_names(tmp.write("file", "x").string());
	EXPECT_EQ(file.failed, "opendir");
	EXPECT_EQ(file.error, ENOTDIR);
	EXPECT_THAT(file.names, IsEmpty());
}

} // namespace
} // namespace vserver::test
