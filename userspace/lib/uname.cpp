#include <vserver/uname.hpp>

#include <vserver/files.hpp>

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <stdexcept>
#include <strings.h>
#include <system_error>

namespace vserver {

namespace {

constexpr std::array<UtsTag, 7> tags{{
	{"context", VHIN_CONTEXT},
	{"sysname", VHIN_SYSNAME},
	{"nodename", VHIN_NODENAME},
	{"release", VHIN_RELEASE},
	{"version", VHIN_VERSION},
	{"machine", VHIN_MACHINE},
	{"domainname", VHIN_DOMAINNAME},
}};

// What is wrong with a value, if anything.
std::optional<std::string> value_problem(std::string_view value)
{
	if (value.size() > max_uts_value)
		return fmt::format("value of {} bytes is too long (at most {})", value.size(),
				   max_uts_value);
	if (value.find('\0') != std::string_view::npos)
		return "value contains a NUL byte";
	return std::nullopt;
}

void check_field(std::uint32_t field)
{
	if (field >= tags.size())
		throw std::out_of_range(fmt::format("no uts field {}", field));
}

} // namespace

std::span<const UtsTag> uts_tags()
{
	return tags;
}

std::string_view uts_tag_name(std::uint32_t field)
{
	check_field(field);
	return tags[field].name;
}

std::uint32_t parse_uts_tag(std::string_view tag)
{
	if (!tag.empty())
		for (const auto &t : tags)
			if (tag.size() <= t.name.size() &&
			    ::strncasecmp(t.name.data(), tag.data(), tag.size()) == 0)
				return t.field;
	throw std::invalid_argument(fmt::format(
		"unknown tag '{}' (context, sysname, nodename, release, version, machine, "
		"domainname)", tag));
}

void UtsChange::set(std::uint32_t field, std::string_view value)
{
	check_field(field);
	if (auto problem = value_problem(value))
		throw std::invalid_argument(fmt::format("{}: {}", tags[field].name, *problem));
	values_[field] = std::string(value);
}

void UtsChange::assign(std::string_view assignment)
{
	auto eq = assignment.find('=');
	if (eq == std::string_view::npos)
		throw std::invalid_argument(fmt::format(
			"invalid -t '{}': not TAG=VALUE", assignment));
	set(parse_uts_tag(assignment.substr(0, eq)), assignment.substr(eq + 1));
}

void UtsChange::merge(const UtsChange &other)
{
	for (std::size_t i = 0; i < values_.size(); i++)
		if (other.values_[i])
			values_[i] = other.values_[i];
}

const std::optional<std::string> &UtsChange::value(std::uint32_t field) const
{
	check_field(field);
	return values_[field];
}

bool UtsChange::empty() const
{
	for (const auto &v : values_)
		if (v)
			return false;
	return true;
}

UtsChange read_uts_dir(const std::filesystem::path &dir, bool missing_ok)
{
	UtsChange change;

	if (!config_dir_exists(dir, missing_ok))
		return change;
	for (const auto &tag : tags) {
		auto file = dir / tag.name;
		auto value = read_first_line(file);
		if (!value)
			continue;
		if (auto problem = value_problem(*value))
			throw std::invalid_argument(file.string() + ": " + *problem);
		change.set(tag.field, *value);
	}
	return change;
}

void apply_uts_change(Client &client, xid_t xid, const UtsChange &change)
{
	auto set = [&](const UtsTag &tag) {
		const auto &value = change.value(tag.field);
		if (!value)
			return;
		try {
			client.set_vhi_name(xid, tag.field, *value);
		} catch (const std::system_error &e) {
			throw std::system_error(e.code(), fmt::format("{}: set_vhi_name({})",
								      tag.name, xid));
		}
	};

	for (const auto &tag : tags)
		if (tag.field != VHIN_CONTEXT)
			set(tag);
	set(tags[VHIN_CONTEXT]);
}

UtsValues get_uts_values(Client &client, xid_t xid, std::span<const std::uint32_t> fields)
{
	UtsValues result;

	for (auto field : fields) {
		try {
			result.values.emplace_back(client.get_vhi_name(xid, field));
		} catch (const std::system_error &e) {
			result.values.emplace_back(std::nullopt);
			result.errors.push_back(fmt::format("{}: {}", uts_tag_name(field), e.what()));
		}
	}
	return result;
}

std::vector<std::uint32_t> parse_uts_tags(std::span<const std::string> names)
{
	std::vector<std::uint32_t> fields;

	if (names.empty())
		for (const auto &tag : tags)
			fields.push_back(tag.field);
	for (const auto &name : names)
		fields.push_back(parse_uts_tag(name));
	return fields;
}

std::string uts_line(const UtsValues &values)
{
	std::string line;
	const char *sep = "";

	for (const auto &value : values.values) {
		line += sep;
		line += value ? *value : "???";
		sep = " ";
	}
	return line + "\n";
}

} // namespace vserver
