// What vps does to ps's output: a context column after PID.
#pragma once

#include <vserver/client.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// insert_context_column a piece at a time, for output that is still being
// written: feed() takes the next piece (of any size) and looks up the rows
// whose lines it completes, finish() takes the last line even without a
// newline and returns the whole output with the column, exactly as
// insert_context_column(everything fed, lookup) would.  Lookups happen in
// row order, once per row.
class ContextColumn {
public:
	explicit ContextColumn(ContextLookup lookup);
	void feed(std::string_view piece);
	std::string finish();

private:
	// A line that gets the column: where it is in text_ (without its
	// newline), where its PID field ends and the next field starts (line
	// size + 1 without one), and what to insert.
	struct Row {
		std::size_t start;
		std::uint32_t size, pid_end, next_start;
		xid_t xid;
		enum Kind : unsigned char { header, task, gone } kind;
		unsigned char name_size;
		char name[20];		// names are cut to 20 bytes
	};
	enum class State { header, rows, passthrough };
	static constexpr std::size_t no_index = std::size_t(-1);

	void scan_line(std::size_t start, std::size_t end);

	ContextLookup lookup_;
	std::string text_;		// all fed so far
	std::size_t scanned_ = 0;	// lines before this offset are scanned
	State state_ = State::header;
	std::size_t pid_index_ = no_index;	// of the PID field in the header
	std::vector<Row> rows_;		// header first
};

// The NAME vps shows: "MAIN" for xid 0, "ALL_PROC" for 1, as util-vserver
// says; else the context's name, "-" for none.
std::string vps_display_name(const TaskContext &context);

// task_xid(pid) and context_name(xid) through client, names asked once
// per xid; nullopt when task_xid fails with ESRCH.
ContextLookup client_context_lookup(Client &client);

} // namespace vserver
