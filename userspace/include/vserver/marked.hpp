// Starting the guests at boot, as util-vserver's start-vservers does for
// its vservers-default init script: the guests whose apps/init/mark says
// MARK (util-vserver's is "default"), each after the guests its
// apps/init/depends names; stopped in the reverse order.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vserver {

// The guests in confdir (directories with a vserver name) that have a line
// MARK in apps/init/mark, sorted by name.
std::vector<std::string> marked_guests(const std::filesystem::path &confdir,
				       std::string_view mark);

// What to start and in which order.
struct StartPlan {
	std::vector<std::string> order;				// dependencies first
	std::map<std::string, std::vector<std::string>> depends;	// apps/init/depends
};

// The plan for guests: each of them and every guest they depend on
// (apps/init/depends, one name per line; a dependency is started even if
// it is not marked), every guest after those it depends on, else by
// name.  Throws std::invalid_argument naming every dependency that is no
// guest in confdir ("apps/init/depends of 'web': 'db' is no guest in
// /etc/vservers"), or a cycle ("'a' -> 'b' -> 'a'").
StartPlan start_plan(const std::filesystem::path &confdir, const std::vector<std::string> &guests);

// Run verb ("start" or "stop") for the guests of plan: start in its order,
// a guest whose dependency failed is not started (said); stop in the
// reverse order, each one tried.  run(name, verb) does it and returns ""
// or what went wrong; say gets a line for each guest that failed or was
// left out.  Returns the guests that failed or were left out.
std::vector<std::string> run_plan(
	const StartPlan &plan, std::string_view verb,
	const std::function<std::string(const std::string &, std::string_view)> &run,
	const std::function<void(std::string_view)> &say);

} // namespace vserver
