// parse_signal: numbers and names as vkill takes them.
#include <vserver/signal.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <stdexcept>
#include <string>

namespace vserver::test {
namespace {

TEST(ParseSignal, Numbers)
{
	EXPECT_EQ(parse_signal("0"), 0);
	EXPECT_EQ(parse_signal("1"), 1);
	EXPECT_EQ(parse_signal("9"), 9);
	EXPECT_EQ(parse_signal("15"), 15);
	EXPECT_EQ(parse_signal("015"), 15);
	EXPECT_EQ(parse_signal("64"), 64);
}

TEST(ParseSignal, NamesInAnyCaseWithOrWithoutSig)
{
	EXPECT_EQ(parse_signal("HUP"), SIGHUP);
	EXPECT_EQ(parse_signal("SIGHUP"), SIGHUP);
	EXPECT_EQ(parse_signal("hup"), SIGHUP);
	EXPECT_EQ(parse_signal("SigHup"), SIGHUP);
	EXPECT_EQ(parse_signal("KILL"), 9);
	EXPECT_EQ(parse_signal("TERM"), 15);
	EXPECT_EQ(parse_signal("sigterm"), 15);
	EXPECT_EQ(parse_signal("USR1"), SIGUSR1);
	EXPECT_EQ(parse_signal("CHLD"), SIGCHLD);
	EXPECT_EQ(parse_signal("CLD"), SIGCHLD);
	EXPECT_EQ(parse_signal("STOP"), SIGSTOP);
	EXPECT_EQ(parse_signal("CONT"), SIGCONT);
	EXPECT_EQ(parse_signal("WINCH"), SIGWINCH);
	EXPECT_EQ(parse_signal("SYS"), SIGSYS);
}

TEST(ParseSignal, Errors)
{
	auto error = [](const char *text) -> std::string {
		try {
			parse_signal(text);
		} catch (const std::invalid_argument &e) {
			return e.what();
		}
		return "accepted";
	};

	EXPECT_EQ(error(""), "invalid signal '': empty");
	EXPECT_EQ(error("65"), "invalid signal '65': out of range 0..64");
	EXPECT_EQ(error("99999999999"), "invalid signal '99999999999': out of range 0..64");
	EXPECT_EQ(error("-9"), "invalid signal '-9': unknown name");
	EXPECT_EQ(error("9x"), "invalid signal '9x': not a number or a name");
	EXPECT_EQ(error("FOO"), "invalid signal 'FOO': unknown name");
	EXPECT_EQ(error("SIG"), "invalid signal 'SIG': unknown name");
	EXPECT_EQ(error("SIGSIGHUP"), "invalid signal 'SIGSIGHUP': unknown name");
	EXPECT_EQ(error(" HUP"), "invalid signal ' HUP': unknown name");
}

} // namespace
} // namespace vserver::test
