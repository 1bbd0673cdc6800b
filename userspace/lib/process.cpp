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

Captured run_streamed(const std::vector<std::string> &argv,
		      const std::function<void(std::string_view)> &consume,
		      const std::function<std::string()> &finish)
{
	if (argv.empty())
		throw std::invalid_argument("run_captured: no program");

	std::vector<char *> args;
	for (const auto &arg : argv)
		args.push_back(const_cast<char *>(arg.c_str()));
	args.push_back(nullptr);

	Pipe out, exec_error;
	const int out_fd = out.write.get(), error_fd = exec_error.write.get();
	// vfork: no copy of our page tables, and we wait only until the child
	// has exec'd (or failed to).  The child shares our memory and stack:
	// only system calls and execvp (no allocation) from here to _exit.
	pid_t pid = ::vfork();
	if (pid < 0)
		throw errno_error("fork");
	if (pid == 0) {
		if (::dup2(out_fd, STDOUT_FILENO) >= 0)
			::execvp(args[0], args.data());
		int err = errno;
		ssize_t ignored = ::write(error_fd, &err, sizeof(err));
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

	Captured result{{}, 0};
	try {
		// A pipe holds 64 KiB: take all there is with each read.
		std::vector<char> buf(64 * 1024);
		for (;;) {
			ssize_t n = ::read(out.read.get(), buf.data(), buf.size());
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				throw errno_error("read");
			if (n == 0)
				break;
			if (consume)
				consume(std::string_view(buf.data(), static_cast<std::size_t>(n)));
		}
		if (finish)
			result.output = finish();
	} catch (...) {
		out.read.reset();	// a writer still running gets SIGPIPE
		reap(pid);
		throw;
	}
	result.status = reap(pid);
	return result;
}

Captured run_captured(const std::vector<std::string> &argv,
		      const std::function<std::string(std::string)> &filter)
{
	std::string output;

	return run_streamed(
		argv, [&](std::string_view piece) { output.append(piece); },
		[&] { return filter ? filter(std::move(output)) : std::move(output); });
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
