#include <vserver/kill.hpp>

#include <fmt/format.h>

#include <charconv>
#include <stdexcept>
#include <system_error>

namespace vserver {

namespace {

pid_t parse_pid(std::string_view text)
{
	int value = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);

	if (text.empty() || text.front() == '+' || ec != std::errc() ||
	    end != text.data() + text.size())
		throw std::invalid_argument(fmt::format("invalid pid '{}': not a number", text));
	return value;
}

} // namespace

std::vector<pid_t> parse_pids(std::span<const std::string> args, bool have_xid)
{
	std::vector<pid_t> pids;

	if (args.empty() && !have_xid)
		throw std::invalid_argument("No pid specified");
	for (const auto &arg : args) {
		pid_t pid = parse_pid(arg);
		if (pid < -1)
			throw std::invalid_argument(fmt::format("invalid pid '{}': below -1", arg));
		if (pid < 1 && !have_xid)
			throw std::invalid_argument(fmt::format(
				"pid {} needs --xid (it means {} of the context)", pid,
				pid == 0 ? "every task" : "every task but the init"));
		pids.push_back(pid);
	}
	return pids;
}

std::vector<std::string> kill_tasks(Client &client, std::optional<xid_t> xid,
				    std::span<const pid_t> pids, int sig)
{
	std::vector<std::string> errors;

	if (pids.empty()) {
		if (!xid)
			throw std::invalid_argument("No pid specified");
		try {
			client.ctx_kill(*xid, 0, sig);
		} catch (const std::system_error &e) {
			errors.push_back(e.what());
		}
		return errors;
	}
	for (pid_t pid : pids) {
		try {
			xid_t target = xid ? *xid : client.task_xid(pid);
			if (target < VX_MIN_S_CONTEXT) {
				errors.push_back(fmt::format("pid {}: not in a context (xid {})",
							     pid, target));
				continue;
			}
			client.ctx_kill(target, pid, sig);
		} catch (const std::system_error &e) {
			errors.push_back(fmt::format("pid {}: {}", pid, e.what()));
		}
	}
	return errors;
}

} // namespace vserver
