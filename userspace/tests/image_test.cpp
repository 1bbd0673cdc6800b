// Inode attributes in an ext4 image made with mke2fs -d (skipped when
// mke2fs is missing).
#include "temp_dir.hpp"

#include <vserver/image.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <linux/vserver.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace vserver::test {
namespace {

using ::testing::HasSubstr;

bool have_mke2fs()
{
	return std::system("command -v mke2fs >/dev/null 2>&1 || "
			   "test -x /sbin/mke2fs || test -x /usr/sbin/mke2fs") == 0;
}

// An 8 MiB filesystem holding /vservers/guest/, /file and /link -> vservers.
class Image : public ::testing::Test {
protected:
	void SetUp() override
	{
		if (!have_mke2fs())
			GTEST_SKIP() << "mke2fs not found (e2fsprogs)";
		dir.mkdir("root/vservers/guest");
		dir.write("root/file", "data\n");
		std::filesystem::create_directory_symlink("vservers", dir.path() / "root/link");
		image = (dir.path() / "disk.img").string();
		ASSERT_EQ(0, make("-t ext4"));
	}

	int make(const std::string &options)
	{
		std::string cmd = "PATH=$PATH:/sbin:/usr/sbin mke2fs -q -F " + options +
				  " -E root_owner=0:0 -d '" + (dir.path() / "root").string() +
				  "' '" + image + "' 8M >/dev/null";
		return std::system(cmd.c_str());
	}

	// e2fsck finds nothing to fix
	bool clean()
	{
		std::string cmd = "PATH=$PATH:/sbin:/usr/sbin e2fsck -fn '" + image + "' >/dev/null 2>&1";
		return std::system(cmd.c_str()) == 0;
	}

	// What e2fsck says about the image
	std::string fsck_report()
	{
		std::string out = (dir.path() / "fsck.out").string();
		std::string cmd = "PATH=$PATH:/sbin:/usr/sbin e2fsck -fn '" + image + "' >'" + out +
				  "' 2>&1";
		std::system(cmd.c_str());
		std::ifstream in(out);
		return std::string(std::istreambuf_iterator<char>(in), {});
	}

	TempDir dir;
	std::string image;
};

IattrChange barrier(bool on)
{
	IattrChange c;
	c.add(on ? "barrier" : "~barrier");
	return c;
}

TEST(IattrXattrValue, LittleEndianWord)
{
	EXPECT_EQ(iattr_xattr_value(IATTR_BARRIER), std::string("\0\0\1\0", 4));
	EXPECT_EQ(iattr_xattr_value(0x04030201), "\1\2\3\4");
}

TEST_F(Image, AFreshImageHasNoAttributes)
{
	Ext2Image fs(image, Ext2Image::Access::read);
	auto d = fs.get("/vservers");
	EXPECT_EQ(d.flags, 0u);
	EXPECT_EQ(d.mask, IATTR_BARRIER | IATTR_IMMUTABLE);
	EXPECT_TRUE(S_ISDIR(d.mode));
	auto f = fs.get("/file");
	EXPECT_EQ(f.flags, 0u);
	EXPECT_EQ(f.mask, IATTR_IMMUTABLE | IATTR_IXUNLINK);
	EXPECT_TRUE(S_ISREG(f.mode));
	EXPECT_TRUE(S_ISLNK(fs.get("/link").mode));	// not followed
}

TEST_F(Image, SetThenReadBackAfterReopening)
{
	{
		Ext2Image fs(image, Ext2Image::Access::write);
		EXPECT_TRUE(fs.set("/vservers", barrier(true)));
		EXPECT_FALSE(fs.set("/vservers", barrier(true)));	// no change
		EXPECT_EQ(fs.get("/vservers").flags, IATTR_BARRIER);
		fs.close();
	}
	{
		Ext2Image fs(image, Ext2Image::Access::read);
		EXPECT_EQ(fs.get("/vservers").flags, IATTR_BARRIER);
		EXPECT_EQ(fs.get("/vservers/guest").flags, 0u);
	}
	{
		Ext2Image fs(image, Ext2Image::Access::write);
		EXPECT_TRUE(fs.set("/vservers/", barrier(false)));
		fs.close();
	}
	Ext2Image fs(image, Ext2Image::Access::read);
	EXPECT_EQ(fs.get("/vservers").flags, 0u);
}

TEST_F(Image, WhatDoesNotApplyIsRefusedAndNothingChanges)
{
	Ext2Image fs(image, Ext2Image::Access::write);
	try {
		fs.set("/file", barrier(true));
		FAIL() << "a barrier on a file";
	} catch (const ImageError &e) {
		EXPECT_EQ(std::string(e.what()),
			  "attribute 'barrier' is not supported on " + image + ":/file (a regular file)");
	}
	IattrChange c = barrier(true);
	c.add("cow");
	try {
		fs.set("/vservers", c);
		FAIL() << "cow on a directory";
	} catch (const ImageError &e) {
		EXPECT_THAT(e.what(), HasSubstr("attribute 'cow' is not supported on " + image +
						":/vservers (a directory)"));
	}
	EXPECT_THROW(fs.set("/link", barrier(true)), ImageError);
	EXPECT_EQ(fs.get("/vservers").flags, 0u);
	EXPECT_EQ(fs.get("/file").flags, 0u);
}

TEST_F(Image, ErrorsNameTheImageAndThePath)
{
	Ext2Image fs(image, Ext2Image::Access::read);
	try {
		fs.get("/vservers/missing");
		FAIL() << "found";
	} catch (const ImageError &e) {
		EXPECT_EQ(std::string(e.what()),
			  image + ":/vservers/missing: No such file or directory");
	}
	try {
		fs.get("/file/below");
		FAIL() << "found";
	} catch (const ImageError &e) {
		EXPECT_THAT(e.what(), HasSubstr(image + ":/file/below: "));
	}
}

TEST_F(Image, NotAFilesystem)
{
	std::string junk = dir.write("junk", std::string(8192, 'x')).string();
	try {
		Ext2Image fs(junk, Ext2Image::Access::read);
		FAIL() << "opened";
	} catch (const ImageError &e) {
		EXPECT_THAT(e.what(), HasSubstr(junk + ": cannot open the filesystem: "));
	}
	EXPECT_THROW(Ext2Image(dir.path() / "none.img", Ext2Image::Access::write), ImageError);
}

TEST_F(Image, SetLeavesAFilesystemE2fsckFindsClean)
{
	{
		Ext2Image fs(image, Ext2Image::Access::write);
		fs.set("/vservers", barrier(true));
		fs.set("/vservers/guest", barrier(true));
		fs.close();
	}
	EXPECT_TRUE(clean());
	// 128-byte inodes: no room inside, the attribute goes to a block
	ASSERT_EQ(0, make("-t ext4 -I 128"));
	std::string fresh = fsck_report();
	{
		Ext2Image fs(image, Ext2Image::Access::write);
		fs.set("/vservers", barrier(true));
		fs.close();
	}
	EXPECT_TRUE(clean());
	{
		Ext2Image fs(image, Ext2Image::Access::write);
		EXPECT_EQ(fs.get("/vservers").flags, IATTR_BARRIER);
		fs.set("/vservers", barrier(false));
		fs.close();
	}
	// the emptied block is freed: the same block count as before
	EXPECT_EQ(fsck_report(), fresh);
}

TEST_F(Image, NoBlockTheQuotaWouldNotCount)
{
	ASSERT_EQ(0, make("-t ext4 -I 128 -O quota"));
	// (mke2fs -d leaves the quota of such a filesystem wrong already)
	std::string before = fsck_report();
	{
		Ext2Image fs(image, Ext2Image::Access::write);
		try {
			fs.set("/vservers", barrier(true));
			FAIL() << "set";
		} catch (const ImageError &e) {
			EXPECT_THAT(e.what(), HasSubstr(image + ":/vservers: no room for "
							"security.vserver in the inode"));
		}
		EXPECT_EQ(fs.get("/vservers").flags, 0u);
		fs.close();
	}
	EXPECT_EQ(fsck_report(), before);
}

TEST_F(Image, AFilesystemWithoutExtendedAttributes)
{
	ASSERT_EQ(0, make("-t ext2 -O ^ext_attr"));
	try {
		Ext2Image fs(image, Ext2Image::Access::write);
		FAIL() << "opened";
	} catch (const ImageError &e) {
		EXPECT_EQ(std::string(e.what()),
			  image + ": the filesystem has no extended attributes (ext_attr feature)");
	}
}

TEST_F(Image, TagsAreProjectIds)
{
	{
		Ext2Image fs(image, Ext2Image::Access::write);
		EXPECT_FALSE(fs.keeps_tags());
		EXPECT_EQ(fs.get_tag("/file"), std::nullopt);
		try {
			fs.set_tag("/file", 5);
			FAIL() << "set_tag";
		} catch (const ImageError &e) {
			EXPECT_THAT(e.what(), HasSubstr(image + ": the filesystem keeps no tags"));
		}
	}
	ASSERT_EQ(0, make("-t ext4 -O quota,project -I 256"));
	{
		Ext2Image fs(image, Ext2Image::Access::write);
		EXPECT_TRUE(fs.keeps_tags());
		EXPECT_TRUE(fs.counts_tags());
		EXPECT_EQ(fs.get_tag("/file"), 0u);
		EXPECT_EQ(fs.get("/file").mask, IATTR_IMMUTABLE | IATTR_IXUNLINK | IATTR_TAG);
		EXPECT_TRUE(fs.set_tag("/file", 42));
		EXPECT_FALSE(fs.set_tag("/file", 42));
		EXPECT_TRUE(fs.set_tag("/vservers/guest", 65535));
		try {
			fs.set_tag("/link", 1);
			FAIL() << "set_tag on a symbolic link";
		} catch (const ImageError &e) {
			EXPECT_EQ(std::string(e.what()), image + ":/link: only regular files and "
								 "directories have tags, not a symbolic link");
		}
		fs.close();
	}
	Ext2Image fs(image, Ext2Image::Access::read);
	EXPECT_EQ(fs.get_tag("/file"), 42u);
	EXPECT_EQ(fs.get_tag("/vservers/guest"), 65535u);
	EXPECT_EQ(fs.get_tag("/vservers"), 0u);
}

TEST_F(Image, BelowListsEverythingDepthFirst)
{
	Ext2Image fs(image, Ext2Image::Access::read);
	EXPECT_THAT(fs.below("/"), ::testing::ElementsAre("/file", "/link", "/lost+found",
							  "/vservers", "/vservers/guest"));
	EXPECT_THAT(fs.below("/vservers"), ::testing::ElementsAre("/vservers/guest"));
	EXPECT_TRUE(fs.below("/file").empty());
	EXPECT_TRUE(fs.below("/link").empty());	// not followed
}

} // namespace
} // namespace vserver::test
