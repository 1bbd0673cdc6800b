// vapt-get and 'vserver NAME pkgmgmt': the command, the externalized mark.
#include <vserver/pkgmgmt.hpp>

#include "temp_dir.hpp"
#include "what_thrown.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vserver::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class Pkgmgmt : public ::testing::Test {
protected:
	Pkgmgmt()
	{
		guest.name = "web";
		guest.cfgdir = tmp.mkdir("etc/web");
		guest.vdir = tmp.mkdir("vservers/web");
		host = tmp.path() / "host-archives";
	}

	std::string error(bool external)
	{
		return what_thrown<std::runtime_error>([&] { set_pkgmgmt(guest, external, host); });
	}

	TempDir tmp;
	VserverConfig guest;
	std::filesystem::path host;
};

TEST_F(Pkgmgmt, AptGetOfTheGuest)
{
	EXPECT_EQ(what_thrown<std::runtime_error>([&] { apt_get_command(guest, {"update"}); }),
		  "the guest has no /usr/bin/apt-get (" + (guest.vdir / "usr/bin/apt-get").string() +
			  " is not a Debian root?)");
	tmp.write("vservers/web/usr/bin/apt-get", "");
	EXPECT_THAT(apt_get_command(guest, {"install", "-y", "less"}),
		    ElementsAre("/usr/bin/apt-get", "install", "-y", "less"));
}

TEST_F(Pkgmgmt, ExternalizeNeedsTheHostsCacheAndAptGet)
{
	EXPECT_EQ(error(true), "the host has no " + host.string() + " to share");
	tmp.mkdir("host-archives");
	EXPECT_THAT(error(true), HasSubstr("the guest has no /usr/bin/apt-get"));
	EXPECT_FALSE(pkgmgmt_external(guest));
	EXPECT_FALSE(std::filesystem::exists(guest.cfgdir / "apps"));
}

TEST_F(Pkgmgmt, ExternalizeAndInternalize)
{
	tmp.mkdir("host-archives");
	tmp.write("vservers/web/usr/bin/apt-get", "");
	EXPECT_THAT(set_pkgmgmt(guest, true, host), HasSubstr("externalized: vapt-get shares"));
	EXPECT_TRUE(pkgmgmt_external(guest));
	EXPECT_TRUE(std::filesystem::exists(guest.cfgdir / "apps/pkgmgmt/external"));
	EXPECT_THAT(set_pkgmgmt(guest, true, host), HasSubstr("externalized already"));
	EXPECT_THAT(set_pkgmgmt(guest, false, host), HasSubstr("internalized: vapt-get uses"));
	EXPECT_FALSE(pkgmgmt_external(guest));
	EXPECT_THAT(set_pkgmgmt(guest, false, host), HasSubstr("internalized already"));
}

} // namespace
} // namespace vserver::test
