#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Quick start for a fresh Debian machine (run as root, or with sudo):
#   ./build.sh run     install what is missing, build, start leaktop
#   ./build.sh check   install what is missing, build, run the whole suite
# "check" runs the unit and integration tests (make check), leaktop under
# valgrind memcheck (make valgrind), the tests again under AddressSanitizer
# + UBSan, a short run of every parser's fuzz target (clang, libFuzzer;
# FUZZ_SECONDS each, default 10), a static build, and make distcheck. Every
# build lives in its own directory (build/, build-asan/, build-fuzz/,
# build-static/); the source
# tree itself is never configured, so the builds cannot disturb each other.
set -eu

cd "$(dirname "$0")"
TOP=$(pwd)
JOBS=$(nproc 2>/dev/null || echo 2)

# Build tools and libraries, plus what the tests drive (tmux, jq, setpriv,
# valgrind) and the oracles they compare against (ss from iproute2, lsof,
# slabtop); clang and its runtime libraries (libFuzzer: libclang_rt.fuzzer)
# for the fuzz targets; the metrics side: promtool, node_exporter and
# Prometheus (started by the tests on free ports; no daemon is needed) and curl.
PACKAGES="gcc make autoconf automake pkg-config libncurses-dev libmnl-dev libzstd-dev check \
tmux jq util-linux iproute2 lsof procps valgrind clang libclang-rt-dev \
prometheus prometheus-node-exporter curl"

install_missing() {
	missing=
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "build.sh: missing packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
		exit 1
	fi
	echo "build.sh: installing$missing"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

bootstrap() {
	if [ -f config.status ]; then
		echo "build.sh: the source tree was configured in place; run 'make distclean' first" >&2
		exit 1
	fi
	if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
		autoreconf -fi
	fi
}

# build DIR [configure options...]: configure once, then make.
build() {
	dir=$1
	shift
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ "$TOP/configure" -nt "$dir/Makefile" ]; then
		(cd "$dir" && "$TOP/configure" --enable-werror "$@" >/dev/null)
	fi
	make -C "$dir" -j"$JOBS" >/dev/null
}

# check_in DIR TARGET [VAR=VALUE...]: make TARGET in DIR, showing the test
# logs on failure.
check_in() {
	dir=$1
	target=$2
	shift 2
	make -C "$dir" -j"$JOBS" "$target" "$@" && return 0
	for log in "$dir"/test-suite.log; do
		[ -f "$log" ] && cat "$log"
	done
	exit 1
}

case "${1:-}" in
run)
	install_missing
	bootstrap
	build build
	shift
	exec build/leaktop "$@"
	;;
check)
	install_missing
	bootstrap
	build build
	check_in build check
	echo "build.sh: make check passed; now under valgrind memcheck"
	make -C build valgrind
	echo "build.sh: valgrind passed; now under AddressSanitizer and UBSan"
	build build-asan --enable-sanitizers
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		check_in build-asan check
	echo "build.sh: sanitizer run passed; now the fuzz targets (make fuzz)"
	build build-fuzz --enable-fuzzing CC=clang
	check_in build-fuzz fuzz
	echo "build.sh: fuzz run passed; now a static binary"
	build build-static --enable-static
	echo "build-static/leaktop needs:"
	ldd build-static/leaktop || true
	build-static/leaktop -b --sections mem >/dev/null
	# The tarball must build, install and pass its unit tests; the live
	# suite already ran twice above, so distcheck does not run it a third time.
	echo "build.sh: now make distcheck"
	check_in build distcheck "TESTS=tests/unit/check_core tests/unit/check_tui tests/unit/check_fuzzcrash tests/layering.sh tests/keys_doc.sh"
	# One closing line over both full runs (plain and sanitized) and the
	# fuzz targets, in the form CI tools read: "N passed, N failed, N skipped".
	awk '/^# (PASS|XFAIL):/ { p += $3 } /^# (FAIL|XPASS|ERROR):/ { f += $3 }
	     /^# SKIP:/ { s += $3 }
	     END { printf "build.sh: all checks passed\ncheck: %d passed, %d failed, %d skipped\n", p, f, s }' \
		build/test-suite.log build-asan/test-suite.log build-fuzz/tests/fuzz/fuzz-suite.log
	;;
*)
	echo "usage: $0 run [leaktop options] | check" >&2
	exit 2
	;;
esac
