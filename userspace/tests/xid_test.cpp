// parse_xid: what a command line may say.
#include <vserver/xid.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

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

} // namespace
} // namespace vserver::test
