// take_command: splitting "[--] COMMAND ARGS..." from what CLI11 left over.
#include <vserver/cmdline.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <stdexcept>

namespace vserver::test {
namespace {

using ::testing::ElementsAre;
using Args = std::vector<std::string>;

TEST(TakeCommand, CommandAndItsOptions)
{
	EXPECT_THAT(take_command(Args{"ls", "-l", "--", "x"}), ElementsAre("ls", "-l", "--", "x"));
}

TEST(TakeCommand, LeadingSeparatorIsDropped)
{
	EXPECT_THAT(take_command(Args{"--", "ls", "-l"}), ElementsAre("ls", "-l"));
	EXPECT_THAT(take_command(Args{"--", "--odd-name"}), ElementsAre("--odd-name"));
	EXPECT_THAT(take_command(Args{"--", "--"}), ElementsAre("--"));
}

TEST(TakeCommand, Errors)
{
	auto error = [](Args args) -> std::string {
		try {
			take_command(std::move(args));
		} catch (const std::invalid_argument &e) {
			return e.what();
		}
		return "accepted";
	};

	EXPECT_EQ(error({}), "missing command");
	EXPECT_EQ(error({"--"}), "missing command");
	EXPECT_EQ(error({"--bogus", "ls"}), "unknown option '--bogus'");
	EXPECT_EQ(error({"-x"}), "unknown option '-x'");
}

TEST(TakeOptionalCommand, MayBeEmpty)
{
	EXPECT_THAT(take_optional_command(Args{}), ElementsAre());
	EXPECT_THAT(take_optional_command(Args{"--"}), ElementsAre());
	EXPECT_THAT(take_optional_command(Args{"--", "ls", "-l"}), ElementsAre("ls", "-l"));
	EXPECT_THAT(take_optional_command(Args{"ls"}), ElementsAre("ls"));
	EXPECT_THROW(take_optional_command(Args{"--bogus"}), std::invalid_argument);
}

TEST(ExecCommand, ReturnsTheErrnoWhenItCannotExec)
{
	EXPECT_EQ(exec_command(Args{"/nonexistent/cmd"}), ENOENT);
	EXPECT_EQ(exec_command(Args{"/"}), EACCES);
	EXPECT_EQ(exec_command(Args{}), EINVAL);
}

} // namespace
} // namespace vserver::test
