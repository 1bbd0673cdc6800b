// Parsing context ids given on a command line.
#pragma once

#include <vserver/client.hpp>

#include <string_view>

namespace vserver {

// A decimal xid in 0..VX_MAX_S_CONTEXT.  Anything else (empty, signs,
// spaces, junk, out of range) throws std::invalid_argument whose what()
// names the bad value, e.g. "invalid xid 'abc': not a decimal number".
xid_t parse_xid(std::string_view text);

} // namespace vserver
