#include <vserver/tags.hpp>

#include <vserver/vbuild.hpp>

#include <linux/vserver.h>

#include <fmt/format.h>

#include <cerrno>
#include <set>
#include <stdexcept>
#include <sys/stat.h>
#include <system_error>
#include <utility>

namespace vserver {

namespace {

// get_iattr, but a filesystem the kernel cannot ask (EOPNOTSUPP) keeps
// no tags: no attributes at all.
std::optional<vcmd_ctx_fiattr_v0> attributes_of(Client &client, std::string_view path)
{
	try {
		return client.get_iattr(path);
	} catch (const std::system_error &e) {
		if (e.code() != std::errc::operation_not_supported)
			throw;
	}
	return std::nullopt;
}

} // namespace

void for_each_file(const std::string &root, bool recursive, bool one_filesystem,
		   const std::function<void(const WalkEntry &)> &fn)
{
	WalkOptions options;

	options.recurse = recursive;
	options.list_dirs = recursive;	// without: root itself, also a directory
	options.dot_files = true;
	options.one_file_system = one_filesystem;
	walk(
		root, options,
		[&](const WalkEntry &entry) {
			fn(entry);
			return true;
		},
		[](const std::string &path, int err) {
			// walk() holds no open directory when it reports
			throw std::system_error(err, std::generic_category(), path);
		});
}

std::optional<std::uint32_t> tag_of(const vcmd_ctx_fiattr_v0 &attributes)
{
	if (!(attributes.mask & IATTR_TAG))
		return std::nullopt;
	return attributes.tag;
}

std::optional<std::uint32_t> tag_of(Client &client, std::string_view path)
{
	auto attributes = attributes_of(client, path);
	return attributes ? tag_of(*attributes) : std::nullopt;
}

bool is_unified(const vcmd_ctx_fiattr_v0 &attributes)
{
	constexpr std::uint32_t unified = IATTR_IMMUTABLE | IATTR_IXUNLINK;

	return (attributes.flags & attributes.mask & unified) == unified;
}

bool is_unified(Client &client, std::string_view path)
{
	auto attributes = attributes_of(client, path);
	return attributes && is_unified(*attributes);
}

TagResult tag_file(Client &client, const std::string &path, std::uint32_t tag, bool skip_unified)
{
	auto attributes = attributes_of(client, path);
	auto now = attributes ? tag_of(*attributes) : std::nullopt;

	if (!now)
		return TagResult::untaggable;
	if (skip_unified && is_unified(*attributes))
		return TagResult::unified;
	if (*now != tag)
		client.set_iattr(path, 0, IATTR_TAG, tag);
	return TagResult::tagged;
}

std::string tag_error_message(const std::system_error &e)
{
	std::string msg = e.what();

	if (e.code() == std::errc::operation_not_permitted)
		msg += " (only root on the host changes tags)";
	return msg;
}

std::string why_untaggable(Client &client, const std::string &path)
{
	struct stat st;

	if (::lstat(path.c_str(), &st) < 0)
		return fmt::format("{}: {}", path, std::generic_category().message(errno));
	try {
		if (tag_of(client, path))
			return {};
	} catch (const std::system_error &e) {
		return tag_error_message(e);
	}
	if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
		return fmt::format("cannot tag {}: its filesystem keeps no tags (ext4 with the "
				   "project feature has them)", path);
	return fmt::format("cannot tag {}: {} has no tag (regular files and directories have)",
			   path, file_type_name(st.st_mode));
}

std::optional<TagCounts> tag_tree(Client &client, const std::string &root, std::uint32_t tag,
				  bool skip_unified)
{
	if (!tag_of(client, root))
		return std::nullopt;

	TagCounts counts;
	for_each_file(root, true, true, [&](const WalkEntry &entry) {
		switch (tag_file(client, entry.path, tag, skip_unified)) {
		case TagResult::tagged:
			counts.tagged++;
			break;
		case TagResult::unified:
			counts.unified++;
			break;
		case TagResult::untaggable:
			counts.untaggable++;
			break;
		}
	});
	return counts;
}

std::string lsxid_tag(std::optional<std::uint32_t> tag,
		      const std::map<std::uint32_t, std::string> &names)
{
	if (!tag)
		return "-";
	if (auto name = names.find(*tag); name != names.end())
		return name->second;
	return std::to_string(*tag);
}

std::string lsxid_line(std::string_view tag, std::string_view path)
{
	return fmt::format("{:>20}  {}\n", tag, path);
}

std::map<std::uint32_t, std::string> guest_names(const std::filesystem::path &confdir)
{
	std::map<std::uint32_t, std::string> names;

	for (const auto &[name, xid] : guest_xids(confdir))
		names.emplace(xid, name);	// guest_xids is in name order: the first stays
	return names;
}

DiskUsage tag_usage(Client &client, const std::string &dir, std::uint32_t tag)
{
	if (!tag_of(client, dir))
		throw std::invalid_argument(fmt::format("{}: its filesystem keeps no tags", dir));

	DiskUsage usage;
	std::set<std::pair<dev_t, ino_t>> linked;	// files with more than one link, seen
	for_each_file(dir, true, true, [&](const WalkEntry &entry) {
		if (tag_of(client, entry.path) != tag)
			return;
		if (!S_ISDIR(entry.st.st_mode) && entry.st.st_nlink > 1 &&
		    !linked.emplace(entry.st.st_dev, entry.st.st_ino).second)
			return;
		usage.blocks += static_cast<std::uint64_t>(entry.st.st_blocks);
		usage.inodes++;
	});
	return usage;
}

std::string vdu_line(std::string_view dir, const DiskUsage &usage, bool space, bool inodes,
		     std::uint64_t blocksize, bool script)
{
	std::string line;

	if (!script)
		line = fmt::format("{} ", dir);
	if (space)
		line += fmt::format("{}", usage.blocks * 512 / blocksize);
	if (inodes)
		line += fmt::format("{}{}", space ? " " : "", usage.inodes);
	return line + "\n";
}

} // namespace vserver
