#include <vserver/limits.hpp>

#include <vserver/files.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <strings.h>
#include <sys/resource.h>
#include <system_error>

namespace vserver {

namespace {

constexpr std::array<LimitName, 19> names{{
	{"cpu", RLIMIT_CPU},
	{"fsize", RLIMIT_FSIZE},
	{"data", RLIMIT_DATA},
	{"stack", RLIMIT_STACK},
	{"core", RLIMIT_CORE},
	{"rss", VLIMIT_RSS},
	{"nproc", VLIMIT_NPROC},
	{"nofile", VLIMIT_NOFILE},
	{"memlock", RLIMIT_MEMLOCK},
	{"as", VLIMIT_AS},
	{"locks", RLIMIT_LOCKS},
	{"msgqueue", RLIMIT_MSGQUEUE},
	{"nsock", VLIMIT_NSOCK},
	{"openfd", VLIMIT_OPENFD},
	{"anon", VLIMIT_ANON},
	{"shmem", VLIMIT_SHMEM},
	{"semary", VLIMIT_SEMARY},
	{"nsems", VLIMIT_NSEMS},
	{"dentry", VLIMIT_DENTRY},
}};

static_assert(RLIMIT_RSS == VLIMIT_RSS && RLIMIT_NPROC == VLIMIT_NPROC &&
	      RLIMIT_NOFILE == VLIMIT_NOFILE && RLIMIT_AS == VLIMIT_AS,
	      "the UAPI's resources are the RLIMIT_* numbers");

std::string all_names()
{
	std::string list;

	for (const auto &n : names) {
		if (!list.empty())
			list += ", ";
		list += n.name;
	}
	return list;
}

// A field of the limits and its option, for messages.
struct FieldInfo {
	unsigned field;
	std::optional<std::uint64_t> LimitValues::*member;
	std::uint32_t vcmd_ctx_rlimit_mask_v0::*mask;
	std::string_view what;	// "minimum", "soft limit", "hard limit"
	std::string_view suffix;	// of its file in the rlimits directory
};

constexpr std::array<FieldInfo, 3> fields{{
	{limit_minimum, &LimitValues::minimum, &vcmd_ctx_rlimit_mask_v0::minimum,
	 "minimum", ".min"},
	{limit_soft, &LimitValues::soft, &vcmd_ctx_rlimit_mask_v0::softlimit,
	 "soft limit", ".soft"},
	{limit_hard, &LimitValues::hard, &vcmd_ctx_rlimit_mask_v0::maximum,
	 "hard limit", ".hard"},
}};

// The names of the resources whose bit is set in bits, for messages.
std::string names_in(std::uint32_t bits)
{
	std::string list;

	for (std::uint32_t r = 0; r < 32; r++) {
		if (!(bits & (1u << r)))
			continue;
		if (!list.empty())
			list += ", ";
		list += limit_name(r);
	}
	return list.empty() ? "none" : list;
}

bool resource_in(std::uint32_t bits, std::uint32_t resource)
{
	return resource < 32 && (bits & (1u << resource));
}

} // namespace

std::span<const LimitName> limit_names()
{
	return names;
}

std::string limit_name(std::uint32_t resource)
{
	for (const auto &n : names)
		if (n.resource == resource)
			return std::string(n.name);
	return std::to_string(resource);
}

std::optional<std::uint32_t> find_limit(std::string_view name)
{
	for (const auto &n : names)
		if (n.name == name)
			return n.resource;
	return std::nullopt;
}

std::uint32_t parse_limit_name(std::string_view name)
{
	if (auto resource = find_limit(name))
		return *resource;
	throw std::invalid_argument(fmt::format("unknown resource '{}' ({})", name, all_names()));
}

std::uint64_t parse_limit_value(std::string_view text)
{
	auto bad = [&](std::string_view why) {
		return std::invalid_argument(fmt::format("invalid limit '{}': {}", text, why));
	};

	if (text.size() == 3 && ::strncasecmp(text.data(), "inf", 3) == 0)
		return CRLIM_INFINITY;
	if (text.empty())
		throw bad("empty");
	if (text.front() == '-')
		throw bad("negative");
	if (!std::isdigit(static_cast<unsigned char>(text.front())))
		throw bad("not a number (a decimal number or 'inf')");

	std::uint64_t value = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec == std::errc::result_out_of_range || (ec == std::errc() && value > max_limit_value))
		throw bad(fmt::format("too large (at most {}; 'inf' for no limit)",
				      max_limit_value));
	if (end != text.data() + text.size())
		throw bad(fmt::format("trailing '{}' after the number",
				      text.substr(static_cast<std::size_t>(end - text.data()))));
	return value;
}

std::string format_limit_value(std::uint64_t value, bool decimal)
{
	if (value == CRLIM_INFINITY)
		return "inf";
	return decimal ? fmt::format("{}", value) : fmt::format("{:#x}", value);
}

void set_limit(LimitChanges &changes, std::uint32_t resource, unsigned which,
	       std::uint64_t value)
{
	auto &values = changes[resource];

	for (const auto &f : fields)
		if (which & f.field)
			values.*f.member = value;
}

LimitChanges read_limits_dir(const std::filesystem::path &dir, bool missing_ok)
{
	LimitChanges changes;
	ConfigProblems problems;

	// sorted: DIR/<res> comes before DIR/<res>.*, which win over it
	for (const auto &file : config_dir_files(dir, missing_ok)) {
		std::string name = file.filename().string();
		std::string_view base = name;
		unsigned which = limit_minimum | limit_soft | limit_hard;
		for (const auto &f : fields)
			if (base.ends_with(f.suffix)) {
				base.remove_suffix(f.suffix.size());
				which = f.field;
				break;
			}
		auto resource = find_limit(base);
		if (!resource) {
			problems.add(fmt::format(
				"{}: unknown resource '{}' (files are RESOURCE or RESOURCE.min, "
				".soft, .hard; resources: {})", file.string(), base, all_names()));
			continue;
		}
		problems.read_value(file, [&](std::string_view text) {
			auto value = parse_limit_value(text);
			auto &values = changes[*resource];
			for (const auto &f : fields) {
				if (!(which & f.field))
					continue;
				values.*f.member = value;
				if (which != f.field && f.field != limit_hard)
					values.lenient |= f.field;
				else
					values.lenient &= ~f.field;
			}
		});
	}
	problems.throw_if_any();
	return changes;
}

void add_limits_from_dir(LimitChanges &changes, const LimitChanges &from_dir)
{
	for (const auto &[resource, values] : from_dir)
		changes.try_emplace(resource, values);
}

void check_limits(const LimitChanges &changes)
{
	for (const auto &[resource, values] : changes)
		if (values.soft && values.hard && *values.soft > *values.hard)
			throw std::invalid_argument(fmt::format(
				"{}: the soft limit {} is above the hard limit {}",
				limit_name(resource), format_limit_value(*values.soft, true),
				format_limit_value(*values.hard, true)));
}

void fit_limits_to_mask(LimitChanges &changes, const vcmd_ctx_rlimit_mask_v0 &mask)
{
	std::uint32_t any = mask.minimum | mask.softlimit | mask.maximum;

	for (auto &[resource, values] : changes) {
		auto name = limit_name(resource);
		if (!resource_in(any, resource))
			throw std::invalid_argument(fmt::format(
				"the kernel cannot limit {} (it limits: {})", name, names_in(any)));
		for (const auto &f : fields) {
			if (!(values.*f.member) || resource_in(mask.*f.mask, resource))
				continue;
			if (values.lenient & f.field) {
				values.*f.member = std::nullopt;
				continue;
			}
			throw std::invalid_argument(fmt::format(
				"the kernel has no {} for {} (only for: {})", f.what, name,
				names_in(mask.*f.mask)));
		}
	}
}

void apply_limits(Client &client, xid_t xid, const LimitChanges &changes)
{
	for (const auto &[resource, values] : changes) {
		try {
			client.set_rlimit(xid, resource, values.minimum.value_or(CRLIM_KEEP),
					  values.soft.value_or(CRLIM_KEEP),
					  values.hard.value_or(CRLIM_KEEP));
		} catch (const std::system_error &e) {
			throw std::system_error(e.code(), fmt::format("{}: set_rlimit({})",
								      limit_name(resource), xid));
		}
	}
}

std::string limits_table(Client &client, xid_t xid, const vcmd_ctx_rlimit_mask_v0 &mask,
			 bool numbers, bool decimal)
{
	std::uint32_t any = mask.minimum | mask.softlimit | mask.maximum;
	std::string table;

	for (std::uint32_t resource = 0; resource < 32; resource++) {
		if (!resource_in(any, resource))
			continue;
		vcmd_ctx_rlimit_v0 limit;
		try {
			limit = client.get_rlimit(xid, resource);
		} catch (const std::system_error &e) {
			throw std::system_error(e.code(), fmt::format("{}: get_rlimit({})",
								      limit_name(resource), xid));
		}
		std::string name = numbers ? std::to_string(resource) : limit_name(resource);
		std::transform(name.begin(), name.end(), name.begin(),
			       [](unsigned char c) { return std::toupper(c); });
		auto column = [&](std::uint32_t bits, std::uint64_t value) {
			return "  " + (resource_in(bits, resource) ?
				       format_limit_value(value, decimal) : std::string("N/A"));
		};
		table += fmt::format("{:<10}{:<20}{:<20}{}\n", name,
				     column(mask.minimum, limit.minimum),
				     column(mask.softlimit, limit.softlimit),
				     column(mask.maximum, limit.maximum));
	}
	return table;
}

} // namespace vserver
