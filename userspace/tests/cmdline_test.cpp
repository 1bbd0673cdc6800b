// take_command: splitting "[--] COMMAND ARGS..." from what CLI11 left over.
#include <vserver/cmdline.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

} // namespace
} // namespace vserver::test
