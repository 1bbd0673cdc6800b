#pragma once

#include <vserver/naddr.hpp>

namespace vserver::test {

// An address the test knows to be good: "10.0.0.5", "2001:db8::5".
inline IpAddress ip(const char *text)
{
	return parse_ip(text).value();
}

} // namespace vserver::test
