#include <vserver/iattr.hpp>

#include <vserver/client.hpp>

#include "dir_names.hpp"

#include <linux/vserver.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace vserver {

namespace {

// setattr's names (util-vserver's src/setattr.c and fstool.c).
constexpr std::array names{
	FlagName{"admin", IATTR_ADMIN},
	FlagName{"watch", IATTR_WATCH},
	FlagName{"hide", IATTR_HIDE},
	FlagName{"write", iattr_write},
	FlagName{"barrier", IATTR_BARRIER},
	FlagName{"iunlink", IATTR_IXUNLINK | IATTR_IMMUTABLE},
	FlagName{"immu", IATTR_IXUNLINK | IATTR_IMMUTABLE},
	FlagName{"iunlink-but-not-immutable", IATTR_IXUNLINK},
	FlagName{"ixunlink", IATTR_IXUNLINK},
	FlagName{"immutable", IATTR_IMMUTABLE},
	FlagName{"cow", IATTR_COW},
};

const NameTable table{names, "", "attribute"};

// One name and showattr letter per bit, in bit order.
struct BitName {
	std::uint32_t bit;
	std::string_view name;
	char letter;
};

constexpr std::array bits{
	BitName{IATTR_ADMIN, "admin", 'a'},
	BitName{IATTR_WATCH, "watch", 'w'},
	BitName{IATTR_HIDE, "hide", 'h'},
	BitName{iattr_write, "write", 'm'},
	BitName{IATTR_BARRIER, "barrier", 'b'},
	BitName{IATTR_IXUNLINK, "ixunlink", 'u'},
	BitName{IATTR_IMMUTABLE, "immutable", 'i'},
	BitName{IATTR_COW, "cow", 'c'},
	BitName{IATTR_TAG, "tag", 'x'},
};

std::string join_path(const std::string &dir, const std::string &name)
{
	std::string path = dir;

	while (path.size() > 1 && path.back() == '/')
		path.pop_back();
	if (path != "/")
		path += '/';
	return path + name;
}

class Walker {
public:
	Walker(const WalkOptions &options,
	       const std::function<bool(const WalkEntry &)> &visit,
	       const std::function<void(const std::string &, int)> &error)
		: options_(options), visit_(visit), error_(error) {}

	void file(const std::string &path)
	{
		WalkEntry entry{path, {}, true};

		if (::lstat(path.c_str(), &entry.st) < 0) {
			fail(path, errno);
			return;
		}
		if (S_ISDIR(entry.st.st_mode) && options_.list_dirs)
			directory(entry);
		else
			visit(entry);
	}

	std::size_t failures() const { return failures_; }

private:
	void fail(const std::string &path, int err)
	{
		error_(path, err);
		failures_++;
	}

	void visit(const WalkEntry &entry)
	{
		if (!visit_(entry))
			failures_++;
	}

	// The directory itself, then what is in it.
	void directory(const WalkEntry &dir)
	{
		visit(dir);
		// a directory that cannot be opened has no names; one that
		// cannot be read to the end, those read before
		DirNames listing = read_dir_names(dir.path);
		if (listing.error)
			fail(dir.path, listing.error);
		std::vector<std::string> &names = listing.names;
		if (!options_.dot_files)
			std::erase_if(names, [](const std::string &name) { return name[0] == '.'; });
		std::sort(names.begin(), names.end());

		std::vector<WalkEntry> subdirs;
		for (const auto &name : names) {
			WalkEntry entry{join_path(dir.path, name), {}, false};

			if (::lstat(entry.path.c_str(), &entry.st) < 0) {
				fail(entry.path, errno);
				continue;
			}
			if (S_ISDIR(entry.st.st_mode) && options_.recurse) {
				if (!options_.one_file_system || entry.st.st_dev == dir.st.st_dev)
					subdirs.push_back(std::move(entry));
				continue;
			}
			visit(entry);
		}
		for (const auto &sub : subdirs)
			directory(sub);
	}

	const WalkOptions &options_;
	const std::function<bool(const WalkEntry &)> &visit_;
	const std::function<void(const std::string &, int)> &error_;
	std::size_t failures_ = 0;
};

} // namespace

const NameTable &iattr_names()
{
	return table;
}

bool is_iattr_name(std::string_view name)
{
	return std::any_of(names.begin(), names.end(),
			   [&](const FlagName &f) { return f.name == name; });
}

void IattrChange::add(std::string_view item)
{
	std::string_view name = item;
	bool clearing = !name.empty() && (name.front() == '~' || name.front() == '!');

	if (clearing)
		name.remove_prefix(1);
	if (name.empty())
		throw std::invalid_argument(fmt::format("empty attribute name in '{}'", item));
	auto found = std::find_if(names.begin(), names.end(),
				  [&](const FlagName &f) { return f.name == name; });
	if (found == names.end())
		throw std::invalid_argument(fmt::format("unknown attribute '{}'", name));
	(clearing ? clear : set) |= static_cast<std::uint32_t>(found->bit);
}

void IattrChange::add_list(std::string_view list)
{
	std::size_t start = 0;

	for (;;) {
		std::size_t end = list.find(',', start);
		std::string_view item = list.substr(start, end == list.npos ? list.npos : end - start);

		if (item.empty() || item == "~" || item == "!")
			throw std::invalid_argument(fmt::format(
				"invalid attribute list '{}': empty attribute name", list));
		add(item);
		if (end == list.npos)
			break;
		start = end + 1;
	}
}

void normalize_clear_options(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		std::string_view arg = argv[i];

		if (arg == "--")
			break;
		if (arg.size() > 3 && arg.substr(0, 3) == "--!")
			argv[i][2] = '~';
	}
}

std::string quoted_iattr_bits(std::uint32_t value)
{
	std::string out;

	for (const auto &b : bits) {
		if (!(value & b.bit))
			continue;
		if (!out.empty())
			out += ", ";
		out += fmt::format("'{}'", b.name);
		value &= ~b.bit;
	}
	if (value) {
		if (!out.empty())
			out += ", ";
		out += fmt::format("{:#x}", value);
	}
	return out;
}

std::string file_type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return "a directory";
	case S_IFREG:
		return "a regular file";
	case S_IFLNK:
		return "a symbolic link";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	}
	return "a file of unknown type";
}

std::uint32_t iattr_applicable(mode_t mode)
{
	if (S_ISDIR(mode))
		return IATTR_BARRIER | IATTR_IMMUTABLE;
	if (S_ISREG(mode))
		return IATTR_IMMUTABLE | IATTR_IXUNLINK;
	return 0;
}

std::string iattr_letters(std::uint32_t flags, std::uint32_t mask)
{
	std::string out;

	for (const auto &b : bits) {
		if (!(mask & b.bit))
			out += '-';
		else if (flags & b.bit)
			out += static_cast<char>(b.letter - 'a' + 'A');
		else
			out += b.letter;
	}
	return out;
}

std::string showattr_line(std::uint32_t flags, std::uint32_t mask, std::string_view name)
{
	return fmt::format("{} {}\n", iattr_letters(flags, mask), name);
}

std::size_t walk(const std::string &path, const WalkOptions &options,
		 const std::function<bool(const WalkEntry &)> &visit,
		 const std::function<void(const std::string &, int)> &error)
{
	Walker walker(options, visit, error);

	walker.file(path);
	return walker.failures();
}

std::string iattr_error_message(const std::string &what, int err)
{
	std::string msg = what + ": " + std::generic_category().message(err);

	switch (err) {
	case EPERM:
		msg += " (only root on the host changes inode attributes)";
		break;
	case EOPNOTSUPP:
		msg += " (the filesystem keeps no extended attributes)";
		break;
	}
	return msg;
}

std::string set_file_iattr(Client &client, const WalkEntry &entry, const IattrChange &change,
			   bool only_applicable)
{
	std::uint32_t flags = change.flags(), mask = change.mask();
	std::string_view step = "get_iattr";

	try {
		if (only_applicable) {
			std::uint32_t applicable = client.get_iattr(entry.path).mask;

			flags &= applicable;
			mask &= applicable;
			if (!mask)
				return {};
		}
		step = "set_iattr";
		client.set_iattr(entry.path, flags, mask);
		return {};
	} catch (const std::system_error &e) {
		if (step != "set_iattr" || e.code() != std::errc::invalid_argument)
			return iattr_error_message(fmt::format("{}({})", step, entry.path),
						   e.code().value());
	}

	// EINVAL, nothing changed: which of the bits does not apply here?
	std::uint32_t bad = 0;
	try {
		bad = mask & ~client.get_iattr(entry.path).mask;
	} catch (const std::system_error &) {
	}
	if (!bad)
		return iattr_error_message(fmt::format("set_iattr({})", entry.path), EINVAL);
	bool several = std::popcount(bad) > 1;
	return fmt::format("{} {} {} not supported on {} ({})",
			   several ? "attributes" : "attribute", quoted_iattr_bits(bad),
			   several ? "are" : "is", entry.path, file_type_name(entry.st.st_mode));
}

} // namespace vserver
