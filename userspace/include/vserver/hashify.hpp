// Unification (vhashify): identical files of guests become one inode,
// hard-linked from a hash directory (the "store") into every guest that
// has such a file, immutable but unlinkable (IATTR_IMMUTABLE |
// IATTR_IXUNLINK), so that a guest that writes or removes it gets or
// loses only its own name.  util-vserver's vhashify, with SHA-256.
//
// The store: HASHDIR/<first 2 hex digits>/<the other 62>-SIZE-MODE-UID-GID
// (MODE in octal, the permission bits): files that differ in owner or
// mode are never linked together.
#pragma once

#include <vserver/client.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace vserver {

// Which files of a tree are left alone.  Each line of an exclude list is a
// path inside the tree (absolute: "/etc/passwd"), with a trailing '/' or
// without: that path and, when it is a directory, all below it; or an
// fnmatch(3) glob matched against the whole path ('*' also matches '/':
// "/var/cache/*", "*.pid").  A line starting with '+' re-includes what it
// matches; '-' (or util-vserver's '~') says exclude explicitly, as no sign
// does.  The first line that matches a path decides; a path no line
// matches is hashed.  Blank lines and lines starting with '#' are passed
// over.  The walk does not go into an excluded directory unless a '+'
// line may match something below it; what no line matches below an
// excluded directory is excluded.
class UnifyExcludes {
public:
	// The lines of text; file names the list in errors.  Throws
	// std::invalid_argument with every bad line, one a line:
	// "FILE:3: 'etc/x' is neither an absolute path nor a glob".
	static UnifyExcludes parse(std::string_view text, const std::string &file);
	// What a Debian guest keeps to itself: /etc/ /var/log/ /var/lib/dpkg/
	// /var/cache/ /var/run/ /run/ /tmp/ /var/tmp/ /dev/ /proc/ /sys/ /home/
	// /root/ /var/spool/ /var/mail/.
	static UnifyExcludes debian_default();
	// The built-in list as text (for the man page and -v).
	static std::string_view debian_default_text();

	// Is path (absolute, inside the tree) left alone?  A path no line
	// matches is as its directory is: parent_excluded.
	bool excluded(std::string_view path, bool parent_excluded = false) const;
	// Could a '+' line match something below the directory dir?  If not,
	// the walk need not go into an excluded directory.
	bool may_include_below(std::string_view dir) const;

	std::size_t size() const { return rules_.size(); }

private:
	struct Rule {
		std::string pattern;	// without sign or trailing '/'
		bool include;
		bool glob;
	};
	static bool matches(const Rule &rule, std::string_view path);
	std::vector<Rule> rules_;
};

// The SHA-256 of what fd reads from where it is to its end, in 64 lower
// case hex digits.  Throws std::system_error naming what.
std::string sha256_hex(int fd, const std::string &what);

// The store's name for a file with that hash and stat: "ab/cdef...-SIZE-MODE-UID-GID".
std::string store_name(std::string_view hex, const struct stat &st);

// What vhashify works on.
struct HashifyTarget {
	std::filesystem::path hashdir;	// the store, on the filesystem of root
	std::filesystem::path root;	// the guest's root, or --manually's PATH
	UnifyExcludes excludes;
	bool make_hashdir = false;	// hashdir is the default one: made (0700) if missing
};

// A setup a person must fix: no such guest, a hash directory on another
// filesystem, a bad exclude list.  Nothing was changed.
class HashifyError : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

// The target of 'vhashify NAME' for the guest in confdir/NAME (which must
// be a directory): its root (vdir), the hash directory
// (confdir/NAME/apps/vunify/hash, else the first entry of
// confdir/.defaults/apps/vunify/hash/ on the root's filesystem, else
// <parent of the root>/.hash) and the exclude list
// (confdir/NAME/apps/vunify/exclude, else
// confdir/.defaults/apps/vunify/exclude, else debian_default()).
// Throws HashifyError; std::invalid_argument for a bad exclude list.
HashifyTarget guest_hashify_target(const std::filesystem::path &confdir, const std::string &name);

struct HashifyOptions {
	bool dry_run = false;	// -n: say what would be done, change nothing
	bool refresh = false;	// --refresh: hash files already unified too
};

// What happened to one file (for -v): the word vhashify -v prints.
enum class HashifyOutcome {
	linked,		// replaced by a link to the store file: "unified"
	stored,		// became the store file: "stored"
	already,	// was unified already: "already"
	skipped,	// left alone (detail says why): "skipped"
	differs,	// same hash and stat as its store file, other contents
			// (a collision, or a file changed meanwhile): left alone,
			// worth a warning: "differs"
	failed,		// an error (detail says it): "failed"
};
std::string_view outcome_word(HashifyOutcome outcome);

// Called for every regular file not excluded; detail: why it was skipped
// or failed, or the store file it is now.
using HashifyReport =
	std::function<void(HashifyOutcome, const std::string &path, const std::string &detail)>;

struct HashifyStats {
	std::uint64_t seen = 0;		// regular files not excluded
	std::uint64_t linked = 0;	// replaced by a link to an existing store file
	std::uint64_t stored = 0;	// new store files (unified too)
	std::uint64_t already = 0;	// unified already
	std::uint64_t skipped = 0;	// empty, hard-linked elsewhere, attributes of their own,
					// contents differing from their store file, changed
	std::uint64_t failed = 0;	// errors (reported)
	std::uint64_t bytes_saved = 0;	// sizes of the files whose inode was freed by a link

	std::uint64_t unified_now() const { return linked + stored; }
};

// Unify the files of target.root with the store.  Throws HashifyError,
// before anything is changed, when the root is no directory, the hash
// directory is missing (unless make_hashdir) or on another filesystem
// than the root; errors with single files are reported and counted.
HashifyStats hashify(Client &client, const HashifyTarget &target, const HashifyOptions &options,
		     const HashifyReport &report);

// The summary vhashify prints at the end, one "what: number" a line.
std::string hashify_summary(const HashifyStats &stats, bool dry_run);

} // namespace vserver
