#include <vserver/sched.hpp>

#include <vserver/files.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <map>
#include <stdexcept>

namespace vserver {

namespace {

constexpr std::int32_t int_max = std::numeric_limits<std::int32_t>::max();

constexpr std::array<SchedSetting, 10> settings{{
	{"fill-rate", VXSM_FILL_RATE, 0, int_max, "Tokens added every interval"},
	{"interval", VXSM_INTERVAL, 1, int_max, "Ticks between two refills"},
	{"tokens", VXSM_TOKENS, 0, int_max, "Tokens in the bucket now"},
	{"tokens-min", VXSM_TOKENS_MIN, 0, int_max, "Tokens an empty bucket waits for"},
	{"tokens-max", VXSM_TOKENS_MAX, 0, int_max, "Tokens the bucket holds at most"},
	{"prio-bias", VXSM_PRIO_BIAS, VX_MIN_PRIO_BIAS, VX_MAX_PRIO_BIAS,
	 "Priority bias, a nice value"},
	{"fill-rate2", VXSM_FILL_RATE2, 0, int_max, "Fill rate while the CPU is idle"},
	{"interval2", VXSM_INTERVAL2, 1, int_max, "Interval of --fill-rate2"},
	{"cpu-id", VXSM_CPU_ID, -1, 0, "CPU of the bucket: 0 or -1"},
	{"bucket-id", VXSM_BUCKET_ID, -1, 0, "Bucket: 0 or -1"},
}};

// The field of struct vcmd_sched_v5 a setting (VXSM_* bit) lives in.
std::int32_t &field(vcmd_sched_v5 &sched, std::uint32_t mask)
{
	switch (mask) {
	case VXSM_FILL_RATE: return sched.fill_rate[0];
	case VXSM_INTERVAL: return sched.interval[0];
	case VXSM_FILL_RATE2: return sched.fill_rate[1];
	case VXSM_INTERVAL2: return sched.interval[1];
	case VXSM_TOKENS: return sched.tokens;
	case VXSM_TOKENS_MIN: return sched.tokens_min;
	case VXSM_TOKENS_MAX: return sched.tokens_max;
	case VXSM_PRIO_BIAS: return sched.prio_bias;
	case VXSM_CPU_ID: return sched.cpu_id;
	case VXSM_BUCKET_ID: return sched.bucket_id;
	}
	throw std::logic_error(fmt::format("no sched setting {:#x}", mask));
}

std::int32_t field(const vcmd_sched_v5 &sched, std::uint32_t mask)
{
	return field(const_cast<vcmd_sched_v5 &>(sched), mask);
}

// The files of the sched directory that are no setting.
bool is_idle_time(std::string_view name)
{
	return name == "idle-time" || name == "idle_time";
}

std::string all_names()
{
	std::string list;

	for (const auto &s : settings)
		list += std::string(s.name) + ", ";
	return list + "idle-time";
}

std::string range_of(const SchedSetting &s)
{
	if (s.min == -1 && s.max == 0)
		return "0 or -1 (there is one bucket per context)";
	if (s.max == int_max)
		return fmt::format("at least {}", s.min);
	return fmt::format("from {} to {}", s.min, s.max);
}

} // namespace

std::span<const SchedSetting> sched_settings()
{
	return settings;
}

const SchedSetting *find_sched_setting(std::string_view name)
{
	std::string canonical(name);

	std::replace(canonical.begin(), canonical.end(), '_', '-');
	if (canonical == "priority-bias")
		canonical = "prio-bias";
	for (const auto &s : settings)
		if (s.name == canonical)
			return &s;
	return nullptr;
}

std::int32_t parse_sched_value(const SchedSetting &setting, std::string_view text)
{
	auto bad = [&](std::string_view why) {
		return std::invalid_argument(fmt::format("invalid {} '{}': {}", setting.name,
							 text, why));
	};

	std::string_view digits = text;
	if (digits.starts_with('-'))
		digits.remove_prefix(1);
	if (digits.empty() || digits.front() < '0' || digits.front() > '9')
		throw bad("not an integer");

	std::int64_t value = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec == std::errc() && end != text.data() + text.size())
		throw bad(fmt::format("trailing '{}' after the number",
				      text.substr(static_cast<std::size_t>(end - text.data()))));
	if (ec != std::errc() || value < setting.min || value > setting.max)
		throw bad("must be " + range_of(setting));
	return static_cast<std::int32_t>(value);
}

void SchedChange::set(std::string_view name, std::string_view text)
{
	const SchedSetting *setting = find_sched_setting(name);

	if (!setting)
		throw std::invalid_argument(fmt::format("unknown setting '{}' ({})", name,
							all_names()));
	set(*setting, parse_sched_value(*setting, text));
}

void SchedChange::set(const SchedSetting &setting, std::int32_t value)
{
	field(values_, setting.mask) = value;
	mask_ |= setting.mask;
}

void SchedChange::merge(const SchedChange &other)
{
	for (const auto &s : settings)
		if (other.mask_ & s.mask)
			set(s, field(other.values_, s.mask));
	mask_ |= other.mask_;
}

bool SchedChange::operator==(const SchedChange &other) const
{
	if (mask_ != other.mask_)
		return false;
	for (const auto &s : settings)
		if ((mask_ & s.mask) && field(values_, s.mask) != field(other.values_, s.mask))
			return false;
	return true;
}

vcmd_sched_v5 SchedChange::apply_to(vcmd_sched_v5 base) const
{
	base.cpu_id = 0;
	base.bucket_id = 0;
	for (const auto &s : settings)
		if (mask_ & s.mask)
			field(base, s.mask) = field(values_, s.mask);
	base.mask = mask_;
	return base;
}

SchedChange read_sched_dir(const std::filesystem::path &dir, bool missing_ok)
{
	SchedChange change;
	ConfigProblems problems;
	std::map<std::uint32_t, std::filesystem::path> seen;	// setting -> its file

	for (const auto &file : config_dir_files(dir, missing_ok)) {
		std::string name = file.filename().string();
		// util-vserver's deprecated six-line file
		if (name == "schedule")
			continue;
		if (is_idle_time(name)) {
			change.set_flag(VXSM_IDLE_TIME);
			continue;
		}
		const SchedSetting *setting = find_sched_setting(name);
		if (!setting) {
			problems.add(fmt::format("{}: unknown setting '{}' ({})", file.string(),
						 name, all_names()));
			continue;
		}
		if (auto [it, fresh] = seen.try_emplace(setting->mask, file); !fresh) {
			problems.add(fmt::format("{}: {} is set by {} already", file.string(),
						 setting->name, it->second.string()));
			continue;
		}
		problems.read_value(file, [&](std::string_view text) {
			change.set(*setting, parse_sched_value(*setting, text));
		});
	}
	problems.throw_if_any();
	return change;
}

std::string sched_lines(const vcmd_sched_v5 &sched, const vcmd_sched_info &info)
{
	std::string lines;

	for (const auto &s : settings)
		if (s.mask != VXSM_CPU_ID && s.mask != VXSM_BUCKET_ID)
			lines += fmt::format("{}={}\n", s.name, field(sched, s.mask));
	lines += fmt::format("user-msec={}\n", info.user_msec);
	lines += fmt::format("sys-msec={}\n", info.sys_msec);
	lines += fmt::format("hold-msec={}\n", info.hold_msec);
	lines += fmt::format("token-usec={}\n", info.token_usec);
	return lines;
}

} // namespace vserver
