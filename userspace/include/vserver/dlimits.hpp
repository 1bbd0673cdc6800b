// Disk limits: how much space and how many inodes the files of one tag
// may use on one filesystem (the kernel keeps them as ext4 project
// quota).  util-vserver's names and values as vdlimit and a guest's
// dlimits/ directory give them, and what is sent to the kernel.
#pragma once

#include <vserver/client.hpp>

#include <linux/vserver.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace vserver {

// The greatest number a value may be: above it are CDLIM_KEEP and
// CDLIM_INFINITY.
inline constexpr std::uint32_t max_dlimit_value = CDLIM_KEEP - 1;

// A limit that changes nothing: every field CDLIM_KEEP, flags 0.
vcmd_ctx_dlimit_v0 unchanged_dlimit();

// A value of field name (for messages): "inf", or util-vserver's "-1",
// is CDLIM_INFINITY, else a decimal number 0..max_dlimit_value; reserved
// is a percentage, 0..100, never inf.  Throws std::invalid_argument, e.g.
// "invalid space_total '10k': not a decimal number" or "invalid reserved
// '120': a percentage, 0..100".
std::uint32_t parse_dlimit_value(std::string_view name, std::string_view text);

// One vdlimit --set LIMIT=VALUE into limit; LIMIT is space_used,
// space_total, inodes_used, inodes_total or reserved.  Throws
// std::invalid_argument for an unknown LIMIT, a bad VALUE or a LIMIT
// given twice.
void set_dlimit_field(vcmd_ctx_dlimit_v0 &limit, std::string_view assignment);

// A used value above the total given with it throws std::invalid_argument
// "space_used 2000 is above space_total 1000" (util-vserver's check).
void check_dlimit(const vcmd_ctx_dlimit_v0 &limit);

// vdlimit's listing, util-vserver's: "TAG PATH", then one line each
// space_used=, space_total=, inodes_used=, inodes_total=, reserved=, no
// limit (CDLIM_INFINITY) as -1.
std::string format_dlimit(std::uint32_t tag, std::string_view path,
			  const vcmd_ctx_dlimit_v0 &limit);

// Make the disk limit of tag on path's filesystem exist (add_dlimit; one
// that exists is fine) and set_dlimit it.  If set_dlimit is refused the
// limit add_dlimit made is removed again; the refusal throws
// std::system_error.  Returns whether add_dlimit made the limit.
bool apply_dlimit(Client &client, std::uint32_t tag, std::string_view path,
		  const vcmd_ctx_dlimit_v0 &limit);

// The text of a failed dlimit command with a hint at the usual cause:
// "set_dlimit(42, /vservers): Invalid argument (...)".
std::string dlimit_error_message(const std::system_error &e);

// One disk limit of a guest: its dlimits/<n>/ directory, util-vserver's
// files directory (a path on the filesystem), space_total (KiB),
// inodes_total and reserved (percent), each a number or inf.
struct GuestDlimit {
	std::filesystem::path config;		// .../dlimits/<n>, for messages
	std::filesystem::path directory;
	std::uint32_t space_total = CDLIM_INFINITY;
	std::uint32_t inodes_total = CDLIM_INFINITY;
	std::uint32_t reserved = 0;

	bool operator==(const GuestDlimit &) const = default;
};

// The limit set_dlimit gets for it: its totals and reserved, the used
// values CDLIM_KEEP (the quota counts them).
vcmd_ctx_dlimit_v0 guest_dlimit_values(const GuestDlimit &dlimit);

// 'vserver NAME start': write record (the disk limits the guest has:
// a comment, then "TAG DIRECTORY" per line; its directory made), then
// apply_dlimit each one.  The first refusal throws std::runtime_error
// naming the dlimits/<n> directory and the kernel's reason; the record
// still lists them all, for remove_guest_dlimits.  No dlimits: nothing
// is written.
void apply_guest_dlimits(Client &client, std::uint32_t tag,
			 const std::vector<GuestDlimit> &dlimits,
			 const std::filesystem::path &record);

// 'vserver NAME stop', and a start that failed: rem_dlimit each limit in
// record (one that is gone already is fine; other refusals are said and
// passed over), then remove record.  No record: nothing to do.
void remove_guest_dlimits(Client &client, const std::filesystem::path &record,
			  const std::function<void(std::string_view)> &say);

} // namespace vserver
