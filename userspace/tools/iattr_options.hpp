// setattr's attribute options (--barrier, --~barrier, --!barrier, ...,
// --flags LIST), shared by setattr and vattr-image.
#pragma once

#include <vserver/iattr.hpp>

#include <CLI/CLI.hpp>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace tool {

struct IattrOptionHelp {
	std::string_view name;
	std::string_view help;
};

// In the order util-vserver's usage line has them; "immu" (an old alias
// of iunlink) is accepted but not shown.
inline constexpr std::array iattr_option_help{
	IattrOptionHelp{"barrier", "Barrier: no context passes the directory"},
	IattrOptionHelp{"iunlink", "Immutable but may be unlinked (immutable, ixunlink)"},
	IattrOptionHelp{"iunlink-but-not-immutable", "ixunlink alone"},
	IattrOptionHelp{"ixunlink", "The same as --iunlink-but-not-immutable"},
	IattrOptionHelp{"immutable", "Immutable"},
	IattrOptionHelp{"cow", "Copy on write: unshare a hard-linked file when written"},
	IattrOptionHelp{"admin", "/proc entry: the host sees it"},
	IattrOptionHelp{"watch", "/proc entry: the spectator sees it"},
	IattrOptionHelp{"hide", "/proc entry: hidden from contexts"},
	IattrOptionHelp{"write", "/proc entry: contexts may write it"},
	IattrOptionHelp{"immu", ""},
};

// Registers the options on app; after a successful parse, change()
// gives what they ask for (it throws std::invalid_argument for an
// unknown name in a --flags list).
class IattrOptions {
public:
	explicit IattrOptions(CLI::App &app)
	{
		for (const auto &o : iattr_option_help) {
			std::string name(o.name);
			auto *set = app.add_flag_callback(
				"--" + name, [this, name] { change_.add(name); },
				std::string(o.help));
			auto *clear = app.add_flag_callback("--~" + name,
							    [this, name] { change_.add("~" + name); },
							    "Clear " + name);
			clear->group("");
			if (o.help.empty())
				set->group("");
		}
		app.add_option("--flags", lists_,
			       "Attributes to set, or with ~ or ! to clear, as a list")
			->type_name("LIST")->allow_extra_args(false);
	}

	vserver::IattrChange change() const
	{
		vserver::IattrChange c = change_;

		for (const auto &list : lists_)
			c.add_list(list);
		return c;
	}

private:
	vserver::IattrChange change_;
	std::vector<std::string> lists_;
};

} // namespace tool
