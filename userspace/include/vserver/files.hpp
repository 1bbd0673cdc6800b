// Reading util-vserver's one-value configuration files, and other small
// files.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vserver {

// The contents of file: all of it, or with first_line only, as far as its
// first newline (reading stops there, or after 4 KiB).  Throws
// std::system_error whose what() is "<file>: <strerror>".
std::string read_file(const std::filesystem::path &file, bool first_line = false);

// The first line of file, without its newline (at most the first 4 KiB
// are read); nullopt if the file does not exist.  Other errors throw
// std::invalid_argument "<file>: <strerror>", e.g. "...: Is a directory".
std::optional<std::string> read_first_line(const std::filesystem::path &file);

// The entries of a list file (apps/init/depends, ...): each line with the
// blanks around it removed, blank lines and lines starting with '#'
// passed over; none if the file does not exist.  Other errors throw
// std::invalid_argument "<file>: <strerror>".
std::vector<std::string> read_list_file(const std::filesystem::path &file);

// A util-vserver configuration directory (uts/, rlimits/, sched/ of
// /etc/vservers/NAME): true if dir is a directory; false if it does not
// exist and missing_ok.  Else throws std::invalid_argument "<dir>:
// <strerror>" (also "...: Not a directory").
bool config_dir_exists(const std::filesystem::path &dir, bool missing_ok);

// The files of such a directory, sorted: every entry but subdirectories
// and names beginning with '.'; none if it does not exist and missing_ok.
// Throws std::invalid_argument as config_dir_exists does.
std::vector<std::filesystem::path> config_dir_files(const std::filesystem::path &dir,
						    bool missing_ok);

// What is wrong in the files of a configuration directory, one problem a
// line, so that all of them are said before nothing is applied.
class ConfigProblems {
public:
	void add(std::string problem) { problems_.push_back(std::move(problem)); }
	// Hand the first line of file, blanks (space, tab, CR) around it
	// removed, to use; a std::invalid_argument it or the reading throws
	// is added as "<file>:1: <what>" (as "<what>" if that names the file
	// already).  A file that does not exist (any more) is skipped.
	void read_value(const std::filesystem::path &file,
			const std::function<void(std::string_view)> &use);
	// Throws std::invalid_argument with every problem, one a line.
	void throw_if_any() const;

private:
	std::vector<std::string> problems_;
};

} // namespace vserver
