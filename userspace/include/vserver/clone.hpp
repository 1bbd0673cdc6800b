// 'vserver NAME build -m clone': a copy of another guest's root that
// shares the other guest's unified files (util-vserver's vclone).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

namespace vserver {

struct CloneStats {
	std::uint64_t linked = 0;	// unified files hard-linked
	std::uint64_t copied = 0;	// everything else made anew
};

// Is this regular file of the source, which has more than one link, a
// unified one (immutable and unlinkable: Client::get_iattr)?
using IsUnified = std::function<bool(const std::filesystem::path &)>;

// Copy what is in the directory source into the existing directory dest,
// as cp -a does, but without crossing filesystems (a mount point is made
// empty): directories, regular files, symbolic links, device nodes and
// FIFOs (not sockets) with their owners, modes, times and extended
// attributes (those that cannot be set are left out, as cp -a does), hard
// links among them kept; a unified file is hard-linked, not copied (on
// another filesystem it is copied).  dest gets source's owner, mode and
// times.  An entry of dest in the way is replaced, unless it is a
// directory where source has none.  Throws std::system_error naming the
// path.
CloneStats clone_tree(const std::filesystem::path &source, const std::filesystem::path &dest,
		      const IsUnified &is_unified);

} // namespace vserver
