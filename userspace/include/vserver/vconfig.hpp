// A guest's configuration as util-vserver keeps it: the directory
// /etc/vservers/NAME/ (doc/configuration.xml, the "Flower Page"), read and
// checked as a whole before 'vserver NAME start' does anything.
//
//   context                    its static xid, 2..49151; none: a dynamic
//                              one (49152..65535), the kernel's pick
//   name                       its name (default: the directory's name)
//   uts/<tag>                  nodename, domainname, ... (vuname's tags)
//   interfaces/                its addresses (interfaces.hpp)
//   cflags (old name flags)    context flags, one per line, ~name clears
//   nflags                     network context flags
//   bcapabilities              capabilities kept beyond --secure's set (~ drops)
//   ccapabilities              context capabilities
//   ncapabilities              network capabilities
//   rlimits/, sched/           there or not: vlimit --dir and vsched --dir apply them
//   dlimits/<n>/{directory,space_total,inodes_total,reserved}
//                              disk limits (all four files; a file
//                              dlimits/<n>/disabled leaves it out); they
//                              need a static context
//   apps/init/style            sysv (default), plain, minit or systemd
//   apps/init/{runlevel,runlevel.start,runlevel.stop,mark}
//   apps/init/cmd.start, cmd.stop  a command, one argument per line
//   apps/init/killseq          "SIG [WAIT SIG]...", default "15 5 9"
//   fstab                      mounts in the guest's mount namespace, the
//                              mount points relative to its root
//   scripts/{pre-start,post-start,pre-stop,post-stop}
//   vdir                       a symlink to the guest's root (default
//                              <vdirbase>/NAME, vdirbase /vservers)
//   run                        a symlink to the file that holds the xid
//                              while the guest runs (default
//                              /run/vservers/NAME/run)
//
// In list files (cflags, ..., fstab) blank lines and lines starting with
// '#' are passed over.  Every error names its file and line:
// "/etc/vservers/web/cflags:3: unknown flag 'virt_upime'".
#pragma once

#include <vserver/cflags.hpp>
#include <vserver/client.hpp>
#include <vserver/dlimits.hpp>
#include <vserver/interfaces.hpp>
#include <vserver/uname.hpp>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace vserver {

// Where the guests' directories are: $VSERVER_CONFDIR when set (tests),
// else /etc/vservers.
std::filesystem::path vserver_confdir();

// The first and last static xids a guest may have (util-vserver's).
inline constexpr xid_t min_guest_xid = 2;
inline constexpr xid_t max_guest_xid = 49151;

// Every error found in a configuration, each "FILE:LINE: what is wrong"
// (LINE 1 for one-value files); what() is all of them, one per line.
class ConfigError : public std::runtime_error {
public:
	explicit ConfigError(std::vector<std::string> errors);
	const std::vector<std::string> &errors() const { return errors_; }

private:
	std::vector<std::string> errors_;
};

// One step of the kill sequence: send signal, then wait up to wait
// seconds for the context to end (the last step: no wait given).
struct KillStep {
	int signal;
	unsigned wait = 0;

	bool operator==(const KillStep &) const = default;
};

// "15 5 9": SIGTERM, wait 5 s, SIGKILL.  Numbers or names (TERM,
// SIGTERM).  Throws std::invalid_argument saying what is wrong.
std::vector<KillStep> parse_killseq(std::string_view text);

struct InitConfig {
	enum Style { sysv, plain, minit, systemd, gentoo, openrc, arch };

	Style style = sysv;
	std::string runlevel_start = "3";
	std::string runlevel_stop = "6";
	std::optional<std::string> mark;
	std::vector<std::string> cmd_start;	// apps/init/cmd.start, else by style
	std::vector<std::string> cmd_stop;	// apps/init/cmd.stop, else by style (may be empty)
	std::vector<KillStep> killseq{{15, 5}, {9, 0}};
};

// "sysv", "plain", "minit", "systemd", "gentoo", "openrc", "arch";
// nullopt for anything else.
std::optional<InitConfig::Style> parse_init_style(std::string_view name);
std::string_view init_style_name(InitConfig::Style style);

// The command that starts the guest: cmd.start, else plain: /sbin/init,
// sysv: /etc/init.d/rc RUNLEVEL, minit: /sbin/minit-start, systemd:
// /lib/systemd/systemd if the root vdir has it (or vdir is empty), else
// /sbin/init; gentoo and openrc: /lib/rc/sh/init-vserver.sh default, arch:
// /etc/rc.multi (util-vserver's).
std::vector<std::string> init_start_command(const InitConfig &init,
					    const std::filesystem::path &vdir = {});
// The command that stops it: cmd.stop, else sysv: /etc/init.d/rc
// RUNLEVEL, minit: /sbin/minit-stop, gentoo and openrc: env -i
// RUNLEVEL=0 /sbin/rc shutdown, arch: /etc/rc.shutdown; plain and
// systemd: none.
std::vector<std::string> init_stop_command(const InitConfig &init);
// The signal that asks the init to shut the guest down, before the kill
// sequence: systemd (without cmd.stop): SIGRTMIN+4 (poweroff; systemd in a
// container then exits).
std::optional<int> init_stop_signal(const InitConfig &init);
// Is the init pid 1 of a PID namespace of its own, with a /proc of its
// own (systemd will not run as the system manager otherwise)?
bool init_pid_namespace(const InitConfig &init);

// One line of fstab: what mount(8) gets, the target inside the guest.
struct FstabEntry {
	std::string source;
	std::string target;	// absolute, below the guest's root
	std::string type;
	std::string options;
	unsigned line = 0;

	bool operator==(const FstabEntry &) const = default;
};

// The fstab text of file (for messages): each line "SRC DST TYPE OPTS
// [DUMP [PASS]]".  Errors "FILE:LINE: ..." go to errors.
std::vector<FstabEntry> parse_fstab(const std::filesystem::path &file, std::string_view text,
				    std::vector<std::string> &errors);

struct VserverConfig {
	std::string name;			// the name file, else the directory's name
	std::filesystem::path cfgdir;		// /etc/vservers/NAME
	xid_t xid = 0;				// the context file; 0: dynamic
	UtsChange uts;				// uts/
	InterfacesConfig interfaces;
	FlagChange cflags, nflags, bcaps, ccaps, ncaps;
	bool rlimits = false;			// rlimits/ is there
	bool sched = false;			// sched/ is there
	std::vector<GuestDlimit> dlimits;	// dlimits/<n>, in name order
	InitConfig init;
	std::vector<FstabEntry> fstab;
	std::optional<std::filesystem::path> pre_start, post_start, pre_stop, post_stop;
	std::filesystem::path vdir;		// the guest's root, absolute
	std::filesystem::path run;		// the file that holds the xid while running
};

// The name and the files that say whether and where the guest runs,
// enough for 'status', 'running' and 'stop' of a guest that does not
// start any more: cfgdir, name, vdir (not checked), run and xid (when the
// context file is good; 0 otherwise).  A cfgdir that is no directory throws ConfigError.
VserverConfig read_vserver_identity(const std::filesystem::path &cfgdir);

// Read and check all of cfgdir.  Throws ConfigError with every error
// found: malformed or unknown values, files with carriage returns
// (util-vserver's check-unixfile), a vdir that is no directory.  No
// context file: a dynamic context (xid 0 here).
VserverConfig read_vserver_config(const std::filesystem::path &cfgdir);

// The first "FILE: why" of the interfaces library as "FILE:1: why".
std::string with_line_one(std::string_view message);

} // namespace vserver
