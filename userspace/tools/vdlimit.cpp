// vdlimit - show, set or remove the disk limits of a context.
#include "tool.hpp"

#include <vserver/client.hpp>
#include <vserver/dlimits.hpp>
#include <vserver/vconfig.hpp>
#include <vserver/xid.hpp>

#include <charconv>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// the kernel refused, or no device

constexpr const char *footer = R"txt(The disk limit of context XID (a number or a vserver name; the files
whose tag is XID) on the filesystem of each MOUNTPOINT: ext4 with the
project feature, mounted with prjquota; the kernel keeps it as that
filesystem's project quota.  Without --set or --remove vdlimit prints
it, util-vserver's way: "XID MOUNTPOINT", then space_used=, space_total=
(KiB), inodes_used=, inodes_total= and reserved= (percent of space_total
kept for the context's root), one per line; -1 is no limit.

--set LIMIT=VALUE (repeatable) makes the limit exist if it does not and
sets the LIMITs given, leaving the others: space_total, inodes_total,
reserved (0..100), and space_used, inodes_used, which the quota counts:
the kernel ignores them (util-vserver's start scripts pass them).  VALUE is a decimal number, or 'inf' (or -1): no limit.
--remove removes the limit.  Everything is checked before the kernel is
asked.

Exit status: 0; 1 if the kernel refused for a MOUNTPOINT (the message
says which; the others were still done) or /dev/vserver could not be
opened; 2 for a usage error (bad option, XID, LIMIT or VALUE, no
MOUNTPOINT; nothing was changed).)txt";

std::uint32_t parse_flags(const std::string &text)
{
	std::uint32_t value = 0;
	std::string_view digits = text;
	int base = 10;
	if (digits.starts_with("0x") || digits.starts_with("0X")) {
		digits.remove_prefix(2);
		base = 16;
	}
	auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
	if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
		throw std::invalid_argument(fmt::format("invalid --flags '{}': not a number", text));
	if (value)
		throw std::invalid_argument(fmt::format(
			"--flags {}: the kernel knows no disk limit flags (only 0)", text));
	return value;
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Show, set or remove the disk limits of a context.", "vdlimit"};
	std::string xid_text, flags_text;
	std::vector<std::string> sets, mountpoints;
	bool remove = false;

	tool::describe(app, "vdlimit --xid XID [--flags F] [--set LIMIT=VALUE... | --remove] "
			    "[--] MOUNTPOINT...", footer);
	app.add_option("-x,--xid", xid_text, "Context: number or vserver name")
		->type_name("XID")->required();
	app.add_option("-f,--flags", flags_text, "Flags of the limit (only 0)")->type_name("F");
	app.add_option("-s,--set", sets, "Set LIMIT to VALUE")
		->type_name("LIMIT=VALUE")->allow_extra_args(false);
	app.add_flag("-d,--remove", remove, "Remove the limit");
	app.add_option("MOUNTPOINT", mountpoints, "A path on the filesystem")
		->type_name("")->required();
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	vcmd_ctx_dlimit_v0 limit = vserver::unchanged_dlimit();
	std::uint32_t tag;
	try {
		if (remove && !sets.empty())
			throw std::invalid_argument("say either --set or --remove");
		if (!flags_text.empty())
			parse_flags(flags_text);
		for (const auto &s : sets)
			vserver::set_dlimit_field(limit, s);
		vserver::check_dlimit(limit);
		tag = vserver::resolve_xid(xid_text, vserver::current_xid,
					   vserver::vserver_confdir());
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vdlimit", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vdlimit: {}\n", e.what());
		return exit_failure;
	}

	std::size_t failures = 0;
	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);

		for (const auto &path : mountpoints) {
			try {
				if (!sets.empty())
					vserver::apply_dlimit(client, tag, path, limit);
				else if (remove)
					client.rem_dlimit(tag, path);
				else
					fmt::print("{}", vserver::format_dlimit(
						tag, path, client.get_dlimit(tag, path)));
			} catch (const std::system_error &e) {
				std::fflush(stdout);
				fmt::print(stderr, "vdlimit: {}\n", vserver::dlimit_error_message(e));
				failures++;
			}
		}
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vdlimit: {}\n", e.what());
		return exit_failure;
	}
	std::fflush(stdout);
	return failures ? exit_failure : 0;
}
