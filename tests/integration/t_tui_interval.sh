#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The interval prompt (s): it opens with the current value as a default that
# typing replaces, Backspace edits it, Ctrl-U clears it, Esc leaves the
# interval alone, and a value out of range is refused with a message.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"

start_leaktop -- --no-config -d 2
wait_re " 2s #[0-9]" 10
keys s
wait_for "Interval (seconds): 2_" 5
type_text 0.5
keys Enter
wait_re " 0.5s #[0-9]" 5
keys s C-u
type_text 3
keys Enter
wait_re " 3s #[0-9]" 5
keys s BSpace
type_text 4
keys Enter
wait_re " 4s #[0-9]" 5
keys s
type_text 9
keys Escape
wait_re " 4s #[0-9]" 5
keys s
type_text 0
keys Enter
wait_for "expected seconds from 0.1 to 3600, got '0'" 5
wait_re " 4s #[0-9]" 5
died && fail "leaktop died in the interval prompt"
keys q
wait_re "^LEAKTOP-EXITED=0$" 10
echo "PASS: interval prompt: default replaced by typing, Backspace, Ctrl-U, Esc, range check"
