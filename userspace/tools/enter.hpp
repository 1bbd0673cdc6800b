// What the tools that put COMMAND into a context share: the modes of
// vcontext and ncontext, --disconnect, the exit status of entering.
#pragma once

#include "tool.hpp"

#include <vserver/disconnect.hpp>
#include <vserver/vcontext.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace tool {

constexpr int exit_exists = 254;	// --create: the context exists (util-vserver)

// vcontext's and ncontext's modes: exactly one of --create, --migrate and
// --migrate-self; --migrate with id_option ("--xid", "--nid"),
// --migrate-self without.  Throws std::invalid_argument.
inline void check_modes(const CLI::App &app, bool create, bool migrate, bool migrate_self,
			const std::string &id_option)
{
	if (create + migrate + migrate_self != 1)
		throw std::invalid_argument("say one of --create, --migrate and --migrate-self");
	if (migrate && !app.count(id_option))
		throw std::invalid_argument("--migrate needs " + id_option);
	if (migrate_self && app.count(id_option))
		throw std::invalid_argument("--migrate-self takes no " + id_option);
}

// --disconnect: fork once the options are checked.  The parent gets the
// status to exit with; the child, in a session of its own, and a caller
// without the option get nullopt and go on.  Throws std::system_error.
inline std::optional<int> disconnect_if(bool wanted)
{
	if (!wanted)
		return std::nullopt;
	vserver::SystemSessions sessions;
	return vserver::disconnect(sessions);
}

// Run enter() - entering the context and saying so - for tool name.
// Returns what enter() returns (nullopt: go on, or a status to exit with,
// such as disconnect_if's), else the status to exit with: exit_exists when
// the context to create exists (said unless silentexist), 1 when the
// kernel refused or the mode does not apply (std::invalid_argument).
template <class Enter>
std::optional<int> entering(std::string_view name, bool silentexist, Enter enter)
{
	try {
		return enter();
	} catch (const vserver::ContextExists &e) {
		if (!silentexist)
			fmt::print(stderr, "{}: {}\n", name, e.what());
		return exit_exists;
	} catch (const std::system_error &e) {
		fmt::print(stderr, "{}: {}\n", name, e.what());
	} catch (const std::invalid_argument &e) {	// --migrate-self on the host
		fmt::print(stderr, "{}: {}\n", name, e.what());
	}
	return 1;
}

} // namespace tool
