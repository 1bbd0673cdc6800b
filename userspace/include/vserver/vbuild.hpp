// 'vserver NAME build': a new guest's configuration tree, as util-vserver's
// vserver-build writes it, and its root directory.
#pragma once

#include <vserver/cflags.hpp>
#include <vserver/client.hpp>
#include <vserver/naddr.hpp>
#include <vserver/tags.hpp>
#include <vserver/vconfig.hpp>
#include <vserver/xid.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vserver {

// One --interface [NAME=][DEV:]IP[/MASK|PREFIX]: the label NAME, the host
// device DEV ("nodev": none), the address and its prefix or netmask.
struct InterfaceOption {
	std::string name;
	std::string dev;
	bool nodev = false;
	IpAddress ip;
	std::optional<NetMask> mask;
};

// Throws std::invalid_argument "--interface 'TEXT': why".
InterfaceOption parse_interface_option(std::string_view text);

// How the root is filled.
enum class BuildMethod { skeleton, template_, rsync, clone, debootstrap };

// "skeleton", "template", "rsync", "clone", "debootstrap"; nullopt for
// anything else.
std::optional<BuildMethod> parse_build_method(std::string_view name);

struct BuildRequest {
	std::string name;
	BuildMethod method = BuildMethod::skeleton;
	std::vector<std::filesystem::path> templates;	// -t TARBALL...
	std::filesystem::path source;			// --source: a directory, or a guest (clone)
	std::string suite;				// debootstrap: -d SUITE
	std::optional<std::string> mirror;		// debootstrap: -m MIRROR
	std::vector<std::string> debootstrap_args;	// debootstrap's own options
	std::optional<xid_t> context;			// else next_free_xid()
	// --context dynamic: no context file, the kernel picks one at each
	// start (also the default when CONFDIR/.defaults/context.dynamic exists)
	bool dynamic = false;
	std::optional<std::string> hostname;
	std::vector<InterfaceOption> interfaces;
	// Defaults for every interface (interfaces/dev, prefix or mask, bcast):
	// --netdev, --netprefix or --netmask, --netbcast.
	std::optional<std::string> netdev;
	std::optional<NetMask> netmask;
	std::optional<IpAddress> netbcast;
	FlagChange flags;				// --flags (only set)
	std::optional<InitConfig::Style> initstyle;
	bool force = false;				// rename an existing guest away first
	bool nobarrier = false;				// don't put the barrier on ROOTDIR
	std::filesystem::path rootdir = "/vservers";
	std::filesystem::path confdir = default_confdir;
};

// The xid in the context file of each guest in confdir that has a good one.
std::map<std::string, xid_t> guest_xids(const std::filesystem::path &confdir);

// The lowest xid from min_guest_xid on that no guest in confdir has in its
// context file.  Throws std::invalid_argument when there is none.
xid_t next_free_xid(const std::filesystem::path &confdir);

// The guest, if any, in confdir whose context file holds xid (not name).
std::optional<std::string> guest_with_xid(const std::filesystem::path &confdir, xid_t xid,
					  std::string_view name);

// Write the configuration of a new guest into cfgdir (which must not
// exist): context (unless xid is nullopt: dynamic), uts/nodename, interfaces/<n>/ and the defaults, cflags, apps/init/style,
// fstab (proc, /tmp, /dev/pts), the symlinks vdir -> vdir and run ->
// /run/vservers/NAME/run.
void write_config_tree(const std::filesystem::path &cfgdir, const BuildRequest &request,
		       std::optional<xid_t> xid, const std::filesystem::path &vdir);

// The directories of an empty root (dev, dev/pts, etc, proc, tmp, ...) and,
// with nodes, util-vserver's device nodes in dev: null zero full random
// urandom tty ptmx.  Throws std::system_error naming the path.
void make_skeleton_root(const std::filesystem::path &vdir, bool nodes);

// The command that unpacks tarball into vdir: tar -x -f TARBALL -C VDIR,
// with -z, -j or -J by the name's ending.
std::vector<std::string> untar_command(const std::filesystem::path &tarball,
				       const std::filesystem::path &vdir);

// The command that copies the tree source into vdir: rsync -aHx
// SOURCE/ VDIR/, or without rsync cp -a SOURCE/. VDIR/.
std::vector<std::string> copy_command(const std::filesystem::path &source,
				      const std::filesystem::path &vdir, bool have_rsync);

// The command that installs Debian's suite into vdir:
// debootstrap ARGS... SUITE VDIR [MIRROR].
std::vector<std::string> debootstrap_command(const std::string &suite,
					     const std::filesystem::path &vdir,
					     const std::optional<std::string> &mirror,
					     const std::vector<std::string> &args);

// The mirror of -m debootstrap: request.mirror, else the first line of
// CONFDIR/.defaults/apps/debootstrap/mirror (util-vserver's), else none
// (debootstrap's own default).
std::optional<std::string> debootstrap_mirror(const BuildRequest &request);

// What building needs of the system, a fake in the tests.
struct BuildSystem {
	// Run a command; returns an error message, "" when it worked.
	std::function<std::string(const std::vector<std::string> &)> run;
	// Put the barrier on dir; returns an error message, "" when it worked.
	std::function<std::string(const std::filesystem::path &)> set_barrier;
	// Is a program in PATH?
	std::function<bool(std::string_view)> have;
	// Give the files below dir the tag (tag_tree, unified files left
	// alone); nullopt when dir's filesystem keeps no tags.  Throws
	// std::system_error.  Not set: nothing is tagged.
	std::function<std::optional<TagCounts>(const std::filesystem::path &, std::uint32_t)>
		tag_files;
	// -m clone: is this file of the source guest unified (immutable and
	// unlinkable)?  Those are hard-linked, not copied.  Unset: none is.
	std::function<bool(const std::filesystem::path &)> unified;
	bool device_nodes = true;
};

// Lines for a person ("Renamed ... to ...", "rsync not found: copying with cp -a").
using BuildSay = std::function<void(std::string_view)>;

// Build the guest: check everything, then (with force) rename an existing
// guest's configuration and root to NAME.~SECONDS~, put the barrier on
// rootdir (creating it), make the root and fill it, write the
// configuration, and, where the filesystem keeps tags, give the root's
// files the guest's context as their tag (a static context only).  Throws std::runtime_error (std::invalid_argument for a
// request that cannot be done) saying what; whatever was created by then
// is removed again.
void build_guest(const BuildRequest &request, BuildSystem &system, const BuildSay &say);

} // namespace vserver
