#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vserver::test {

// A fresh directory under $TMPDIR (or /tmp), removed with all it holds.
class TempDir {
public:
	TempDir()
	{
		const char *base = std::getenv("TMPDIR");
		std::string tmpl = std::string(base && *base ? base : "/tmp") + "/vserver-test.XXXXXX";
		if (!::mkdtemp(tmpl.data()))
			throw std::runtime_error("mkdtemp failed");
		path_ = tmpl;
	}
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;
	~TempDir()
	{
		std::error_code ec;
		std::filesystem::remove_all(path_, ec);
	}

	const std::filesystem::path &path() const { return path_; }

	// Write relative (directories created as needed); returns the full path.
	std::filesystem::path write(const std::filesystem::path &relative, std::string_view text) const
	{
		auto file = path_ / relative;
		std::filesystem::create_directories(file.parent_path());
		std::ofstream(file) << text;
		return file;
	}

	std::filesystem::path mkdir(const std::filesystem::path &relative) const
	{
		auto dir = path_ / relative;
		std::filesystem::create_directories(dir);
		return dir;
	}

private:
	std::filesystem::path path_;
};

} // namespace vserver::test
