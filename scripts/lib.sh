# shellcheck shell=bash
# Shared helpers for the build scripts.  Source it; it sets:
#   TOP          the repository
#   BUILD        build area inside the repository (git-ignored)
#   CACHE        machine-wide cache (ccache, finished kernels); may be empty
#   KFLAVOUR     "release" or "debug" (env VSERVER_KERNEL=debug)
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${VSERVER_BUILD:-$TOP/build}
CACHE=${VSERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vserver-ng}
KFLAVOUR=${VSERVER_KERNEL:-release}
JOBS=${JOBS:-$(nproc)}

msg() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# The config fragments of a flavour, in merge order.
kernel_fragments() {
	echo "$TOP/Kconfig.snippets/base.config"
	if [ "$KFLAVOUR" = debug ]; then
		echo "$TOP/Kconfig.snippets/debug.config"
	elif [ "$KFLAVOUR" != release ]; then
		die "VSERVER_KERNEL must be 'release' or 'debug', not '$KFLAVOUR'"
	fi
}

# Version of the installed Debian linux-source-6.12 package.
kernel_source_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null ||
		die "linux-source-6.12 is not installed (run: make deps)"
}

# Bump when scripts/build-kernel changes what it produces.
KERNEL_BUILD_METHOD=1

# Everything that decides what the kernel build produces.
kernel_key() {
	{
		echo "method $KERNEL_BUILD_METHOD"
		kernel_source_version
		echo "$KFLAVOUR"
		cat "$TOP/kernel-patches/series"
		while read -r p; do
			case "$p" in ''|'#'*) continue ;; esac
			cat "$TOP/kernel-patches/$p"
		done < "$TOP/kernel-patches/series"
		kernel_fragments | xargs cat
		gcc --version | head -n 1
	} | sha256sum | cut -c1-16
}

# Where the finished kernel of this key lives: $KDIR/src (patched source),
# $KDIR/obj (O= build), $KDIR/.done when complete.
kernel_dir() {
	echo "$CACHE/kernel-$KFLAVOUR-$(kernel_key)"
}

# kernel_build_lock: hold the machine's kernel build lock (fd 9) until the
# script exits: one kernel build at a time (two cores; build-kernel also
# prunes old trees under it).
kernel_build_lock() {
	mkdir -p "$CACHE"
	exec 9> "$CACHE/.kernel-build.lock"
	if ! flock -n 9; then
		msg "waiting for another kernel build to finish"
		flock 9
	fi
}
