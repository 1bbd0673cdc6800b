#include <vserver/signal.hpp>

#include <array>
#include <cctype>
#include <charconv>
#include <csignal>
#include <stdexcept>
#include <string>

namespace vserver {

namespace {

struct SignalName {
	std::string_view name;
	int number;
};

constexpr std::array signals{
	SignalName{"HUP", SIGHUP},	SignalName{"INT", SIGINT},
	SignalName{"QUIT", SIGQUIT},	SignalName{"ILL", SIGILL},
	SignalName{"TRAP", SIGTRAP},	SignalName{"ABRT", SIGABRT},
	SignalName{"IOT", SIGIOT},	SignalName{"BUS", SIGBUS},
	SignalName{"FPE", SIGFPE},	SignalName{"KILL", SIGKILL},
	SignalName{"USR1", SIGUSR1},	SignalName{"SEGV", SIGSEGV},
	SignalName{"USR2", SIGUSR2},	SignalName{"PIPE", SIGPIPE},
	SignalName{"ALRM", SIGALRM},	SignalName{"TERM", SIGTERM},
	SignalName{"STKFLT", SIGSTKFLT}, SignalName{"CHLD", SIGCHLD},
	SignalName{"CLD", SIGCHLD},	SignalName{"CONT", SIGCONT},
	SignalName{"STOP", SIGSTOP},	SignalName{"TSTP", SIGTSTP},
	SignalName{"TTIN", SIGTTIN},	SignalName{"TTOU", SIGTTOU},
	SignalName{"URG", SIGURG},	SignalName{"XCPU", SIGXCPU},
	SignalName{"XFSZ", SIGXFSZ},	SignalName{"VTALRM", SIGVTALRM},
	SignalName{"PROF", SIGPROF},	SignalName{"WINCH", SIGWINCH},
	SignalName{"IO", SIGIO},	SignalName{"POLL", SIGPOLL},
	SignalName{"PWR", SIGPWR},	SignalName{"SYS", SIGSYS},
};

constexpr int max_signal = 64;	// _NSIG - 1 on Linux

std::string upper(std::string_view text)
{
	std::string out(text);

	for (auto &c : out)
		c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	return out;
}

} // namespace

int parse_signal(std::string_view text)
{
	auto bad = [&](const char *why) {
		return std::invalid_argument("invalid signal '" + std::string(text) +
					     "': " + why);
	};

	if (text.empty())
		throw bad("empty");
	if (text.front() >= '0' && text.front() <= '9') {
		int value = 0;
		auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
		if (ec == std::errc::result_out_of_range)
			throw bad("out of range 0..64");
		if (ec != std::errc() || end != text.data() + text.size())
			throw bad("not a number or a name");
		if (value > max_signal)
			throw bad("out of range 0..64");
		return value;
	}

	std::string name = upper(text);
	if (name.starts_with("SIG"))
		name.erase(0, 3);
	for (const auto &s : signals)
		if (s.name == name)
			return s.number;
	throw bad("unknown name");
}

} // namespace vserver
