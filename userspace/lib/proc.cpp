#include <vserver/proc.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

namespace vserver {

namespace {

template <typename T>
std::optional<T> parse_number(std::string_view text)
{
	T value{};
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);

	if (text.empty() || ec != std::errc() || end != text.data() + text.size())
		return std::nullopt;
	return value;
}

// The whole file, or nullopt if it cannot be opened.
std::optional<std::string> read_file(const std::filesystem::path &path)
{
	std::ifstream in(path);
	if (!in)
		return std::nullopt;
	return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The numbers that name directories in dir, ascending.
template <typename T>
std::vector<T> numbered_dirs(const std::filesystem::path &dir)
{
	std::vector<T> out;
	std::error_code ec;

	std::filesystem::directory_iterator it(dir, ec);
	if (ec)
		throw std::system_error(ec, "cannot read " + dir.string());
	for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
		auto value = parse_number<T>(it->path().filename().string());
		std::error_code dir_ec;
		if (value && it->is_directory(dir_ec))
			out.push_back(*value);
	}
	if (ec)
		throw std::system_error(ec, "cannot read " + dir.string());
	std::sort(out.begin(), out.end());
	return out;
}

} // namespace

std::optional<xid_t> parse_vxid(std::string_view status)
{
	constexpr std::string_view key = "VxID:";
	std::size_t pos = 0;

	while (pos < status.size()) {
		std::size_t end = status.find('\n', pos);
		std::string_view line = status.substr(pos, end == status.npos ? status.npos : end - pos);
		if (line.starts_with(key)) {
			line.remove_prefix(key.size());
			auto first = line.find_first_not_of(" \t");
			if (first == line.npos)
				return std::nullopt;
			return parse_number<xid_t>(line.substr(first));
		}
		if (end == status.npos)
			break;
		pos = end + 1;
	}
	return std::nullopt;
}

std::optional<ProcessStat> parse_process_stat(std::string_view line)
{
	// "pid (comm) state ppid ..."; comm may contain anything, so the
	// fields start after the last ')'.
	auto paren = line.rfind(')');
	if (paren == line.npos)
		return std::nullopt;

	// Field 3 (state) is tokens[0]; we need up to field 24 (rss).
	std::array<std::string_view, 22> tokens;
	std::size_t n = 0, pos = paren + 1;
	while (n < tokens.size()) {
		pos = line.find_first_not_of(" \n", pos);
		if (pos == line.npos)
			return std::nullopt;
		std::size_t end = line.find_first_of(" \n", pos);
		tokens[n++] = line.substr(pos, end == line.npos ? line.npos : end - pos);
		pos = end;
	}

	auto field = [&](int number) { return parse_number<std::uint64_t>(tokens[number - 3]); };
	auto utime = field(14), stime = field(15), starttime = field(22);
	auto vsize = field(23), rss = field(24);
	if (!utime || !stime || !starttime || !vsize || !rss)
		return std::nullopt;
	return ProcessStat{*utime, *stime, *starttime, *vsize, *rss};
}

std::vector<pid_t> list_processes(const std::filesystem::path &proc)
{
	return numbered_dirs<pid_t>(proc);
}

std::optional<ProcessInfo> read_process(pid_t pid, const std::filesystem::path &proc)
{
	auto dir = proc / std::to_string(pid);
	auto status = read_file(dir / "status");
	auto stat = read_file(dir / "stat");
	if (!status || !stat)
		return std::nullopt;

	auto xid = parse_vxid(*status);
	auto fields = parse_process_stat(*stat);
	if (!xid || !fields)
		return std::nullopt;
	return ProcessInfo{pid, *xid, *fields};
}

std::vector<xid_t> list_contexts(const std::filesystem::path &proc)
{
	auto dir = proc / "virtual";
	std::error_code ec;

	if (!std::filesystem::is_directory(dir, ec))
		throw std::system_error(ENOENT, std::generic_category(), dir.string());
	return numbered_dirs<xid_t>(dir);
}

double read_uptime(const std::filesystem::path &proc)
{
	auto path = proc / "uptime";
	std::ifstream in(path);
	double seconds = 0;

	if (!in)
		throw std::system_error(errno ? errno : ENOENT, std::generic_category(),
					"cannot read " + path.string());
	if (!(in >> seconds))
		throw std::system_error(EINVAL, std::generic_category(),
					"cannot parse " + path.string());
	return seconds;
}

} // namespace vserver
