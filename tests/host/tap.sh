# TAP helpers for the host test scripts (bash).  Source it after setting
# tmp (a scratch directory); then check DESCRIPTION COMMAND... for each
# test, skip DESCRIPTION REASON for one that cannot run.  A failed check
# shows $tmp/out and $tmp/err; $failed counts the failures.
n=0
failed=0
check() {
	local desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n $desc"
	else
		failed=$((failed + 1))
		echo "not ok $n $desc"
		for f in "$tmp"/out "$tmp"/err; do
			[ -s "$f" ] && sed 's/^/#   /' "$f"
		done
	fi
}
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }
