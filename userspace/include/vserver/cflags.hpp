// Context flags (VXF_*) and other bit sets (the unshare mask VXU_*) by the
// names util-vserver gives them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vserver {

struct FlagName {
	std::string_view name;	// util-vserver's, e.g. "persistent"
	std::uint64_t bit;
};

// A set of named bits.  A name with bit 0 is known (util-vserver has it)
// but has no bit in our kernel: merge_name_list refuses it as such.
struct NameTable {
	std::span<const FlagName> names;	// in bit order
	std::string_view prefix;		// also accepted before a name
	std::string_view what;			// "flag": for messages
};

// Context flags: "persistent" or "VXF_PERSISTENT".
const NameTable &cflag_names();
// Unshare mask (vattribute --umask): "newns" or "CLONE_NEWNS".
const NameTable &umask_names();

// The bit of one name: case-insensitive, with or without the prefix.
std::optional<std::uint64_t> find_name(const NameTable &table, std::string_view name);

// Every flag we know, in bit order.
std::span<const FlagName> context_flags();

// The bit of one flag name: case-insensitive, with or without a "VXF_"
// prefix ("persistent", "PERSISTENT", "vxf_persistent").
std::optional<std::uint64_t> find_context_flag(std::string_view name);

struct FlagChange {
	std::uint64_t set = 0;		// bits to set
	std::uint64_t clear = 0;	// bits to clear

	std::uint64_t mask() const { return set | clear; }
	bool operator==(const FlagChange &) const = default;
};

// "a,~b,!c": set a, clear b and c.  Later items win over earlier ones, so
// "persistent,~persistent" clears.  Throws std::invalid_argument naming the
// item for an unknown or empty name, or one without a bit.
FlagChange parse_flag_list(std::string_view list);

// Add one more --flag list to what earlier ones gave.
void merge_flag_list(FlagChange &change, std::string_view list);
// The same for any table.
void merge_name_list(FlagChange &change, std::string_view list, const NameTable &table);

// "state_setup,persistent"; bits without a name as one hex number at the
// end ("persistent,0x800"); "" for no bits.
std::string format_flags(std::uint64_t flags);
std::string format_names(std::uint64_t bits, const NameTable &table);

// "<label>: 0x<16 hex digits> (<format_names>)\n", the line of --get.
std::string bits_line(std::string_view label, std::uint64_t bits, const NameTable &table);

// What vattribute --get prints:
// "flags: 0x0000000700000000 (state_setup,state_init,state_admin)\n".
std::string flags_line(std::uint64_t flags);
// "umask: 0x0000000004000000 (newuts)\n"
std::string umask_line(std::uint64_t umask);

} // namespace vserver
