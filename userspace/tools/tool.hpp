// What the tools' main()s share: the usage line, --version, usage errors.
#pragma once

#include <vserver/cmdline.hpp>
#include <vserver/version.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tool {

constexpr int exit_usage = 2;	// bad options; the kernel was not touched
constexpr int exit_exec_failed = 255;	// PROG could not be executed (util-vserver)

// CLI11 2.1 can't be told a usage line; it would say "NAME [OPTIONS]".
class UsageFormatter : public CLI::Formatter {
public:
	explicit UsageFormatter(std::string usage) : usage_(std::move(usage)) {}
	std::string make_usage(const CLI::App *, std::string) const override
	{
		return "Usage: " + usage_ + "\n";
	}

private:
	std::string usage_;
};

// Usage line, footer and --version for the tool app.get_name().
inline void describe(CLI::App &app, std::string usage, std::string footer)
{
	app.footer(std::move(footer));
	app.formatter(std::make_shared<UsageFormatter>(std::move(usage)));
	app.set_version_flag("--version",
			     fmt::format("{} (vserver-ng) {}", app.get_name(), vserver::version));
}

// msg may have several lines (one problem each); each gets "NAME: ".
inline int usage_error(std::string_view name, std::string_view msg)
{
	for (std::size_t nl; (nl = msg.find('\n')) != std::string_view::npos;
	     msg.remove_prefix(nl + 1))
		fmt::print(stderr, "{}: {}\n", name, msg.substr(0, nl));
	fmt::print(stderr, "{}: {}\nTry '{} --help' for more information.\n", name, msg, name);
	return exit_usage;
}

// Parse, turning --help/--version into exit 0 and anything wrong into a
// usage error.  Returns the exit status, or -1 to go on.
inline int parse(CLI::App &app, int argc, char **argv)
{
	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		if (e.get_exit_code() == 0)	// --help, --version
			return app.exit(e);
		return usage_error(app.get_name(), e.what());
	}
	return -1;
}

// Execute PROG (command) in place of the tool; if that fails, say why
// and return exit_exec_failed.
inline int exec_prog(std::string_view name, std::vector<std::string> command)
{
	std::string prog = command.at(0);
	int err = vserver::exec_command(std::move(command));

	fmt::print(stderr, "{}: {}: {}\n", name, prog, std::strerror(err));
	return exit_exec_failed;
}

} // namespace tool
