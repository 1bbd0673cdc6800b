// vuname's logic: tags, -t TAG=VALUE, uts/ directories, what goes to the
// kernel in which order, and the --get line.
#include "mock_transport.hpp"
#include "temp_dir.hpp"

#include <vserver/uname.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace vserver::test {
namespace {

using ::testing::_;
using ::testing::Invoke;
using ::testing::StrictMock;

// The message of the std::invalid_argument fn throws ("" if none).
template <typename Fn>
std::string invalid_argument_of(Fn fn)
{
	try {
		fn();
	} catch (const std::invalid_argument &e) {
		return e.what();
	}
	return "";
}

// A kernel that keeps the names of one context: get_vhi_name answers from
// names (or refuse[field], a negative errno), set_vhi_name records the
// call in sets and stores the name, unless refuse says otherwise.
struct FakeKernel {
	xid_t xid = 42;
	std::map<std::uint32_t, std::string> names;
	std::map<std::uint32_t, long> refuse;
	std::vector<std::pair<std::uint32_t, std::string>> sets;

	long operator()(const vserver_call &call)
	{
		EXPECT_EQ(call.id, xid);
		EXPECT_EQ(call.size, sizeof(vcmd_vhi_name_v0));
		auto *data = reinterpret_cast<vcmd_vhi_name_v0 *>(call.data);
		if (auto r = refuse.find(data->field); r != refuse.end())
			return r->second;
		if (call.cmd == VCMD_get_vhi_name) {
			std::memset(data->name, 0, sizeof(data->name));
			names[data->field].copy(data->name, sizeof(data->name) - 1);
			return 0;
		}
		EXPECT_EQ(call.cmd, static_cast<std::uint32_t>(VCMD_set_vhi_name));
		std::string name(data->name, strnlen(data->name, sizeof(data->name)));
		sets.emplace_back(data->field, name);
		names[data->field] = name;
		return 0;
	}
};

TEST(UtsTags, AreUtilVserversInFieldOrder)
{
	std::vector<std::string> names;
	std::uint32_t field = 0;

	for (const auto &tag : uts_tags()) {
		names.emplace_back(tag.name);
		EXPECT_EQ(tag.field, field++);
		EXPECT_EQ(uts_tag_name(tag.field), tag.name);
	}
	EXPECT_EQ(names, (std::vector<std::string>{"context", "sysname", "nodename", "release",
						   "version", "machine", "domainname"}));
	EXPECT_EQ(VHIN_CONTEXT, 0);
	EXPECT_EQ(VHIN_DOMAINNAME, 6);
	EXPECT_THROW(uts_tag_name(7), std::out_of_range);
}

TEST(UtsTags, StartWithDifferentLettersSoABeginningIsUnambiguous)
{
	std::set<char> first;
	for (const auto &tag : uts_tags())
		first.insert(tag.name.front());
	EXPECT_EQ(first.size(), uts_tags().size());
}

TEST(ParseUtsTag, TakesNamesInAnyCaseAndTheirBeginnings)
{
	EXPECT_EQ(parse_uts_tag("context"), static_cast<std::uint32_t>(VHIN_CONTEXT));
	EXPECT_EQ(parse_uts_tag("sysname"), static_cast<std::uint32_t>(VHIN_SYSNAME));
	EXPECT_EQ(parse_uts_tag("nodename"), static_cast<std::uint32_t>(VHIN_NODENAME));
	EXPECT_EQ(parse_uts_tag("release"), static_cast<std::uint32_t>(VHIN_RELEASE));
	EXPECT_EQ(parse_uts_tag("version"), static_cast<std::uint32_t>(VHIN_VERSION));
	EXPECT_EQ(parse_uts_tag("machine"), static_cast<std::uint32_t>(VHIN_MACHINE));
	EXPECT_EQ(parse_uts_tag("domainname"), static_cast<std::uint32_t>(VHIN_DOMAINNAME));
	EXPECT_EQ(parse_uts_tag("NodeName"), static_cast<std::uint32_t>(VHIN_NODENAME));
	EXPECT_EQ(parse_uts_tag("DOMAINNAME"), static_cast<std::uint32_t>(VHIN_DOMAINNAME));
	EXPECT_EQ(parse_uts_tag("node"), static_cast<std::uint32_t>(VHIN_NODENAME));
	EXPECT_EQ(parse_uts_tag("d"), static_cast<std::uint32_t>(VHIN_DOMAINNAME));
	EXPECT_EQ(parse_uts_tag("C"), static_cast<std::uint32_t>(VHIN_CONTEXT));
}

TEST(ParseUtsTag, RejectsAnythingElseNamingIt)
{
	for (const char *bad : {"", "hostname", "nodenamex", "node-name", "uts", "=", " nodename"})
		EXPECT_THROW(parse_uts_tag(bad), std::invalid_argument) << "'" << bad << "'";
	EXPECT_EQ(invalid_argument_of([] { parse_uts_tag("hostname"); }),
		  "unknown tag 'hostname' (context, sysname, nodename, release, version, "
		  "machine, domainname)");
}

TEST(ParseUtsTags, NoneMeansAllInFieldOrderElseAsGiven)
{
	EXPECT_EQ(parse_uts_tags({}), (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6}));
	std::vector<std::string> given{"release", "context", "nodename", "release"};
	EXPECT_EQ(parse_uts_tags(given), (std::vector<std::uint32_t>{VHIN_RELEASE, VHIN_CONTEXT,
								      VHIN_NODENAME, VHIN_RELEASE}));
	std::vector<std::string> bad{"nodename", "bogus"};
	EXPECT_EQ(invalid_argument_of([&] { parse_uts_tags(bad); }).rfind("unknown tag 'bogus'", 0),
		  0u);
}

TEST(UtsChange, AssignTakesTagEqualsValue)
{
	UtsChange change;

	EXPECT_TRUE(change.empty());
	change.assign("nodename=web1");
	change.assign("Release=9.9");
	change.assign("context=/etc/vservers/a=b");	// the first '=' splits
	change.assign("domainname=");			// empty is a value
	EXPECT_FALSE(change.empty());
	EXPECT_EQ(change.value(VHIN_NODENAME), "web1");
	EXPECT_EQ(change.value(VHIN_RELEASE), "9.9");
	EXPECT_EQ(change.value(VHIN_CONTEXT), "/etc/vservers/a=b");
	EXPECT_EQ(change.value(VHIN_DOMAINNAME), "");
	EXPECT_EQ(change.value(VHIN_SYSNAME), std::nullopt);
	EXPECT_EQ(change.value(VHIN_VERSION), std::nullopt);
	EXPECT_EQ(change.value(VHIN_MACHINE), std::nullopt);
}

TEST(UtsChange, LaterValuesWin)
{
	UtsChange change, other;

	change.assign("nodename=a");
	change.assign("node=b");
	EXPECT_EQ(change.value(VHIN_NODENAME), "b");

	change.assign("release=1");
	other.assign("nodename=c");
	other.assign("machine=m");
	change.merge(other);
	EXPECT_EQ(change.value(VHIN_NODENAME), "c");
	EXPECT_EQ(change.value(VHIN_RELEASE), "1");	// other left it alone
	EXPECT_EQ(change.value(VHIN_MACHINE), "m");
}

TEST(UtsChange, RejectsBadAssignmentsNamingThem)
{
	UtsChange change;

	EXPECT_EQ(invalid_argument_of([&] { change.assign("nodename"); }),
		  "invalid -t 'nodename': not TAG=VALUE");
	EXPECT_EQ(invalid_argument_of([&] { change.assign("bogus=x"); }).rfind(
			  "unknown tag 'bogus'", 0), 0u);
	EXPECT_EQ(invalid_argument_of([&] { change.assign("=x"); }).rfind("unknown tag ''", 0), 0u);
	EXPECT_EQ(invalid_argument_of([&] {
			  change.assign("nodename=" + std::string(max_uts_value + 1, 'n'));
		  }),
		  "nodename: value of 65 bytes is too long (at most 64)");
	EXPECT_EQ(invalid_argument_of([&] { change.set(VHIN_MACHINE, std::string("a\0b", 3)); }),
		  "machine: value contains a NUL byte");
	EXPECT_TRUE(change.empty());	// nothing of it was taken
}

TEST(UtsChange, TakesTheLongestValue)
{
	UtsChange change;
	std::string longest(max_uts_value, 'v');

	EXPECT_EQ(max_uts_value, 64u);
	change.assign("version=" + longest);
	EXPECT_EQ(change.value(VHIN_VERSION), longest);
}

TEST(ReadUtsDir, TakesTheFirstLineOfEachTagFileThere)
{
	TempDir dir;
	dir.write("uts/nodename", "web1\nignored\n");
	dir.write("uts/domainname", "example.org");	// no newline
	dir.write("uts/release", "\n");			// an empty first line
	dir.write("uts/context", "/etc/vservers/web1\n");
	dir.write("uts/hostname", "not a tag\n");	// other files are not read

	UtsChange want;
	want.set(VHIN_NODENAME, "web1");
	want.set(VHIN_DOMAINNAME, "example.org");
	want.set(VHIN_RELEASE, "");
	want.set(VHIN_CONTEXT, "/etc/vservers/web1");
	EXPECT_EQ(read_uts_dir(dir.path() / "uts", false), want);
}

TEST(ReadUtsDir, AnEmptyDirectoryChangesNothing)
{
	TempDir dir;
	EXPECT_TRUE(read_uts_dir(dir.mkdir("uts"), false).empty());
}

TEST(ReadUtsDir, AMissingDirectoryIsAnErrorUnlessMissingOk)
{
	TempDir dir;
	auto missing = dir.path() / "uts";

	EXPECT_TRUE(read_uts_dir(missing, true).empty());
	EXPECT_EQ(invalid_argument_of([&] { read_uts_dir(missing, false); }),
		  missing.string() + ": No such file or directory");
}

TEST(ReadUtsDir, RefusesWhatItCannotUseNamingTheFile)
{
	TempDir dir;
	auto file = dir.write("file", "x\n");
	EXPECT_EQ(invalid_argument_of([&] { read_uts_dir(file, true); }),
		  file.string() + ": Not a directory");

	dir.write("long/sysname", "Linux\n");
	dir.write("long/machine", std::string(65, 'm') + "\n");
	EXPECT_EQ(invalid_argument_of([&] { read_uts_dir(dir.path() / "long", false); }),
		  (dir.path() / "long/machine").string() +
			  ": value of 65 bytes is too long (at most 64)");

	dir.write("ok/machine", std::string(64, 'm') + "\n" + std::string(10000, 'x'));
	EXPECT_EQ(read_uts_dir(dir.path() / "ok", false).value(VHIN_MACHINE), std::string(64, 'm'));

	dir.mkdir("unreadable/version");	// a directory cannot be read
	EXPECT_EQ(invalid_argument_of([&] { read_uts_dir(dir.path() / "unreadable", false); }),
		  (dir.path() / "unreadable/version").string() + ": Is a directory");
}

TEST(ApplyUtsChange, SetsTheUtsNamesFirstAndTheContextNameLast)
{
	StrictMock<MockTransport> t;
	Client client(t);
	FakeKernel kernel;
	UtsChange change;

	change.assign("context=web1");
	change.assign("release=9.9");
	change.assign("nodename=x");
	change.assign("domainname=");
	EXPECT_CALL(t, call(_)).Times(4).WillRepeatedly(Invoke(std::ref(kernel)));
	apply_uts_change(client, 42, change);
	EXPECT_EQ(kernel.sets, (std::vector<std::pair<std::uint32_t, std::string>>{
				       {VHIN_NODENAME, "x"},
				       {VHIN_RELEASE, "9.9"},
				       {VHIN_DOMAINNAME, ""},
				       {VHIN_CONTEXT, "web1"}}));
}

TEST(ApplyUtsChange, NothingToChangeMakesNoCall)
{
	StrictMock<MockTransport> t;	// any call would fail the test
	Client client(t);

	apply_uts_change(client, 42, UtsChange{});
}

TEST(ApplyUtsChange, StopsAtTheFirstRefusalNamingTheTag)
{
	StrictMock<MockTransport> t;
	Client client(t);
	FakeKernel kernel;
	UtsChange change;

	kernel.refuse[VHIN_NODENAME] = -EPERM;	// the host's UTS namespace
	change.assign("context=web1");
	change.assign("nodename=x");
	change.assign("machine=m");
	EXPECT_CALL(t, call(_)).WillOnce(Invoke(std::ref(kernel)));
	try {
		apply_uts_change(client, 42, change);
		FAIL() << "no error";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code(), std::errc::operation_not_permitted);
		EXPECT_STREQ(e.what(), "nodename: set_vhi_name(42): Operation not permitted");
	}
	EXPECT_TRUE(kernel.sets.empty());	// neither machine nor the name
}

TEST(GetUtsValues, AsksForEachFieldInTheOrderGiven)
{
	StrictMock<MockTransport> t;
	Client client(t);
	FakeKernel kernel;
	kernel.names = {{VHIN_CONTEXT, "web1"}, {VHIN_SYSNAME, "Linux"},
			{VHIN_NODENAME, "x"}, {VHIN_RELEASE, "9.9"},
			{VHIN_VERSION, "#1 SMP PREEMPT_DYNAMIC"}, {VHIN_MACHINE, "x86_64"},
			{VHIN_DOMAINNAME, "(none)"}};

	EXPECT_CALL(t, call(_)).WillRepeatedly(Invoke(std::ref(kernel)));
	auto all = get_uts_values(client, 42, parse_uts_tags({}));
	EXPECT_TRUE(all.errors.empty());
	EXPECT_EQ(uts_line(all), "web1 Linux x 9.9 #1 SMP PREEMPT_DYNAMIC x86_64 (none)\n");

	std::vector<std::uint32_t> two{VHIN_RELEASE, VHIN_NODENAME};
	EXPECT_EQ(uts_line(get_uts_values(client, 42, two)), "9.9 x\n");
	std::vector<std::uint32_t> one{VHIN_CONTEXT};
	EXPECT_EQ(uts_line(get_uts_values(client, 42, one)), "web1\n");
	kernel.names[VHIN_CONTEXT] = "";
	EXPECT_EQ(uts_line(get_uts_values(client, 42, one)), "\n");
}

TEST(GetUtsValues, MarksWhatTheKernelRefusedAndGoesOn)
{
	StrictMock<MockTransport> t;
	Client client(t);
	FakeKernel kernel;
	kernel.names[VHIN_CONTEXT] = "web1";
	// a context without tasks has no UTS namespace
	for (std::uint32_t field = VHIN_SYSNAME; field <= VHIN_DOMAINNAME; field++)
		kernel.refuse[field] = -ESRCH;

	EXPECT_CALL(t, call(_)).Times(3).WillRepeatedly(Invoke(std::ref(kernel)));
	std::vector<std::uint32_t> fields{VHIN_NODENAME, VHIN_CONTEXT, VHIN_MACHINE};
	auto values = get_uts_values(client, 42, fields);
	EXPECT_EQ(values.values, (std::vector<std::optional<std::string>>{
					 std::nullopt, "web1", std::nullopt}));
	EXPECT_EQ(uts_line(values), "??? web1 ???\n");
	EXPECT_EQ(values.errors, (std::vector<std::string>{
					 "nodename: get_vhi_name(42): No such process",
					 "machine: get_vhi_name(42): No such process"}));
}

} // namespace
} // namespace vserver::test
