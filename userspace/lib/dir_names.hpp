// The names in a directory, as the library's own walks (clone, hashify,
// setattr/showattr) read them.  Internal: not installed, not for tools.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vserver {

struct DirNames {
	std::vector<std::string> names;	// in readdir(3)'s order, without "." and ".."
	std::string_view failed;	// "opendir" or "readdir" when that failed, else ""
	int error = 0;			// its errno; 0: no failure
};

// The entries of dir.  When opendir fails names is empty; when readdir
// fails it holds the names read before.  Nothing throws but std::bad_alloc.
DirNames read_dir_names(const std::string &dir);

} // namespace vserver
