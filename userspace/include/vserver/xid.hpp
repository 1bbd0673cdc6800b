// Parsing context ids (xid) and network context ids (nid) given on a
// command line.
#pragma once

#include <vserver/client.hpp>

#include <filesystem>
#include <functional>
#include <string_view>

namespace vserver {

// A decimal xid in 0..VX_MAX_S_CONTEXT.  Anything else (empty, signs,
// spaces, junk, out of range) throws std::invalid_argument whose what()
// names the bad value, e.g. "invalid xid 'abc': not a decimal number".
xid_t parse_xid(std::string_view text);

// Where util-vserver keeps one directory per vserver.
inline const std::filesystem::path default_confdir = "/etc/vservers";

// Is name one a vserver may have: one directory below the configuration
// directory, never a path (not empty, ".", "..", no '/', no NUL).
bool is_vserver_name(std::string_view name);

// An xid as util-vserver's tools take it: a number (parse_xid), "self"
// (the caller's context, asked from current_xid), or the name of a vserver
// whose <confdir>/<name>/context file holds its number.  Throws
// std::invalid_argument for a bad number, a bad name, or a context file
// that is missing or malformed (the message names the file); whatever
// current_xid throws passes through.
xid_t resolve_xid(std::string_view text, const std::function<xid_t()> &current_xid,
		  const std::filesystem::path &confdir = default_confdir);

// The same, asking the kernel through client for "self".
xid_t resolve_xid(std::string_view text, Client &client,
		  const std::filesystem::path &confdir = default_confdir);

// The caller's xid (task_xid(0)) through /dev/vserver, opened just for
// this.  Throws std::system_error.
xid_t current_xid();

// The same for network contexts: "invalid nid '...': ...", and a vserver's
// nid in <confdir>/<name>/ncontext or, without that file, its xid in
// <name>/context (util-vserver: the nid defaults to the xid).
nid_t parse_nid(std::string_view text);
nid_t resolve_nid(std::string_view text, const std::function<nid_t()> &current_nid,
		  const std::filesystem::path &confdir = default_confdir);
// task_nid(0) through /dev/vserver.
nid_t current_nid();

} // namespace vserver
