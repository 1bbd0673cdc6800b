// start-vservers: the marked guests, their order, what a failure skips.
#include <vserver/files.hpp>
#include <vserver/marked.hpp>

#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vserver::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class Marked : public ::testing::Test {
protected:
	// A guest NAME with mark (if not empty) and depends lines.
	void guest(const std::string &name, const std::string &mark,
		   const std::string &depends = {})
	{
		tmp.mkdir(name);
		if (!mark.empty())
			tmp.write(name + "/apps/init/mark", mark);
		if (!depends.empty())
			tmp.write(name + "/apps/init/depends", depends);
	}

	std::string plan_error(const std::vector<std::string> &guests)
	{
		return what_thrown<std::invalid_argument>([&] { start_plan(tmp.path(), guests); });
	}

	TempDir tmp;
	std::vector<std::string> said;
	std::function<void(std::string_view)> say = [this](std::string_view l) {
		said.emplace_back(l);
	};
};

TEST_F(Marked, GuestsWithTheMarkLine)
{
	guest("web", "default\n");
	guest("db", "# boot\ndefault\n");
	guest("test", "manual\n");
	guest("bare", "");
	tmp.mkdir(".defaults");
	tmp.write("notaguest", "default\n");
	EXPECT_THAT(marked_guests(tmp.path(), "default"), ElementsAre("db", "web"));
	EXPECT_THAT(marked_guests(tmp.path(), "manual"), ElementsAre("test"));
	EXPECT_THAT(marked_guests(tmp.path(), "none"), IsEmpty());
}

TEST(ListFile, SkipsBlanksAndComments)
{
	TempDir tmp;
	auto file = tmp.write("depends", "  db \n\n# the cache\ncache\r\n");
	EXPECT_THAT(read_list_file(file), ElementsAre("db", "cache"));
	EXPECT_THAT(read_list_file(tmp.path() / "none"), IsEmpty());
}

TEST_F(Marked, DependenciesFirstAndStartedUnmarked)
{
	guest("web", "default\n", "db\ncache\n");
	guest("db", "default\n", "store\n");
	guest("cache", "");
	guest("store", "");
	guest("alpha", "default\n");
	auto plan = start_plan(tmp.path(), marked_guests(tmp.path(), "default"));
	EXPECT_THAT(plan.order, ElementsAre("alpha", "store", "db", "cache", "web"));
	EXPECT_THAT(plan.depends["web"], ElementsAre("db", "cache"));
}

TEST_F(Marked, UnknownDependenciesAreAllNamed)
{
	guest("web", "default\n", "db\nnosuch\n");
	guest("db", "", "ghost\n");
	auto dir = tmp.path().string();
	EXPECT_EQ(plan_error({"web"}),
		  "apps/init/depends of 'db': 'ghost' is no guest in " + dir + "\n" +
			  "apps/init/depends of 'web': 'nosuch' is no guest in " + dir);
}

TEST_F(Marked, ACycleIsNamed)
{
	guest("a", "default\n", "b\n");
	guest("b", "", "c\n");
	guest("c", "", "a\n");
	EXPECT_EQ(plan_error({"a"}), "the guests depend on each other in a cycle "
				     "(apps/init/depends): 'a' -> 'b' -> 'c' -> 'a'");
	guest("self", "", "self\n");
	EXPECT_EQ(plan_error({"self"}), "the guests depend on each other in a cycle "
					"(apps/init/depends): 'self' -> 'self'");
}

TEST_F(Marked, StartSkipsWhatDependsOnAFailure)
{
	guest("web", "default\n", "db\n");
	guest("db", "default\n");
	guest("mail", "default\n");
	auto plan = start_plan(tmp.path(), marked_guests(tmp.path(), "default"));
	std::vector<std::string> ran;
	auto failed = run_plan(plan, "start",
			       [&](const std::string &name, std::string_view verb) -> std::string {
				       ran.push_back(name + " " + std::string(verb));
				       return name == "db" ? "vserver: exit status 1" : "";
			       },
			       say);
	EXPECT_THAT(ran, ElementsAre("db start", "mail start"));
	EXPECT_THAT(failed, ElementsAre("db", "web"));
	EXPECT_THAT(said, ElementsAre("db: vserver: exit status 1",
				      "web: not started: it depends on 'db', which did not start"));
}

TEST_F(Marked, StopInTheReverseOrderEachTried)
{
	guest("web", "default\n", "db\n");
	guest("db", "default\n");
	auto plan = start_plan(tmp.path(), marked_guests(tmp.path(), "default"));
	std::vector<std::string> ran;
	auto failed = run_plan(plan, "stop",
			       [&](const std::string &name, std::string_view verb) -> std::string {
				       ran.push_back(name + " " + std::string(verb));
				       return name == "web" ? "failed" : "";
			       },
			       say);
	EXPECT_THAT(ran, ElementsAre("web stop", "db stop"));
	EXPECT_THAT(failed, ElementsAre("web"));
}

} // namespace
} // namespace vserver::test
