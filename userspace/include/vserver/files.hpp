// Reading util-vserver's one-value configuration files, and other small
// files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace vserver {

// The contents of file: all of it, or with first_line only, as far as its
// first newline (reading stops there, or after 4 KiB).  Throws
// std::system_error whose what() is "<file>: <strerror>".
std::string read_file(const std::filesystem::path &file, bool first_line = false);

// The first line of file, without its newline (at most the first 4 KiB
// are read); nullopt if the file does not exist.  Other errors throw
// std::invalid_argument "<file>: <strerror>", e.g. "...: Is a directory".
std::optional<std::string> read_first_line(const std::filesystem::path &file);

} // namespace vserver
