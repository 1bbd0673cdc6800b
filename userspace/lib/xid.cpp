#include <vserver/xid.hpp>

#include <charconv>
#include <stdexcept>
#include <string>

namespace vserver {

xid_t parse_xid(std::string_view text)
{
	auto bad = [&](const char *why) {
		return std::invalid_argument("invalid xid '" + std::string(text) +
					     "': " + why);
	};

	if (text.empty())
		throw bad("empty");
	// from_chars takes neither '+' nor, for unsigned, '-'; but check the
	// first character ourselves so "-1" says "not a decimal number".
	if (text.front() < '0' || text.front() > '9')
		throw bad("not a decimal number");

	unsigned long value = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec == std::errc::result_out_of_range)
		throw bad("out of range 0..65535");
	if (ec != std::errc() || end != text.data() + text.size())
		throw bad("not a decimal number");
	if (value > VX_MAX_S_CONTEXT)
		throw bad("out of range 0..65535");
	return static_cast<xid_t>(value);
}

} // namespace vserver
