#pragma once

#include <vserver/transport.hpp>

#include <gmock/gmock.h>

namespace vserver::test {

class MockTransport : public Transport {
public:
	MOCK_METHOD(long, call, (const vserver_call &call), (override));
};

} // namespace vserver::test
