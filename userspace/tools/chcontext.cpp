// chcontext - run a command in a new or existing security context.
#include "enter.hpp"

#include <vserver/caps.hpp>
#include <vserver/cflags.hpp>
#include <vserver/chcontext.hpp>
#include <vserver/cmdline.hpp>
#include <vserver/version.hpp>
#include <vserver/xid.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the kernel refused, or no device
constexpr int exit_usage = 2;		// bad options; the kernel was not touched
constexpr int exit_exec_failed = 255;	// as util-vserver

constexpr const char *footer = R"(Without --xid a dynamic context (49152..65535) is created.  With --xid N,
context N is created, or joined if it already exists.  A new context gets
its own UTS (hostname) and IPC namespaces; joining one enters them.
--flag sets context flags of a new context (util-vserver's names).
--secure drops the capabilities that reach beyond the context from a new
context's bounding set; --cap CAP keeps one of them, --cap !CAP drops one
more (libcap's names).  A new context then ends its setup: it can change
nothing of itself, and its tasks may create or join no namespace.  With
fakeinit, COMMAND is pid 1 of a new PID namespace and the context's init,
with a mount namespace of its own and a /proc that shows that namespace.
--disconnect: go on in the background, in a new session; chcontext itself
exits 0 at once.

Exit status: that of COMMAND; 1 if the context could not be created or
joined, or fakeinit's /proc could not be mounted; 2 for a usage error (bad
option, bad XID, no COMMAND); 255 if COMMAND could not be executed.  With
--disconnect: 0 as soon as the process that carries on is forked (it
reports its own errors), 1 if it could not be, 2 for a usage error.)";

// CLI11 2.1 can't be told a usage line; it would say "chcontext [OPTIONS]".
class Formatter : public CLI::Formatter {
public:
	std::string make_usage(const CLI::App *, std::string) const override
	{
		return "Usage: chcontext [--xid N] [--flag F[,F...]] [--cap [!]CAP]... [--secure] [--hostname NAME] [--domainname NAME] [--disconnect] [--silent] [--] COMMAND [ARGS...]\n";
	}
};

int usage_error(const std::string &msg)
{
	fmt::print(stderr, "chcontext: {}\nTry 'chcontext --help' for more information.\n", msg);
	return exit_usage;
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Run COMMAND in a new or existing security context.", "chcontext"};
	std::string xid_text;
	std::vector<std::string> flag_lists, cap_lists;
	vserver::UtsNames names;
	bool silent = false, disconnect = false, secure = false;

	app.footer(footer);
	app.formatter(std::make_shared<Formatter>());
	app.set_version_flag("--version", fmt::format("chcontext (vserver-ng) {}", vserver::version));
	app.add_option("--xid", xid_text, "Context id, 0..65535")->type_name("N");
	app.add_option("--hostname", names.hostname, "Hostname (nodename) of the context")->type_name("NAME");
	app.add_option("--domainname", names.domainname, "NIS domain name of the context")->type_name("NAME");
	app.add_option("--flag", flag_lists, "Context flags of a new context, e.g. fakeinit,persistent")
		->type_name("F[,F...]");
	app.add_option("--cap", cap_lists,
		       "Capability to keep in a new context, or with ! to drop")
		->type_name("[!]CAP")->allow_extra_args(false);
	app.add_flag("--secure", secure,
		     "Drop the capabilities that reach beyond a new context");
	app.add_flag("--disconnect", disconnect,
		     "Run in the background in a new session; exit 0 at once");
	app.add_flag("--silent", silent, "Don't print 'New security context is N'");
	app.prefix_command();	// stop at COMMAND; its arguments are its own

	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		if (e.get_exit_code() == 0)	// --help, --version
			return app.exit(e);
		return usage_error(e.what());
	}

	std::optional<vserver::xid_t> xid;
	std::vector<std::string> command;
	vserver::FlagChange flags, caps;
	try {
		if (secure)
			caps.clear = vserver::insecure_capabilities();
		for (const auto &list : cap_lists)
			vserver::merge_name_list(caps, list, vserver::capability_names());
		for (const auto &list : flag_lists)
			vserver::merge_flag_list(flags, list);
		if (flags.clear)
			throw std::invalid_argument("--flag: a new context has no flags to clear");
		if (app.count("--xid"))
			xid = vserver::parse_xid(xid_text);
		if (names.hostname)
			vserver::check_uts_name("--hostname", *names.hostname);
		if (names.domainname)
			vserver::check_uts_name("--domainname", *names.domainname);
		command = vserver::take_command(app.remaining());
	} catch (const std::invalid_argument &e) {
		return usage_error(e.what());
	}

	const bool fakeinit = flags.set & VXF_INFO_INIT;
	try {
		if (auto status = tool::disconnect_if(disconnect))
			return *status;
		vserver::DeviceTransport device;
		vserver::Client client(device);
		vserver::SystemNamespaces spaces;

		// fakeinit: COMMAND is pid 1 of a new PID namespace, with a /proc
		// of its own; we wait for it.
		if (fakeinit) {
			if (auto status = vserver::fork_into_new_pid_namespace())
				return *status;
		}
		auto entry = vserver::enter_context(client, spaces, xid, names, "/proc",
						    flags.set, /* own_proc */ fakeinit);
		if (fakeinit && entry.created)
			client.set_cflags(entry.xid, 0, VXF_STATE_INIT);	// we are its init
		if (entry.created)
			vserver::end_setup(client, entry.xid, caps.clear);

		if (!silent) {
			fmt::print("{}", vserver::new_context_message(entry.xid));
			std::fflush(stdout);
		}
	} catch (const std::system_error &e) {
		fmt::print(stderr, "chcontext: {}\n", e.what());
		return exit_failure;
	}

	std::vector<char *> args;
	for (auto &arg : command)
		args.push_back(arg.data());
	args.push_back(nullptr);

	::execvp(args[0], args.data());
	fmt::print(stderr, "chcontext: {}: {}\n", command[0], std::strerror(errno));
	return exit_exec_failed;
}
