#include <vserver/interfaces.hpp>

#include <vserver/files.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <initializer_list>
#include <map>
#include <net/if.h>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

namespace vserver {

namespace fs = std::filesystem;

namespace {

// The value of one file and where it came from, for messages.
template <class T>
struct Value {
	fs::path file;
	T value;

	std::invalid_argument bad(std::string_view why) const
	{
		return std::invalid_argument(fmt::format("{}: {}", file.string(), why));
	}
};

using Text = Value<std::string>;

// The value of dir/name: its first line without the blanks around it;
// nullopt when there is no such file.  An empty value is an error.
std::optional<Text> read_text(const fs::path &dir, std::string_view name)
{
	fs::path file = dir / name;
	auto line = read_first_line(file);

	if (!line)
		return std::nullopt;
	auto first = line->find_first_not_of(" \t\r");
	auto last = line->find_last_not_of(" \t\r");
	Text text{file, first == std::string::npos ? "" : line->substr(first, last - first + 1)};
	if (text.value.empty())
		throw text.bad("empty (the value is the first line)");
	return text;
}

// read_text, the value turned into a T by parse(text).
template <class Parse>
auto read_value(const fs::path &dir, std::string_view name, Parse parse)
	-> std::optional<Value<decltype(parse(std::declval<const Text &>()))>>
{
	auto text = read_text(dir, name);
	if (!text)
		return std::nullopt;
	return Value<decltype(parse(*text))>{text->file, parse(*text)};
}

bool is_there(const fs::path &path)
{
	std::error_code ec;
	return fs::exists(fs::symlink_status(path, ec));
}

IpAddress parse_address(const Text &text)
{
	auto ip = parse_ip(text.value);
	if (!ip)
		throw text.bad(fmt::format("'{}' is not an IPv4 or IPv6 address", text.value));
	return *ip;
}

IpAddress parse_ipv4(const Text &text, std::string_view what)
{
	auto ip = parse_ip(text.value);
	if (!ip || ip->v6)
		throw text.bad(fmt::format("'{}' is not an IPv4 address ({} is IPv4)", text.value,
					   what));
	return *ip;
}

IpAddress parse_broadcast(const Text &text)
{
	return parse_ipv4(text, "a broadcast address");
}

IpAddress parse_loopback(const Text &text)
{
	return parse_ipv4(text, "the loopback address");
}

// The file prefix: a prefix length, 1..128 until the address says more.
NetMask parse_prefix(const Text &text)
{
	NetMask mask;
	try {
		mask = parse_mask(text.value, 128);
	} catch (const std::invalid_argument &) {
		throw text.bad(fmt::format("'{}' is not a prefix length", text.value));
	}
	if (mask.dotted)
		throw text.bad(fmt::format("'{}' is a netmask; it goes in the file mask",
					   text.value));
	return mask;
}

// The file mask: a dotted IPv4 netmask (util-vserver's mask2prefix).
NetMask parse_netmask(const Text &text)
{
	NetMask mask;
	try {
		mask = parse_mask(text.value, 32);
	} catch (const std::invalid_argument &e) {
		throw text.bad(e.what());
	}
	if (!mask.dotted)
		throw text.bad(fmt::format("'{}' is not a netmask; a prefix length goes in the "
					   "file prefix", text.value));
	return mask;
}

// Does the prefix or mask fit ip?
unsigned prefix_for(const Value<NetMask> &mask, const IpAddress &ip)
{
	if (mask.value.dotted && ip.v6)
		throw mask.bad(fmt::format("an IPv4 netmask does not fit the IPv6 address {}; give "
					   "a prefix length in the file prefix", to_string(ip)));
	if (mask.value.prefix > ip.bits())
		throw mask.bad(fmt::format("{} is not a prefix length for an {} address (1..{})",
					   mask.value.prefix, ip.family(), ip.bits()));
	return mask.value.prefix;
}

// What the kernel takes as a device name (dev_valid_name).
bool is_device_name(std::string_view name)
{
	if (name.empty() || name.size() >= IFNAMSIZ || name == "." || name == "..")
		return false;
	return std::none_of(name.begin(), name.end(), [](char c) {
		return c == '/' || c == ':' || c == '\0' ||
		       std::isspace(static_cast<unsigned char>(c));
	});
}

std::string parse_device(const Text &text)
{
	if (!is_device_name(text.value))
		throw text.bad(fmt::format("'{}' is not a device name (1..{} bytes, no '/', ':' or "
					   "blanks)", text.value, IFNAMSIZ - 1));
	return text.value;
}

constexpr std::array<std::pair<std::string_view, std::uint8_t>, 6> scopes{{
	{"global", 0}, {"universe", 0}, {"site", 200}, {"link", 253}, {"host", 254},
	{"nowhere", 255},
}};

std::uint8_t parse_scope(const Text &text)
{
	for (const auto &[name, value] : scopes)
		if (text.value == name)
			return value;
	unsigned value = 256;
	auto [end, ec] = std::from_chars(text.value.data(), text.value.data() + text.value.size(),
					 value);
	if (ec != std::errc() || end != text.value.data() + text.value.size() || value > 255)
		throw text.bad(fmt::format("'{}' is not a scope (global, site, link, host, nowhere "
					   "or 0..255)", text.value));
	return static_cast<std::uint8_t>(value);
}

// The files of interfaces/ that stand for every interface.
struct Defaults {
	std::optional<Text> dev;
	std::optional<Value<NetMask>> prefix, mask;
	std::optional<Value<IpAddress>> bcast;
	std::optional<Value<std::uint8_t>> scope;
};

// util-vserver's files for what vserver-netif does not do.
void refuse_unsupported(const fs::path &dir, std::initializer_list<const char *> names)
{
	for (const char *name : names)
		if (is_there(dir / name))
			throw std::invalid_argument(fmt::format(
				"{}: util-vserver's '{}' is not supported (vserver-netif puts "
				"addresses on existing devices, nothing else)", (dir / name).string(),
				name));
}

// interfaces/<id>/, its own files first, then the defaults'.
Interface read_interface(const fs::path &dir, const std::string &id, const Defaults &defaults)
{
	Interface iface;
	iface.id = id;

	refuse_unsupported(dir, {"vlandev", "indirect", "tun", "tap", "peer", "gw"});
	auto ip = read_value(dir, "ip", parse_address);
	if (!ip)
		throw std::invalid_argument(fmt::format(
			"{}: missing (every interface needs an address)", (dir / "ip").string()));
	iface.ip = ip->value;

	auto prefix = read_value(dir, "prefix", parse_prefix);
	if (!prefix)
		prefix = read_value(dir, "mask", parse_netmask);
	if (!prefix)
		prefix = defaults.prefix ? defaults.prefix : defaults.mask;
	iface.prefix = prefix ? prefix_for(*prefix, iface.ip) : iface.ip.bits();

	// only_ip: util-vserver's old name for nodev
	iface.nodev = is_there(dir / "nodev") || is_there(dir / "only_ip");
	if (iface.nodev)
		return iface;

	auto dev = read_value(dir, "dev", parse_device);
	if (!dev && defaults.dev)
		dev = defaults.dev;
	if (!dev)
		throw std::invalid_argument(fmt::format(
			"{}: missing (an interface needs a device, in it or in {}, or nodev for an "
			"address of the network context only)", (dir / "dev").string(),
			(dir.parent_path() / "dev").string()));
	iface.dev = dev->value;

	if (auto bcast = read_value(dir, "bcast", parse_broadcast)) {
		if (iface.ip.v6)
			throw bcast->bad("an IPv6 address has no broadcast address");
		iface.broadcast = bcast->value;
	} else if (!iface.ip.v6 && defaults.bcast) {
		iface.broadcast = defaults.bcast->value;
	} else if (!iface.ip.v6 && iface.prefix <= 30) {
		// util-vserver's "broadcast +": every host bit set
		IpAddress b = iface.ip;
		for (unsigned bit = iface.prefix; bit < 32; bit++)
			b.bytes[bit / 8] |= static_cast<std::uint8_t>(0x80 >> (bit % 8));
		iface.broadcast = b;
	}

	if (auto name = read_text(dir, "name")) {
		if (iface.ip.v6)
			throw name->bad("an IPv6 address has no label (labels are IPv4's)");
		iface.label = iface.dev + ":" + name->value;
		if (!std::none_of(name->value.begin(), name->value.end(), [](char c) {
			    return c == '/' || std::isspace(static_cast<unsigned char>(c));
		    }))
			throw name->bad(fmt::format("'{}' is not a label name (no '/' or blanks)",
						    name->value));
		if (iface.label.size() >= IFNAMSIZ)
			throw name->bad(fmt::format("the label {} is longer than {} bytes",
						    iface.label, IFNAMSIZ - 1));
	}

	auto scope = read_value(dir, "scope", parse_scope);
	if (!scope)
		scope = defaults.scope;
	if (scope)
		iface.scope = scope->value;
	iface.up = !is_there(dir / "down");
	return iface;
}

// The interface directories: every directory of dir (or a link to one)
// whose name does not start with '.', in byte order.
std::vector<std::string> interface_ids(const fs::path &dir)
{
	std::vector<std::string> ids;
	std::error_code ec;

	for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
		std::string name = it->path().filename();
		std::error_code type_ec;
		if (name.front() != '.' && it->is_directory(type_ec))
			ids.push_back(std::move(name));
	}
	if (ec)
		throw std::invalid_argument(fmt::format("{}: {}", dir.string(), ec.message()));
	std::sort(ids.begin(), ids.end());
	return ids;
}

// dir is a directory; false if it does not exist.
bool directory_there(const fs::path &dir)
{
	std::error_code ec;
	auto status = fs::status(dir, ec);

	if (ec && ec != std::errc::no_such_file_or_directory)
		throw std::invalid_argument(fmt::format("{}: {}", dir.string(), ec.message()));
	if (!fs::exists(status))
		return false;
	if (!fs::is_directory(status))
		throw std::invalid_argument(fmt::format("{}: {}", dir.string(),
							std::strerror(ENOTDIR)));
	return true;
}

// An address given to two interfaces, more than the kernel keeps.
void check_addresses(const InterfacesConfig &config)
{
	std::map<std::array<std::uint8_t, 17>, const Interface *> seen;
	std::size_t count[2] = {0, 0};

	for (const auto &iface : config.interfaces) {
		std::array<std::uint8_t, 17> key{};
		key[0] = iface.ip.v6;
		std::copy(iface.ip.bytes.begin(), iface.ip.bytes.end(), key.begin() + 1);
		auto [it, added] = seen.emplace(key, &iface);
		if (!added)
			throw std::invalid_argument(fmt::format(
				"{}: {} is also the address of interface {}",
				(config.dir / iface.id / "ip").string(), to_string(iface.ip),
				it->second->id));
		if (++count[iface.ip.v6] > NX_MAX_ADDRS)
			throw std::invalid_argument(fmt::format(
				"{}: more than {} {} addresses (the most a network context may have)",
				config.dir.string(), NX_MAX_ADDRS, iface.ip.family()));
	}
}

} // namespace

InterfacesConfig read_interfaces(const fs::path &cfgdir)
{
	InterfacesConfig config;
	config.dir = cfgdir / "interfaces";

	if (!directory_there(cfgdir))
		throw std::invalid_argument(fmt::format("{}: {}", cfgdir.string(),
							std::strerror(ENOENT)));
	if (!directory_there(config.dir))
		return config;

	refuse_unsupported(config.dir, {"vlandev"});
	Defaults defaults;
	defaults.dev = read_value(config.dir, "dev", parse_device);
	defaults.prefix = read_value(config.dir, "prefix", parse_prefix);
	defaults.mask = read_value(config.dir, "mask", parse_netmask);
	defaults.bcast = read_value(config.dir, "bcast", parse_broadcast);
	defaults.scope = read_value(config.dir, "scope", parse_scope);
	if (defaults.bcast)
		config.bcast = defaults.bcast->value;
	if (auto lback = read_value(config.dir, "lback", parse_loopback))
		config.lback = lback->value;

	for (const auto &id : interface_ids(config.dir)) {
		fs::path dir = config.dir / id;
		if (is_there(dir / "disabled"))
			config.disabled.push_back(id);
		else
			config.interfaces.push_back(read_interface(dir, id, defaults));
	}
	check_addresses(config);
	return config;
}

std::vector<NetAddress> network_addresses(const InterfacesConfig &config)
{
	std::vector<NetAddress> entries;

	for (const auto &iface : config.interfaces)
		entries.push_back(address_entry(iface.ip, iface.prefix));
	if (config.bcast)
		entries.push_back(special_entry(*config.bcast, NXA_MOD_BCAST));
	if (config.lback)
		entries.push_back(special_entry(*config.lback, NXA_MOD_LBACK));
	return entries;
}

std::string address_text(const IpAddress &ip, unsigned prefix)
{
	return fmt::format("{}/{}", to_string(ip), prefix);
}

std::string scope_name(std::uint8_t scope)
{
	for (const auto &[name, value] : scopes)
		if (value == scope && name != "universe")
			return std::string(name);
	return std::to_string(scope);
}

std::string show_interfaces(const InterfacesConfig &config)
{
	std::string out;

	for (const auto &iface : config.interfaces) {
		out += fmt::format("{}: {}", iface.id, address_text(iface.ip, iface.prefix));
		if (iface.nodev) {
			out += " nodev\n";
			continue;
		}
		out += " dev " + iface.dev;
		if (iface.broadcast)
			out += " broadcast " + to_string(*iface.broadcast);
		if (!iface.label.empty())
			out += " label " + iface.label;
		if (iface.scope)
			out += " scope " + scope_name(*iface.scope);
		if (!iface.up)
			out += " down";
		out += "\n";
	}
	if (!config.disabled.empty())
		out += fmt::format("disabled: {}\n", fmt::join(config.disabled, " "));

	std::vector<std::string> entries;
	for (const auto &entry : network_addresses(config))
		entries.push_back(to_string(entry));
	if (entries.empty())
		entries.push_back("no addresses");
	out += fmt::format("network context: {}\n", fmt::join(entries, " "));
	return out;
}

} // namespace vserver
