#include <vserver/vps.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace vserver {

namespace {

constexpr std::size_t max_name = 20;

bool blank(char c)
{
	return c == ' ' || c == '\t';
}

std::optional<pid_t> parse_pid(std::string_view text)
{
	pid_t pid = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);

	if (ec != std::errc() || end != text.data() + text.size() || pid < 0)
		return std::nullopt;
	return pid;
}

// vps_display_name without a copy (a view of context.name or a literal).
std::string_view display_name(const TaskContext &context)
{
	if (context.xid == VX_HOST_XID)
		return "MAIN";
	if (context.xid == VX_WATCH_XID)
		return "ALL_PROC";
	return context.name.empty() ? std::string_view("-") : std::string_view(context.name);
}

bool ascii(std::string_view text)
{
	return std::all_of(text.begin(), text.end(),
			   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

} // namespace

std::string vps_display_name(const TaskContext &context)
{
	return std::string(display_name(context));
}

ContextColumn::ContextColumn(ContextLookup lookup) : lookup_(std::move(lookup)) {}

void ContextColumn::feed(std::string_view piece)
{
	text_.append(piece);
	if (state_ == State::passthrough)
		return;
	// Scan the lines this piece completes (none ended before it).
	std::size_t from = text_.size() - piece.size();
	for (;;) {
		std::size_t nl = text_.find('\n', from);
		if (nl == std::string::npos)
			return;
		scan_line(scanned_, nl);
		scanned_ = from = nl + 1;
		if (state_ == State::passthrough)
			return;
	}
}

// The line text_[start, end): the header gives the PID field's index, a row
// whose field there is a number gets a Row.
void ContextColumn::scan_line(std::size_t start, std::size_t end)
{
	const char *line = text_.data() + start;
	const std::size_t size = end - start;

	if (size > UINT32_MAX)
		return;		// not from ps; let it pass
	// Fields up to the PID's and the start of the next one.
	std::size_t pos = 0, field = 0, pid_start = 0, pid_end = 0, next_start = size + 1;
	bool header = state_ == State::header;
	for (;;) {
		while (pos < size && blank(line[pos]))
			pos++;
		if (pos == size)
			break;
		std::size_t field_end = pos;
		while (field_end < size && !blank(line[field_end]))
			field_end++;
		if (field == pid_index_ ||
		    (header && pid_index_ == no_index && field_end - pos == 3 &&
		     std::memcmp(line + pos, "PID", 3) == 0)) {
			pid_index_ = field;
			pid_start = pos;
			pid_end = field_end;
		} else if (field > pid_index_ && pid_index_ != no_index) {
			next_start = pos;
			break;
		}
		field++;
		pos = field_end;
	}
	if (pid_index_ == no_index) {		// a header without PID
		state_ = State::passthrough;
		return;
	}
	if (!header && field <= pid_index_)
		return;				// no PID field

	Row row;
	row.start = start;
	row.size = static_cast<std::uint32_t>(size);
	row.pid_end = static_cast<std::uint32_t>(pid_end);
	row.next_start = static_cast<std::uint32_t>(next_start);
	row.xid = 0;
	std::string_view name = "NAME";
	std::optional<TaskContext> context;
	if (header) {
		state_ = State::rows;
		row.kind = Row::header;
	} else {
		auto pid = parse_pid(std::string_view(line + pid_start, pid_end - pid_start));
		if (!pid)
			return;
		context = lookup_(*pid);
		if (context) {
			row.kind = Row::task;
			row.xid = context->xid;
			name = display_name(*context).substr(0, max_name);
		} else {
			row.kind = Row::gone;
			name = "-";
		}
	}
	row.name_size = static_cast<unsigned char>(name.size());
	std::memcpy(row.name, name.data(), name.size());
	rows_.push_back(row);
}

std::string ContextColumn::finish()
{
	if (state_ != State::passthrough && scanned_ < text_.size()) {
		scan_line(scanned_, text_.size());	// the last line, no newline
		scanned_ = text_.size();
	}
	if (rows_.empty())
		return std::move(text_);

	// The column goes right of every PID value (if the next field allows),
	// the names are as wide as the widest.
	std::size_t column = 0, width = 0;
	for (const auto &row : rows_) {
		column = std::max(column, std::size_t(row.pid_end));
		width = std::max(width, std::size_t(row.name_size));
	}

	std::string out;
	out.reserve(text_.size() + rows_.size() * (width + 8));
	std::size_t copied = 0;
	for (const auto &row : rows_) {
		std::size_t at = std::max(std::size_t(row.pid_end),
					  std::min(column, std::size_t(row.next_start) - 1));
		std::string_view name(row.name, row.name_size);
		char xid[16];
		std::string_view xid_text = row.kind == Row::header ? "CTX" : "ERR";
		if (row.kind == Row::task) {
			auto result = std::to_chars(xid, xid + sizeof(xid), row.xid);
			xid_text = std::string_view(xid, result.ptr - xid);
		}

		// " {:>5} {:<width}", as fmt would, without it for ASCII names
		char buf[64];
		std::string_view segment;
		std::string wide;
		if (ascii(name)) {
			std::size_t n = 0, pad = xid_text.size() < 5 ? 5 - xid_text.size() : 0;
			std::memset(buf, ' ', 1 + pad);
			n = 1 + pad;
			std::memcpy(buf + n, xid_text.data(), xid_text.size());
			n += xid_text.size();
			buf[n++] = ' ';
			std::memcpy(buf + n, name.data(), name.size());
			n += name.size();
			std::memset(buf + n, ' ', width - name.size());
			n += width - name.size();
			segment = std::string_view(buf, n);
		} else {
			// fmt pads by display width, not bytes
			wide = fmt::format(" {:>5} {:<{}}", xid_text, name, width);
			segment = wide;
		}
		if (at >= row.size) {
			// PID is the last field: no padding at the end of the line.
			at = row.size;
			segment = segment.substr(0, segment.find_last_not_of(' ') + 1);
		}
		out.append(text_, copied, row.start + at - copied);
		out.append(segment);
		copied = row.start + at;
	}
	out.append(text_, copied, std::string::npos);
	text_.clear();
	return out;
}

std::string insert_context_column(std::string_view ps_output, const ContextLookup &lookup)
{
	ContextColumn column(lookup);

	column.feed(ps_output);
	return column.finish();
}

ContextLookup client_context_lookup(Client &client)
{
	auto names = std::make_shared<std::unordered_map<xid_t, std::string>>();

	return [&client, names](pid_t pid) -> std::optional<TaskContext> {
		auto xid = client.find_task_xid(pid);
		if (!xid)
			return std::nullopt;
		auto it = names->find(*xid);
		if (it == names->end())
			it = names->emplace(*xid, context_name(client, *xid)).first;
		return TaskContext{*xid, it->second};
	};
}

} // namespace vserver
