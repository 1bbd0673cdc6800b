#include <vserver/marked.hpp>

#include <vserver/files.hpp>
#include <vserver/xid.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <system_error>

namespace vserver {

namespace fs = std::filesystem;

namespace {

bool is_guest(const fs::path &confdir, const std::string &name)
{
	std::error_code ec;
	return is_vserver_name(name) && fs::is_directory(confdir / name, ec);
}

std::string join(const std::vector<std::string> &items, std::string_view sep)
{
	std::string out;
	for (const auto &item : items) {
		if (!out.empty())
			out += sep;
		out += item;
	}
	return out;
}

// Depth-first: a guest goes into order after what it depends on.
class Planner {
public:
	Planner(const fs::path &confdir, StartPlan &plan) : confdir_(confdir), plan_(plan) {}

	void visit(const std::string &name)
	{
		if (done_.count(name))
			return;
		auto on_path = std::find(path_.begin(), path_.end(), name);
		if (on_path != path_.end()) {
			std::vector<std::string> cycle;
			for (auto it = on_path; it != path_.end(); ++it)
				cycle.push_back("'" + *it + "'");
			cycle.push_back("'" + name + "'");
			throw std::invalid_argument(fmt::format(
				"the guests depend on each other in a cycle (apps/init/depends): {}",
				join(cycle, " -> ")));
		}
		path_.push_back(name);
		auto deps = read_list_file(confdir_ / name / "apps/init/depends");
		for (const auto &dep : deps) {
			if (is_guest(confdir_, dep))
				visit(dep);
			else
				unknown_.push_back(fmt::format(
					"apps/init/depends of '{}': '{}' is no guest in {}", name, dep,
					confdir_.string()));
		}
		path_.pop_back();
		plan_.depends[name] = std::move(deps);
		done_.insert(name);
		plan_.order.push_back(name);
	}

	const std::vector<std::string> &unknown() const { return unknown_; }

private:
	const fs::path &confdir_;
	StartPlan &plan_;
	std::vector<std::string> path_;
	std::set<std::string> done_;
	std::vector<std::string> unknown_;
};

} // namespace

std::vector<std::string> marked_guests(const fs::path &confdir, std::string_view mark)
{
	std::vector<std::string> guests;
	std::error_code ec;
	for (const auto &entry : fs::directory_iterator(confdir, ec)) {
		std::string name = entry.path().filename().string();
		if (!is_guest(confdir, name))
			continue;
		auto marks = read_list_file(entry.path() / "apps/init/mark");
		if (std::find(marks.begin(), marks.end(), mark) != marks.end())
			guests.push_back(name);
	}
	if (ec)
		throw std::system_error(ec, confdir.string());
	std::sort(guests.begin(), guests.end());
	return guests;
}

StartPlan start_plan(const fs::path &confdir, const std::vector<std::string> &guests)
{
	StartPlan plan;
	Planner planner(confdir, plan);
	std::vector<std::string> sorted = guests;
	std::sort(sorted.begin(), sorted.end());
	for (const auto &name : sorted) {
		if (!is_guest(confdir, name))
			throw std::invalid_argument(fmt::format("'{}' is no guest in {}", name,
								confdir.string()));
		planner.visit(name);
	}
	if (!planner.unknown().empty())
		throw std::invalid_argument(join(planner.unknown(), "\n"));
	return plan;
}

std::vector<std::string> run_plan(
	const StartPlan &plan, std::string_view verb,
	const std::function<std::string(const std::string &, std::string_view)> &run,
	const std::function<void(std::string_view)> &say)
{
	std::vector<std::string> failed;
	auto has_failed = [&](const std::string &name) {
		return std::find(failed.begin(), failed.end(), name) != failed.end();
	};
	if (verb == "stop") {
		for (auto it = plan.order.rbegin(); it != plan.order.rend(); ++it) {
			if (auto error = run(*it, verb); !error.empty()) {
				say(fmt::format("{}: {}", *it, error));
				failed.push_back(*it);
			}
		}
		return failed;
	}
	for (const auto &name : plan.order) {
		auto deps = plan.depends.find(name);
		std::string blocked;
		if (deps != plan.depends.end())
			for (const auto &dep : deps->second)
				if (has_failed(dep)) {
					blocked = dep;
					break;
				}
		if (!blocked.empty()) {
			say(fmt::format("{}: not started: it depends on '{}', which did not start",
					name, blocked));
			failed.push_back(name);
			continue;
		}
		if (auto error = run(name, verb); !error.empty()) {
			say(fmt::format("{}: {}", name, error));
			failed.push_back(name);
		}
	}
	return failed;
}

} // namespace vserver
