#pragma once

#include <vserver/transport.hpp>

#include <gmock/gmock.h>

#include <cstdint>
#include <cstring>

namespace vserver::test {

class MockTransport : public Transport {
public:
	MOCK_METHOD(long, call, (const vserver_call &call), (override));
};

// A call of command cmd with id id.
inline ::testing::Matcher<const vserver_call &> cmd_id(std::uint32_t cmd, std::uint32_t id)
{
	return ::testing::AllOf(::testing::Field(&vserver_call::cmd, cmd),
				::testing::Field(&vserver_call::id, id));
}

// The struct a call carries, read while the call is in flight.
template <typename T>
T data_of(const vserver_call &call)
{
	T data;
	std::memcpy(&data, reinterpret_cast<const void *>(call.data), sizeof(data));
	return data;
}

} // namespace vserver::test
