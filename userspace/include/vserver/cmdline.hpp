// Command-line helpers shared by the "options, then -- CMD ARGS..." tools.
#pragma once

#include <string>
#include <vector>

namespace vserver {

// Given what the option parser left over (it stops at the first argument
// it doesn't know), return the command to exec: a leading "--" is dropped,
// anything else starting with '-' is an unknown option.  Throws
// std::invalid_argument for an unknown option or a missing command.
std::vector<std::string> take_command(std::vector<std::string> rest);

// The same for tools whose command is optional: an empty result means
// none was given.
std::vector<std::string> take_optional_command(std::vector<std::string> rest);

// Replace the process with command (argv[0] searched in PATH).  Returns
// only when that fails, with the errno.
int exec_command(std::vector<std::string> command);

} // namespace vserver
