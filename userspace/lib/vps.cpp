#include <vserver/vps.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <system_error>
#include <vector>

namespace vserver {

namespace {

struct Field {
	std::size_t start, end;		// [start, end) in the line
};

std::vector<Field> fields_of(std::string_view line)
{
	std::vector<Field> out;
	std::size_t pos = 0;

	for (;;) {
		pos = line.find_first_not_of(" \t", pos);
		if (pos == line.npos)
			return out;
		std::size_t end = std::min(line.find_first_of(" \t", pos), line.size());
		out.push_back({pos, end});
		pos = end;
	}
}

std::optional<pid_t> parse_pid(std::string_view text)
{
	pid_t pid = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);

	if (ec != std::errc() || end != text.data() + text.size() || pid < 0)
		return std::nullopt;
	return pid;
}

// A line that gets the column: where its PID field ends and the next
// field starts (line size + 1 without one), and what to insert.
struct Target {
	std::size_t line;
	std::size_t pid_end, next_start;
	std::string xid, name;
};

constexpr std::size_t max_name = 20;

} // namespace

std::string vps_display_name(const TaskContext &context)
{
	if (context.xid == VX_HOST_XID)
		return "MAIN";
	if (context.xid == VX_WATCH_XID)
		return "ALL_PROC";
	return context.name.empty() ? "-" : context.name;
}

std::string insert_context_column(std::string_view ps_output, const ContextLookup &lookup)
{
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
	auto pid_field = std::find_if(header.begin(), header.end(), [&](const Field &f) {
		return lines[0].substr(f.start, f.end - f.start) == "PID";
	});
	if (pid_field == header.end())
		return std::string(ps_output);
	std::size_t index = pid_field - header.begin();

	auto target_of = [&](std::size_t line, const std::vector<Field> &fields) {
		Target t{line, fields[index].end, lines[line].size() + 1, {}, {}};
		if (index + 1 < fields.size())
			t.next_start = fields[index + 1].start;
		return t;
	};

	std::vector<Target> targets{target_of(0, header)};
	targets[0].xid = "CTX";
	targets[0].name = "NAME";
	for (std::size_t i = 1; i < lines.size(); i++) {
		auto fields = fields_of(lines[i]);
		if (fields.size() <= index)
			continue;
		auto pid = parse_pid(lines[i].substr(fields[index].start,
						     fields[index].end - fields[index].start));
		if (!pid)
			continue;
		Target t = target_of(i, fields);
		if (auto context = lookup(*pid)) {
			t.xid = std::to_string(context->xid);
			t.name = vps_display_name(*context).substr(0, max_name);
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
			// PID is the last field: no padding at the end of the line.
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

ContextLookup client_context_lookup(Client &client)
{
	auto names = std::make_shared<std::map<xid_t, std::string>>();

	return [&client, names](pid_t pid) -> std::optional<TaskContext> {
		xid_t xid;
		try {
			xid = client.task_xid(pid);
		} catch (const std::system_error &e) {
			if (e.code() == std::errc::no_such_process)
				return std::nullopt;
			throw;
		}
		auto it = names->find(xid);
		if (it == names->end())
			it = names->emplace(xid, context_name(client, xid)).first;
		return TaskContext{xid, it->second};
	};
}

} // namespace vserver
