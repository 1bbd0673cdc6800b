#include <vserver/cmdline.hpp>

#include <cerrno>
#include <stdexcept>
#include <unistd.h>

namespace vserver {

std::vector<std::string> take_optional_command(std::vector<std::string> rest)
{
	if (!rest.empty() && rest.front() == "--")
		rest.erase(rest.begin());
	else if (!rest.empty() && rest.front().starts_with('-'))
		throw std::invalid_argument("unknown option '" + rest.front() + "'");
	return rest;
}

std::vector<std::string> take_command(std::vector<std::string> rest)
{
	rest = take_optional_command(std::move(rest));
	if (rest.empty())
		throw std::invalid_argument("missing command");
	return rest;
}

int exec_command(std::vector<std::string> command)
{
	std::vector<char *> args;

	if (command.empty())
		return EINVAL;
	for (auto &arg : command)
		args.push_back(arg.data());
	args.push_back(nullptr);
	::execvp(args[0], args.data());
	return errno;
}

} // namespace vserver
