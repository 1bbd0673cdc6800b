#!/bin/sh
# Run inside the guest by `make bench` (scripts/vm-run bench/run.sh [ARGS]).
echo "# bench: $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpus; ratios are what counts under emulation"
/bench/ctx_bench "$@"
