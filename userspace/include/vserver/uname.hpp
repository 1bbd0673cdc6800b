// The names of a context that vuname shows and sets: its name (VHIN_CONTEXT)
// and the names of its UTS namespace, by util-vserver's tags.
#pragma once

#include <vserver/client.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vserver {

struct UtsTag {
	std::string_view name;	// util-vserver's, e.g. "nodename"
	std::uint32_t field;	// VHIN_*
};

// context sysname nodename release version machine domainname: every tag,
// in field order (VHIN_CONTEXT .. VHIN_DOMAINNAME).
std::span<const UtsTag> uts_tags();

// The name of field (VHIN_*), e.g. "nodename".
std::string_view uts_tag_name(std::uint32_t field);

// The field of a tag: case-insensitive, and, as util-vserver takes them, a
// beginning is enough ("node", "d": the seven names start with seven
// different letters).  Throws std::invalid_argument "unknown tag 'x'" for
// anything else, the empty tag included.
std::uint32_t parse_uts_tag(std::string_view tag);

// The longest value the kernel keeps: VHI_NAME_LEN - 1 bytes.
inline constexpr std::size_t max_uts_value = VHI_NAME_LEN - 1;

// New values for some of the fields.
class UtsChange {
public:
	// Set field to value (a later value for the same field wins).  Throws
	// std::invalid_argument naming the tag for a value longer than
	// max_uts_value bytes or one that holds a NUL.
	void set(std::uint32_t field, std::string_view value);

	// One "-t TAG=VALUE": the tag as parse_uts_tag takes it, the value is
	// everything after the first '=' and may be empty.  Throws
	// std::invalid_argument for a missing '=', an unknown tag or a bad
	// value.
	void assign(std::string_view assignment);

	// Add another change; its values win.
	void merge(const UtsChange &other);

	const std::optional<std::string> &value(std::uint32_t field) const;
	bool empty() const;

	bool operator==(const UtsChange &) const = default;

private:
	std::array<std::optional<std::string>, VHIN_DOMAINNAME + 1> values_;
};

// util-vserver's uts/ directory (/etc/vservers/NAME/uts): for each tag
// whose file DIR/<tag> exists, its first line (without the newline) is the
// new value.  A DIR that does not exist gives no change with missing_ok,
// else throws std::invalid_argument naming it; so do a DIR that is no
// directory, a file that cannot be read and a value that is too long.
UtsChange read_uts_dir(const std::filesystem::path &dir, bool missing_ok);

// Make the change with set_vhi_name: the UTS names first, in field order,
// then the context's name, so that a context whose UTS names the kernel
// refuses (EPERM: it shares the host's namespace; ESRCH: it has no task)
// is left as it was.  The first refusal propagates as std::system_error
// naming the tag: "nodename: set_vhi_name(42): Operation not permitted".
void apply_uts_change(Client &client, xid_t xid, const UtsChange &change);

// What vuname --get found: the values of the fields asked for, in that
// order; nullopt where the kernel refused, with its message in errors.
struct UtsValues {
	std::vector<std::optional<std::string>> values;
	std::vector<std::string> errors;	// "nodename: get_vhi_name(42): No such process"
};

UtsValues get_uts_values(Client &client, xid_t xid, std::span<const std::uint32_t> fields);

// The tags on a vuname --get command line; none means all, in field order.
std::vector<std::uint32_t> parse_uts_tags(std::span<const std::string> tags);

// The line vuname --get prints, as util-vserver's: the values separated by
// one blank, "???" for one the kernel refused, then a newline.
std::string uts_line(const UtsValues &values);

} // namespace vserver
