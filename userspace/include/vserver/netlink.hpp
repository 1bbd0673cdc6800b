// HostNetwork (netif.hpp) through rtnetlink, with libnl-route-3: the
// kernel's own answers, no 'ip' command.
#pragma once

#include <vserver/netif.hpp>

#include <memory>

struct nl_sock;

namespace vserver {

class NetlinkNetwork : public HostNetwork {
public:
	// Opens a NETLINK_ROUTE socket; throws std::system_error.
	NetlinkNetwork();
	~NetlinkNetwork() override;
	NetlinkNetwork(const NetlinkNetwork &) = delete;
	NetlinkNetwork &operator=(const NetlinkNetwork &) = delete;

	std::optional<Device> device(const std::string &name) override;
	int add_address(const Device &dev, const Interface &iface) override;
	int remove_address(const Device &dev, const IpAddress &ip, unsigned prefix) override;
	int set_up(const Device &dev, bool up) override;
	bool promotes_secondaries(const std::string &dev) override;

private:
	// 0 for rc >= 0, else the errno of the kernel's answer; throws
	// std::runtime_error for a failure of libnl's own (what: the request).
	int result(int rc, std::string_view what) const;

	struct SocketFree {
		void operator()(nl_sock *sock) const;
	};
	std::unique_ptr<nl_sock, SocketFree> sock_;
	int kernel_errno_ = 0;	// of the last NLMSG_ERROR, set by a callback
};

} // namespace vserver
