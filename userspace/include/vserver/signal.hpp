// Signals given on a command line.
#pragma once

#include <string_view>

namespace vserver {

// A signal number 0..64, or a name with or without "SIG", in any case
// ("15", "TERM", "SIGterm").  Anything else throws std::invalid_argument
// naming the value, e.g. "invalid signal 'FOO': unknown name".
int parse_signal(std::string_view text);

} // namespace vserver
