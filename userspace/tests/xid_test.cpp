// parse_xid and resolve_xid: what a command line may say.
#include "mock_transport.hpp"
#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <vserver/xid.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>

namespace vserver::test {
namespace {

struct Accept {
	const char *name;
	const char *text;
	xid_t xid;
};

struct Reject {
	const char *name;
	const char *text;
	const char *why;
};

// Test names come from the table, not from gtest's byte dump of the params.
template <typename T>
std::string case_name(const ::testing::TestParamInfo<T> &info)
{
	return info.param.name;
}

class ParseXidAccepts : public ::testing::TestWithParam<Accept> {};

TEST_P(ParseXidAccepts, Value)
{
	EXPECT_EQ(parse_xid(GetParam().text), GetParam().xid);
}

INSTANTIATE_TEST_SUITE_P(Table, ParseXidAccepts, ::testing::Values(
	Accept{"host", "0", 0}, Accept{"watch", "1", 1}, Accept{"first_static", "2", 2},
	Accept{"plain", "42", 42}, Accept{"leading_zeros", "007", 7},
	Accept{"last_static", "49151", 49151}, Accept{"first_dynamic", "49152", 49152},
	Accept{"last", "65535", 65535}), case_name<Accept>);

class ParseXidRejects : public ::testing::TestWithParam<Reject> {};

TEST_P(ParseXidRejects, WithMessageNamingTheValue)
{
	auto [name, text, why] = GetParam();
	try {
		parse_xid(text);
		FAIL() << "accepted '" << text << "'";
	} catch (const std::invalid_argument &e) {
		EXPECT_EQ(std::string(e.what()), "invalid xid '" + std::string(text) + "': " + why);
	}
}

constexpr const char *nan = "not a decimal number";
constexpr const char *range = "out of range 0..65535";

INSTANTIATE_TEST_SUITE_P(Table, ParseXidRejects, ::testing::Values(
	Reject{"empty", "", "empty"},
	Reject{"letters", "abc", nan},
	Reject{"negative", "-1", nan},
	Reject{"plus_sign", "+1", nan},
	Reject{"leading_space", " 1", nan},
	Reject{"trailing_space", "1 ", nan},
	Reject{"trailing_junk", "12abc", nan},
	Reject{"hex", "0x10", nan},
	Reject{"fraction", "1.0", nan},
	Reject{"one_past_last", "65536", range},
	Reject{"too_big", "70000", range},
	Reject{"u32_dynamic", "4294967295", range},
	Reject{"overflow", "99999999999999999999999", range}), case_name<Reject>);

TEST(ParseXid, StopsAtTheViewsEnd)
{
	std::string_view text("12345", 2);
	EXPECT_EQ(parse_xid(text), 12u);
}

// resolve_xid with a confdir of our own and a "self" that must not be asked
// unless the text says "self".
class ResolveXid : public ::testing::Test {
protected:
	TempDir conf;
	int self_calls = 0;

	xid_t resolve(std::string_view text)
	{
		return resolve_xid(text, [this] { self_calls++; return 42u; }, conf.path());
	}

	std::string error(std::string_view text)
	{
		try {
			resolve(text);
		} catch (const std::invalid_argument &e) {
			return e.what();
		}
		return "accepted";
	}
};

TEST_F(ResolveXid, NumbersAreParseXids)
{
	EXPECT_EQ(resolve("0"), 0u);
	EXPECT_EQ(resolve("40001"), 40001u);
	EXPECT_EQ(error("70000"), "invalid xid '70000': out of range 0..65535");
	EXPECT_EQ(error("12abc"), "invalid xid '12abc': not a decimal number");
	EXPECT_EQ(error("-1"), "invalid xid '-1': not a decimal number");
	EXPECT_EQ(error("+1"), "invalid xid '+1': not a decimal number");
	EXPECT_EQ(error(""), "invalid xid '': empty");
	EXPECT_EQ(self_calls, 0);
}

TEST_F(ResolveXid, SelfAsksTheCallback)
{
	EXPECT_EQ(resolve("self"), 42u);
	EXPECT_EQ(self_calls, 1);
}

TEST_F(ResolveXid, SelfErrorsPassThrough)
{
	auto failing = []() -> xid_t {
		throw std::system_error(ENOENT, std::generic_category(), "/dev/vserver");
	};
	EXPECT_THROW(resolve_xid("self", failing, conf.path()), std::system_error);
}

TEST_F(ResolveXid, SelfThroughAClientIsTaskXidOfTheCaller)
{
	::testing::StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(::testing::AllOf(::testing::Field(&vserver_call::cmd, VCMD_task_xid),
					     ::testing::Field(&vserver_call::id, 0u))))
		.WillOnce(::testing::Return(49153));
	EXPECT_EQ(resolve_xid("self", client, conf.path()), 49153u);
	EXPECT_EQ(resolve_xid("7", client, conf.path()), 7u);	// no call
}

TEST_F(ResolveXid, NamesReadTheContextFile)
{
	conf.write("web/context", "40001\n");
	conf.write("db/context", "  12 \n\n");
	conf.write("selfish/context", "3");
	EXPECT_EQ(resolve("web"), 40001u);
	EXPECT_EQ(resolve("db"), 12u);
	EXPECT_EQ(resolve("selfish"), 3u);
	EXPECT_EQ(self_calls, 0);
}

TEST_F(ResolveXid, MissingOrMalformedContextFileIsNamed)
{
	auto file = [&](const char *name) { return (conf.path() / name / "context").string(); };

	conf.mkdir("nocontext");
	conf.write("empty/context", "\n");
	conf.write("junk/context", "web\n");
	conf.write("big/context", "65536\n");
	conf.write("two/context", "12\n13\n");

	EXPECT_EQ(error("missing"), "invalid xid 'missing': " + file("missing") +
					    ": No such file or directory");
	EXPECT_EQ(error("nocontext"), "invalid xid 'nocontext': " + file("nocontext") +
					      ": No such file or directory");
	EXPECT_EQ(error("empty"), "invalid xid 'empty': " + file("empty") +
					  ": invalid xid '': empty");
	EXPECT_EQ(error("junk"), "invalid xid 'junk': " + file("junk") +
					 ": invalid xid 'web': not a decimal number");
	EXPECT_EQ(error("big"), "invalid xid 'big': " + file("big") +
					": invalid xid '65536': out of range 0..65535");
	EXPECT_EQ(error("two"), "invalid xid 'two': " + file("two") +
					": invalid xid '12\n13': not a decimal number");
}

TEST_F(ResolveXid, NamesAreNoPaths)
{
	conf.write("sub/web/context", "5\n");
	const char *why = "neither a number, 'self' nor a vserver name";

	EXPECT_EQ(error("sub/web"), std::string("invalid xid 'sub/web': ") + why);
	EXPECT_EQ(error(".."), std::string("invalid xid '..': ") + why);
	EXPECT_EQ(error("."), std::string("invalid xid '.': ") + why);
}

// Network context ids: the same rules, their own word, the ncontext file.
TEST(ParseNid, SaysNid)
{
	EXPECT_EQ(parse_nid("49152"), 49152u);
	EXPECT_EQ(what_thrown<std::invalid_argument>([] { parse_nid("70000"); }),
		  "invalid nid '70000': out of range 0..65535");
}

class ResolveNid : public ResolveXid {
protected:
	nid_t resolve(std::string_view text)
	{
		return resolve_nid(text, [this] { self_calls++; return 7u; }, conf.path());
	}

	std::string error(std::string_view text)
	{
		return what_thrown<std::invalid_argument>([&] { resolve(text); });
	}
};

TEST_F(ResolveNid, NcontextFileElseContextFile)
{
	conf.write("web/context", "40001\n");
	conf.write("web/ncontext", "40002\n");
	conf.write("db/context", "12\n");
	EXPECT_EQ(resolve("web"), 40002u);
	EXPECT_EQ(resolve("db"), 12u);		// util-vserver: the nid defaults to the xid
	EXPECT_EQ(resolve("33"), 33u);
	EXPECT_EQ(self_calls, 0);
	EXPECT_EQ(resolve("self"), 7u);
	EXPECT_EQ(self_calls, 1);
}

TEST_F(ResolveNid, ErrorsSayNidAndNameTheFile)
{
	conf.write("junk/ncontext", "web\n");
	conf.write("junk/context", "5\n");	// not read: ncontext is there
	conf.mkdir("none");

	EXPECT_EQ(error("junk"), "invalid nid 'junk': " + (conf.path() / "junk/ncontext").string() +
					 ": invalid nid 'web': not a decimal number");
	EXPECT_EQ(error("none"), "invalid nid 'none': " + (conf.path() / "none/context").string() +
					 ": No such file or directory");
	EXPECT_EQ(error("-1"), "invalid nid '-1': not a decimal number");
}

TEST(ResolveXidDefaults, ConfdirIsEtcVservers)
{
	EXPECT_EQ(default_confdir, std::filesystem::path("/etc/vservers"));
}

} // namespace
} // namespace vserver::test
