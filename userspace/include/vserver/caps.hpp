// Linux capabilities by name (libcap's names) and a context's bounding
// set (bcaps).
#pragma once

#include <vserver/cflags.hpp>

#include <cstdint>
#include <string>

namespace vserver {

// Every capability this kernel interface knows (bit n = capability n).
std::uint64_t all_capabilities();

// "sys_time" (also "cap_sys_time", "CAP_SYS_TIME") -> CAP_SYS_TIME's bit.
const NameTable &capability_names();

// What util-vserver's --secure takes away from a context: everything
// that reaches the host or other contexts (modules, clock, reboot, raw
// devices and sockets, mounts, rlimits, mknod, ...); see
// Documentation/tools.md (vattribute).
std::uint64_t insecure_capabilities();

// Context capabilities (VXC_*) by util-vserver's names: "set_utsname"
// (also "utsname"), "syslog", "secure_mount" (also "mount"), ...
const NameTable &ccap_names();

// "ccaps: 0x0000000000000001 (set_utsname)\n"
std::string ccaps_line(std::uint64_t ccaps);

// "bcaps: 0x000001ffffffffff (all)\n", or the missing ones:
// "bcaps: 0x000001fffdffffff (~sys_time)\n".
std::string bcaps_line(std::uint64_t bcaps);

} // namespace vserver
