// ncontext - create a network context or migrate into one, then run a
// command in it.
#include "enter.hpp"
#include "tool.hpp"

#include <vserver/cmdline.hpp>
#include <vserver/nid.hpp>
#include <vserver/xid.hpp>

#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the kernel refused, or no device

constexpr const char *footer = R"(--create makes network context N (2..49151), or without --nid a dynamic
one (49152..65535), and puts COMMAND in it: its sockets use only the
addresses the context is given (naddress), none at first; it starts in
setup, when a task of it may still set its flags (nattribute) and
addresses.  --migrate puts COMMAND into the existing network context N;
--migrate-self stays in the caller's one.  N is a number, 'self' or a
vserver name (its ncontext file, else its context file).  Unless --silent,
--create and --migrate print "New network context is N".  --disconnect: go
on in the background, in a new session; ncontext itself exits 0 at once.

Exit status: that of COMMAND; 1 if the kernel refused; 2 for a usage
error (bad option or N, no COMMAND; the kernel was not touched); 254 if
the network context to create exists (silently with --silentexist); 255
if COMMAND could not be executed.  With --disconnect: 0 as soon as the
process that carries on is forked (it reports its own errors), 1 if it
could not be, 2 for a usage error.)";

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Create or enter a network context and run COMMAND in it.", "ncontext"};
	std::string nid_text;
	bool create = false, migrate = false, migrate_self = false;
	bool silent = false, silentexist = false, disconnect = false;

	tool::describe(app, "ncontext (--create [--nid N] | --migrate --nid N | --migrate-self) "
			    "[--disconnect] [--silent] [--silentexist] [--] COMMAND [ARGS...]",
		       footer);
	app.add_flag("--create", create, "Create a network context");
	app.add_flag("--migrate", migrate, "Migrate into network context N");
	app.add_flag("--migrate-self", migrate_self, "Stay in the caller's network context");
	app.add_option("--nid", nid_text, "Network context: number, 'self' or vserver name")
		->type_name("N");
	app.add_flag("--disconnect", disconnect,
		     "Run in the background in a new session; exit 0 at once");
	app.add_flag("--silent", silent, "Don't print 'New network context is N'");
	app.add_flag("--silentexist", silentexist,
		     "Exit 254 silently if the network context exists");
	app.prefix_command();	// stop at COMMAND; its arguments are its own
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	vserver::NcontextRequest request;
	std::vector<std::string> command;
	try {
		tool::check_modes(app, create, migrate, migrate_self, "--nid");
		command = vserver::take_command(app.remaining());
		request.mode = create ? vserver::NcontextRequest::create :
			       migrate ? vserver::NcontextRequest::migrate :
					 vserver::NcontextRequest::migrate_self;
		if (app.count("--nid"))
			request.nid = vserver::resolve_nid(nid_text, vserver::current_nid);
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("ncontext", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "ncontext: {}\n", e.what());
		return exit_failure;
	}

	auto status = tool::entering("ncontext", silentexist, [&]() -> std::optional<int> {
		if (auto parent = tool::disconnect_if(disconnect))
			return parent;
		vserver::DeviceTransport device;
		vserver::Client client(device);
		vserver::nid_t nid = vserver::run_ncontext(client, request);

		if (!silent && !migrate_self) {
			fmt::print("{}", vserver::new_network_message(nid));
			std::fflush(stdout);
		}
		return std::nullopt;
	});
	if (status)
		return *status;

	return tool::exec_prog("ncontext", std::move(command));
}
