// The address options of naddress and chbind (--ip, --mask, --range,
// --bcast, --lback), read back in command-line order, since a --mask
// applies to the --ip options after it.
#pragma once

#include <vserver/naddr.hpp>

#include <CLI/CLI.hpp>

#include <array>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tool {

class AddressOptions {
public:
	using Kind = vserver::AddressOption::Kind;

	// Registers the options of kinds on app; ip_type is how --help
	// writes --ip's argument.
	AddressOptions(CLI::App &app, std::initializer_list<Kind> kinds,
		       std::string ip_type = "IP[/M]")
	{
		for (Kind kind : kinds) {
			auto [type, help] = describe(kind);
			auto *option = app.add_option(std::string(vserver::option_name(kind)),
						      values_[kind], help)
					       ->type_name(kind == Kind::ip ? ip_type : type)
					       ->allow_extra_args(false);
			options_.emplace_back(option, kind);
		}
	}

	// After a successful parse: every address option given, in order.
	std::vector<vserver::AddressOption> given(const CLI::App &app) const
	{
		std::vector<vserver::AddressOption> out;
		std::map<const CLI::Option *, std::size_t> used;

		for (const CLI::Option *option : app.parse_order())
			for (const auto &[registered, kind] : options_)
				if (registered == option)
					out.push_back({kind, option->results().at(used[option]++)});
		return out;
	}

private:
	static std::pair<std::string, std::string> describe(Kind kind)
	{
		switch (kind) {
		case Kind::ip:
			return {"IP[/M]", "Address, IPv4 or IPv6; /M: its prefix length or IPv4 netmask"};
		case Kind::mask:
			return {"M", "Netmask or prefix length of the --ip options after it; "
				     "NET/M: a network"};
		case Kind::range:
			return {"A-B", "The IPv4 addresses A to B, both included"};
		case Kind::bcast:
			return {"B", "The broadcast address (IPv4)"};
		case Kind::lback:
			return {"L", "The loopback address (IPv4)"};
		}
		return {};
	}

	std::array<std::vector<std::string>, 5> values_;
	std::vector<std::pair<const CLI::Option *, Kind>> options_;
};

} // namespace tool
