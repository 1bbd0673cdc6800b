#include <vserver/vbuild.hpp>

#include <vserver/files.hpp>

#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sys/stat.h>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

using namespace vserver;
using vserver::test::TempDir;
using vserver::test::what_thrown;
using ::testing::ElementsAre;

namespace fs = std::filesystem;

namespace {

TEST(InterfaceOption, AllForms)
{
	auto o = parse_interface_option("web=eth0:10.0.0.5/24");
	EXPECT_EQ(o.name, "web");
	EXPECT_EQ(o.dev, "eth0");
	EXPECT_EQ(to_string(o.ip), "10.0.0.5");
	ASSERT_TRUE(o.mask);
	EXPECT_EQ(o.mask->prefix, 24u);

	o = parse_interface_option("10.0.0.6");
	EXPECT_EQ(o.dev, "");
	EXPECT_FALSE(o.mask);

	o = parse_interface_option("nodev:10.0.0.7/255.255.0.0");
	EXPECT_TRUE(o.nodev);
	EXPECT_EQ(o.dev, "");
	EXPECT_TRUE(o.mask->dotted);
	EXPECT_EQ(o.mask->prefix, 16u);

	o = parse_interface_option("eth1:2001:db8::5/64");
	EXPECT_EQ(o.dev, "eth1");
	EXPECT_EQ(to_string(o.ip), "2001:db8::5");

	o = parse_interface_option("2001:db8::6");
	EXPECT_EQ(o.dev, "");
	EXPECT_TRUE(o.ip.v6);
}

TEST(InterfaceOption, Errors)
{
	auto error = [](const char *text) {
		return what_thrown<std::invalid_argument>([&] { parse_interface_option(text); });
	};
	EXPECT_EQ(error("eth0:10.0.0.300"), "--interface 'eth0:10.0.0.300': '10.0.0.300' is not an "
					    "IPv4 or IPv6 address");
	EXPECT_EQ(error("web"), "--interface 'web': 'web' is not an IPv4 or IPv6 address");
	EXPECT_EQ(error("=10.0.0.1"), "--interface '=10.0.0.1': empty NAME before '='");
	EXPECT_EQ(error("10.0.0.1/33"),
		  "--interface '10.0.0.1/33': prefix length 33 is out of range 1..32");
}

TEST(BuildCommands, TarAndCopy)
{
	EXPECT_THAT(untar_command("/t/root.tar.gz", "/vservers/web"),
		    ElementsAre("tar", "-x", "-z", "-f", "/t/root.tar.gz", "-C", "/vservers/web"));
	EXPECT_THAT(untar_command("/t/root.tar", "/v"), ElementsAre("tar", "-x", "-f", "/t/root.tar", "-C", "/v"));
	EXPECT_THAT(untar_command("/t/r.tar.xz", "/v")[2], "-J");
	EXPECT_THAT(copy_command("/src", "/v", true), ElementsAre("rsync", "-aHx", "/src/", "/v/"));
	EXPECT_THAT(copy_command("/src", "/v", false), ElementsAre("cp", "-a", "/src/.", "/v/"));
}

class Build : public ::testing::Test {
protected:
	Build()
	{
		request.name = "web";
		request.confdir = tmp.path() / "etc";
		request.rootdir = tmp.path() / "vservers";
		system.device_nodes = false;
		system.run = [this](const std::vector<std::string> &argv) {
			commands.push_back(argv);
			return run_error;
		};
		system.set_barrier = [this](const fs::path &dir) {
			barriers.push_back(dir);
			return barrier_error;
		};
		system.have = [](std::string_view) { return false; };
	}
	void build()
	{
		build_guest(request, system, [this](std::string_view line) { said.emplace_back(line); });
	}
	std::string error()
	{
		return what_thrown<std::exception>([this] { build(); });
	}

	TempDir tmp;
	BuildRequest request;
	BuildSystem system;
	std::vector<std::vector<std::string>> commands;
	std::vector<fs::path> barriers;
	std::vector<std::string> said;
	std::string run_error, barrier_error;
};

TEST_F(Build, SkeletonWritesATreeThatReads)
{
	tmp.write("etc/other/context", "2\n");
	request.hostname = "web.example.org";
	request.interfaces = {parse_interface_option("web=eth0:10.0.0.5/24"),
			      parse_interface_option("nodev:10.0.0.6/255.255.255.0")};
	request.flags = parse_flag_list("virt_uptime,virt_load");
	request.initstyle = InitConfig::plain;
	request.netdev = "eth1";
	request.netmask = parse_mask("16", 32);
	request.netbcast = parse_ip("10.0.255.255");
	request.interfaces.push_back(parse_interface_option("10.0.0.7"));
	build();

	EXPECT_THAT(barriers, ElementsAre(request.rootdir));
	EXPECT_TRUE(commands.empty());
	EXPECT_TRUE(fs::is_directory(request.rootdir / "web/dev/pts"));
	auto config = read_vserver_config(request.confdir / "web");
	EXPECT_EQ(config.xid, 3u);	// 2 is taken by 'other'
	EXPECT_EQ(config.uts.value(VHIN_NODENAME), "web.example.org");
	ASSERT_EQ(config.interfaces.interfaces.size(), 3u);
	EXPECT_EQ(config.interfaces.interfaces[2].dev, "eth1");
	EXPECT_EQ(config.interfaces.interfaces[2].prefix, 16u);
	EXPECT_EQ(config.interfaces.bcast, parse_ip("10.0.255.255"));
	EXPECT_EQ(config.interfaces.interfaces[0].label, "eth0:web");
	EXPECT_EQ(config.interfaces.interfaces[0].prefix, 24u);
	EXPECT_TRUE(config.interfaces.interfaces[1].nodev);
	EXPECT_EQ(config.interfaces.interfaces[1].prefix, 24u);
	EXPECT_EQ(read_file(request.confdir / "web/interfaces/1/mask"), "255.255.255.0\n");
	EXPECT_EQ(config.cflags.set, VXF_VIRT_UPTIME | VXF_VIRT_LOAD);
	EXPECT_EQ(config.init.style, InitConfig::plain);
	EXPECT_EQ(config.vdir, request.rootdir / "web");
	EXPECT_EQ(config.run, "/run/vservers/web/run");
	EXPECT_EQ(config.fstab.size(), 3u);
}

TEST_F(Build, TemplateUnpacksEachTarball)
{
	tmp.write("t/a.tar.gz", "");
	request.method = BuildMethod::template_;
	request.templates = {tmp.path() / "t/a.tar.gz"};
	request.context = 170;
	build();
	ASSERT_EQ(commands.size(), 1u);
	EXPECT_THAT(commands[0], ElementsAre("tar", "-x", "-z", "-f", (tmp.path() / "t/a.tar.gz").string(),
					     "-C", (request.rootdir / "web").string()));
	EXPECT_EQ(read_file(request.confdir / "web/context"), "170\n");
}

TEST_F(Build, RsyncFallsBackToCp)
{
	tmp.mkdir("src");
	request.method = BuildMethod::rsync;
	request.source = tmp.path() / "src";
	build();
	EXPECT_THAT(said, ElementsAre("rsync not found: copying with cp -a"));
	EXPECT_EQ(commands.at(0).at(0), "cp");
}

TEST_F(Build, CloneCopiesTheOtherGuestsRootAndLinksItsUnifiedFiles)
{
	tmp.write("etc/base/context", "2\n");
	auto base = tmp.mkdir("roots/base");
	fs::create_directory_symlink(base, request.confdir / "base/vdir");
	// unified: in the hash directory too (more than one link)
	auto shared = tmp.write("roots/base/usr/bin/shared", "shared program");
	fs::create_directories(tmp.path() / "roots/.hash/ab");
	fs::create_hard_link(shared, tmp.path() / "roots/.hash/ab/cd");
	fs::create_hard_link(shared, base / "usr/bin/shared-too");
	auto own = tmp.write("roots/base/etc/hostname", "base\n");
	fs::permissions(own, fs::perms(0600));
	// hard-linked, not unified: copied once, linked in the copy
	auto pair = tmp.write("roots/base/usr/lib/pair", "two names");
	fs::create_hard_link(pair, base / "usr/lib/pair2");
	fs::create_symlink("shared", base / "usr/bin/link");
	fs::permissions(tmp.mkdir("roots/base/var/secret"), fs::perms(0700));
	fs::permissions(base, fs::perms(0711));
	std::vector<fs::path> asked;
	system.unified = [&](const fs::path &file) {
		asked.push_back(file);
		return file.filename().string().starts_with("shared");
	};
	request.method = BuildMethod::clone;
	request.source = "base";
	build();

	const fs::path web = request.rootdir / "web";
	auto ino = [](const fs::path &p) {
		struct stat st;
		return ::lstat(p.c_str(), &st) == 0 ? st.st_ino : 0;
	};
	EXPECT_TRUE(commands.empty());
	EXPECT_EQ(ino(web / "usr/bin/shared"), ino(shared));
	EXPECT_EQ(ino(web / "usr/bin/shared-too"), ino(shared));
	EXPECT_EQ(fs::hard_link_count(shared), 5u);
	EXPECT_NE(ino(web / "etc/hostname"), ino(own));
	EXPECT_EQ(read_file(web / "etc/hostname"), "base\n");
	EXPECT_EQ(fs::status(web / "etc/hostname").permissions(), fs::perms(0600));
	EXPECT_NE(ino(web / "usr/lib/pair"), ino(pair));
	EXPECT_EQ(ino(web / "usr/lib/pair"), ino(web / "usr/lib/pair2"));
	EXPECT_EQ(read_file(web / "usr/lib/pair2"), "two names");
	EXPECT_EQ(fs::read_symlink(web / "usr/bin/link"), "shared");
	EXPECT_EQ(fs::status(web / "var/secret").permissions(), fs::perms(0700));
	EXPECT_EQ(fs::status(web).permissions(), fs::perms(0711));
	EXPECT_EQ(fs::last_write_time(web / "etc/hostname"), fs::last_write_time(own));
	EXPECT_TRUE(fs::is_directory(web / "dev/pts"));	// the skeleton stays
	// only files with more than one link are asked about
	EXPECT_EQ(asked.size(), 3u);
	EXPECT_THAT(said, ElementsAre("Linked 2 unified files of 'base', copied the rest"));
}

TEST_F(Build, CloneWithoutUnifiedFilesCopiesAll)
{
	tmp.write("etc/base/context", "2\n");
	auto base = tmp.mkdir("roots/base");
	fs::create_directory_symlink(base, request.confdir / "base/vdir");
	auto file = tmp.write("roots/base/bin/sh", "shell");
	fs::create_hard_link(file, base / "bin/bash");
	request.method = BuildMethod::clone;
	request.source = "base";
	build();	// system.unified unset
	const fs::path web = request.rootdir / "web";
	EXPECT_EQ(read_file(web / "bin/sh"), "shell");
	EXPECT_EQ(fs::hard_link_count(web / "bin/sh"), 2u);
	EXPECT_EQ(fs::hard_link_count(file), 2u);
	EXPECT_TRUE(said.empty());
}

TEST(BuildCommands, Debootstrap)
{
	EXPECT_THAT(debootstrap_command("bookworm", "/vservers/web", std::nullopt, {}),
		    ElementsAre("debootstrap", "bookworm", "/vservers/web"));
	EXPECT_THAT(debootstrap_command("bookworm", "/v", "http://deb.debian.org/debian",
					{"--variant=minbase", "--include=less"}),
		    ElementsAre("debootstrap", "--variant=minbase", "--include=less", "bookworm",
				"/v", "http://deb.debian.org/debian"));
}

TEST_F(Build, DebootstrapIntoAnEmptyRoot)
{
	request.method = BuildMethod::debootstrap;
	request.suite = "bookworm";
	request.debootstrap_args = {"--variant=minbase"};
	system.have = [](std::string_view prog) { return prog == "debootstrap"; };
	system.run = [this](const std::vector<std::string> &argv) {
		commands.push_back(argv);
		// debootstrap wants an empty directory
		if (!fs::is_empty(request.rootdir / "web"))
			return std::string("not empty");
		fs::create_directories(request.rootdir / "web/usr/bin");
		fs::create_directory_symlink("usr/bin", request.rootdir / "web/bin");
		return std::string();
	};
	tmp.write("etc/.defaults/apps/debootstrap/mirror", "http://mirror.example/debian\n");
	build();
	EXPECT_THAT(commands.at(0), ElementsAre("debootstrap", "--variant=minbase", "bookworm",
						(request.rootdir / "web").string(),
						"http://mirror.example/debian"));
	EXPECT_TRUE(fs::is_symlink(request.rootdir / "web/bin"));
	EXPECT_TRUE(fs::is_directory(request.rootdir / "web/dev/pts"));
	EXPECT_TRUE(fs::is_regular_file(request.confdir / "web/context"));

	request.name = "other";
	request.mirror = "http://other.example/debian";
	EXPECT_EQ(debootstrap_mirror(request), "http://other.example/debian");
}

TEST_F(Build, DebootstrapNeedsItAndASuite)
{
	request.method = BuildMethod::debootstrap;
	EXPECT_EQ(error(), "-m debootstrap needs -d SUITE (e.g. bookworm)");
	request.suite = "bookworm";
	EXPECT_EQ(error(), "-m debootstrap: debootstrap is not installed (apt-get install debootstrap)");
	EXPECT_FALSE(fs::exists(request.rootdir));
	EXPECT_TRUE(commands.empty());
	request.method = BuildMethod::skeleton;
	request.mirror = "http://x";
	EXPECT_EQ(error(), "a mirror and debootstrap's options are for -m debootstrap only");
}

TEST_F(Build, DynamicContextHasNoContextFile)
{
	request.dynamic = true;
	request.initstyle = InitConfig::systemd;
	build();
	EXPECT_FALSE(fs::exists(request.confdir / "web/context"));
	auto config = read_vserver_config(request.confdir / "web");
	EXPECT_EQ(config.xid, 0u);
	EXPECT_EQ(config.init.style, InitConfig::systemd);
	EXPECT_EQ(read_file(request.confdir / "web/apps/init/style"), "systemd\n");

	request.name = "other";
	request.dynamic = false;
	tmp.mkdir("etc/.defaults/context.dynamic");
	build();
	EXPECT_FALSE(fs::exists(request.confdir / "other/context"));

	request.name = "third";
	request.dynamic = true;
	request.context = 5;
	EXPECT_EQ(error(), "a dynamic context has no number");
}

TEST_F(Build, AFailureLeavesNothing)
{
	tmp.write("t/a.tar", "");
	request.method = BuildMethod::template_;
	request.templates = {tmp.path() / "t/a.tar"};
	run_error = "tar: exit status 2";
	EXPECT_EQ(error(), "tar: exit status 2");
	EXPECT_FALSE(fs::exists(request.rootdir));
	EXPECT_FALSE(fs::exists(request.confdir / "web"));
}

TEST_F(Build, NoBarrierNoBuild)
{
	barrier_error = "Operation not supported";
	EXPECT_EQ(error(), fmt::format("cannot put the barrier on {}: Operation not supported "
				       "(without it a guest's root could escape its chroot; "
				       "--nobarrier builds without it)", request.rootdir.string()));
	EXPECT_FALSE(fs::exists(request.rootdir));
	EXPECT_FALSE(fs::exists(request.confdir / "web"));

	request.nobarrier = true;
	barriers.clear();
	build();
	EXPECT_TRUE(barriers.empty());
}

TEST_F(Build, TagsTheRootWithTheContextLast)
{
	std::vector<std::pair<fs::path, std::uint32_t>> tagged;
	bool config_written = false;
	system.tag_files = [&](const fs::path &dir, std::uint32_t tag) {
		tagged.emplace_back(dir, tag);
		config_written = fs::exists(request.confdir / "web/context");
		return std::optional(TagCounts{120, 3, 4});
	};
	request.context = 42;
	build();
	EXPECT_THAT(tagged, ElementsAre(std::pair{request.rootdir / "web", 42u}));
	EXPECT_TRUE(config_written);
	EXPECT_THAT(said, ElementsAre(fmt::format("Tagged 120 files of '{}' with 42 (left 3 "
						  "unified files alone)",
						  (request.rootdir / "web").string())));
}

TEST_F(Build, NoTagsNoWord)
{
	unsigned calls = 0;
	system.tag_files = [&](const fs::path &, std::uint32_t) {
		++calls;
		return std::optional<TagCounts>();
	};
	build();
	EXPECT_EQ(calls, 1u);
	EXPECT_THAT(said, ::testing::IsEmpty());

	// a dynamic guest has no xid to tag with
	request.name = "dyn";
	request.dynamic = true;
	build();
	EXPECT_EQ(calls, 1u);
}

TEST_F(Build, TaggingRefusedBuildsNothing)
{
	system.tag_files = [&](const fs::path &, std::uint32_t) -> std::optional<TagCounts> {
		throw std::system_error(EPERM, std::generic_category(), "set_iattr(/x)");
	};
	EXPECT_EQ(error(), fmt::format("cannot tag the files of {} with 2: set_iattr(/x): "
				       "Operation not permitted",
				       (request.rootdir / "web").string()));
	EXPECT_FALSE(fs::exists(request.rootdir / "web"));
	EXPECT_FALSE(fs::exists(request.confdir / "web"));
}

TEST_F(Build, ExistingGuest)
{
	tmp.write("etc/web/context", "5\n");
	EXPECT_THAT(error(), ::testing::HasSubstr("vserver 'web' exists already"));

	request.force = true;
	build();
	EXPECT_THAT(said.at(0), ::testing::StartsWith("Renamed '" + (request.confdir / "web").string() +
						       "' to '"));
	EXPECT_EQ(read_file(request.confdir / "web/context"), "2\n");
}

TEST_F(Build, ForceUndoneOnFailure)
{
	tmp.write("etc/web/context", "5\n");
	request.force = true;
	barrier_error = "No such device";
	error();
	EXPECT_EQ(read_file(request.confdir / "web/context"), "5\n");
}

TEST_F(Build, BadRequests)
{
	tmp.write("etc/other/context", "170\n");
	request.context = 170;
	EXPECT_EQ(error(), "--context 170: guest 'other' has that context");
	request.context = 1;
	EXPECT_EQ(error(), "--context 1: a guest's context is 2..49151");
	request.context.reset();
	request.method = BuildMethod::template_;
	EXPECT_EQ(error(), "-m template needs -t TARBALL");
	request.method = BuildMethod::clone;
	request.source = "nosuch";
	EXPECT_THAT(error(), ::testing::StartsWith("--source nosuch: no such guest in "));
	request.name = "../x";
	EXPECT_EQ(error(), "'../x' is not a vserver name");
	EXPECT_FALSE(fs::exists(request.rootdir));
}

} // namespace
