#!/bin/sh
# Run inside the guest by `make bench` (scripts/vm-run bench/run.sh [ARGS]):
# ctx_bench with ARGS, then net_bench and sched_bench with their defaults,
# then hashify_bench.sh (unification) when the image has it.
echo "# bench: $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpus; ratios are what counts under emulation"
/bench/ctx_bench "$@"
/bench/net_bench
/bench/sched_bench
if [ -f /bench/hashify_bench.sh ]; then
	sh /bench/hashify_bench.sh
else
	echo "# hashify_bench.sh is not in the image (scripts/build-tests copies bench/*.sh)"
fi
