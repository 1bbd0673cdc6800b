#include <vserver/cmdline.hpp>

#include <stdexcept>

namespace vserver {

std::vector<std::string> take_command(std::vector<std::string> rest)
{
	if (!rest.empty() && rest.front() == "--")
		rest.erase(rest.begin());
	else if (!rest.empty() && rest.front().starts_with('-'))
		throw std::invalid_argument("unknown option '" + rest.front() + "'");
	if (rest.empty())
		throw std::invalid_argument("missing command");
	return rest;
}

} // namespace vserver
