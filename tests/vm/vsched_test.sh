#!/bin/sh
# vsched: the token bucket of a context set, read back and put on its
# cgroup's CPU bandwidth (cpu.max, with sched_hard); bad values change
# nothing.  No timing: CPU shares are measured in bench/.  xids 165-167
# (168: one that never exists).
. /tests/tap.sh
plan 23
tmp=$(mktemp -d)

grep -q '^[^ ]* /sys/fs/cgroup cgroup2 ' /proc/mounts ||
	mount -t cgroup2 none /sys/fs/cgroup

# setting XID NAME: the value of NAME in vsched --get of context XID
setting() { vsched --xid $1 --get | sed -n "s/^$2=//p"; }
# cpu_max XID: the CPU bandwidth of the context's cgroup
cpu_max() { cat /sys/fs/cgroup/vserver/$1/cpu.max; }
# settings XID: vsched --get without what changes by itself (tokens, CPU
# time)
settings() { vsched --xid $1 --get | grep -v -e '^tokens=' -e 'msec='; }
# unchanged: the settings of 165 are as before (check_refused)
unchanged() { settings 165 > $tmp/now && cmp -s $tmp/before $tmp/now; }

chcontext --silent --xid 165 -- sleep 600 &
holder=$!
wait_exec $holder sleep
vattribute --xid 165 --set --flag sched_hard

# period = interval * max(1, tokens-min / fill-rate) ms, quota = period *
# fill-rate / interval; cpu.max says both in microseconds
attempt vsched --xid 165 --fill-rate 1 --interval 4 --tokens-min 1
check "--fill-rate 1 --interval 4 --tokens-min 1: exit 0, no message" \
	sh -c "[ $rc = 0 ] && [ ! -s $tmp/err ]"
vsched --xid 165 --get > $tmp/get
check "--get: fill-rate=1, interval=4, tokens-min=1" \
	sh -c "grep -qx fill-rate=1 $tmp/get && grep -qx interval=4 $tmp/get && grep -qx tokens-min=1 $tmp/get"
check "--get: every setting and the CPU time, NAME=NUMBER" \
	test "$(sed 's/=-*[0-9][0-9]*$//' $tmp/get | tr '\n' ' ')" = \
		"fill-rate interval tokens tokens-min tokens-max prio-bias fill-rate2 interval2 user-msec sys-msec hold-msec token-usec "
check "... a token is 1 ms (HZ=1000)" grep -qx token-usec=1000 $tmp/get
check "sched_hard: cpu.max is a quarter of a CPU, 1 ms every 4 ms ($(cpu_max 165))" \
	test "$(cpu_max 165)" = "1000 4000"

vsched --xid 165 --tokens_min 8
check "--tokens_min 8 (underscores): only tokens-min changes" \
	test "$(setting 165 fill-rate) $(setting 165 interval) $(setting 165 tokens-min)" = "1 4 8"
check "... cpu.max: period 4 * 8 ms, quota a quarter of it ($(cpu_max 165))" \
	test "$(cpu_max 165)" = "8000 32000"
vsched --xid 165 --fill_rate 2 --priority-bias -20
check "--fill_rate 2 --priority-bias -20: cpu.max 8 ms every 16 ms ($(cpu_max 165))" \
	test "$(setting 165 prio-bias) $(cpu_max 165)" = "-20 8000 16000"
vsched --xid 165 --prio_bias 20 --cpu-id -1 --bucket-id 0 --force
check "--prio_bias 20 with --cpu-id -1 --bucket-id 0 --force: taken" \
	test "$(setting 165 prio-bias)" = 20
check "... as the nice value 19, the highest there is (cpu.weight.nice)" \
	test "$(cat /sys/fs/cgroup/vserver/165/cpu.weight.nice)" = 19

# util-vserver's sched directory
mkdir $tmp/sched $tmp/sched/0
echo 1 > $tmp/sched/fill-rate
echo ' 4 ' > $tmp/sched/interval
printf '2\nsecond line\n' > $tmp/sched/tokens_min
echo 0 > $tmp/sched/priority-bias
: > $tmp/sched/idle-time
printf '9\n9\n9\n9\n9\n9\n' > $tmp/sched/schedule	# deprecated: ignored
echo 9 > $tmp/sched/0/fill-rate			# per-CPU: ignored
attempt vsched --xid 165 --dir $tmp/sched --interval 8
check "--dir: fill-rate 1, tokens-min 2, prio-bias 0 from the files, interval 8 from the command line" \
	test "$rc $(setting 165 fill-rate) $(setting 165 tokens-min) $(setting 165 prio-bias) $(setting 165 interval)" = \
		"0 1 2 0 8"
check "... idle-time: no cap but the share's weight, 400 * 1/8 ($(cpu_max 165), weight $(cat /sys/fs/cgroup/vserver/165/cpu.weight))" \
	sh -c "[ \"\$(cut -d' ' -f1 /sys/fs/cgroup/vserver/165/cpu.max)\" = max ] && [ \"\$(cat /sys/fs/cgroup/vserver/165/cpu.weight)\" = 50 ]"
rm $tmp/sched/idle-time
attempt vsched --xid 165 --dir $tmp/sched --interval 8
check "... without idle-time: cpu.max 2 ms every 16 ms ($(cpu_max 165))" test "$(cpu_max 165)" = "2000 16000"
attempt vsched --xid 165 --dir $tmp/none --missingok -- sh -c 'exit 7'
check "--dir DIR --missingok with no DIR: PROG runs (exit 7)" test $rc = 7

# Without sched_hard the bucket is kept but not applied
chcontext --silent --xid 166 -- sleep 600 &
holder166=$!
wait_exec $holder166 sleep
vsched --xid 166 --fill-rate 1 --interval 4 --tokens-min 1
check "without sched_hard: no CPU bandwidth limit ($(cpu_max 166))" \
	sh -c "[ \"\$(cut -d' ' -f1 /sys/fs/cgroup/vserver/166/cpu.max)\" = max ]"
kill $holder166
wait $holder166

# inside a context in setup: --xid self, the default
vcontext --create --silent --xid 167 -- vsched --fill-rate 1 --interval 5 --get > $tmp/self
check "in a context in setup: vsched sets and shows its own bucket" \
	grep -qx interval=5 $tmp/self

# Bad values: exit 2 (1 from the kernel), the settings of 165 stay
settings 165 > $tmp/before
no="exit 2, nothing changed"
check_refused "--interval 0: $no" 2 "invalid interval '0': must be at least 1" \
	vsched --xid 165 --fill-rate 3 --interval 0
check_refused "--fill-rate -1: $no" 2 "invalid fill-rate '-1': must be at least 0" \
	vsched --xid 165 --fill-rate -1
check_refused "--prio-bias 21: $no" 2 "invalid prio-bias '21': must be from -20 to 20" \
	vsched --xid 165 --prio-bias 21
check_refused "--tokens abc: $no" 2 "invalid tokens 'abc': not an integer" \
	vsched --xid 165 --tokens abc
check_refused "--cpu-id 1 (one bucket per context): $no" 2 "invalid cpu-id '1'" \
	vsched --xid 165 --fill-rate 3 --cpu-id 1
mkdir $tmp/bad
echo 3 > $tmp/bad/fill-rate
echo 0 > $tmp/bad/interval
check_refused "--dir with interval 0, naming FILE:LINE: $no" 2 \
	"$tmp/bad/interval:1: invalid interval '0'" vsched --xid 165 --dir $tmp/bad
attempt vsched --xid 168 --fill-rate 1 --interval 4
check "a context that does not exist: exit 1, the kernel's error" \
	refused 1 '(168): No such process'

kill $holder
wait $holder
rm -rf $tmp
