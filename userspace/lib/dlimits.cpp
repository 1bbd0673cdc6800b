#include <vserver/dlimits.hpp>

#include <vserver/files.hpp>

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vserver {

namespace fs = std::filesystem;

namespace {

struct DlimitField {
	std::string_view name;
	std::uint32_t vcmd_ctx_dlimit_v0::*field;
};

// In util-vserver's order (vdlimit's listing).
constexpr std::array fields{
	DlimitField{"space_used", &vcmd_ctx_dlimit_v0::space_used},
	DlimitField{"space_total", &vcmd_ctx_dlimit_v0::space_total},
	DlimitField{"inodes_used", &vcmd_ctx_dlimit_v0::inodes_used},
	DlimitField{"inodes_total", &vcmd_ctx_dlimit_v0::inodes_total},
	DlimitField{"reserved", &vcmd_ctx_dlimit_v0::reserved},
};

constexpr const char *field_names = "space_used, space_total, inodes_used, inodes_total, "
				    "reserved";

// A used value above its total (neither KEEP nor INFINITY).
void check_pair(const vcmd_ctx_dlimit_v0 &limit, std::uint32_t vcmd_ctx_dlimit_v0::*used,
		std::uint32_t vcmd_ctx_dlimit_v0::*total, std::string_view what)
{
	std::uint32_t u = limit.*used, t = limit.*total;
	auto given = [](std::uint32_t v) { return v != CDLIM_KEEP && v != CDLIM_INFINITY; };

	if (given(u) && given(t) && u > t)
		throw std::invalid_argument(fmt::format("{}_used {} is above {}_total {}", what, u,
							what, t));
}

std::string format_value(std::uint32_t value)
{
	return value == CDLIM_INFINITY ? "-1" : std::to_string(value);
}

} // namespace

vcmd_ctx_dlimit_v0 unchanged_dlimit()
{
	vcmd_ctx_dlimit_v0 limit{};

	for (const auto &f : fields)
		limit.*f.field = CDLIM_KEEP;
	limit.flags = 0;
	return limit;
}

std::uint32_t parse_dlimit_value(std::string_view name, std::string_view text)
{
	const bool percent = name == "reserved";
	auto bad = [&](std::string_view why) {
		return std::invalid_argument(fmt::format("invalid {} '{}': {}", name, text, why));
	};

	if (text == "inf" || text == "-1") {
		if (percent)
			throw bad("a percentage, 0..100");
		return CDLIM_INFINITY;
	}
	if (text.empty() || text.find_first_not_of("0123456789") != text.npos)
		throw bad(percent ? "not a decimal number (a percentage, 0..100)"
				  : "not a decimal number or 'inf'");
	std::uint64_t value = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec != std::errc() || end != text.data() + text.size() || value > max_dlimit_value)
		throw bad(fmt::format("too large (at most {}, or 'inf')", max_dlimit_value));
	if (percent && value > 100)
		throw bad("a percentage, 0..100");
	return static_cast<std::uint32_t>(value);
}

void set_dlimit_field(vcmd_ctx_dlimit_v0 &limit, std::string_view assignment)
{
	auto eq = assignment.find('=');
	if (eq == assignment.npos)
		throw std::invalid_argument(fmt::format("--set '{}': say LIMIT=VALUE ({})",
							assignment, field_names));
	auto name = assignment.substr(0, eq);
	for (const auto &f : fields) {
		if (f.name != name)
			continue;
		if (limit.*f.field != CDLIM_KEEP)
			throw std::invalid_argument(fmt::format("--set '{}': {} is given twice",
								assignment, name));
		limit.*f.field = parse_dlimit_value(name, assignment.substr(eq + 1));
		return;
	}
	throw std::invalid_argument(fmt::format("--set '{}': unknown limit '{}' ({})", assignment,
						name, field_names));
}

void check_dlimit(const vcmd_ctx_dlimit_v0 &limit)
{
	check_pair(limit, &vcmd_ctx_dlimit_v0::space_used, &vcmd_ctx_dlimit_v0::space_total,
		   "space");
	check_pair(limit, &vcmd_ctx_dlimit_v0::inodes_used, &vcmd_ctx_dlimit_v0::inodes_total,
		   "inodes");
}

std::string format_dlimit(std::uint32_t tag, std::string_view path, const vcmd_ctx_dlimit_v0 &limit)
{
	std::string text = fmt::format("{} {}\n", tag, path);

	for (const auto &f : fields)
		text += fmt::format("{}={}\n", f.name, format_value(limit.*f.field));
	return text;
}

bool apply_dlimit(Client &client, std::uint32_t tag, std::string_view path,
		  const vcmd_ctx_dlimit_v0 &limit)
{
	bool added = true;

	try {
		client.add_dlimit(tag, path);
	} catch (const std::system_error &e) {
		if (e.code() != std::errc::file_exists)
			throw;
		added = false;
	}
	try {
		client.set_dlimit(tag, path, limit);
	} catch (const std::system_error &) {
		if (added) {
			try {
				client.rem_dlimit(tag, path);
			} catch (const std::system_error &) {
				// the refusal below is what matters
			}
		}
		throw;
	}
	return added;
}

std::string dlimit_error_message(const std::system_error &e)
{
	std::string msg = e.what();

	switch (e.code().value()) {
	case EINVAL:
		msg += " (a total below what is used, or a used value other than the one "
		       "the quota counts)";
		break;
	case EOPNOTSUPP:
		msg += " (not a filesystem with project quota: ext4 with the project "
		       "feature, mounted with prjquota)";
		break;
	case ESRCH:
		msg += " (there is no disk limit for that tag there)";
		break;
	case EPERM:
		msg += " (only root on the host changes disk limits)";
		break;
	}
	return msg;
}

vcmd_ctx_dlimit_v0 guest_dlimit_values(const GuestDlimit &dlimit)
{
	vcmd_ctx_dlimit_v0 limit = unchanged_dlimit();

	limit.space_total = dlimit.space_total;
	limit.inodes_total = dlimit.inodes_total;
	limit.reserved = dlimit.reserved;
	return limit;
}

void apply_guest_dlimits(Client &client, std::uint32_t tag, const std::vector<GuestDlimit> &dlimits,
			 const fs::path &record)
{
	if (dlimits.empty())
		return;
	fs::create_directories(record.parent_path());
	{
		std::ofstream out(record, std::ios::trunc);
		out << "# disk limits of the guest (vserver start): TAG DIRECTORY\n";
		for (const auto &d : dlimits)
			out << tag << ' ' << d.directory.string() << '\n';
		out.flush();
		if (!out)
			throw std::system_error(errno ? errno : EIO, std::generic_category(),
						record.string());
	}
	for (const auto &d : dlimits) {
		try {
			apply_dlimit(client, tag, d.directory.string(), guest_dlimit_values(d));
		} catch (const std::system_error &e) {
			throw std::runtime_error(fmt::format("{}: {}", d.config.string(),
							     dlimit_error_message(e)));
		}
	}
}

void remove_guest_dlimits(Client &client, const fs::path &record,
			  const std::function<void(std::string_view)> &say)
{
	std::error_code ec;
	if (!fs::exists(record, ec))
		return;
	std::string text;
	try {
		text = read_file(record);
	} catch (const std::system_error &e) {
		say(fmt::format("could not read the disk limits to remove: {}", e.what()));
		return;
	}
	std::istringstream lines(text);
	for (std::string line; std::getline(lines, line);) {
		if (line.empty() || line.front() == '#')
			continue;
		auto blank = line.find(' ');
		std::uint32_t tag = 0;
		auto [end, err] = std::from_chars(line.data(), line.data() + line.size(), tag);
		if (blank == line.npos || err != std::errc() || end != line.data() + blank) {
			say(fmt::format("{}: passed over a line that is no 'TAG DIRECTORY': {}",
					record.string(), line));
			continue;
		}
		std::string directory = line.substr(blank + 1);
		try {
			client.rem_dlimit(tag, directory);
		} catch (const std::system_error &e) {
			if (e.code() != std::errc::no_such_process)
				say(fmt::format("could not remove the disk limit: {}",
						dlimit_error_message(e)));
		}
	}
	fs::remove(record, ec);
}

} // namespace vserver
