// vspace - new namespaces, or the namespaces kept for a context: keep the
// caller's (--set) or enter them (--enter), then run a command.
#include "tool.hpp"

#include <vserver/client.hpp>
#include <vserver/transport.hpp>
#include <vserver/vconfig.hpp>
#include <vserver/xid.hpp>

#include <sched.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the kernel refused, or no device

constexpr std::uint64_t all_spaces = CLONE_FS | CLONE_NEWNS | CLONE_NEWUTS |
				     CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
				     CLONE_NEWNET | CLONE_NEWCGROUP;

constexpr const char *footer = R"txt(One of --new, --enter or --set.  --new makes new namespaces of the kinds
given (unshare(2); a new PID namespace is that of COMMAND's children).
--set keeps the caller's namespaces of those kinds, and with --fs its root
and working directory, for its own context (or --xid XID), in set IDX
(0 or 1); --enter XID puts the caller into those kept for XID.  util-
vserver's start runs vspace --set, its enter and stop vspace --enter.
Kinds: --mask MASK (CLONE_* bits, a number), --default (what the kernel
keeps by default: fs, mount, uts, ipc), or any of --fs --mount --uts --ipc
--user --pid --net --cgroup.  Without any, --new and --set take the
default and --enter all that set keeps.  XID is a number, 'self' or a
vserver name.

Exit status: that of COMMAND; 1 if the kernel refused (or unshare failed);
2 for a usage error (nothing was changed); 255 if COMMAND could not be
executed.)txt";

std::uint64_t parse_mask(const std::string &text)
{
	std::uint64_t mask = 0;
	const char *first = text.data(), *last = first + text.size();
	int base = 10;

	if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		first += 2;
		base = 16;
	}
	auto [end, err] = std::from_chars(first, last, mask, base);
	if (text.empty() || err != std::errc() || end != last)
		throw std::invalid_argument("--mask: '" + text + "' is no number");
	if (mask & ~all_spaces)
		throw std::invalid_argument("--mask: '" + text +
					    "' has bits that are no kind of namespace");
	return mask;
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Make new namespaces, or keep or enter those of a context, and run a command.",
		     "vspace"};
	bool make_new = false, set = false, use_default = false;
	std::string enter_text, xid_text = "self", mask_text;
	unsigned index = 0;
	struct Kind {
		const char *option;
		std::uint64_t flag;
		bool given = false;
	} kinds[] = {
		{"--fs", CLONE_FS},	{"--mount", CLONE_NEWNS}, {"--uts", CLONE_NEWUTS},
		{"--ipc", CLONE_NEWIPC}, {"--user", CLONE_NEWUSER}, {"--pid", CLONE_NEWPID},
		{"--net", CLONE_NEWNET}, {"--cgroup", CLONE_NEWCGROUP},
	};

	tool::describe(app, "vspace (--new|-n | --enter|-e XID | --set|-s [--xid XID])\n"
			    "              [--index|-i IDX] [--mask MASK] [--default] [--fs] "
			    "[--mount] [--uts]\n"
			    "              [--ipc] [--user] [--pid] [--net] [--cgroup] "
			    "[--] COMMAND [ARGS...]", footer);
	app.add_flag("-n,--new", make_new, "Make new namespaces (unshare)");
	app.add_option("-e,--enter", enter_text, "Enter the namespaces kept for XID")
		->type_name("XID");
	app.add_flag("-s,--set", set, "Keep the caller's namespaces for its context");
	app.add_option("--xid", xid_text, "With --set: the context (default: the caller's)")
		->type_name("XID");
	app.add_option("-i,--index", index, "The set of kept namespaces, 0 or 1")
		->type_name("IDX");
	app.add_option("--mask", mask_text, "The kinds as CLONE_* bits")->type_name("MASK");
	app.add_flag("--default", use_default, "The kinds the kernel keeps by default");
	for (auto &kind : kinds)
		app.add_flag(kind.option, kind.given, "This kind of namespace");
	app.prefix_command();
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	bool enter = app.count("--enter") > 0;
	std::vector<std::string> command;
	std::uint64_t mask = 0;
	vserver::xid_t xid = 0;
	try {
		if (make_new + enter + set != 1)
			throw std::invalid_argument("say one of --new, --enter and --set");
		if (app.count("--xid") && !set)
			throw std::invalid_argument("--xid goes with --set (--enter takes the XID)");
		if (index >= VX_SPACES)
			throw std::invalid_argument(fmt::format("--index: {} is not below {}",
								index, VX_SPACES));
		if (make_new && app.count("--index"))
			throw std::invalid_argument("--index goes with --enter or --set");
		if (!mask_text.empty())
			mask = parse_mask(mask_text);
		for (const auto &kind : kinds)
			if (kind.given)
				mask |= kind.flag;
		command = vserver::take_command(app.remaining());
		if (enter || set)
			xid = vserver::resolve_xid(enter ? enter_text : xid_text,
						   vserver::current_xid,
						   vserver::vserver_confdir());
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vspace", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vspace: {}\n", e.what());
		return exit_failure;
	}

	try {
		bool kernel_default = use_default || (!mask && !enter);
		std::unique_ptr<vserver::DeviceTransport> device;
		std::unique_ptr<vserver::Client> client;

		if (kernel_default || !make_new) {
			device = std::make_unique<vserver::DeviceTransport>();
			client = std::make_unique<vserver::Client>(*device);
		}
		if (kernel_default)
			mask |= client->get_space_default();
		if (set)
			client->set_space(xid, mask, index);
		else if (enter)
			client->enter_space(xid, mask, index);
		else if (::unshare(static_cast<int>(mask)) < 0)
			throw std::system_error(errno, std::generic_category(),
						fmt::format("unshare({:#x})", mask));
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vspace: {}\n", e.what());
		return exit_failure;
	}
	return tool::exec_prog("vspace", std::move(command));
}
