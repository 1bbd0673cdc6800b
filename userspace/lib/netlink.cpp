#include <vserver/netlink.hpp>

#include <vserver/files.hpp>

#include <fmt/format.h>

#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include <cerrno>
#include <cstring>
#include <linux/if_addr.h>
#include <net/if.h>
#include <stdexcept>
#include <sys/socket.h>
#include <system_error>

namespace vserver {

namespace {

// libnl objects, released with their own put/free functions.
template <class T, void (*Put)(T *)>
struct Putter {
	void operator()(T *object) const { Put(object); }
};
using LinkPtr = std::unique_ptr<rtnl_link, Putter<rtnl_link, rtnl_link_put>>;
using AddrPtr = std::unique_ptr<rtnl_addr, Putter<rtnl_addr, rtnl_addr_put>>;
using NlAddrPtr = std::unique_ptr<nl_addr, Putter<nl_addr, nl_addr_put>>;
using CachePtr = std::unique_ptr<nl_cache, Putter<nl_cache, nl_cache_free>>;

// Keep the errno of the kernel's NLMSG_ERROR answer: libnl turns it into
// an NLE_* code that a person cannot read ("Object exists").
int keep_errno(sockaddr_nl *, nlmsgerr *err, void *arg)
{
	*static_cast<int *>(arg) = -err->error;
	return NL_STOP;
}

// The kernel's errno behind a libnl code, for the requests whose answer
// libnl reads with a callback of its own (rtnl_link_get_kernel's
// nl_pickup_keep_syserr); 0 for libnl's own failures.
int errno_of(int rc)
{
	switch (-rc) {
	case NLE_NODEV:
		return ENODEV;
	case NLE_PERM:
		return EPERM;
	case NLE_NOACCESS:
		return EACCES;
	case NLE_EXIST:
		return EEXIST;
	case NLE_NOADDR:
		return EADDRNOTAVAIL;
	case NLE_BUSY:
		return EBUSY;
	case NLE_OPNOTSUPP:
		return EOPNOTSUPP;
	}
	return 0;
}

void check(int rc, std::string_view what)
{
	if (rc < 0)
		throw std::runtime_error(fmt::format("{}: {}", what, nl_geterror(rc)));
}

NlAddrPtr nl_address(const IpAddress &ip, unsigned prefix)
{
	NlAddrPtr addr(nl_addr_build(ip.v6 ? AF_INET6 : AF_INET, ip.bytes.data(),
				     ip.v6 ? 16 : 4));
	if (!addr)
		throw std::bad_alloc();
	nl_addr_set_prefixlen(addr.get(), static_cast<int>(prefix));
	return addr;
}

// The request for ip/prefix on dev.
AddrPtr address_object(const Device &dev, const IpAddress &ip, unsigned prefix)
{
	AddrPtr addr(rtnl_addr_alloc());
	if (!addr)
		throw std::bad_alloc();
	rtnl_addr_set_ifindex(addr.get(), dev.index);
	check(rtnl_addr_set_local(addr.get(), nl_address(ip, prefix).get()), "rtnl_addr_set_local");
	return addr;
}

} // namespace

void NetlinkNetwork::SocketFree::operator()(nl_sock *sock) const
{
	nl_socket_free(sock);
}

NetlinkNetwork::NetlinkNetwork() : sock_(nl_socket_alloc())
{
	if (!sock_)
		throw std::bad_alloc();
	check(nl_socket_modify_err_cb(sock_.get(), NL_CB_CUSTOM, keep_errno, &kernel_errno_),
	      "nl_socket_modify_err_cb");
	kernel_errno_ = 0;
	if (int rc = nl_connect(sock_.get(), NETLINK_ROUTE); rc < 0)
		throw std::system_error(errno ? errno : EIO, std::generic_category(),
					fmt::format("netlink socket ({})", nl_geterror(rc)));
}

NetlinkNetwork::~NetlinkNetwork() = default;

int NetlinkNetwork::result(int rc, std::string_view what) const
{
	if (rc >= 0)
		return 0;
	if (kernel_errno_)
		return kernel_errno_;
	if (int err = errno_of(rc))
		return err;
	throw std::runtime_error(fmt::format("{}: {}", what, nl_geterror(rc)));
}

std::optional<Device> NetlinkNetwork::device(const std::string &name)
{
	rtnl_link *found = nullptr;
	kernel_errno_ = 0;
	int err = result(rtnl_link_get_kernel(sock_.get(), 0, name.c_str(), &found),
			 "RTM_GETLINK " + name);
	LinkPtr link(found);
	if (err == ENODEV)
		return std::nullopt;
	if (err)
		throw std::system_error(err, std::generic_category(), "RTM_GETLINK " + name);

	Device dev{name, rtnl_link_get_ifindex(link.get()),
		   (rtnl_link_get_flags(link.get()) & IFF_UP) != 0, {}};

	nl_cache *all = nullptr;
	kernel_errno_ = 0;
	err = result(rtnl_addr_alloc_cache(sock_.get(), &all), "RTM_GETADDR");
	CachePtr cache(all);
	if (err)
		throw std::system_error(err, std::generic_category(), "RTM_GETADDR");
	for (nl_object *obj = nl_cache_get_first(cache.get()); obj; obj = nl_cache_get_next(obj)) {
		auto *addr = reinterpret_cast<rtnl_addr *>(obj);
		nl_addr *local = rtnl_addr_get_local(addr);
		int family = rtnl_addr_get_family(addr);
		if (rtnl_addr_get_ifindex(addr) != dev.index || !local ||
		    (family != AF_INET && family != AF_INET6) ||
		    nl_addr_get_len(local) != (family == AF_INET6 ? 16u : 4u))
			continue;
		DeviceAddress a{};
		a.ip.v6 = family == AF_INET6;
		std::memcpy(a.ip.bytes.data(), nl_addr_get_binary_addr(local),
			    nl_addr_get_len(local));
		a.prefix = static_cast<unsigned>(rtnl_addr_get_prefixlen(addr));
		a.secondary = (rtnl_addr_get_flags(addr) & IFA_F_SECONDARY) != 0;
		dev.addresses.push_back(a);
	}
	return dev;
}

int NetlinkNetwork::add_address(const Device &dev, const Interface &iface)
{
	AddrPtr addr = address_object(dev, iface.ip, iface.prefix);

	if (iface.broadcast)
		check(rtnl_addr_set_broadcast(addr.get(), nl_address(*iface.broadcast, 32).get()),
		      "rtnl_addr_set_broadcast");
	if (!iface.label.empty())
		check(rtnl_addr_set_label(addr.get(), iface.label.c_str()), "rtnl_addr_set_label");
	if (iface.scope)
		rtnl_addr_set_scope(addr.get(), *iface.scope);
	kernel_errno_ = 0;
	return result(rtnl_addr_add(sock_.get(), addr.get(), NLM_F_EXCL), "RTM_NEWADDR");
}

int NetlinkNetwork::remove_address(const Device &dev, const IpAddress &ip, unsigned prefix)
{
	AddrPtr addr = address_object(dev, ip, prefix);

	kernel_errno_ = 0;
	return result(rtnl_addr_delete(sock_.get(), addr.get(), 0), "RTM_DELADDR");
}

int NetlinkNetwork::set_up(const Device &dev, bool up)
{
	rtnl_link *found = nullptr;
	kernel_errno_ = 0;
	if (int err = result(rtnl_link_get_kernel(sock_.get(), dev.index, nullptr, &found),
			     "RTM_GETLINK " + dev.name)) {
		LinkPtr gone(found);
		return err;
	}
	LinkPtr link(found);
	LinkPtr change(rtnl_link_alloc());
	if (!change)
		throw std::bad_alloc();
	if (up)
		rtnl_link_set_flags(change.get(), IFF_UP);
	else
		rtnl_link_unset_flags(change.get(), IFF_UP);
	kernel_errno_ = 0;
	return result(rtnl_link_change(sock_.get(), link.get(), change.get(), 0), "RTM_NEWLINK");
}

bool NetlinkNetwork::promotes_secondaries(const std::string &dev)
{
	try {
		auto value = read_first_line("/proc/sys/net/ipv4/conf/" + dev +
					     "/promote_secondaries");
		return value && *value != "0";
	} catch (const std::invalid_argument &) {
		return false;
	}
}

} // namespace vserver
