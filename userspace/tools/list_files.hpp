// What showattr and lsxid share: one line per file of a walk, errors as
// "TOOL: ..." on stderr while the walk goes on.
#pragma once

#include <vserver/client.hpp>
#include <vserver/iattr.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace tool {

// Print line(client, path) for each file of the walks of files; a line
// may throw std::system_error (that file fails).  Returns 0, or 1 when a
// file failed or /dev/vserver could not be opened.
template <class Line>
int list_files(std::string_view name, const std::vector<std::string> &files,
	       const vserver::WalkOptions &options, Line line)
{
	std::size_t failures = 0;

	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);

		for (const auto &file : files) {
			failures += vserver::walk(
				file, options,
				[&](const vserver::WalkEntry &entry) {
					try {
						fmt::print("{}", line(client, entry.path));
						return true;
					} catch (const std::system_error &e) {
						std::fflush(stdout);
						fmt::print(stderr, "{}: {}\n", name, e.what());
						return false;
					}
				},
				[&](const std::string &path, int err) {
					std::fflush(stdout);
					fmt::print(stderr, "{}: {}: {}\n", name, path,
						   std::strerror(err));
				});
		}
	} catch (const std::system_error &e) {
		fmt::print(stderr, "{}: {}\n", name, e.what());
		return 1;
	}
	std::fflush(stdout);
	return failures ? 1 : 0;
}

} // namespace tool
