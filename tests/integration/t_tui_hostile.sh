#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A process whose name holds an escape sequence (an OSC that would retitle
# the terminal, and a BEL) is shown escaped as \x1b ... \x07 in the Sockets
# tab's drill-down and the Processes tab; the terminal title is never
# changed and the raw bytes never reach the terminal.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
needs_root "kernel stacks in the socket drill-down"

name=$(printf '\033]2;pwned\007x')
start_leakgen --tcp-unread 1 --bytes 1000000 --duration 300 --name "$name"
ino=$(lg_field "role=receiver" inode)
pid=$(lg_field "role=receiver" pid)
[ -n "$ino" ] || fail "leakgen printed no receiver socket"

start_leaktop -- --no-config --tab sockets -d 1
tm select-pane -t "$PANE" -T clean-title
# Every byte leaktop writes from here on: the screen tmux shows has the
# control characters interpreted already, the raw stream still holds them.
tm pipe-pane -t "$PANE" -o "cat >>$WORK/raw"

# Filter to the socket (other tests' sockets can push it off an unfiltered
# screen), open it: the owner line carries the escaped name.
keys /
type_text "$ino"
keys Enter
wait_for "filter \"$ino\": 1 of" 15
keys Enter
wait_for "Socket inode $ino" 10
keys End
wait_for "Kernel stacks" 10
wait_for "pid $pid fd " 5
line=$(screen | grep -F "pid $pid fd " | head -n 1)
echo "$line" | grep -qF '\x1b]2;pwned\x07x' || fail "name not shown escaped: '$line'"
# The processes tab shows it escaped too.
keys Escape
keys 5
wait_re "^ *PID " 10
keys /
type_text "pwned"
keys Enter
wait_for '\x1b]2;pwned' 10
title=$(tm display-message -p -t "$PANE" '#{pane_title}')
[ "$title" = clean-title ] || fail "the terminal title was changed to '$title'"
# The name never reached the terminal raw: no OSC and no BEL in the stream.
[ -s "$WORK/raw" ] || fail "nothing recorded from the pane"
LC_ALL=C grep -q "$(printf '\033]2;pwned')" "$WORK/raw" && fail "the raw OSC reached the terminal"
LC_ALL=C grep -q "$(printf '\007')" "$WORK/raw" && fail "a raw BEL reached the terminal"

keys q
wait_re "^LEAKTOP-EXITED=0$" 10
echo "PASS: hostile process name shown escaped"
