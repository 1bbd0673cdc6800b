#include <vserver/netif.hpp>

#include <vserver/files.hpp>
#include <vserver/transport.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <sstream>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace vserver {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view record_header =
	"# vserver-netif: the addresses added to host devices, which 'down' removes\n";

std::system_error file_error(int err, std::string_view what, const fs::path &file)
{
	return std::system_error(err, std::generic_category(),
				 fmt::format("{} {}", what, file.string()));
}

void write_all(int fd, std::string_view text, const fs::path &file)
{
	while (!text.empty()) {
		ssize_t n = ::write(fd, text.data(), text.size());
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			throw file_error(errno, "write", file);
		text.remove_prefix(static_cast<std::size_t>(n));
	}
}

// One line of the record: "DEV ADDRESS/PREFIX".
AddedAddress parse_record_line(const std::string &line, const std::function<std::runtime_error(
								 std::string_view)> &bad)
{
	std::istringstream fields(line);
	std::string dev, addr, extra;

	if (!(fields >> dev >> addr) || (fields >> extra))
		throw bad("not 'DEVICE ADDRESS/PREFIX'");
	auto slash = addr.find('/');
	auto ip = parse_ip(std::string_view(addr).substr(0, slash));
	if (!ip || slash == addr.npos)
		throw bad(fmt::format("'{}' is not ADDRESS/PREFIX", addr));
	NetMask mask{};
	try {
		mask = parse_mask(std::string_view(addr).substr(slash + 1), ip->bits());
	} catch (const std::invalid_argument &e) {
		throw bad(e.what());
	}
	if (mask.dotted)
		throw bad(fmt::format("'{}' is not ADDRESS/PREFIX", addr));
	return {dev, *ip, mask.prefix};
}

std::string error_text(int err)
{
	return std::strerror(err);
}

// The address ip on dev, with whatever prefix.
const DeviceAddress *find_address(const Device &dev, const IpAddress &ip)
{
	for (const auto &a : dev.addresses)
		if (a.ip == ip)
			return &a;
	return nullptr;
}

// Would the subnet ip/prefix hold other?
bool same_subnet(const IpAddress &ip, unsigned prefix, const IpAddress &other)
{
	for (unsigned bit = 0; bit < prefix; bit++) {
		std::uint8_t m = static_cast<std::uint8_t>(0x80 >> (bit % 8));
		if ((ip.bytes[bit / 8] & m) != (other.bytes[bit / 8] & m))
			return false;
	}
	return true;
}

// The secondary IPv4 addresses of dev that the kernel removes with addr
// if addr is the primary one of their subnet, those in ours left out.
std::vector<std::string> taken_along(const Device &dev, const DeviceAddress &addr,
				     std::span<const AddedAddress> ours)
{
	std::vector<std::string> taken;

	if (addr.ip.v6 || addr.secondary)
		return taken;
	for (const auto &other : dev.addresses) {
		bool is_ours = std::any_of(ours.begin(), ours.end(), [&](const AddedAddress &o) {
			return o.dev == dev.name && o.ip == other.ip && o.prefix == other.prefix;
		});
		if (other.secondary && !other.ip.v6 && other.prefix == addr.prefix &&
		    same_subnet(addr.ip, addr.prefix, other.ip) && !is_ours)
			taken.push_back(address_text(other.ip, other.prefix));
	}
	return taken;
}

// Remove addr from its device if it is still there.  ours: the addresses
// this guest added (they may go with it).  Throws NetifError.
void remove_added(HostNetwork &net, const AddedAddress &addr, std::span<const AddedAddress> ours,
		  const Say &say)
{
	std::string text = address_text(addr.ip, addr.prefix);
	auto dev = net.device(addr.dev);
	const DeviceAddress *there = dev ? find_address(*dev, addr.ip) : nullptr;

	if (!there || there->prefix != addr.prefix) {
		say(fmt::format("{} is no longer on {}", text, addr.dev));
		return;
	}
	auto taken = taken_along(*dev, *there, ours);
	if (!taken.empty() && !net.promotes_secondaries(dev->name))
		throw NetifError(fmt::format(
			"cannot remove {} from {}: the kernel would remove {} with it, which this "
			"guest did not add (net.ipv4.conf.{}.promote_secondaries is 0)", text,
			dev->name, fmt::join(taken, ", "), dev->name));
	int err = net.remove_address(*dev, addr.ip, addr.prefix);
	if (err == EADDRNOTAVAIL) {
		say(fmt::format("{} is no longer on {}", text, addr.dev));
		return;
	}
	if (err)
		throw NetifError(fmt::format("cannot remove {} from {}: {}", text, dev->name,
					     error_text(err)));
	say(fmt::format("removed {} from {}", text, dev->name));
}

// Remove addresses, last first; what could not be removed is returned,
// in order, and why in problems.
std::vector<AddedAddress> remove_all(HostNetwork &net, std::span<const AddedAddress> addresses,
				     std::vector<std::string> &problems, const Say &say)
{
	std::vector<AddedAddress> left;

	for (auto it = addresses.rbegin(); it != addresses.rend(); ++it) {
		try {
			remove_added(net, *it, addresses, say);
		} catch (const std::exception &e) {
			left.insert(left.begin(), *it);
			problems.push_back(e.what());
		}
	}
	return left;
}

// Record what is left, or remove the record when nothing is.
void keep_left(AddressRecord &record, std::span<const AddedAddress> left)
{
	if (left.empty())
		record.remove();
	else
		record.write(left);
}

// Add iface's address to dev unless dev has it (with any prefix); false
// if it has.  Throws NetifError.
bool add_address(HostNetwork &net, const Device &dev, const Interface &iface, const Say &say)
{
	std::string text = address_text(iface.ip, iface.prefix);
	const DeviceAddress *there = find_address(dev, iface.ip);
	int err = there ? EEXIST : net.add_address(dev, iface);

	if (err == EEXIST) {
		std::string as;
		if (there && there->prefix != iface.prefix)
			as = fmt::format(" (as {})", address_text(there->ip, there->prefix));
		say(fmt::format("{} is on {} already{}: left alone", text, dev.name, as));
		return false;
	}
	if (err)
		throw NetifError(fmt::format("cannot add {} to {}: {}", text, dev.name,
					     error_text(err)));
	return true;
}

void bring_up(HostNetwork &net, Device &dev)
{
	if (int err = net.set_up(dev, true))
		throw NetifError(fmt::format("cannot bring {} up: {}", dev.name, error_text(err)));
	dev.up = true;
}

NetifError up_already(const AddressRecord &record)
{
	return NetifError(fmt::format("the interfaces are up already ({} exists; take them "
				      "down first)", record.file().string()));
}

// After a failure of up (why): remove the addresses added, bring down the
// devices brought up, remove the record (and its directory if up made it)
// or keep in it what could not be removed; throw NetifError.
[[noreturn]] void take_back(HostNetwork &net, AddressRecord &record,
			    std::span<const AddedAddress> added, std::span<Device *const> raised,
			    bool made_dir, std::string why, const Say &say)
{
	std::vector<std::string> problems;
	auto left = remove_all(net, added, problems, say);

	for (auto it = raised.rbegin(); it != raised.rend(); ++it) {
		Device &dev = **it;
		int err = 0;
		try {
			err = net.set_up(dev, false);
		} catch (const std::exception &e) {
			problems.push_back(e.what());
			continue;
		}
		if (err)
			problems.push_back(fmt::format("cannot bring {} down again: {}", dev.name,
						       error_text(err)));
		else
			say(fmt::format("brought {} down again", dev.name));
	}
	try {
		keep_left(record, left);
		if (left.empty() && made_dir)
			::rmdir(record.file().parent_path().c_str());
	} catch (const std::exception &e) {
		problems.push_back(e.what());
	}
	if (!problems.empty())
		why += fmt::format("\nand what was done could not all be taken back:\n{}",
				   fmt::join(problems, "\n"));
	if (!left.empty())
		why += fmt::format("\n{} keeps what is left, for 'down'", record.file().string());
	throw NetifError(why);
}

} // namespace

std::string to_string(const AddedAddress &addr)
{
	return fmt::format("{} on {}", address_text(addr.ip, addr.prefix), addr.dev);
}

bool AddressRecord::exists() const
{
	struct stat st;
	return ::lstat(file_.c_str(), &st) == 0;
}

std::vector<AddedAddress> AddressRecord::read() const
{
	std::string text = read_file(file_);
	std::vector<AddedAddress> addresses;
	std::istringstream in(text);
	std::string line;
	for (unsigned n = 1; std::getline(in, line); n++) {
		if (line.empty() || line.front() == '#')
			continue;
		addresses.push_back(parse_record_line(line, [&](std::string_view why) {
			return std::runtime_error(fmt::format("{}:{}: {}", file_.string(), n, why));
		}));
	}
	return addresses;
}

bool AddressRecord::create()
{
	std::error_code ec;
	fs::create_directories(file_.parent_path(), ec);
	if (ec)
		throw file_error(ec.value(), "mkdir", file_.parent_path());

	UniqueFd fd(::open(file_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
	if (fd.get() < 0 && errno == EEXIST)
		return false;
	if (fd.get() < 0)
		throw file_error(errno, "create", file_);
	write_all(fd.get(), record_header, file_);
	return true;
}

void AddressRecord::write(std::span<const AddedAddress> addresses)
{
	std::string text(record_header);
	for (const auto &a : addresses)
		text += fmt::format("{} {}\n", a.dev, address_text(a.ip, a.prefix));

	std::string tmp = file_.string() + ".XXXXXX";
	UniqueFd fd(::mkostemp(tmp.data(), O_CLOEXEC));
	if (fd.get() < 0)
		throw file_error(errno, "create", tmp);
	try {
		write_all(fd.get(), text, tmp);
		if (::fchmod(fd.get(), 0644) < 0 || ::fsync(fd.get()) < 0)
			throw file_error(errno, "write", tmp);
		if (::rename(tmp.c_str(), file_.c_str()) < 0)
			throw file_error(errno, "rename to " + file_.string(), tmp);
	} catch (...) {
		::unlink(tmp.c_str());
		throw;
	}
}

void AddressRecord::remove()
{
	if (::unlink(file_.c_str()) < 0 && errno != ENOENT)
		throw file_error(errno, "remove", file_);
}

void interfaces_up(HostNetwork &net, const InterfacesConfig &config, AddressRecord &record,
		   const Say &say)
{
	if (record.exists())
		throw up_already(record);

	// Every device first: one that is missing changes nothing.
	std::map<std::string, Device> devices;
	for (const auto &iface : config.interfaces) {
		if (iface.nodev || devices.count(iface.dev))
			continue;
		auto dev = net.device(iface.dev);
		if (!dev)
			throw NetifError(fmt::format("cannot add {} to {}: {}",
						     address_text(iface.ip, iface.prefix), iface.dev,
						     error_text(ENODEV)));
		devices.emplace(iface.dev, std::move(*dev));
	}

	std::error_code ec;
	bool made_dir = !fs::exists(record.file().parent_path(), ec);
	if (!record.create())
		throw up_already(record);

	std::vector<AddedAddress> added;
	std::vector<Device *> raised;
	try {
		for (const auto &iface : config.interfaces) {
			if (iface.nodev)
				continue;
			Device &dev = devices.at(iface.dev);
			if (add_address(net, dev, iface, say)) {
				added.push_back({dev.name, iface.ip, iface.prefix});
				record.write(added);
				say(fmt::format("added {} to {}", address_text(iface.ip, iface.prefix),
						dev.name));
			}
			if (iface.up && !dev.up) {
				bring_up(net, dev);
				raised.push_back(&dev);
				say(fmt::format("brought {} up", dev.name));
			}
		}
	} catch (const std::exception &e) {
		take_back(net, record, added, raised, made_dir, e.what(), say);
	}
}

void interfaces_down(HostNetwork &net, AddressRecord &record, const Say &say)
{
	if (!record.exists())
		return;

	auto recorded = record.read();
	std::vector<std::string> problems;
	auto left = remove_all(net, recorded, problems, say);
	keep_left(record, left);
	if (!problems.empty())
		throw NetifError(fmt::format("{}\n{} keeps what is left, for another 'down'",
					     fmt::join(problems, "\n"), record.file().string()));
}

} // namespace vserver
