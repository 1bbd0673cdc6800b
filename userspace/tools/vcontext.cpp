// vcontext - create a security context or migrate into one, then run a
// command in it.
#include "enter.hpp"
#include "tool.hpp"

#include <vserver/chcontext.hpp>
#include <vserver/cmdline.hpp>
#include <vserver/vcontext.hpp>
#include <vserver/xid.hpp>

#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the kernel refused, or no device

constexpr const char *footer = R"(--create makes context N (2..49151), or without --xid a dynamic one
(49152..65535), and puts COMMAND in it; --migrate puts COMMAND into the
existing context N; --migrate-self stays in the caller's context.
--initpid makes COMMAND the context's init, --endsetup ends its setup
state (clears state_setup), --chroot changes the root to the current
directory.  N is a number, 'self' or a vserver name.  Unless --silent,
--create and --migrate print "New security context is N".  --disconnect:
go on in the background, in a new session; vcontext itself exits 0 at once.

Exit status: that of COMMAND; 1 if the kernel refused; 2 for a usage
error (bad option or N, no COMMAND; the kernel was not touched); 254 if
the context to create exists (silently with --silentexist); 255 if
COMMAND could not be executed.  With --disconnect: 0 as soon as the
process that carries on is forked (it reports its own errors), 1 if it
could not be, 2 for a usage error.)";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Create or enter a security context and run COMMAND in it.", "vcontext"};
	std::string xid_text;
	bool create = false, migrate = false, migrate_self = false;
	bool endsetup = false, initpid = false, silent = false, silentexist = false;
	bool chroot = false, disconnect = false;

	tool::describe(app, "vcontext (--create [--xid N] | --migrate --xid N | --migrate-self) "
			    "[--endsetup] [--initpid] [--disconnect] [--silent] [--silentexist] "
			    "[--chroot] [--] COMMAND [ARGS...]", footer);
	app.add_flag("--create", create, "Create a context");
	app.add_flag("--migrate", migrate, "Migrate into context N");
	app.add_flag("--migrate-self", migrate_self, "Stay in the caller's context");
	app.add_option("--xid", xid_text, "Context: number, 'self' or vserver name")
		->type_name("N");
	app.add_flag("--endsetup", endsetup, "Clear the context's state_setup flag");
	app.add_flag("--initpid,--fakeinit", initpid, "Make COMMAND the context's init");
	app.add_flag("--disconnect", disconnect,
		     "Run in the background in a new session; exit 0 at once");
	app.add_flag("--silent", silent, "Don't print 'New security context is N'");
	app.add_flag("--silentexist", silentexist, "Exit 254 silently if the context exists");
	app.add_flag("--chroot", chroot, "chroot to the current directory before COMMAND");
	app.prefix_command();	// stop at COMMAND; its arguments are its own
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	vserver::VcontextRequest request;
	std::vector<std::string> command;
	try {
		tool::check_modes(app, create, migrate, migrate_self, "--xid");
		command = vserver::take_command(app.remaining());
		request.mode = create ? vserver::VcontextRequest::create :
			       migrate ? vserver::VcontextRequest::migrate :
					 vserver::VcontextRequest::migrate_self;
		request.initpid = initpid;
		request.endsetup = endsetup;
		if (app.count("--xid"))
			request.xid = vserver::resolve_xid(xid_text, vserver::current_xid);
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vcontext", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vcontext: {}\n", e.what());
		return exit_failure;
	}

	auto status = tool::entering("vcontext", silentexist, [&]() -> std::optional<int> {
		if (auto parent = tool::disconnect_if(disconnect))
			return parent;
		vserver::DeviceTransport device;
		vserver::Client client(device);
		vserver::xid_t xid = vserver::run_vcontext(client, request);

		if (!silent && !migrate_self) {
			fmt::print("{}", vserver::new_context_message(xid));
			std::fflush(stdout);
		}
		return std::nullopt;
	});
	if (status)
		return *status;

	if (chroot && (::chroot(".") < 0 || ::chdir("/") < 0)) {
		fmt::print(stderr, "vcontext: chroot to the current directory: {}\n",
			   std::strerror(errno));
		return exit_failure;
	}

	return tool::exec_prog("vcontext", std::move(command));
}
