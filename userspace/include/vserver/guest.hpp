// A guest's life: whether it runs, 'vserver NAME start', 'stop', 'enter',
// 'exec' - util-vserver's vserver.start and vserver.stop on vserver-ng.
#pragma once

#include <vserver/client.hpp>
#include <vserver/netif.hpp>
#include <vserver/vconfig.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace vserver {

// The xid in the guest's run file, if its context exists and carries the
// guest's name (VHIN_CONTEXT, set at start): the guest runs.  nullopt:
// it is stopped.  Kernel errors other than ESRCH propagate.
std::optional<xid_t> running_xid(Client &client, const VserverConfig &guest);

// What 'vserver NAME status' prints (util-vserver's words):
//   Vserver 'web' is running at context '42'
//   Number of processes:  3
//   Uptime:              0 days, 00:05
// or "Vserver 'web' is stopped".
std::string status_text(const VserverConfig &guest, std::optional<xid_t> xid,
			unsigned processes, std::optional<std::chrono::seconds> uptime);

// util-vserver's filetime: "[N days, ]HH:MM".
std::string format_uptime(std::chrono::seconds uptime);

// The record of the addresses start put on host devices:
// /run/vservers/NAME/interfaces (vserver-netif's).
std::filesystem::path address_record(const VserverConfig &guest);

// The record of the disk limits start set (apply_guest_dlimits'):
// /run/vservers/NAME/dlimits.
std::filesystem::path dlimit_record(const VserverConfig &guest);

// The capabilities a guest's bounding set loses: util-vserver's --secure
// set, but those bcapabilities grants, plus those it takes away.
std::uint64_t dropped_bcaps(const VserverConfig &guest);

// The flags the context is created with: cflags' set ones (fakeinit is
// not a kernel flag here: the init is always made the context's init).
std::uint64_t create_cflags(const VserverConfig &guest);

// Does the context exist (ctx_stat succeeds; ESRCH: no)?
bool context_alive(Client &client, xid_t xid);

// Send each signal of steps to every task of xid and wait for the context
// to end, up to the step's wait (the last step: last_wait); sleep(ms) is
// the clock.  Returns true once the context is gone.
bool kill_sequence(Client &client, xid_t xid, std::span<const KillStep> steps,
		   unsigned last_wait, const std::function<void(unsigned)> &sleep,
		   const Say &say);

// Where the mount point target (absolute, inside the guest) is on the
// host: below vdir, made if missing, never outside it (a symlink in the
// guest cannot lead out).  Throws std::runtime_error "WHERE mount point
// TARGET leads out of the guest (REAL)" (where: e.g. "FILE:LINE: ").
std::filesystem::path guest_mount_point(const VserverConfig &guest, std::string_view target,
					std::string_view where = {});

// Wait up to seconds for context xid to end (sleep(ms) is the clock);
// true once it is gone.
bool wait_for_end(Client &client, xid_t xid, unsigned seconds,
		  const std::function<void(unsigned)> &sleep);

// Run a guest script (scripts/pre-start, ...) with the arguments ACTION
// NAME, in dir: executed if it is executable, else read by /bin/sh.
// Throws std::runtime_error "ACTION script FILE: exit status N".
void run_script(const std::filesystem::path &script, std::string_view action,
		const std::string &name, const std::filesystem::path &dir);

// Run argv on the host and wait; throws std::runtime_error
// "ARGV0: exit status N" or "ARGV0: <errno text>".
void run_program(const std::vector<std::string> &argv);

struct StartOptions {
	std::optional<std::vector<std::string>> rescue;	// --rescue [CMD...]: instead of init
};

// Start the guest (its configuration read and checked), in util-vserver's
// order: pre-start script; its addresses on host devices (net); a child
// that makes a mount, UTS and IPC namespace, mounts fstab below vdir,
// creates the network context (addresses, nflags, ncaps) and the context
// (cflags), sets ccaps, the uts names and its name; vlimit and vsched
// (rlimits/, sched/) from here, then the disk limits (dlimits/, for the
// tag = the xid); the child makes itself the init, drops
// the bounding set, ends the setup, chroots into vdir and execs the init
// command; the run file gets the xid; post-start script.  A failure
// anywhere takes back what was done (the context is killed, the addresses
// removed) and throws std::runtime_error saying what failed.  Returns the
// xid.
xid_t start_guest(Client &client, HostNetwork &net, const VserverConfig &guest,
		  const StartOptions &options, const Say &say);

// Stop it: pre-stop script, the stop command inside the guest (if any),
// the kill sequence, the run file, the addresses and the disk limits start
// set removed, post-stop script, and wait for the context to be gone.  A
// guest that is not running: only its addresses, disk limits (and a stale
// run file) are removed, and the answer is false.  Throws
// std::runtime_error.
bool stop_guest(Client &client, HostNetwork &net, const VserverConfig &guest, const Say &say);

// Join the running guest's context xid in the calling process: the mount,
// UTS and IPC namespaces of one of its tasks, its network context, its
// context, chroot to its root; then, with user, that user's ids (a name in
// the guest's /etc/passwd, or a number).  in_spaces, if given, is called
// once the namespaces are entered, still on the host (vapt-get binds the
// host's package cache there).  Throws std::runtime_error.
void enter_guest(Client &client, const VserverConfig &guest, xid_t xid,
		 const std::optional<std::string> &user,
		 const std::function<void()> &in_spaces = {});

struct UserIds {
	uid_t uid;
	gid_t gid;

	bool operator==(const UserIds &) const = default;
};

// USER as suexec takes it: a name (or uid) in the passwd text, with its
// group; else a number, used as both; else nullopt.
std::optional<UserIds> user_ids(std::string_view passwd, std::string_view user);

// The shell 'enter' runs: the guest's shell file, else /bin/bash -login
// if the guest has it, else /bin/sh -l.
std::vector<std::string> guest_shell(const VserverConfig &guest);

} // namespace vserver
