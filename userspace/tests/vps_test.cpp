// vps: the context column in ps output of both flavours.
#include "mock_transport.hpp"

#include <vserver/vps.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>
#include <random>

namespace vserver::test {
namespace {

using ::testing::AllOf;
using ::testing::Field;
using ::testing::Invoke;
using ::testing::Return;
using ::testing::StrictMock;

// pid -> context, as a table; pids not in it are gone.
ContextLookup table(std::map<pid_t, TaskContext> contexts, std::vector<pid_t> *asked = nullptr)
{
	return [contexts, asked](pid_t pid) -> std::optional<TaskContext> {
		if (asked)
			asked->push_back(pid);
		auto it = contexts.find(pid);
		if (it == contexts.end())
			return std::nullopt;
		return it->second;
	};
}

const std::map<pid_t, TaskContext> contexts{
	{1, {0, ""}}, {2, {0, ""}}, {4242, {40001, "web"}}, {4243, {42, ""}},
	{777, {1, ""}}, {123456, {49152, "db"}},
};

TEST(InsertContextColumn, ProcpsHeader)
{
	std::string ps =
		"  PID TTY          TIME CMD\n"
		"    1 ?        00:00:03 init\n"
		" 4242 ?        00:00:00 sshd\n"
		" 4243 pts/0    00:00:00 sh\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "  PID   CTX NAME TTY          TIME CMD\n"
		  "    1     0 MAIN ?        00:00:03 init\n"
		  " 4242 40001 web  ?        00:00:00 sshd\n"
		  " 4243    42 -    pts/0    00:00:00 sh\n");
}

TEST(InsertContextColumn, ProcpsUserFirst)
{
	std::string ps =
		"USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n"
		"root           1  0.0  0.1 167000 11000 ?        Ss   08:00   0:03 /sbin/init\n"
		"nobody      4242  0.0  0.0   2000   800 ?        S    08:01   0:00 sleep 600\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "USER         PID   CTX NAME %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n"
		  "root           1     0 MAIN  0.0  0.1 167000 11000 ?        Ss   08:00   0:03 /sbin/init\n"
		  "nobody      4242 40001 web   0.0  0.0   2000   800 ?        S    08:01   0:00 sleep 600\n");
}

TEST(InsertContextColumn, OldBusyboxHeader)
{
	std::string ps =
		"  PID USER       TIME  COMMAND\n"
		"    1 root       0:01 init\n"
		"  777 root       0:00 ps\n"
		" 4242 root       0:00 sleep 600\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "  PID   CTX NAME     USER       TIME  COMMAND\n"
		  "    1     0 MAIN     root       0:01 init\n"
		  "  777     1 ALL_PROC root       0:00 ps\n"
		  " 4242 40001 web      root       0:00 sleep 600\n");
}

TEST(InsertContextColumn, BusyboxHeaderLeftOfRightAlignedPids)
{
	// busybox 1.3x: "PID" is left-aligned, the numbers right-aligned in 5.
	std::string ps =
		"PID   USER     TIME  COMMAND\n"
		"    1 root      0:01 init\n"
		" 4242 root      0:00 sleep 600\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "PID     CTX NAME USER     TIME  COMMAND\n"
		  "    1     0 MAIN root      0:01 init\n"
		  " 4242 40001 web  root      0:00 sleep 600\n");
}

TEST(InsertContextColumn, WidePidsPushOnlyTheirOwnRow)
{
	// busybox prints a 6-digit pid without a gap before USER; the header
	// and the other rows stay as they are.
	std::string ps =
		"PID   USER     TIME  COMMAND\n"
		"    1 root      0:01 init\n"
		"123456 root      0:00 db\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "PID     CTX NAME USER     TIME  COMMAND\n"
		  "    1     0 MAIN root      0:01 init\n"
		  "123456 49152 db   root      0:00 db\n");
}

TEST(InsertContextColumn, GoneTasksSayErr)
{
	std::string ps =
		"  PID TTY          TIME CMD\n"
		" 9999 ?        00:00:00 gone\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "  PID   CTX NAME TTY          TIME CMD\n"
		  " 9999   ERR -    ?        00:00:00 gone\n");
}

TEST(InsertContextColumn, RowsWithoutAPidPassUnchanged)
{
	std::vector<pid_t> asked;
	std::string ps =
		"  PID TTY          TIME CMD\n"
		"    1 ?        00:00:03 init\n"
		"\n"
		"  abc not a process line\n"
		"short\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts, &asked)),
		  "  PID   CTX NAME TTY          TIME CMD\n"
		  "    1     0 MAIN ?        00:00:03 init\n"
		  "\n"
		  "  abc not a process line\n"
		  "short\n");
	EXPECT_EQ(asked, std::vector<pid_t>{1});
}

TEST(InsertContextColumn, NoPidHeaderMeansNoChange)
{
	std::vector<pid_t> asked;
	std::string ps = "  TTY          TIME CMD\n    1 ?        00:00:03 init\n";
	EXPECT_EQ(insert_context_column(ps, table(contexts, &asked)), ps);
	EXPECT_EQ(insert_context_column("", table(contexts, &asked)), "");
	EXPECT_EQ(insert_context_column("  PPID CMD\n    1 init\n", table(contexts, &asked)),
		  "  PPID CMD\n    1 init\n");
	EXPECT_TRUE(asked.empty());
}

TEST(InsertContextColumn, PidAsLastFieldAndNoFinalNewline)
{
	std::string ps =
		"CMD                PID\n"
		"init                 1\n"
		"sshd              4242";
	EXPECT_EQ(insert_context_column(ps, table(contexts)),
		  "CMD                PID   CTX NAME\n"
		  "init                 1     0 MAIN\n"
		  "sshd              4242 40001 web");
}

TEST(InsertContextColumn, LongNamesAreCut)
{
	std::string ps = "  PID CMD\n 4242 sshd\n";
	auto lookup = table({{4242, {40001, "a-very-long-vserver-name-indeed"}}});
	EXPECT_EQ(insert_context_column(ps, lookup),
		  "  PID   CTX NAME                 CMD\n"
		  " 4242 40001 a-very-long-vserver- sshd\n");
}

// The first implementation of insert_context_column (split into lines,
// fields per line, fmt per row), kept as the reference the faster one must
// match byte for byte.
std::string reference_insert(std::string_view ps_output, const ContextLookup &lookup)
{
	struct F {
		std::size_t start, end;
	};
	auto fields_of = [](std::string_view line) {
		std::vector<F> out;
		std::size_t pos = 0;
		for (;;) {
			pos = line.find_first_not_of(" \t", pos);
			if (pos == line.npos)
				return out;
			std::size_t end = std::min(line.find_first_of(" \t", pos), line.size());
			out.push_back({pos, end});
			pos = end;
		}
	};
	struct T {
		std::size_t line, pid_end, next_start;
		std::string xid, name;
	};
	std::vector<std::string_view> lines;
	for (std::size_t pos = 0; pos < ps_output.size();) {
		std::size_t end = ps_output.find('\n', pos);
		if (end == ps_output.npos)
			end = ps_output.size();
		lines.push_back(ps_output.substr(pos, end - pos));
		pos = end + 1;
	}
	if (lines.empty())
		return std::string(ps_output);
	auto header = fields_of(lines[0]);
	auto pid_field = std::find_if(header.begin(), header.end(), [&](const F &f) {
		return lines[0].substr(f.start, f.end - f.start) == "PID";
	});
	if (pid_field == header.end())
		return std::string(ps_output);
	std::size_t index = pid_field - header.begin();
	auto target_of = [&](std::size_t line, const std::vector<F> &fields) {
		T t{line, fields[index].end, lines[line].size() + 1, {}, {}};
		if (index + 1 < fields.size())
			t.next_start = fields[index + 1].start;
		return t;
	};
	std::vector<T> targets{target_of(0, header)};
	targets[0].xid = "CTX";
	targets[0].name = "NAME";
	for (std::size_t i = 1; i < lines.size(); i++) {
		auto fields = fields_of(lines[i]);
		if (fields.size() <= index)
			continue;
		std::string_view text = lines[i].substr(fields[index].start,
							fields[index].end - fields[index].start);
		pid_t pid = 0;
		auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
		if (ec != std::errc() || end != text.data() + text.size() || pid < 0)
			continue;
		T t = target_of(i, fields);
		if (auto context = lookup(pid)) {
			t.xid = std::to_string(context->xid);
			t.name = vps_display_name(*context).substr(0, 20);
		} else {
			t.xid = "ERR";
			t.name = "-";
		}
		targets.push_back(std::move(t));
	}
	std::size_t column = 0, width = 0;
	for (const auto &t : targets) {
		column = std::max(column, t.pid_end);
		width = std::max(width, t.name.size());
	}
	std::vector<std::string> out(lines.begin(), lines.end());
	for (const auto &t : targets) {
		std::size_t at = std::max(t.pid_end, std::min(column, t.next_start - 1));
		std::string &line = out[t.line];
		std::string segment = fmt::format(" {:>5} {:<{}}", t.xid, t.name, width);
		if (at >= line.size()) {
			at = line.size();
			segment.erase(segment.find_last_not_of(' ') + 1);
		}
		line.insert(at, segment);
	}
	std::string result;
	for (std::size_t i = 0; i < out.size(); i++) {
		result += out[i];
		if (i + 1 < out.size() || ps_output.ends_with('\n'))
			result += '\n';
	}
	return result;
}

// Random ps-like output: headers with PID anywhere (or missing), rows with
// and without numbers, blanks and tabs, long and non-ASCII names, wide
// pids, a last line with or without a newline.
TEST(InsertContextColumn, MatchesTheReferenceOnRandomOutput)
{
	std::mt19937 rng(42);
	auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
	const std::vector<std::string> words{"PID", "USER", "TIME", "COMMAND", "root", "0:00",
					     "sleep", "x", "PIDS", "", "-", "12ab"};
	const std::vector<std::string> blanks{" ", "  ", "     ", "\t", " \t "};
	const std::vector<std::string> names{"", "web", "a-very-long-vserver-name-indeed",
					     "caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac", "sp ace ",
					     "exactly-twenty-chars", "x\xc3"};
	std::map<pid_t, TaskContext> contexts;
	for (pid_t pid = 0; pid < 200; pid++)
		if (pick(8))
			contexts[pid] = {static_cast<xid_t>(pick(4) ? pick(70000) : pick(3)),
					 names[pick(names.size())]};
	contexts[123456] = {4294967295u, "max"};

	for (int round = 0; round < 2000; round++) {
		std::string ps;
		std::size_t lines = pick(8);
		for (std::size_t l = 0; l < lines; l++) {
			std::size_t fields = pick(6);
			if (pick(2))
				ps += blanks[pick(blanks.size())];
			for (std::size_t f = 0; f < fields; f++) {
				if (f)
					ps += blanks[pick(blanks.size())];
				if (l > 0 && pick(2))
					ps += std::to_string(pick(3) ? pick(210) : 123456);
				else
					ps += words[pick(words.size())];
			}
			if (pick(3) == 0)
				ps += blanks[pick(blanks.size())];
			if (l + 1 < lines || pick(2))
				ps += '\n';
		}
		std::vector<pid_t> asked_ref, asked_new;
		std::string want = reference_insert(ps, table(contexts, &asked_ref));
		EXPECT_EQ(insert_context_column(ps, table(contexts, &asked_new)), want)
			<< "ps output: [" << ps << "]";
		EXPECT_EQ(asked_new, asked_ref);

		// The same fed in random pieces.
		std::vector<pid_t> asked_pieces;
		ContextColumn column(table(contexts, &asked_pieces));
		for (std::size_t pos = 0; pos < ps.size();) {
			std::size_t n = std::min(ps.size() - pos, 1 + pick(12));
			column.feed(std::string_view(ps).substr(pos, n));
			pos += n;
		}
		EXPECT_EQ(column.finish(), want) << "ps output: [" << ps << "]";
		EXPECT_EQ(asked_pieces, asked_ref);
		if (HasFailure())
			break;
	}
}

TEST(ContextColumn, RowsAreLookedUpAsTheirLinesComplete)
{
	std::vector<pid_t> asked;
	ContextColumn column(table(contexts, &asked));

	column.feed("  PID CMD\n    1 in");
	EXPECT_EQ(asked, std::vector<pid_t>{});
	column.feed("it\n 42");
	EXPECT_EQ(asked, std::vector<pid_t>{1});
	column.feed("42 sshd\n");
	EXPECT_EQ(asked, (std::vector<pid_t>{1, 4242}));
	column.feed(" 4243 sh");
	EXPECT_EQ(column.finish(),
		  "  PID   CTX NAME CMD\n"
		  "    1     0 MAIN init\n"
		  " 4242 40001 web  sshd\n"
		  " 4243    42 -    sh");
	EXPECT_EQ(asked, (std::vector<pid_t>{1, 4242, 4243}));
}

TEST(VpsDisplayName, SpecialXids)
{
	EXPECT_EQ(vps_display_name({0, "x"}), "MAIN");
	EXPECT_EQ(vps_display_name({1, "x"}), "ALL_PROC");
	EXPECT_EQ(vps_display_name({2, "x"}), "x");
	EXPECT_EQ(vps_display_name({2, ""}), "-");
}

auto named(const char *name)
{
	return [name](const vserver_call &call) {
		vcmd_vhi_name_v0 data{};
		std::strcpy(data.name, name);
		std::memcpy(reinterpret_cast<void *>(call.data), &data, sizeof(data));
		return 0L;
	};
}

TEST(ClientContextLookup, AsksNamesOncePerContext)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 10))).WillOnce(Return(42));
	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 11))).WillOnce(Return(42));
	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 12))).WillOnce(Return(0));
	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 13))).WillOnce(Return(-ESRCH));
	EXPECT_CALL(t, call(cmd_id(VCMD_get_vhi_name, 42))).WillOnce(Invoke(named("web")));

	auto lookup = client_context_lookup(client);
	auto a = lookup(10), b = lookup(11), host = lookup(12), gone = lookup(13);
	ASSERT_TRUE(a && b && host);
	EXPECT_EQ(a->xid, 42u);
	EXPECT_EQ(a->name, "web");
	EXPECT_EQ(b->name, "web");
	EXPECT_EQ(host->xid, 0u);
	EXPECT_EQ(host->name, "");
	EXPECT_EQ(gone, std::nullopt);
}

TEST(ClientContextLookup, OtherErrorsPropagate)
{
	StrictMock<MockTransport> t;
	Client client(t);

	EXPECT_CALL(t, call(cmd_id(VCMD_task_xid, 10))).WillOnce(Return(-EPERM));
	auto lookup = client_context_lookup(client);
	EXPECT_THROW(lookup(10), std::system_error);
}

} // namespace
} // namespace vserver::test
