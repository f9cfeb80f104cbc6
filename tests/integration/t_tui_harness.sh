#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The tmux harness itself: its exit marker shown inside leaktop (the pane's
# own shell command line in the Processes tab) is not taken for an exit,
# and the real exit line is.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"

start_leaktop -- --no-config -d 0.5
# Wide enough for the whole command line of the pane's shell.
tm resize-window -t "$PANE" -x 500 -y 24
keys 5
wait_re "^ *PID " 10
keys /
type_text EXITED
keys Enter
wait_for "echo LEAKTOP-EXITED=" 10
died && fail "the marker in a command line was taken for leaktop's exit"
keys q
wait_re "^LEAKTOP-EXITED=0$" 10
died || fail "the exit line was not recognised"
echo "PASS: the harness tells leaktop's exit from its marker on the screen"
