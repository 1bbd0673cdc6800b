#!/bin/sh
# The demo of `make demo`, run inside the guest by scripts/vm-run.
set -e
echo "== guest kernel: $(uname -r)"
echo "== vserver module: $(grep '^vserver ' /proc/modules | cut -d' ' -f1-3)"
echo "== /proc/virtual/info:"
cat /proc/virtual/info
echo
echo '$ chcontext --xid 33 -- cat /proc/self/status | grep VxID'
chcontext --xid 33 -- cat /proc/self/status | grep VxID
echo
echo '$ chcontext --xid 33 -- sh -c "cat /proc/virtual/33/info"'
chcontext --xid 33 -- sh -c "cat /proc/virtual/33/info"
echo
echo '$ chcontext -- cat /proc/self/status | grep -E "^(Name|VxID)"   # dynamic xid'
chcontext -- cat /proc/self/status | grep -E "^(Name|VxID)"
