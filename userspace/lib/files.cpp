#include <vserver/files.hpp>

#include <vserver/transport.hpp>

#include <cerrno>
#include <fcntl.h>
#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace vserver {

std::string read_file(const std::filesystem::path &file, bool first_line)
{
	auto fail = [&](int err) {
		return std::system_error(err, std::generic_category(), file.string());
	};

	UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
	if (fd.get() < 0)
		throw fail(errno);
	std::string text;
	char buf[4096];
	for (;;) {
		ssize_t n = ::read(fd.get(), buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			throw fail(errno);
		if (n == 0)
			break;
		text.append(buf, static_cast<std::size_t>(n));
		// a value is short; don't read a huge file to the end
		if (first_line && (text.find('\n') != std::string::npos || text.size() > 4096))
			break;
	}
	return text;
}

std::optional<std::string> read_first_line(const std::filesystem::path &file)
{
	std::string text;
	try {
		text = read_file(file, true);
	} catch (const std::system_error &e) {
		if (e.code().value() == ENOENT)
			return std::nullopt;
		throw std::invalid_argument(e.what());
	}
	if (auto nl = text.find('\n'); nl != std::string::npos)
		text.resize(nl);
	return text;
}

} // namespace vserver
