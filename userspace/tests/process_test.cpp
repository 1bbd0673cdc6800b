// run_captured against real programs (sh is everywhere the tests run).
#include <vserver/process.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <system_error>

namespace vserver::test {
namespace {

TEST(RunCaptured, OutputAndExitStatus)
{
	auto result = run_captured({"sh", "-c", "echo one; echo two; exit 3"});
	EXPECT_EQ(result.output, "one\ntwo\n");
	ASSERT_TRUE(WIFEXITED(result.status));
	EXPECT_EQ(WEXITSTATUS(result.status), 3);
}

TEST(RunCaptured, ArgumentsArePassedAsTheyAre)
{
	auto result = run_captured({"sh", "-c", "printf '[%s]' \"$@\"", "sh", "a b", "", "-x"});
	EXPECT_EQ(result.output, "[a b][][-x]");
}

TEST(RunCaptured, LargeOutput)
{
	auto result = run_captured({"sh", "-c", "i=0; while [ $i -lt 20000 ]; do echo line$i; "
						"i=$((i + 1)); done"});
	// "line" and a newline, plus the digits of 0..19999
	EXPECT_EQ(result.output.size(), 20000u * 5 + (10 + 90 * 2 + 900 * 3 + 9000 * 4 + 10000 * 5));
	EXPECT_THAT(result.output, ::testing::EndsWith("line19999\n"));
}

TEST(RunCaptured, FilterRunsWhileTheProcessStillExists)
{
	std::string seen_state;
	auto result = run_captured({"sh", "-c", "echo $$"}, [&](std::string output) {
		// Not reaped yet: its /proc entry is there, a zombie.
		std::string pid = output.substr(0, output.find('\n'));
		std::ifstream stat("/proc/" + pid + "/stat");
		std::string line;
		std::getline(stat, line);
		auto paren = line.rfind(')');
		if (paren != std::string::npos && paren + 2 < line.size())
			seen_state = line.substr(paren + 2, 1);
		return "filtered:" + output;
	});
	EXPECT_THAT(result.output, ::testing::StartsWith("filtered:"));
	EXPECT_THAT(seen_state, ::testing::AnyOf("Z", "R", "S", "X"));
	EXPECT_FALSE(seen_state.empty()) << "the process was reaped before the filter ran";
}

TEST(RunCaptured, SignalledProcess)
{
	auto result = run_captured({"sh", "-c", "kill -TERM $$"});
	ASSERT_TRUE(WIFSIGNALED(result.status));
	EXPECT_EQ(WTERMSIG(result.status), SIGTERM);
	EXPECT_EQ(shell_status(result.status), 128 + SIGTERM);
}

TEST(RunCaptured, ProgramThatCannotRun)
{
	try {
		run_captured({"/nonexistent/ps", "-ef"});
		FAIL() << "no exception";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::no_such_file_or_directory);
		EXPECT_STREQ(e.what(), "/nonexistent/ps: No such file or directory");
	}
	EXPECT_THROW(run_captured({}), std::invalid_argument);
}

TEST(RunCaptured, FilterExceptionsPropagate)
{
	EXPECT_THROW(run_captured({"true"}, [](std::string) -> std::string {
			     throw std::runtime_error("filter");
		     }),
		     std::runtime_error);
}

TEST(RunStreamed, PiecesInOrderThenFinishWhileTheProcessExists)
{
	std::string pieces;
	int calls = 0;
	bool finished = false;
	auto result = run_streamed(
		{"sh", "-c", "i=0; while [ $i -lt 20000 ]; do echo line$i; i=$((i + 1)); done; echo $$"},
		[&](std::string_view piece) {
			EXPECT_FALSE(finished);
			EXPECT_FALSE(piece.empty());
			pieces.append(piece);
			calls++;
		},
		[&] {
			finished = true;
			// the last line is the shell's pid: not reaped yet
			std::string pid = pieces.substr(pieces.rfind('\n', pieces.size() - 2) + 1);
			pid.pop_back();
			std::ifstream stat("/proc/" + pid + "/stat");
			EXPECT_TRUE(stat.good()) << "the process was reaped before finish ran";
			return std::string("done");
		});
	EXPECT_EQ(result.output, "done");
	EXPECT_TRUE(finished);
	EXPECT_GT(calls, 0);
	EXPECT_THAT(pieces, ::testing::StartsWith("line0\nline1\n"));
	EXPECT_EQ(pieces.size(), 20000u * 5 + (10 + 90 * 2 + 900 * 3 + 9000 * 4 + 10000 * 5) +
					 pieces.substr(pieces.rfind('\n', pieces.size() - 2) + 1).size());
	ASSERT_TRUE(WIFEXITED(result.status));
	EXPECT_EQ(WEXITSTATUS(result.status), 0);
}

TEST(RunStreamed, ConsumerExceptionStopsAWriterThatWouldNotEnd)
{
	// yes writes forever: the pipe must be closed before it is reaped.
	EXPECT_THROW(run_streamed(
			     {"yes"}, [](std::string_view) { throw std::runtime_error("consume"); },
			     [] { return std::string(); }),
		     std::runtime_error);
}

TEST(RunStreamed, ProgramThatCannotRun)
{
	EXPECT_THROW(run_streamed({"/nonexistent/ps"}, {}, {}), std::system_error);
	EXPECT_THROW(run_streamed({}, {}, {}), std::invalid_argument);
}

TEST(ShellStatus, ExitCodesAndSignals)
{
	EXPECT_EQ(shell_status(0), 0);
	EXPECT_EQ(shell_status(3 << 8), 3);
	EXPECT_EQ(shell_status(255 << 8), 255);
	EXPECT_EQ(shell_status(SIGKILL), 128 + SIGKILL);
	EXPECT_EQ(shell_status(SIGSEGV | 0x80), 128 + SIGSEGV);	// core dumped
}

} // namespace
} // namespace vserver::test
