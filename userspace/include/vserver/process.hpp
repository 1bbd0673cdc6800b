// Running a helper program and taking its output.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace vserver {

struct Captured {
	std::string output;	// standard output, after the filter
	int status;		// wait status
};

// Runs argv (argv[0] searched in PATH) with standard output into a pipe;
// standard input and error are ours.  filter, if any, gets all it wrote
// while the process still exists (a zombie until reaped), so the filter
// can still ask about it.  Throws std::system_error when pipe or fork
// fails, or with execvp's errno and what() "<argv[0]>: <errno text>" when
// argv[0] cannot be executed.
Captured run_captured(const std::vector<std::string> &argv,
		      const std::function<std::string(std::string)> &filter = {});

// run_captured for output to be taken as it comes: consume gets each piece
// the program writes (of any size, in order) while it runs; finish is
// called at end of file, while the process still exists, and what it
// returns is the output.  Either may be empty.  When one throws, the pipe
// is closed (a writer still running gets SIGPIPE) and the process reaped
// before the exception goes on.
Captured run_streamed(const std::vector<std::string> &argv,
		      const std::function<void(std::string_view)> &consume,
		      const std::function<std::string()> &finish);

// A wait status as a shell would exit with it: the exit code, or 128 + the
// signal.
int shell_status(int wait_status);

} // namespace vserver
