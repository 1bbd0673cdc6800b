// The configuration directory helpers that vuname, vlimit and vsched share.
#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <vserver/files.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace vserver::test {
namespace {

TEST(ConfigDir, MissingIsAnErrorUnlessMissingOk)
{
	TempDir dir;
	auto missing = dir.path() / "sched";

	EXPECT_FALSE(config_dir_exists(missing, true));
	EXPECT_TRUE(config_dir_files(missing, true).empty());
	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { config_dir_files(missing, false); }),
		  missing.string() + ": No such file or directory");
	auto file = dir.write("file", "5\n");
	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { config_dir_exists(file, true); }),
		  file.string() + ": Not a directory");
	EXPECT_TRUE(config_dir_exists(dir.mkdir("empty"), false));
}

TEST(ConfigDir, FilesSortedWithoutSubdirectoriesAndDotFiles)
{
	TempDir dir;
	auto d = dir.mkdir("rlimits");
	dir.write("rlimits/nproc.hard", "1");
	dir.write("rlimits/nproc", "1");
	dir.write("rlimits/as", "1");
	dir.write("rlimits/.nproc.swp", "1");
	dir.mkdir("rlimits/0");
	std::filesystem::create_symlink(d / "nowhere", d / "dangling");

	EXPECT_EQ(config_dir_files(d, false),
		  (std::vector<std::filesystem::path>{d / "as", d / "dangling", d / "nproc",
						      d / "nproc.hard"}));
}

TEST(ConfigProblems, ValuesWithoutBlanksProblemsWithFileAndLine)
{
	TempDir dir;
	auto good = dir.write("good", " \t42 \r\nsecond line\n");
	auto bad = dir.write("bad", "x\n");
	auto unreadable = dir.mkdir("unreadable");
	ConfigProblems problems;
	std::vector<std::string> seen;
	auto use = [&](std::string_view value) {
		if (value == "x")
			throw std::invalid_argument("bad value 'x'");
		seen.emplace_back(value);
	};

	problems.read_value(good, use);
	problems.read_value(dir.path() / "missing", use);	// skipped
	EXPECT_NO_THROW(problems.throw_if_any());
	EXPECT_EQ(seen, std::vector<std::string>{"42"});

	problems.read_value(bad, use);
	problems.read_value(unreadable, use);
	problems.add("one more");
	EXPECT_EQ(what_thrown<std::invalid_argument>([&] { problems.throw_if_any(); }),
		  bad.string() + ":1: bad value 'x'\n" + unreadable.string() +
			  ": Is a directory\none more");
}

} // namespace
} // namespace vserver::test
