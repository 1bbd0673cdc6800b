// DeviceTransport against real files: the open errors and the ioctl path.
#include <vserver/transport.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace vserver::test {
namespace {

TEST(DeviceTransport, MissingDeviceSuggestsModprobe)
{
	try {
		DeviceTransport t("/nonexistent/vserver");
		FAIL() << "opened a missing device";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::no_such_file_or_directory);
		EXPECT_STREQ(e.what(), "/nonexistent/vserver: No such file or directory "
				       "(is the vserver module loaded? try 'modprobe vserver')");
	}
}

TEST(DeviceTransport, OpenErrorMessages)
{
	EXPECT_EQ(open_error_message("/dev/vserver", EACCES),
		  "/dev/vserver: Permission denied (must be root)");
	EXPECT_EQ(open_error_message("/dev/vserver", EPERM),
		  "/dev/vserver: Operation not permitted (must be root)");
	EXPECT_EQ(open_error_message("/dev/vserver", ENODEV),
		  "/dev/vserver: No such device "
		  "(is the vserver module loaded? try 'modprobe vserver')");
	EXPECT_EQ(open_error_message("/dev/vserver", EMFILE),
		  "/dev/vserver: Too many open files");
}

TEST(DeviceTransport, IoctlErrorComesBackAsNegativeErrno)
{
	// /dev/null has no ioctls: the call must reach ioctl() and return -ENOTTY.
	DeviceTransport t("/dev/null");
	vserver_call call{};
	call.cmd = VCMD_get_version;
	EXPECT_EQ(t.call(call), -ENOTTY);
}

TEST(UniqueFd, ClosesOnDestructionAndMove)
{
	int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(raw, 0);
	{
		UniqueFd a(raw);
		UniqueFd b(std::move(a));
		EXPECT_EQ(a.get(), -1);
		EXPECT_EQ(b.get(), raw);
		EXPECT_NE(::fcntl(raw, F_GETFD), -1);
	}
	EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
	EXPECT_EQ(errno, EBADF);
}

} // namespace
} // namespace vserver::test
