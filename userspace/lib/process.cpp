#include <vserver/process.hpp>

#include <vserver/transport.hpp>

#include <cerrno>
#include <fcntl.h>
#include <stdexcept>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace vserver {

namespace {

std::system_error errno_error(const std::string &what)
{
	return std::system_error(errno, std::generic_category(), what);
}

// Both ends of a pipe, close-on-exec.
struct Pipe {
	UniqueFd read, write;

	Pipe()
	{
		int fds[2];
		if (::pipe2(fds, O_CLOEXEC) < 0)
			throw errno_error("pipe");
		read.reset(fds[0]);
		write.reset(fds[1]);
	}
};

// Everything until end of file.
std::string read_all(int fd)
{
	std::string out;
	char buf[4096];

	for (;;) {
		ssize_t n = ::read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			throw errno_error("read");
		if (n == 0)
			return out;
		out.append(buf, static_cast<std::size_t>(n));
	}
}

int reap(pid_t pid)
{
	int status = 0;

	while (::waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			throw errno_error("waitpid");
	return status;
}

} // namespace

Captured run_captured(const std::vector<std::string> &argv,
		      const std::function<std::string(std::string)> &filter)
{
	if (argv.empty())
		throw std::invalid_argument("run_captured: no program");

	std::vector<char *> args;
	for (const auto &arg : argv)
		args.push_back(const_cast<char *>(arg.c_str()));
	args.push_back(nullptr);

	Pipe out, exec_error;
	pid_t pid = ::fork();
	if (pid < 0)
		throw errno_error("fork");
	if (pid == 0) {
		// Only async-signal-safe calls from here on.
		if (::dup2(out.write.get(), STDOUT_FILENO) >= 0)
			::execvp(args[0], args.data());
		int err = errno;
		ssize_t ignored = ::write(exec_error.write.get(), &err, sizeof(err));
		(void)ignored;
		::_exit(127);
	}
	out.write.reset();
	exec_error.write.reset();

	// Closed by a successful exec; else it carries the errno.
	std::string err = read_all(exec_error.read.get());
	if (err.size() == sizeof(int)) {
		int code;
		err.copy(reinterpret_cast<char *>(&code), sizeof(code));
		reap(pid);
		throw std::system_error(code, std::generic_category(), argv[0]);
	}

	Captured result{read_all(out.read.get()), 0};
	if (filter) {
		try {
			result.output = filter(std::move(result.output));
		} catch (...) {
			reap(pid);
			throw;
		}
	}
	result.status = reap(pid);
	return result;
}

int shell_status(int wait_status)
{
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return wait_status;
}

} // namespace vserver
