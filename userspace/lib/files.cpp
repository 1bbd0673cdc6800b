#include <vserver/files.hpp>

#include <vserver/transport.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
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

std::vector<std::string> read_list_file(const std::filesystem::path &file)
{
	std::string text;
	try {
		text = read_file(file);
	} catch (const std::system_error &e) {
		if (e.code().value() == ENOENT)
			return {};
		throw std::invalid_argument(e.what());
	}
	std::vector<std::string> entries;
	for (std::size_t start = 0; start < text.size();) {
		auto end = std::min(text.find('\n', start), text.size());
		std::string_view line(text.data() + start, end - start);
		start = end + 1;
		auto first = line.find_first_not_of(" \t\r");
		if (first == line.npos || line[first] == '#')
			continue;
		auto last = line.find_last_not_of(" \t\r");
		entries.emplace_back(line.substr(first, last - first + 1));
	}
	return entries;
}

bool config_dir_exists(const std::filesystem::path &dir, bool missing_ok)
{
	struct stat st;

	if (::stat(dir.c_str(), &st) < 0) {
		int err = errno;
		if (err == ENOENT && missing_ok)
			return false;
		throw std::invalid_argument(dir.string() + ": " + std::strerror(err));
	}
	if (!S_ISDIR(st.st_mode))
		throw std::invalid_argument(dir.string() + ": " + std::strerror(ENOTDIR));
	return true;
}

std::vector<std::filesystem::path> config_dir_files(const std::filesystem::path &dir,
						    bool missing_ok)
{
	std::vector<std::filesystem::path> files;

	if (!config_dir_exists(dir, missing_ok))
		return files;
	try {
		for (const auto &entry : std::filesystem::directory_iterator(dir)) {
			if (entry.path().filename().string().starts_with('.') ||
			    entry.is_directory())
				continue;
			files.push_back(entry.path());
		}
	} catch (const std::filesystem::filesystem_error &e) {
		throw std::invalid_argument(dir.string() + ": " + e.code().message());
	}
	std::sort(files.begin(), files.end());
	return files;
}

void ConfigProblems::read_value(const std::filesystem::path &file,
				const std::function<void(std::string_view)> &use)
{
	auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };

	try {
		auto line = read_first_line(file);
		if (!line)
			return;
		std::string_view value = *line;
		while (!value.empty() && blank(value.front()))
			value.remove_prefix(1);
		while (!value.empty() && blank(value.back()))
			value.remove_suffix(1);
		use(value);
	} catch (const std::invalid_argument &e) {
		std::string_view what = e.what();
		if (what.starts_with(file.string() + ":"))
			add(std::string(what));
		else
			add(file.string() + ":1: " + std::string(what));
	}
}

void ConfigProblems::throw_if_any() const
{
	std::string all;

	for (const auto &p : problems_)
		all += (all.empty() ? "" : "\n") + p;
	if (!all.empty())
		throw std::invalid_argument(all);
}

} // namespace vserver
