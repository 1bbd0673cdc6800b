#include <vserver/xid.hpp>

#include <vserver/transport.hpp>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <string>

namespace vserver {

namespace {

// parse_xid for either kind of id; what ("xid", "nid") names it in messages.
std::uint32_t parse_id(std::string_view text, std::string_view what)
{
	auto bad = [&](const char *why) {
		return std::invalid_argument("invalid " + std::string(what) + " '" +
					     std::string(text) + "': " + why);
	};

	if (text.empty())
		throw bad("empty");
	// from_chars takes neither '+' nor, for unsigned, '-'; but check the
	// first character ourselves so "-1" says "not a decimal number".
	if (text.front() < '0' || text.front() > '9')
		throw bad("not a decimal number");

	unsigned long value = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec == std::errc::result_out_of_range)
		throw bad("out of range 0..65535");
	if (ec != std::errc() || end != text.data() + text.size())
		throw bad("not a decimal number");
	if (value > VX_MAX_S_CONTEXT)
		throw bad("out of range 0..65535");
	return static_cast<std::uint32_t>(value);
}

// The number in a vserver's context (or ncontext) file: one line,
// surrounding white space ignored.  Errors read "<file>: <why>".
std::uint32_t read_context_file(const std::filesystem::path &file, std::string_view what)
{
	std::ifstream in(file);
	if (!in) {
		int err = errno;
		throw std::invalid_argument(file.string() + ": " + std::strerror(err));
	}
	std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	if (in.bad()) {
		int err = errno;
		throw std::invalid_argument(file.string() + ": " + std::strerror(err));
	}

	auto first = text.find_first_not_of(" \t\r\n");
	auto last = text.find_last_not_of(" \t\r\n");
	std::string_view value;
	if (first != std::string::npos)
		value = std::string_view(text).substr(first, last - first + 1);
	try {
		return parse_id(value, what);
	} catch (const std::invalid_argument &e) {
		throw std::invalid_argument(file.string() + ": " + e.what());
	}
}

// resolve_xid for either kind of id: a vserver's number is in
// <confdir>/<name>/<file>, the first of files that exists (the last one
// is read, and named in the message, when none does).
std::uint32_t resolve_id(std::string_view text, const std::function<std::uint32_t()> &current,
			 const std::filesystem::path &confdir, std::string_view what,
			 std::initializer_list<const char *> files)
{
	auto bad = [&](const std::string &why) {
		return std::invalid_argument("invalid " + std::string(what) + " '" +
					     std::string(text) + "': " + why);
	};

	// Numbers, and what only looks like one ("-1", "+1"), are parse_id's.
	if (text.empty() || text.find_first_of("0123456789+-") == 0)
		return parse_id(text, what);
	if (text == "self")
		return current();
	// A name is one directory below confdir, never a path.
	if (!is_vserver_name(text))
		throw bad("neither a number, 'self' nor a vserver name");
	std::filesystem::path file;
	for (const char *name : files) {
		file = confdir / text / name;
		std::error_code ec;
		if (std::filesystem::exists(file, ec))
			break;
	}
	try {
		return read_context_file(file, what);
	} catch (const std::invalid_argument &e) {
		throw bad(e.what());
	}
}

} // namespace

bool is_vserver_name(std::string_view name)
{
	return !name.empty() && name != "." && name != ".." && name.find('/') == name.npos &&
	       name.find('\0') == name.npos;
}

xid_t parse_xid(std::string_view text)
{
	return parse_id(text, "xid");
}

nid_t parse_nid(std::string_view text)
{
	return parse_id(text, "nid");
}

xid_t resolve_xid(std::string_view text, const std::function<xid_t()> &current_xid,
		  const std::filesystem::path &confdir)
{
	return resolve_id(text, current_xid, confdir, "xid", {"context"});
}

nid_t resolve_nid(std::string_view text, const std::function<nid_t()> &current_nid,
		  const std::filesystem::path &confdir)
{
	return resolve_id(text, current_nid, confdir, "nid", {"ncontext", "context"});
}

xid_t resolve_xid(std::string_view text, Client &client, const std::filesystem::path &confdir)
{
	return resolve_xid(text, [&client] { return client.task_xid(0); }, confdir);
}

xid_t current_xid()
{
	DeviceTransport device;
	Client client(device);

	return client.task_xid(0);
}

nid_t current_nid()
{
	DeviceTransport device;
	Client client(device);

	return client.task_nid(0);
}

} // namespace vserver
