#include <vserver/transport.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <system_error>
#include <unistd.h>

namespace vserver {

UniqueFd &UniqueFd::operator=(UniqueFd &&other) noexcept
{
	if (this != &other)
		reset(other.release());
	return *this;
}

UniqueFd::~UniqueFd()
{
	reset();
}

void UniqueFd::reset(int fd)
{
	if (fd_ >= 0)
		::close(fd_);
	fd_ = fd;
}

namespace {

// std::system_error's own what() is "<what_arg>: <strerror>"; we want a hint
// after the errno text, so keep the code and carry our own message.
class OpenError : public std::system_error {
public:
	OpenError(int err, std::string message)
		: std::system_error(err, std::generic_category()),
		  message_(std::move(message)) {}
	const char *what() const noexcept override { return message_.c_str(); }

private:
	std::string message_;
};

} // namespace

std::string open_error_message(const std::string &path, int err)
{
	std::string msg = path + ": " + std::generic_category().message(err);

	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		msg += " (is the vserver module loaded? try 'modprobe vserver')";
		break;
	case EACCES:
	case EPERM:
		msg += " (must be root)";
		break;
	}
	return msg;
}

DeviceTransport::DeviceTransport(std::string path) : path_(std::move(path))
{
	fd_.reset(::open(path_.c_str(), O_RDWR | O_CLOEXEC));
	if (fd_.get() < 0) {
		int err = errno;
		throw OpenError(err, open_error_message(path_, err));
	}
}

long DeviceTransport::call(const vserver_call &call)
{
	long ret = ::ioctl(fd_.get(), VSERVER_IOC_CALL, &call);

	return ret < 0 ? -errno : ret;
}

} // namespace vserver
