#!/usr/bin/env bash
# Check the man pages against the tools (TAP output, runs on the host).
#
#   man_test.sh BINDIR MANDIR [TOOL...]
#
# For each TOOL (default: every executable file in BINDIR):
#   1. MANDIR/TOOL.8 exists;
#   2. groff renders it without a warning (-ww: all warnings);
#   3. every option that `BINDIR/TOOL --help` lists (long and short) is the
#      tag of an entry in the page's OPTIONS section;
#   4. the SYNOPSIS names the tool;
#   5. the .TH title and the NAME line name the tool.
# Then: every page in MANDIR belongs to one of the tools.
# ctest runs it (userspace/CMakeLists.txt, test man_pages).
set -u

if [ $# -lt 2 ]; then
	echo "usage: $0 BINDIR MANDIR [TOOL...]" >&2
	exit 2
fi
bindir=$1
mandir=$2
shift 2
tools=("$@")
if [ ${#tools[@]} -eq 0 ]; then
	for f in "$bindir"/*; do
		[ -f "$f" ] && [ -x "$f" ] && tools+=("$(basename "$f")")
	done
fi
if [ ${#tools[@]} -eq 0 ]; then
	echo "man_test: no tools in $bindir" >&2
	exit 2
fi

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/#   /'
	done
}

# The text of section NAME (.SH NAME up to the next .SH) of page $1.
section() {
	awk -v want="$2" '
		/^\.SH/ {
			title = $0
			sub(/^\.SH[ \t]+/, "", title)
			gsub(/"/, "", title)
			in_section = (title == want)
			next
		}
		in_section' "$1"
}

# troff source on stdin to plain words: \- to -, font changes, \& and
# \(ti dropped or turned into their characters, macro names removed.
plain() {
	sed -e 's/\\-/-/g' \
	    -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\fB//g' \
	    -e 's/\\&//g' -e 's/\\(ti/~/g' -e 's/\\(aq/'"'"'/g' \
	    -e 's/^\.[A-Za-z]*[ \t]*//' -e 's/"//g'
}

# The tags of the entries of the OPTIONS section of page $1: the line after
# each .TP, and the argument of each .IP.
option_tags() {
	section "$1" OPTIONS | awk '
		tag { print; tag = 0; next }
		/^\.TP/ { tag = 1; next }
		/^\.IP[ \t]/ { sub(/^\.IP[ \t]+/, ""); print }' | plain
}

# The options (-x, --xyz) listed by `TOOL --help` on stdin: the first field of
# each line of its Options section, split at commas.
help_options() {
	awk '
		/^Options:/ { in_options = 1; next }
		/^[^ ]/ || /^$/ { in_options = 0 }
		in_options && /^ +-/ { print $1 }' | tr ',' '\n' | grep -E '^--?[A-Za-z0-9]'
}

# has_word TEXT WORD: WORD occurs in TEXT not as part of a longer option
# or name (so --migrate is not found in --migrate-self).
has_word() {
	local re
	re=$(printf '%s' "$2" | sed 's/[][\.*^$+?(){}|/]/\\&/g')
	printf '%s\n' "$1" | grep -Eq -- "(^|[^-A-Za-z0-9_])$re(\$|[^-A-Za-z0-9_])"
}

echo "TAP version 13"
echo "1..$((${#tools[@]} * 5 + 1))"

have_groff=1
command -v groff >/dev/null || have_groff=0

for tool in "${tools[@]}"; do
	page=$mandir/$tool.8
	bin=$bindir/$tool

	# 1. the page exists
	if [ -f "$page" ]; then
		ok "$tool: $page exists"
	else
		not_ok "$tool: $page exists" "no man page for $tool (write $page)"
		for check in "renders without warnings" "documents the options of --help" \
			     "SYNOPSIS names the tool" "title and NAME name the tool"; do
			not_ok "$tool: $check" "no page"
		done
		continue
	fi

	# 2. groff renders it with no warning at all
	if [ $have_groff = 0 ]; then
		not_ok "$tool: renders without warnings" \
		       "groff not found (scripts/install-deps installs groff-base)"
	else
		out=$(groff -man -ww -z -t "$page" 2>&1)
		rc=$?
		if [ $rc -eq 0 ] && [ -z "$out" ]; then
			ok "$tool: renders without warnings"
		else
			not_ok "$tool: renders without warnings" "groff exit $rc:" "$out"
		fi
	fi

	# 3. every option of --help has an entry in OPTIONS
	help=$("$bin" --help 2>&1)
	rc=$?
	tags=$(option_tags "$page")
	missing=()
	opts=$(printf '%s\n' "$help" | help_options)
	for opt in $opts; do
		has_word "$tags" "$opt" || missing+=("$opt")
	done
	if [ $rc -ne 0 ] || [ -z "$opts" ]; then
		not_ok "$tool: documents the options of --help" \
		       "$bin --help: exit $rc, options: '$opts'" "$help"
	elif [ ${#missing[@]} -eq 0 ]; then
		ok "$tool: documents the options of --help ($(echo $opts))"
	else
		not_ok "$tool: documents the options of --help" \
		       "not an entry of OPTIONS in $page: ${missing[*]}"
	fi

	# 4. the SYNOPSIS names the tool
	synopsis=$(section "$page" SYNOPSIS | plain)
	if [ -z "$synopsis" ]; then
		not_ok "$tool: SYNOPSIS names the tool" "no SYNOPSIS section"
	elif has_word "$synopsis" "$tool"; then
		ok "$tool: SYNOPSIS names the tool"
	else
		not_ok "$tool: SYNOPSIS names the tool" "SYNOPSIS of $page:" "$synopsis"
	fi

	# 5. .TH TOOL 8 and "TOOL \- ..." under NAME
	upper=$(printf '%s' "$tool" | tr '[:lower:]' '[:upper:]')
	th=$(grep -m1 '^\.TH' "$page" | plain)
	name=$(section "$page" NAME | head -n1)
	want_name=$(printf '%s' "$tool" | sed 's/-/\\\\-/g')
	if [ "$(echo "$th" | awk '{ print $1, $2 }')" != "$upper 8" ]; then
		not_ok "$tool: title and NAME name the tool" ".TH says: $th"
	elif ! printf '%s\n' "$name" | grep -q "^$want_name \\\\- "; then
		not_ok "$tool: title and NAME name the tool" "NAME says: $name"
	else
		ok "$tool: title and NAME name the tool"
	fi
done

# Every page belongs to a tool.
stale=()
for page in "$mandir"/*.8; do
	[ -e "$page" ] || continue
	name=$(basename "$page" .8)
	found=0
	for tool in "${tools[@]}"; do
		[ "$tool" = "$name" ] && found=1
	done
	[ $found = 1 ] || stale+=("$page")
done
if [ ${#stale[@]} -eq 0 ]; then
	ok "every page in $mandir belongs to a tool"
else
	not_ok "every page in $mandir belongs to a tool" "no such tool: ${stale[*]}"
fi

echo "$((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
