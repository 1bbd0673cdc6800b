// The token-bucket scheduler settings as vsched takes them: util-vserver's
// names, their values and its sched/ directory.
#pragma once

#include <vserver/client.hpp>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace vserver {

// One setting of struct vcmd_sched_v5.
struct SchedSetting {
	std::string_view name;	// util-vserver's, e.g. "tokens-min"
	std::uint32_t mask;	// VXSM_*
	std::int32_t min, max;	// the values the kernel takes
	std::string_view what;	// for --help
};

// fill-rate interval tokens tokens-min tokens-max prio-bias fill-rate2
// interval2 cpu-id bucket-id, in that order.
std::span<const SchedSetting> sched_settings();

// The setting of a name: util-vserver's, with '-' or '_' ("tokens_min"),
// and "priority-bias" for prio-bias; nullptr if none.
const SchedSetting *find_sched_setting(std::string_view name);

// The value of a setting: a decimal integer (a leading '-' allowed) in
// setting.min..max.  Throws std::invalid_argument naming the setting and
// the text, e.g. "invalid interval '0': at least 1" or "invalid prio-bias
// '30': -20 to 20".
std::int32_t parse_sched_value(const SchedSetting &setting, std::string_view text);

// What vsched sets: the settings given and the flags (VXSM_IDLE_TIME,
// VXSM_FORCE, VXSM_MSEC); mask() says which.
class SchedChange {
public:
	// Set a setting (by any of its names) from text (parse_sched_value);
	// a later value wins.  Throws std::invalid_argument.
	void set(std::string_view name, std::string_view text);
	void set(const SchedSetting &setting, std::int32_t value);
	void set_flag(std::uint32_t flag) { mask_ |= flag; }

	// Add another change; its values win.
	void merge(const SchedChange &other);

	std::uint32_t mask() const { return mask_; }
	bool empty() const { return mask_ == 0; }

	// The struct for set_sched: base (what get_sched said, so that no
	// field the change leaves alone holds a value the kernel might
	// refuse) with the settings given, mask = mask(), and cpu_id and
	// bucket_id 0 unless given.
	vcmd_sched_v5 apply_to(vcmd_sched_v5 base) const;

	// The same settings with the same values, the same flags.
	bool operator==(const SchedChange &other) const;

private:
	vcmd_sched_v5 values_{};
	std::uint32_t mask_ = 0;
};

// util-vserver's sched directory (/etc/vservers/NAME/sched): a file per
// setting, named as find_sched_setting takes them, holding its value on
// its first line (blanks around it are ignored); a file idle-time (or
// idle_time), whatever it holds, sets VXSM_IDLE_TIME.  The deprecated
// file "schedule" and subdirectories (per-CPU buckets) are ignored, as
// are files whose name begins with '.'.  A DIR that does not exist gives
// no change with missing_ok.  Everything wrong is collected and thrown as
// one std::invalid_argument with one line per problem, e.g.
// "DIR/interval:1: invalid interval '0': at least 1" or "DIR/bogus:
// unknown setting 'bogus' (...)"; nothing is applied then.
SchedChange read_sched_dir(const std::filesystem::path &dir, bool missing_ok);

// vsched --get: "name=value" lines, the settings of get_sched in
// sched_settings() order without cpu-id and bucket-id, then what
// sched_info says: user-msec, sys-msec, hold-msec, token-usec.
std::string sched_lines(const vcmd_sched_v5 &sched, const vcmd_sched_info &info);

} // namespace vserver
