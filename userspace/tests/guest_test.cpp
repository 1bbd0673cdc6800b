// What vserver start, stop and status decide without a kernel: whether
// the guest runs, the status lines, the kill sequence, the capabilities.
#include "mock_transport.hpp"
#include "temp_dir.hpp"

#include <vserver/caps.hpp>
#include <vserver/files.hpp>
#include <vserver/guest.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>
#include <vector>

namespace vserver::test {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::Invoke;
using ::testing::NiceMock;

// A kernel with one context (or none): get_vhi_name answers its name,
// ctx_stat says it exists, ctx_kill records the signal and ends it when
// ends_on says so.
struct FakeKernel {
	std::optional<xid_t> xid;
	std::string name;
	std::vector<int> signals;
	int ends_on = SIGKILL;
	unsigned stats = 0;

	long operator()(const vserver_call &call)
	{
		if (!xid || call.id != *xid)
			return -ESRCH;
		switch (call.cmd) {
		case VCMD_get_vhi_name: {
			auto *data = reinterpret_cast<vcmd_vhi_name_v0 *>(call.data);
			std::memset(data->name, 0, sizeof(data->name));
			name.copy(data->name, sizeof(data->name) - 1);
			return 0;
		}
		case VCMD_ctx_stat:
			++stats;
			return 0;
		case VCMD_ctx_kill: {
			int sig = data_of<vcmd_ctx_kill_v0>(call).sig;
			signals.push_back(sig);
			if (sig == ends_on)
				xid.reset();
			return 0;
		}
		}
		return -ENOSYS;
	}
};

class Guest : public ::testing::Test {
protected:
	Guest()
	{
		guest.name = "web";
		guest.xid = 42;
		guest.run = tmp.path() / "run";
		ON_CALL(transport, call(_)).WillByDefault(Invoke(std::ref(kernel)));
	}

	TempDir tmp;
	VserverConfig guest;
	FakeKernel kernel;
	NiceMock<MockTransport> transport;
	Client client{transport};
	std::vector<std::string> said;
	Say say = [this](std::string_view line) { said.emplace_back(line); };
};

TEST_F(Guest, RunningWhenTheContextCarriesItsName)
{
	kernel.xid = 42;
	kernel.name = "web";
	EXPECT_EQ(running_xid(client, guest), 42u);
	kernel.name = "other";
	EXPECT_EQ(running_xid(client, guest), std::nullopt);
	kernel.xid.reset();
	EXPECT_EQ(running_xid(client, guest), std::nullopt);
}

TEST_F(Guest, TheRunFileWins)
{
	tmp.write("run", "43\n");
	kernel.xid = 43;
	kernel.name = "web";
	EXPECT_EQ(running_xid(client, guest), 43u);
	tmp.write("run", "junk\n");
	EXPECT_EQ(running_xid(client, guest), std::nullopt);
}

TEST_F(Guest, KillSequenceStopsOnceTheContextIsGone)
{
	kernel.xid = 42;
	std::vector<unsigned> sleeps;
	std::vector<KillStep> steps{{SIGTERM, 1}, {SIGKILL, 0}};
	EXPECT_TRUE(kill_sequence(client, 42, steps, 2, [&](unsigned ms) { sleeps.push_back(ms); }, say));
	EXPECT_THAT(kernel.signals, ElementsAre(SIGTERM, SIGKILL));
	EXPECT_EQ(sleeps.size(), 10u);	// 1 s in steps of 100 ms after SIGTERM
	EXPECT_THAT(said, ElementsAre("sent signal 15 to context 42", "sent signal 9 to context 42"));

	kernel.xid = 42;
	kernel.signals.clear();
	kernel.ends_on = SIGTERM;
	EXPECT_TRUE(kill_sequence(client, 42, steps, 2, [](unsigned) {}, say));
	EXPECT_THAT(kernel.signals, ElementsAre(SIGTERM));
}

TEST_F(Guest, KillSequenceThatDoesNotEnd)
{
	kernel.xid = 42;
	kernel.ends_on = 0;
	std::vector<KillStep> steps{{SIGTERM, 0}, {SIGKILL, 0}};
	unsigned slept = 0;
	EXPECT_FALSE(kill_sequence(client, 42, steps, 1, [&](unsigned ms) { slept += ms; }, say));
	EXPECT_EQ(slept, 1000u);
}

TEST_F(Guest, KillSequenceOfAContextThatIsGone)
{
	std::vector<KillStep> steps{{SIGTERM, 5}};
	EXPECT_TRUE(kill_sequence(client, 42, steps, 1, [](unsigned) {}, say));
	EXPECT_TRUE(said.empty());
}

TEST(GuestStatus, UtilVserversWords)
{
	VserverConfig guest;
	guest.name = "web";
	EXPECT_EQ(status_text(guest, std::nullopt, 0, std::nullopt), "Vserver 'web' is stopped\n");
	EXPECT_EQ(status_text(guest, 42, 3, std::chrono::seconds(2 * 86400 + 4 * 3600 + 12 * 60)),
		  "Vserver 'web' is running at context '42'\n"
		  "Number of processes:   3\n"
		  "Uptime:              2 days, 04:12\n");
	EXPECT_EQ(format_uptime(std::chrono::seconds(59)), "00:00");
	EXPECT_EQ(format_uptime(std::chrono::seconds(3 * 3600 + 61)), "03:01");
}

TEST(GuestCaps, SecureSetAndBcapabilities)
{
	VserverConfig guest;
	EXPECT_EQ(dropped_bcaps(guest), insecure_capabilities());
	guest.bcaps.set = 1ull << 13;	// CAP_NET_RAW back
	guest.bcaps.clear = 1ull << 18;	// CAP_SYS_CHROOT away
	EXPECT_EQ(dropped_bcaps(guest), (insecure_capabilities() & ~(1ull << 13)) | (1ull << 18));
	guest.cflags.set = VXF_VIRT_UPTIME | VXF_INFO_INIT;
	EXPECT_EQ(create_cflags(guest), VXF_VIRT_UPTIME);
}

TEST(GuestShell, FromTheShellFileOrTheRoot)
{
	TempDir tmp;
	VserverConfig guest;
	guest.cfgdir = tmp.path() / "cfg";
	guest.vdir = tmp.path() / "root";
	tmp.mkdir("cfg");
	EXPECT_THAT(guest_shell(guest), ElementsAre("/bin/sh", "-l"));
	tmp.write("root/bin/bash", "");
	EXPECT_THAT(guest_shell(guest), ElementsAre("/bin/bash", "-login"));
	tmp.write("cfg/shell", "/bin/zsh -l\n");
	EXPECT_THAT(guest_shell(guest), ElementsAre("/bin/zsh", "-l"));
}

TEST(GuestScripts, RunWithActionAndName)
{
	TempDir tmp;
	auto script = tmp.write("pre-start", "echo \"$1 $2 $(pwd)\" > out\n");
	run_script(script, "pre-start", "web", tmp.path());	// not executable: sh reads it
	EXPECT_EQ(read_file(tmp.path() / "out"), "pre-start web " + tmp.path().string() + "\n");
	tmp.write("fail", "exit 3\n");
	try {
		run_script(tmp.path() / "fail", "post-stop", "web", tmp.path());
		FAIL() << "no exception";
	} catch (const std::runtime_error &e) {
		EXPECT_EQ(e.what(), "post-stop script " + (tmp.path() / "fail").string() +
					    ": exit status 3");
	}
}

TEST(GuestUsers, ByNameUidOrNumber)
{
	const char *passwd = "root:x:0:0:root:/root:/bin/sh\n"
			     "broken:x:abc:1::/:\n"
			     "www:x:33:34:www:/var/www:/bin/false\n";
	EXPECT_EQ(user_ids(passwd, "www"), (UserIds{33, 34}));
	EXPECT_EQ(user_ids(passwd, "33"), (UserIds{33, 34}));
	EXPECT_EQ(user_ids(passwd, "root"), (UserIds{0, 0}));
	EXPECT_EQ(user_ids(passwd, "1000"), (UserIds{1000, 1000}));
	EXPECT_EQ(user_ids(passwd, "broken"), std::nullopt);
	EXPECT_EQ(user_ids(passwd, "nobody"), std::nullopt);
}

} // namespace
} // namespace vserver::test
