// Debian package management of a guest from the host: vapt-get (util-vserver's
// name; its vyum for Debian) runs the guest's own apt-get inside the running
// guest, as 'vserver NAME exec' does, and 'vserver NAME pkgmgmt
// externalize|internalize' says whether those runs share the host's
// package cache.
//
// util-vserver's pkgmgmt externalize moved a guest's rpm/apt database and
// tools to the host (/vservers/.pkg/NAME) so that host-side tools manage it.
// For dpkg that buys nothing (apt-get runs inside the guest, with the
// guest's own dpkg database and maintainer scripts); what is worth sharing
// is the archive cache.  Externalized (the file apps/pkgmgmt/external in
// the guest's configuration), each vapt-get run has the host's
// /var/cache/apt/archives bound on the guest's, in a mount namespace of
// its own that ends with it: a package the host or another guest fetched
// is not fetched again.  The guest's apt, run inside the guest, keeps
// using the guest's own cache.  Internalized (the default) vapt-get uses
// the guest's cache only.
//
// Sharing lets the guest's root write into the host's cache while apt-get
// runs (apt checks every package it takes from there against the signed
// index, so a planted file is fetched anew, not installed, but the guest
// can fill the disk): externalize only guests trusted that far.
#pragma once

#include <vserver/client.hpp>
#include <vserver/vconfig.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace vserver {

// The archive cache, the host's and (below the root) the guest's.
inline const std::filesystem::path apt_archives = "/var/cache/apt/archives";

// Is the guest externalized (CFGDIR/apps/pkgmgmt/external)?
bool pkgmgmt_external(const VserverConfig &guest);

// 'pkgmgmt externalize' (external true) or 'internalize': make or remove
// the file.  Externalize needs the host's cache and the guest's apt-get.
// Returns what was done ("externalized: ..." or "... already").  Throws
// std::runtime_error saying why not; nothing changed then.
std::string set_pkgmgmt(const VserverConfig &guest, bool external,
			const std::filesystem::path &host_archives = apt_archives);

// The command vapt-get runs in the guest: /usr/bin/apt-get ARGS.  Throws
// std::runtime_error when the guest's root has no /usr/bin/apt-get.
std::vector<std::string> apt_get_command(const VserverConfig &guest,
					 const std::vector<std::string> &args);

// In a process that has entered the guest's mount namespace (still on the
// host): a mount namespace of its own, slave of that one, with the host's
// archive cache bound on the guest's.  Throws std::runtime_error.
void bind_host_archives(const VserverConfig &guest,
			const std::filesystem::path &host_archives = apt_archives);

// vapt-get in the calling process: join the running guest (context xid)
// as 'vserver NAME exec' does, binding the host's cache first when the
// guest is externalized; returns the command to execute there.  Throws
// std::runtime_error (no apt-get: before anything is joined).
std::vector<std::string> enter_for_apt_get(Client &client, const VserverConfig &guest, xid_t xid,
					   const std::vector<std::string> &args);

} // namespace vserver
