#!/bin/sh
# Run inside the guest by `make bench` (scripts/vm-run bench/run.sh).
echo "# bench: $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpus (ratios only are meaningful under TCG)"
/bench/ctx_bench "$@"
