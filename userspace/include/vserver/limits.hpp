// Per-context limits as vlimit takes them: util-vserver's resource names,
// values, its rlimits/ directory, and what the kernel can limit.
#pragma once

#include <vserver/client.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vserver {

struct LimitName {
	std::string_view name;	// util-vserver's, e.g. "nproc"
	std::uint32_t resource;	// RLIMIT_* / VLIMIT_*
};

// cpu fsize data stack core rss nproc nofile memlock as locks msgqueue
// nsock openfd anon shmem semary nsems dentry: every name, in util-vserver's
// order (= resource order).  Those without a VLIMIT_ constant have the
// RLIMIT_* number of <sys/resource.h>.
std::span<const LimitName> limit_names();

// The name of a resource, or its number for one without a name.
std::string limit_name(std::uint32_t resource);

// The resource of a name (exactly as above, lower case); nullopt if none.
std::optional<std::uint32_t> find_limit(std::string_view name);

// The same, but throws std::invalid_argument "unknown resource 'x' (cpu,
// fsize, ...)" for a name that is none.
std::uint32_t parse_limit_name(std::string_view name);

// The greatest number parse_limit_value takes: above it are CRLIM_KEEP
// and CRLIM_INFINITY, which have names of their own.
inline constexpr std::uint64_t max_limit_value = CRLIM_KEEP - 1;

// "inf" (in any case) is CRLIM_INFINITY, else a decimal number 0 ..
// max_limit_value.  Throws std::invalid_argument naming the text, e.g.
// "invalid limit '-5': negative" or "invalid limit '5k': not a number".
std::uint64_t parse_limit_value(std::string_view text);

// As vlimit -a shows a value: "inf", else "0x1f4" or, decimal, "500".
std::string format_limit_value(std::uint64_t value, bool decimal);

// Which limits of a resource an option sets (vlimit -M, -S, -H).
enum LimitField : unsigned {
	limit_minimum = 1,
	limit_soft = 2,
	limit_hard = 4,
};

// New limits for one resource: the fields given.  A util-vserver
// DIR/<res> file sets all three, the minimum and the soft limit only as
// far as the kernel has them: those are lenient (LimitField bits), and
// fit_limits_to_mask drops them where the kernel lacks them instead of
// refusing them.
struct LimitValues {
	std::optional<std::uint64_t> minimum, soft, hard;
	unsigned lenient = 0;

	bool operator==(const LimitValues &) const = default;
};

// New limits by resource.
using LimitChanges = std::map<std::uint32_t, LimitValues>;

// Set the fields (LimitField bits) of resource's limits to value; a later
// value for the same field wins.
void set_limit(LimitChanges &changes, std::uint32_t resource, unsigned fields,
	       std::uint64_t value);

// util-vserver's rlimits directory (/etc/vservers/NAME/rlimits): files
// <res>, <res>.min, <res>.soft and <res>.hard, each holding one value
// (parse_limit_value; blanks around it are ignored) on its first line;
// <res> sets all three (the minimum and soft limit leniently), the others
// win over it.  A DIR that does not exist gives no change with
// missing_ok.  Everything wrong is collected and thrown as one
// std::invalid_argument with one line per problem, e.g.
// "DIR/nproc.hard:1: invalid limit 'x': not a number" or
// "DIR/bogus: unknown resource 'bogus' (cpu, ...)": nothing is applied.
// Subdirectories and files whose name begins with '.' are ignored.
LimitChanges read_limits_dir(const std::filesystem::path &dir, bool missing_ok);

// Add what from_dir says about the resources that changes does not name:
// a resource set on the command line ignores its files (util-vserver).
void add_limits_from_dir(LimitChanges &changes, const LimitChanges &from_dir);

// A soft limit above the hard one given with it throws
// std::invalid_argument "nproc: the soft limit 10 is above the hard limit 5".
void check_limits(const LimitChanges &changes);

// Check changes against what the kernel can set (get_rlimit_mask): throws
// std::invalid_argument naming the resource, e.g. "the kernel cannot
// limit cpu" or "the kernel has no soft limit for nproc (only for rss)".
// Lenient fields that the kernel lacks are dropped.
void fit_limits_to_mask(LimitChanges &changes, const vcmd_ctx_rlimit_mask_v0 &mask);

// set_rlimit for each resource, fields not given CRLIM_KEEP.  The first
// refusal throws std::system_error naming the resource:
// "nproc: set_rlimit(42): Invalid argument"; resources before it keep
// their new limits.
void apply_limits(Client &client, xid_t xid, const LimitChanges &changes);

// vlimit -a: for each resource that mask names, a line as util-vserver's:
// the name in upper case (its number with numbers), then from columns
// 10, 30 and 50 two blanks and its minimum, soft and hard limit
// (format_limit_value; "N/A" where the kernel has no such limit).
// A failure throws std::system_error naming the resource.
std::string limits_table(Client &client, xid_t xid, const vcmd_ctx_rlimit_mask_v0 &mask,
			 bool numbers, bool decimal);

} // namespace vserver
