#include "dir_names.hpp"

#include <cerrno>
#include <dirent.h>
#include <memory>

namespace vserver {

namespace {

struct CloseDir {
	void operator()(DIR *d) const { ::closedir(d); }
};

} // namespace

DirNames read_dir_names(const std::string &dir)
{
	DirNames result;
	std::unique_ptr<DIR, CloseDir> d(::opendir(dir.c_str()));

	if (!d) {
		result.failed = "opendir";
		result.error = errno;
		return result;
	}
	errno = 0;
	while (const dirent *ent = ::readdir(d.get())) {
		std::string_view name = ent->d_name;
		if (name != "." && name != "..")
			result.names.emplace_back(name);
	}
	if (errno) {
		result.failed = "readdir";
		result.error = errno;
	}
	return result;
}

} // namespace vserver
