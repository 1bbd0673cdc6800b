// vdu - the space and inodes the files of one context use below directories.
#include "tool.hpp"

#include <vserver/client.hpp>
#include <vserver/tags.hpp>
#include <vserver/vconfig.hpp>
#include <vserver/xid.hpp>

#include <charconv>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr int exit_failure = 1;		// a DIR failed, or no device

constexpr const char *footer = R"txt(Like du -s, but counting only the files whose tag is XID (a number or a
vserver name), each once however many hard links it has, without
leaving the filesystem of DIR.  Prints one line per DIR, util-vserver's:
"DIR VALUE" - the space (in KiB, or in units of --blocksize bytes,
rounded down) or the number of inodes; with both, the space first; with
--script only the values.  Only regular files and directories have a
tag: symbolic links, devices, FIFOs and sockets are not counted.  DIR
must be on a filesystem that keeps tags (ext4 with the project feature).

Exit status: 0; 1 when a DIR could not be counted (the message says why;
the other DIRs were still counted) or /dev/vserver could not be opened;
2 for a usage error (bad option, XID or size, neither --space nor
--inodes, no DIR).)txt";

std::uint64_t parse_blocksize(const std::string &text)
{
	std::uint64_t value = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0)
		throw std::invalid_argument(fmt::format(
			"invalid --blocksize '{}': a number of bytes, 1 or more", text));
	return value;
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"Count the space and inodes the files of a context use.", "vdu"};
	std::string xid_text, blocksize_text = "1024";
	std::vector<std::string> dirs;
	bool space = false, inodes = false, script = false;

	tool::describe(app, "vdu --xid XID (--space|--inodes) [--blocksize B] [--script] "
			    "[--] DIR...", footer);
	app.add_option("--xid", xid_text, "Context: number or vserver name")
		->type_name("XID")->required();
	app.add_flag("--space", space, "Count the space the files use");
	app.add_flag("--inodes", inodes, "Count the inodes");
	app.add_option("--blocksize", blocksize_text, "Count space in units of B bytes (1024)")
		->type_name("B");
	app.add_flag("--script", script, "Print only the values");
	app.add_option("DIR", dirs, "Directories to count")->type_name("")->required();
	if (int rc = tool::parse(app, argc, argv); rc >= 0)
		return rc;

	std::uint64_t blocksize;
	std::uint32_t tag;
	try {
		if (!space && !inodes)
			throw std::invalid_argument("say --space or --inodes (or both)");
		blocksize = parse_blocksize(blocksize_text);
		tag = vserver::resolve_xid(xid_text, vserver::current_xid,
					   vserver::vserver_confdir());
	} catch (const std::invalid_argument &e) {
		return tool::usage_error("vdu", e.what());
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vdu: {}\n", e.what());
		return exit_failure;
	}

	std::size_t failures = 0;
	try {
		vserver::DeviceTransport device;
		vserver::Client client(device);

		for (const auto &dir : dirs) {
			try {
				auto usage = vserver::tag_usage(client, dir, tag);
				fmt::print("{}", vserver::vdu_line(dir, usage, space, inodes,
								   blocksize, script));
			} catch (const std::exception &e) {	// system_error, invalid_argument
				std::fflush(stdout);
				fmt::print(stderr, "vdu: {}\n", e.what());
				failures++;
			}
		}
	} catch (const std::system_error &e) {
		fmt::print(stderr, "vdu: {}\n", e.what());
		return exit_failure;
	}
	std::fflush(stdout);
	return failures ? exit_failure : 0;
}
