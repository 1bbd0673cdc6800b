#!/bin/sh
# vlimit: per-context limits set and read back, enforced (tasks, resident
# memory) while the host goes on; bad input changes nothing.  xids 160-164
# (169: one that never exists).
. /tests/tap.sh
plan 29
tab=$(printf '\t')
tmp=$(mktemp -d)

# limit LIMIT XID NAME: a limit (min, soft or hard) of resource NAME (upper
# case) of context XID, in decimal, as vlimit -a -d shows it
limit() {
	vlimit --xid $2 -a -d | awk -v name="$3" -v col="$1" '
		$1 == name { print (col == "min") ? $2 : (col == "soft") ? $3 : $4 }'
}
# tasks XID: the Tasks: count of /proc/virtual/XID/status
tasks() { sed -n "s/^Tasks:$tab//p" /proc/virtual/$1/status; }
# unchanged: the limits of 164 are as before (check_refused)
unchanged() { [ "$(vlimit --xid 164 -a -d)" = "$before" ]; }

chcontext --silent --xid 160 -- sleep 600 &
holder=$!
wait_exec $holder sleep

check "-a: the kernel limits rss, nproc, nofile and nsock" \
	test "$(vlimit --xid 160 -a | awk '{ printf "%s ", $1 }')" = "RSS NPROC NOFILE NSOCK "
check "... a new context has none of them (inf), no minimum, soft only for rss" \
	test "$(vlimit --xid 160 -a -d | tr -s ' ' | tr '\n' '|')" = \
		"RSS N/A inf inf|NPROC N/A N/A inf|NOFILE N/A N/A inf|NSOCK N/A N/A inf|"

attempt vlimit --xid 160 --nproc 50 --rss 100000 --nofile 200 --nsock 20
check "--nproc 50 --rss 100000 --nofile 200 --nsock 20: exit 0, no message" \
	sh -c "[ $rc = 0 ] && [ ! -s $tmp/err ]"
check "... read back: hard limits 50, 100000, 200, 20" \
	test "$(limit hard 160 NPROC) $(limit hard 160 RSS) $(limit hard 160 NOFILE) $(limit hard 160 NSOCK)" = \
		"50 100000 200 20"
check "... -a without -d: util-vserver's columns, hexadecimal" \
	test "$(vlimit --xid 160 -a | grep '^NPROC')" = \
		"NPROC       N/A                 N/A                 0x32"
check "... -n: resource numbers (nproc is 6)" \
	test "$(vlimit --xid 160 -a -n -d | awk '$1 == 6 { print $4 }')" = 50

vlimit --xid 160 -S --rss 60000 -H --rss 120000
check "-S --rss 60000 -H --rss 120000: soft and hard limit of rss" \
	test "$(limit soft 160 RSS) $(limit hard 160 RSS)" = "60000 120000"
vlimit --xid 160 -SH --rss inf
check "-SH --rss inf: both back to inf" \
	test "$(limit soft 160 RSS) $(limit hard 160 RSS)" = "inf inf"
vlimit --xid 160 --nproc 60 --6 70
check "--6 (util-vserver's resource number) is nproc; the later value wins" \
	test "$(limit hard 160 NPROC)" = 70

# util-vserver's rlimits directory
mkdir $tmp/rlimits
echo 40 > $tmp/rlimits/nproc
printf '1000\nsecond line\n' > $tmp/rlimits/rss
echo ' 2000 ' > $tmp/rlimits/rss.hard
echo inf > $tmp/rlimits/nsock.hard
attempt vlimit --xid 160 --dir $tmp/rlimits --nofile 300
got="$(limit hard 160 NPROC) $(limit soft 160 RSS) $(limit hard 160 RSS) $(limit hard 160 NSOCK)"
check "--dir: nproc 40; rss soft 1000, hard 2000 (.hard wins); nsock inf" \
	test "$rc $got" = "0 40 1000 2000 inf"
check "... nofile from the command line" test "$(limit hard 160 NOFILE)" = 300
attempt vlimit --xid 160 --dir $tmp/none --missingok -- sh -c 'exit 7'
check "--dir DIR --missingok with no DIR: nothing set, PROG runs (exit 7)" \
	test "$rc $(limit hard 160 NPROC)" = "7 40"

# inside a context in setup: --xid self, the default
vcontext --create --silent --xid 161 -- vlimit --nproc 30 -a -d > $tmp/self 2> $tmp/err
check "in a context in setup: vlimit --nproc 30 -a sets and shows its own limit" \
	sh -c "grep -q '^NPROC .* 30\$' $tmp/self"

# nproc: a context cannot fork past its limit, the host still can.  The
# shell joins the context as its second task and starts sleeps until a
# fork fails; busybox sh then gives up (exit 2), leaving the sleeps.
chcontext --silent --xid 162 -- sleep 600 &
holder162=$!
wait_exec $holder162 sleep
vlimit --xid 162 --nproc 5
attempt chcontext --silent --xid 162 -- \
	sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 30 & done; wait'
check "--nproc 5: the shell in the context cannot fork a 6th task (exit $rc)" \
	refused 2 "can't fork"
check "... it had started 3 sleeps: the context is at 4 tasks (Tasks: $(tasks 162))" \
	test "$(tasks 162)" = 4
attempt sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 0 & done; wait'
check "... the host still forks" sh -c "[ $rc = 0 ] && [ ! -s $tmp/err ]"
vkill --xid 162 -s KILL
wait $holder162

# rss: a memory hog in the context is killed, the host goes on.  tail
# keeps all of its input that has no newline: 64 MiB of zeros.
chcontext --silent --xid 163 -- sleep 600 &
holder163=$!
wait_exec $holder163 sleep
vlimit --xid 163 --rss 4096	# pages: 16 MiB
attempt chcontext --silent --xid 163 -- sh -c 'head -c 67108864 /dev/zero | tail > /dev/null'
check "--rss 4096: a task holding 64 MiB in the context is killed (status $rc)" \
	test $rc -gt 128
attempt sh -c 'head -c 67108864 /dev/zero | tail > /dev/null'
check "... the same on the host runs to its end" test $rc = 0
kill $holder163
wait $holder163

# Bad input: exit 2 (1 from the kernel), the limits of 164 stay
chcontext --silent --xid 164 -- sleep 600 &
holder164=$!
wait_exec $holder164 sleep
vlimit --xid 164 --nproc 50 -S --rss 1000 -H --rss 2000
before=$(vlimit --xid 164 -a -d)

no="exit 2, nothing changed"
check_refused "an unknown resource, named: $no" 2 "unknown option or resource '--bogus'" \
	vlimit --xid 164 --nproc 10 --bogus 5
check_refused "-S above -H: $no" 2 "rss: the soft limit 3000 is above the hard limit 2500" \
	vlimit --xid 164 -S --rss 3000 -H --rss 2500
check_refused "a negative value: $no" 2 "invalid limit '-5': negative" \
	vlimit --xid 164 --nofile 10 --nproc -5
check_refused "'abc': $no" 2 "invalid limit 'abc'" vlimit --xid 164 --nproc abc
check_refused "trailing junk (5x): $no" 2 "invalid limit '5x'" vlimit --xid 164 --nproc 5x
check_refused "a resource the kernel cannot limit (cpu), named: $no" 2 \
	"the kernel cannot limit cpu" vlimit --xid 164 --nproc 10 --cpu 60
check_refused "a soft limit for nproc, which has none: $no" 2 \
	"the kernel has no soft limit for nproc" vlimit --xid 164 -S --nproc 10
check_refused "-S with no resource after it: $no" 2 "go before a --RESOURCE" \
	vlimit --xid 164 --nproc 10 -S
mkdir $tmp/bad
echo 10 > $tmp/bad/nproc
echo many > $tmp/bad/nofile.hard
echo 5 > $tmp/bad/bogus
check_refused "--dir with a bad value (FILE:LINE) and an unknown file: $no" 2 \
	"$tmp/bad/nofile.hard:1: invalid limit 'many'" vlimit --xid 164 --dir $tmp/bad
check "... the unknown file too" grep -q "$tmp/bad/bogus: unknown resource 'bogus'" $tmp/err
attempt vlimit --xid 169 --nproc 10
check "a context that does not exist: exit 1, the kernel's error" \
	refused 1 'nproc: set_rlimit(169): No such process'
kill $holder164
wait $holder164

kill $holder
wait $holder
rm -rf $tmp
