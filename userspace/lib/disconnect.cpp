#include <vserver/disconnect.hpp>

#include <cerrno>
#include <cstdio>
#include <system_error>
#include <unistd.h>

namespace vserver {

pid_t SystemSessions::fork()
{
	pid_t pid = ::fork();
	if (pid < 0)
		throw std::system_error(errno, std::generic_category(), "fork");
	return pid;
}

void SystemSessions::setsid()
{
	if (::setsid() < 0)
		throw std::system_error(errno, std::generic_category(), "setsid");
}

std::optional<int> disconnect(Sessions &sessions)
{
	std::fflush(nullptr);
	if (sessions.fork() != 0)
		return 0;
	// A child is never a process group leader, so setsid() can't say EPERM.
	sessions.setsid();
	return std::nullopt;
}

} // namespace vserver
