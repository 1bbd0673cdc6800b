// What vkill does: signal tasks through their context.
#pragma once

#include <vserver/client.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vserver {

// vkill's PID arguments.  With an xid any number >= -1 (0: every task,
// -1: all but the init, 1: the init, as ctx_kill takes them); without,
// real pids >= 1 and at least one of them ("No pid specified").  Throws
// std::invalid_argument.
std::vector<pid_t> parse_pids(std::span<const std::string> args, bool have_xid);

// With an xid and no pids: ctx_kill(xid, 0, sig).  Else one ctx_kill per
// pid, in the given xid or in the pid's own (task_xid(pid)).  Goes on after
// a failure; returns one message per failure, e.g.
// "pid 1234: ctx_kill(42): No such process".
std::vector<std::string> kill_tasks(Client &client, std::optional<xid_t> xid,
				    std::span<const pid_t> pids, int sig);

} // namespace vserver
