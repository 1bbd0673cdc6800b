#pragma once

#include <string>

namespace vserver::test {

// The what() of the E that f() throws, or "no exception".  Another
// exception passes through (gtest reports it).
template <class E, class F>
std::string what_thrown(F &&f)
{
	try {
		f();
	} catch (const E &e) {
		return e.what();
	}
	return "no exception";
}

} // namespace vserver::test
