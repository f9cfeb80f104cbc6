#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Marks do not wait for a sample: at a 60 s interval, a and b pressed live
# mark the sample shown (#1) at once, and the diff view opens on it; a key
# that waited for a fresh sample would show #2 a minute later.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"

start_leaktop -- --no-config -d 60
wait_re " 60s #1( |$)" 10
keys a
wait_for "A = sample #1;" 5
keys b
wait_for "B = sample #1" 5
keys d
wait_re "DIFF A#1.*B#1" 5
screen | grep -qE " 60s #1( |$)" || fail "a second sample came: the marks were not the shown one"
keys q
wait_re "^LEAKTOP-EXITED=0$" 10
echo "PASS: marks take the shown sample at once"
