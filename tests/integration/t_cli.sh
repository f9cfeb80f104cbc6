#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Command line: help, version, clear errors and exit status 2 for bad usage,
# 1 for a root that cannot be read; batch output on a captured tree.
set -u

: "${LEAKTOP:?}" "${TOP_SRCDIR:?}"
fail=0
expect() {
	want=$1
	shift
	out=$("$@" 2>&1 </dev/null)
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: '$*' exited $got, expected $want: $out"
		fail=1
	fi
}
expect_msg() {
	pattern=$1
	shift
	"$@" 2>&1 </dev/null | grep -q -- "$pattern" || { echo "FAIL: '$*' does not say '$pattern'"; fail=1; }
}

expect 0 "$LEAKTOP" --help
expect 0 "$LEAKTOP" --version
expect_msg "leaktop [0-9]" "$LEAKTOP" --version
expect 2 "$LEAKTOP" --no-such-option
expect 2 "$LEAKTOP" -b -d 0
expect 2 "$LEAKTOP" -b -d abc
expect 2 "$LEAKTOP" -b -n -1
expect 2 "$LEAKTOP" -b -o xml
expect 2 "$LEAKTOP" -b --sort nonsense
expect 2 "$LEAKTOP" -b --sections mem,bogus
expect 2 "$LEAKTOP" -b stray-argument
expect_msg "invalid output format 'xml'" "$LEAKTOP" -b -o xml
expect_msg "unknown socket column 'nonsense'" "$LEAKTOP" -b --sort nonsense
expect 1 "$LEAKTOP" -b --root /nonexistent/leaktop-root
expect_msg "No such file or directory" "$LEAKTOP" -b --root /nonexistent/leaktop-root
expect 1 "$LEAKTOP"
expect_msg "not a terminal" "$LEAKTOP"
expect 0 "$LEAKTOP" --list-columns
expect_msg "^skmem" "$LEAKTOP" --list-columns

# A captured tree with a broken slabinfo: the rest of the sample still works.
fx="$TOP_SRCDIR/tests/fixtures/tree-badslab"
if [ -d "$fx" ]; then
	out=$(LEAKTOP_ROOT="$fx" "$LEAKTOP" -b -o json -n 1 --sections mem,slab,vmalloc 2>&1)
	echo "$out" | grep -q '"MemTotal":' || { echo "FAIL: fixture meminfo not read: $out"; fail=1; }
	echo "$out" | grep -q '"slabinfo":' || { echo "FAIL: fixture slabinfo not reported missing"; fail=1; }
else
	echo "FAIL: fixture $fx is missing"
	fail=1
fi
exit $fail
