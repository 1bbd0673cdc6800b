// vtag - give the caller a filesystem tag, then run a command with it.
#include "tool.hpp"

#include <vserver/client.hpp>
#include <vserver/cmdline.hpp>
#include <vserver/vconfig.hpp>
#include <vserver/xid.hpp>

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the kernel refused, or no device

constexpr const char *footer = R"txt(T is a number, 0..65535, or the name of a vserver (its context file says
the number).  The caller's tag becomes T (tag_migrate, on the host only);
then COMMAND is executed.  Files COMMAND creates on a filesystem mounted
with the 'tag' option get T as their tag.  vserver-ng's kernel has no
tag objects: --create and --migrate do the same, and --create never
finds one that exists (--silentexist is accepted for util-vserver's
scripts).  --silent: if the kernel has no tags (no /dev/vserver, or it
does not know the command), COMMAND is executed all the same.

Exit status: that of COMMAND; 1 if the kernel refused; 2 for a usage
error (bad option or T, no COMMAND; nothing was changed); 255 if COMMAND
could not be executed.)txt";

// The kernel has no tags at all: no device, or no such command.
bool no_tags(const std::system_error &e)
{
	switch (e.code().value()) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
	case ENOSYS:
		return true;
	}
	return false;
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Give the caller a filesystem tag and run COMMAND with it.", "vtag"};
	std::string tag_text;
	bool create = false, migrate = false, silent = false, silentexist = false;

	tool::describe(app, "vtag (--create|--migrate) --tag T [--silent] [--silentexist] "
			    "[--] COMMAND [ARGS...]", footer);
	app.add_flag("--create", create, "Give the caller tag T (the same as --migrate)");
	app.add_flag("--migrate", migrate, "Give the caller tag T");
	app.add_option("--tag", tag_text, "The tag: number or vserver name")->type_name("T");
	app.add_flag("--silent", silent, "Without tags in the kernel, just run COMMAND");
	app.add_flag("--silentexist", silentexist, "Accepted; no tag ever exists");
	app.prefix_command();	// stop at COMMAND; its arguments are its own
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	std::vector<std::string> command;
	std::uint32_t tag;
	try {
		if (create == migrate)
			throw std::invalid_argument("say one of --create and --migrate");
		if (!app.count("--tag"))
			throw std::invalid_argument("--tag T is missing");
		command = vserver::take_command(app.remaining());
		tag = vserver::resolve_xid(tag_text, vserver::current_xid,
					   vserver::vserver_confdir());
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vtag", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vtag: {}\n", e.what());
		return exit_failure;
	}

	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);

		client.tag_migrate(tag);
	} catch (const std::system_error &e) {
		if (!silent || !no_tags(e)) {
			fmt::print(stderr, "vtag: {}{}\n", e.what(),
				   e.code() == std::errc::operation_not_permitted
					   ? " (only root on the host changes its tag)" : "");
			return exit_failure;
		}
	}
	return tool::exec_prog("vtag", std::move(command));
}
