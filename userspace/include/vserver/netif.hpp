// A guest's addresses on the host's devices: what 'vserver NAME start'
// adds for its interfaces (util-vserver's enableInterfaces) and 'stop'
// removes again, exactly those: an address that was on a device already
// was not added, so it is never removed.  What was added is kept in a
// record file (/run/vservers/NAME/interfaces).
#pragma once

#include <vserver/interfaces.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace vserver {

// An address on a host device as the kernel lists it.
struct DeviceAddress {
	IpAddress ip;
	unsigned prefix;
	bool secondary;		// IFA_F_SECONDARY (IPv4)
};

// A host device: its index, whether it is up (IFF_UP), its addresses.
struct Device {
	std::string name;
	int index;
	bool up;
	std::vector<DeviceAddress> addresses;
};

// What up and down need of the kernel; NetlinkNetwork (netlink.hpp) asks
// it with libnl, the unit tests a fake.  The changes return 0 or the
// kernel's errno.
class HostNetwork {
public:
	virtual ~HostNetwork() = default;
	// The device as it is now; nullopt if there is no such device.
	virtual std::optional<Device> device(const std::string &name) = 0;
	// Add iface's address (prefix, broadcast, label, scope) to dev,
	// only if it is not there (EEXIST then).
	virtual int add_address(const Device &dev, const Interface &iface) = 0;
	// Remove ip/prefix from dev (EADDRNOTAVAIL: it is not there).
	virtual int remove_address(const Device &dev, const IpAddress &ip, unsigned prefix) = 0;
	// Bring dev up or down.
	virtual int set_up(const Device &dev, bool up) = 0;
	// Does removing dev's primary IPv4 address promote a secondary one
	// rather than remove them all (net.ipv4.conf.DEV.promote_secondaries)?
	virtual bool promotes_secondaries(const std::string &dev) = 0;
};

// One address that up added: "vsnet0 10.0.0.5/24" in the record.
struct AddedAddress {
	std::string dev;
	IpAddress ip;
	unsigned prefix;

	bool operator==(const AddedAddress &) const = default;
};

// "10.0.0.5/24 on vsnet0"
std::string to_string(const AddedAddress &addr);

// The record file: a comment, then one "DEV ADDRESS/PREFIX" line per
// address added, in the order they were added.
class AddressRecord {
public:
	explicit AddressRecord(std::filesystem::path file) : file_(std::move(file)) {}

	const std::filesystem::path &file() const { return file_; }
	bool exists() const;
	// Throws std::runtime_error naming the file (and line) when it holds
	// something else, std::system_error when it cannot be read.
	std::vector<AddedAddress> read() const;
	// Create it, empty, if there is none (making its directory); false if
	// there is one.  Throws std::system_error naming the file.
	bool create();
	// Replace its contents atomically (a new file renamed over it).
	void write(std::span<const AddedAddress> addresses);
	// Remove the file; no error if it is gone.
	void remove();

private:
	std::filesystem::path file_;
};

// A failure of up or down, in words: "cannot add 10.0.0.5/24 to eth7: No
// such device".
class NetifError : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

// Lines for a person, one per change or decision: "added 10.0.0.5/24 to
// vsnet0", "10.0.0.1/24 is on vsnet0 already: left alone".
using Say = std::function<void(std::string_view)>;

// Add the address of every interface of config that is not nodev to its
// device (with the device brought up unless 'down'), recording each one
// added in record, which must not exist yet ("up already").  Every device
// is looked up before anything changes.  An address the device has already
// (with any prefix) is left alone and not recorded.  On a failure the
// addresses added and the devices brought up by this call are taken back
// and the record removed (with its directory, if this call made it), and
// NetifError says what failed (and what could not be taken back: that
// stays in the record, for down).
void interfaces_up(HostNetwork &net, const InterfacesConfig &config, AddressRecord &record,
		   const Say &say);

// Remove the addresses in record, last first, from their devices, those
// still there; then remove the record.  No record: nothing to do.  An
// IPv4 address whose removal would take secondary addresses that are not
// in the record with it (it is the primary one of its subnet and the
// device does not promote secondaries) is not removed.  An address that
// could not be removed stays in the record, and NetifError says why,
// after the others are removed.
void interfaces_down(HostNetwork &net, AddressRecord &record, const Say &say);

} // namespace vserver
