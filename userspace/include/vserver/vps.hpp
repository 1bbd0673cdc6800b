// What vps does to ps's output: a context column after PID.
#pragma once

#include <vserver/client.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace vserver {

struct TaskContext {
	xid_t xid;
	std::string name;	// "" for none
};

// The context of a pid; nullopt when it cannot be told (the task is gone).
using ContextLookup = std::function<std::optional<TaskContext>(pid_t)>;

// ps output with " CTX NAME" inserted after the PID column: the first line
// is the header and must have a "PID" field, else the output comes back
// unchanged.  In the rows the PID is the field at the header's PID index
// (so the fields before it must hold no blanks, as USER, UID, F, S do); a
// row where that is no number passes unchanged.  Each row gets its xid
// right-aligned in 5 columns ("ERR" when lookup says nullopt) and the name
// (vps_display_name) left-aligned, cut to 20 characters.  The column goes
// after the right edge of the PID values, which may lie right of the
// header's "PID" (busybox: "PID   USER" over "    1 root"), and never into
// the next field, so the other columns stay aligned.
std::string insert_context_column(std::string_view ps_output, const ContextLookup &lookup);

// The NAME vps shows: "MAIN" for xid 0, "ALL_PROC" for 1, as util-vserver
// says; else the context's name, "-" for none.
std::string vps_display_name(const TaskContext &context);

// task_xid(pid) and context_name(xid) through client, names asked once
// per xid; nullopt when task_xid fails with ESRCH.
ContextLookup client_context_lookup(Client &client);

} // namespace vserver
