// How a vserver_call reaches the kernel.
#pragma once

#include <linux/vserver.h>

#include <string>

namespace vserver {

// Anything that can carry a vserver_call: the device below, or a mock in tests.
class Transport {
public:
	virtual ~Transport() = default;
	// The ioctl result (>= 0) or -errno.
	virtual long call(const vserver_call &call) = 0;
};

// An owned file descriptor, closed on destruction.
class UniqueFd {
public:
	UniqueFd() = default;
	explicit UniqueFd(int fd) : fd_(fd) {}
	UniqueFd(UniqueFd &&other) noexcept : fd_(other.release()) {}
	UniqueFd &operator=(UniqueFd &&other) noexcept;
	UniqueFd(const UniqueFd &) = delete;
	UniqueFd &operator=(const UniqueFd &) = delete;
	~UniqueFd();

	int get() const { return fd_; }
	int release() { int fd = fd_; fd_ = -1; return fd; }
	void reset(int fd = -1);

private:
	int fd_ = -1;
};

// /dev/vserver (or another path), opened O_RDWR|O_CLOEXEC for the object's
// lifetime.  The constructor throws std::system_error whose what() says what
// to do about it, e.g. "/dev/vserver: No such file or directory (is the
// vserver module loaded? try 'modprobe vserver')".
class DeviceTransport : public Transport {
public:
	explicit DeviceTransport(std::string path = VSERVER_DEVICE);

	long call(const vserver_call &call) override;
	const std::string &path() const { return path_; }

private:
	std::string path_;
	UniqueFd fd_;
};

// The text DeviceTransport uses when open(path) fails with errno err.
std::string open_error_message(const std::string &path, int err);

} // namespace vserver
