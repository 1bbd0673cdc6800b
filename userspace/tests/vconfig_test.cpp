#include <vserver/vconfig.hpp>

#include <vserver/caps.hpp>
#include <vserver/nid.hpp>

#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

using namespace vserver;
using vserver::test::TempDir;
using vserver::test::what_thrown;
using ::testing::ElementsAre;

namespace fs = std::filesystem;

namespace {

// A guest of the corpus (tests/data/vservers/CASE/web).
fs::path corpus(const std::string &name)
{
	return fs::path(VSERVER_TEST_DATA) / "vservers" / name / "web";
}

// The errors of reading a guest of the corpus; none if it reads.
std::vector<std::string> errors_of(const fs::path &cfgdir)
{
	try {
		read_vserver_config(cfgdir);
	} catch (const ConfigError &e) {
		return e.errors();
	}
	return {};
}

std::string file(const std::string &name, const std::string &relative)
{
	return (corpus(name) / relative).string();
}

TEST(Vconfig, AFullGuest)
{
	auto config = read_vserver_config(corpus("good"));

	EXPECT_EQ(config.name, "web");
	EXPECT_EQ(config.xid, 42u);
	EXPECT_EQ(config.uts.value(VHIN_NODENAME), "web.example.org");
	EXPECT_EQ(config.uts.value(VHIN_DOMAINNAME), "example.org");
	EXPECT_FALSE(config.uts.value(VHIN_SYSNAME));
	ASSERT_EQ(config.interfaces.interfaces.size(), 2u);
	EXPECT_EQ(config.interfaces.interfaces[0].dev, "eth0");
	EXPECT_EQ(config.interfaces.interfaces[0].label, "eth0:web");
	EXPECT_TRUE(config.interfaces.interfaces[1].nodev);
	EXPECT_EQ(config.cflags.set, VXF_VIRT_UPTIME | VXF_VIRT_LOAD);
	EXPECT_EQ(config.cflags.clear, VXF_PERSISTENT);
	EXPECT_EQ(config.nflags.set, NXF_HIDE_NETIF);
	EXPECT_EQ(config.bcaps.set, 1ull << 13 /* CAP_NET_RAW */);
	EXPECT_EQ(config.bcaps.clear, 1ull << 18 /* CAP_SYS_CHROOT */);
	EXPECT_EQ(config.ccaps.set, VXC_SET_UTSNAME | VXC_SYSLOG);
	EXPECT_EQ(config.ncaps.set, NXC_RAW_ICMP);
	EXPECT_TRUE(config.rlimits);
	EXPECT_FALSE(config.sched);
	EXPECT_EQ(config.init.style, InitConfig::plain);
	EXPECT_EQ(config.init.mark, "default");
	EXPECT_THAT(config.init.killseq, ElementsAre(KillStep{15, 2}, KillStep{9, 0}));
	EXPECT_THAT(init_start_command(config.init), ElementsAre("/sbin/init"));
	EXPECT_TRUE(init_stop_command(config.init).empty());
	EXPECT_THAT(config.fstab,
		    ElementsAre(FstabEntry{"none", "/proc", "proc", "defaults", 1},
				FstabEntry{"none", "/tmp", "tmpfs", "size=16m,mode=1777", 3},
				FstabEntry{"none", "/dev/pts", "devpts", "gid=5,mode=620", 4}));
	EXPECT_EQ(config.pre_start, corpus("good") / "scripts/pre-start");
	EXPECT_FALSE(config.post_start);
	EXPECT_EQ(fs::canonical(config.vdir), fs::canonical(fs::path(VSERVER_TEST_DATA) / "roots/web"));
	EXPECT_EQ(config.run, "/run/vservers/web/run");
	// dlimits/2 is disabled
	EXPECT_THAT(config.dlimits,
		    ElementsAre(GuestDlimit{corpus("good") / "dlimits/0", "/", 100000,
					    CDLIM_INFINITY, 5},
				GuestDlimit{corpus("good") / "dlimits/1", "/tmp", 2000, 300, 0}));
}

TEST(Vconfig, Defaults)
{
	TempDir tmp;
	tmp.write("etc/web/context", "7\n");
	tmp.mkdir("roots/web");
	fs::create_directory_symlink(tmp.path() / "roots/web", tmp.path() / "etc/web/vdir");

	auto config = read_vserver_config(tmp.path() / "etc/web");
	EXPECT_EQ(config.name, "web");
	EXPECT_EQ(config.init.style, InitConfig::sysv);
	EXPECT_THAT(config.init.killseq, ElementsAre(KillStep{15, 5}, KillStep{9, 0}));
	EXPECT_THAT(init_start_command(config.init), ElementsAre("/etc/init.d/rc", "3"));
	EXPECT_THAT(init_stop_command(config.init), ElementsAre("/etc/init.d/rc", "6"));
	EXPECT_EQ(config.run, "/run/vservers/web/run");
	EXPECT_TRUE(config.interfaces.interfaces.empty());
	EXPECT_EQ(config.cflags, FlagChange{});
	EXPECT_TRUE(config.dlimits.empty());
}

TEST(Vconfig, OldFlagsFileAndCommands)
{
	TempDir tmp;
	tmp.write("web/context", "7\n");
	tmp.write("web/flags", "persistent\n");
	tmp.write("web/apps/init/cmd.start", "/bin/sh\n-c\nexec sleep 1\n");
	tmp.write("web/apps/init/runlevel", "2\n");
	tmp.mkdir("web/root");
	fs::create_directory_symlink("root", tmp.path() / "web/vdir");

	auto config = read_vserver_config(tmp.path() / "web");
	EXPECT_EQ(config.cflags.set, VXF_PERSISTENT);
	EXPECT_THAT(init_start_command(config.init), ElementsAre("/bin/sh", "-c", "exec sleep 1"));
	EXPECT_THAT(init_stop_command(config.init), ElementsAre("/etc/init.d/rc", "6"));
	EXPECT_EQ(config.vdir, tmp.path() / "web/root");
}

// A broken tree of the corpus with one error: the file, relative to the
// guest's directory, and the message after "FILE:LINE: ".
struct OneError {
	const char *name;
	const char *file;
	const char *error;
};

class VconfigCorpus : public ::testing::TestWithParam<OneError> {};

TEST_P(VconfigCorpus, SaysFileLineAndWhat)
{
	const auto &c = GetParam();
	EXPECT_THAT(errors_of(corpus(c.name)), ElementsAre(file(c.name, c.file) + c.error));
}

INSTANTIATE_TEST_SUITE_P(
	Broken, VconfigCorpus,
	::testing::Values(
		OneError{"bad-context", "context",
			 ":1: '70000' is not a static context number (2..49151)"},
		OneError{"unknown-flag", "cflags", ":2: unknown flag 'virt_upime'"},
		OneError{"bad-ip", "interfaces/0/ip", ":1: '10.0.0.300' is not an IPv4 or IPv6 address"},
		OneError{"unknown-initstyle", "apps/init/style",
			 ":1: unknown init style 'upstart' (sysv, plain, minit, systemd, gentoo, openrc, arch)"},
		OneError{"crlf", "cflags",
			 ":1: carriage return (a DOS line end; lines end with a newline only)"},
		OneError{"dlimit-missing", "dlimits/0/reserved",
			 ": missing (a disk limit needs directory, space_total, inodes_total "
			 "and reserved)"},
		OneError{"dlimit-value", "dlimits/root/space_total",
			 ":1: invalid space_total '10G': not a decimal number or 'inf'"},
		OneError{"dlimit-reserved", "dlimits/0/reserved",
			 ":1: invalid reserved '150': a percentage, 0..100"},
		OneError{"dlimit-relative", "dlimits/0/directory",
			 ":1: 'vservers' is not an absolute path"},
		OneError{"dlimit-dynamic", "dlimits",
			 ": disk limits need a static context (a context file)"}),
	[](const ::testing::TestParamInfo<OneError> &info) {
		std::string name = info.param.name;
		std::erase(name, '-');
		return name;
	});

TEST(Vconfig, MissingRoot)
{
	auto errors = errors_of(corpus("missing-vdir"));
	ASSERT_EQ(errors.size(), 1u);
	EXPECT_THAT(errors[0], ::testing::StartsWith(file("missing-vdir", "vdir") +
						     ":1: the guest's root "));
	EXPECT_THAT(errors[0], ::testing::EndsWith("roots/nosuch: No such file or directory"));
}

TEST(Vconfig, EveryErrorIsReported)
{
	auto errors = errors_of(corpus("many"));
	EXPECT_THAT(errors, ::testing::UnorderedElementsAre(
		file("many", "context") + ":1: 'abc' is not a static context number (2..49151)",
		file("many", "uts/hostname") + ":1: unknown uts name 'hostname' (context sysname "
					      "nodename release version machine domainname)",
		file("many", "cflags") + ":3: unknown flag 'bogus'",
		file("many", "apps/init/killseq") + ":1: 'x' is not a number of seconds to wait",
		file("many", "fstab") + ":1: 3 fields; a mount is SOURCE TARGET TYPE OPTIONS "
					"[DUMP [PASS]]",
		file("many", "fstab") + ":2: mount point 'mnt' is not an absolute path inside "
					"the guest (no '..')"));
	EXPECT_EQ(what_thrown<ConfigError>([] { read_vserver_config(corpus("many")); }),
		  fmt::format("{}", fmt::join(errors, "\n")));
}

TEST(Vconfig, DlimitDirectoryMustBeThere)
{
	TempDir tmp;
	tmp.write("web/context", "7\n");
	tmp.mkdir("web/root");
	fs::create_directory_symlink("root", tmp.path() / "web/vdir");
	tmp.write("web/dlimits/0/directory", (tmp.path() / "nosuch").string() + "\n");
	tmp.write("web/dlimits/0/space_total", "\n");
	tmp.write("web/dlimits/0/inodes_total", "10\n");
	tmp.write("web/dlimits/0/reserved", "0\n");
	tmp.write("web/dlimits/1/directory", (tmp.path() / "web/context").string() + "\n");
	tmp.write("web/dlimits/1/space_total", "10\n");
	tmp.write("web/dlimits/1/inodes_total", "10\n");
	tmp.write("web/dlimits/1/reserved", "0\n");
	tmp.write("web/dlimits/README", "a file, not a limit: passed over\n");
	auto d = tmp.path() / "web/dlimits";
	EXPECT_THAT(errors_of(tmp.path() / "web"),
		    ElementsAre((d / "0/directory").string() + ":1: " + (tmp.path() / "nosuch").string() +
					": No such file or directory",
				(d / "0/space_total").string() + ":1: empty (the value is the first line)",
				(d / "1/directory").string() + ":1: " +
					(tmp.path() / "web/context").string() + ": not a directory"));
}

TEST(Vconfig, MissingContextIsDynamicAndNoGuest)
{
	TempDir tmp;
	tmp.mkdir("web/root");
	fs::create_directory_symlink("root", tmp.path() / "web/vdir");
	EXPECT_EQ(read_vserver_config(tmp.path() / "web").xid, 0u);
	EXPECT_THAT(errors_of(tmp.path() / "nosuch"),
		    ElementsAre((tmp.path() / "nosuch").string() +
				": no such guest (not a directory)"));
}

TEST(Vconfig, Identity)
{
	TempDir tmp;
	tmp.write("web/context", "bad\n");
	tmp.write("web/name", "www\n");
	fs::create_symlink("../run/web.xid", tmp.path() / "web/run");

	auto id = read_vserver_identity(tmp.path() / "web");
	EXPECT_EQ(id.name, "www");
	EXPECT_EQ(id.xid, 0u);
	EXPECT_EQ(id.run, tmp.path() / "run/web.xid");
}

TEST(Vconfig, InitStyles)
{
	InitConfig init;
	for (auto name : {"sysv", "plain", "minit", "systemd", "gentoo", "openrc", "arch"})
		EXPECT_EQ(init_style_name(parse_init_style(name).value()), name);
	EXPECT_EQ(parse_init_style("upstart"), std::nullopt);

	init.style = InitConfig::minit;
	EXPECT_THAT(init_start_command(init), ElementsAre("/sbin/minit-start"));
	EXPECT_THAT(init_stop_command(init), ElementsAre("/sbin/minit-stop"));
	EXPECT_EQ(init_stop_signal(init), std::nullopt);
	EXPECT_FALSE(init_pid_namespace(init));

	TempDir tmp;
	init.style = InitConfig::systemd;
	EXPECT_THAT(init_start_command(init, tmp.path()), ElementsAre("/sbin/init"));
	tmp.write("lib/systemd/systemd", "");
	EXPECT_THAT(init_start_command(init, tmp.path()), ElementsAre("/lib/systemd/systemd"));
	EXPECT_TRUE(init_stop_command(init).empty());
	EXPECT_EQ(init_stop_signal(init), SIGRTMIN + 4);
	EXPECT_TRUE(init_pid_namespace(init));
	init.cmd_stop = {"/bin/systemctl", "poweroff"};
	EXPECT_EQ(init_stop_signal(init), std::nullopt);

	// util-vserver's gentoo (openrc the same) and arch
	init = InitConfig{};
	for (auto style : {InitConfig::gentoo, InitConfig::openrc}) {
		init.style = style;
		EXPECT_THAT(init_start_command(init),
			    ElementsAre("/lib/rc/sh/init-vserver.sh", "default"));
		EXPECT_THAT(init_stop_command(init),
			    ElementsAre("env", "-i", "RUNLEVEL=0", "/sbin/rc", "shutdown"));
		EXPECT_FALSE(init_pid_namespace(init));
	}
	init.style = InitConfig::arch;
	EXPECT_THAT(init_start_command(init), ElementsAre("/etc/rc.multi"));
	EXPECT_THAT(init_stop_command(init), ElementsAre("/etc/rc.shutdown"));

	TempDir cfg;
	cfg.write("web/apps/init/style", "upstart\n");
	EXPECT_THAT(errors_of(cfg.path() / "web"), ::testing::Contains(
		(cfg.path() / "web/apps/init/style").string() +
		":1: unknown init style 'upstart' (sysv, plain, minit, systemd, gentoo, openrc, arch)"));
}

TEST(Vconfig, KillSequence)
{
	EXPECT_THAT(parse_killseq("15 5 9\n"), ElementsAre(KillStep{15, 5}, KillStep{9, 0}));
	EXPECT_THAT(parse_killseq("INT 2 TERM 3 KILL"),
		    ElementsAre(KillStep{SIGINT, 2}, KillStep{SIGTERM, 3}, KillStep{SIGKILL, 0}));
	EXPECT_EQ(what_thrown<std::invalid_argument>([] { parse_killseq("15 5"); }),
		  "'15 5' is no kill sequence: SIGNAL [WAIT SIGNAL]..., e.g. '15 5 9'");
	EXPECT_EQ(what_thrown<std::invalid_argument>([] { parse_killseq(""); }),
		  "'' is no kill sequence: SIGNAL [WAIT SIGNAL]..., e.g. '15 5 9'");
	EXPECT_EQ(what_thrown<std::invalid_argument>([] { parse_killseq("FOO"); }),
		  "invalid signal 'FOO': unknown name");
}

TEST(Vconfig, ConfdirFromEnvironment)
{
	::setenv("VSERVER_CONFDIR", "/tmp/somewhere", 1);
	EXPECT_EQ(vserver_confdir(), "/tmp/somewhere");
	::unsetenv("VSERVER_CONFDIR");
	EXPECT_EQ(vserver_confdir(), "/etc/vservers");
}

} // namespace
