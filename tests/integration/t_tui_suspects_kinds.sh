#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Suspects tab at 80x24 and the default interval, for the leak kinds
# besides rss (t_tui_suspects.sh) and TCP pressure (t_tui_suspects_host.sh):
# for each, a leakdrv driver grows one leak beside a steady distraction (a
# big idle process, a static cache, connection churn), leaktop starts in
# tmux, and by sample #3 the first suspect row that is ours must show the
# driver's kind and subject; Enter on it shows the evidence page with the
# verdict. Rows of cgroups and of processes none of our drivers started are
# skipped (and listed), as t_suspects_batch.sh skips them: a test running
# beside this one, or another user, grows its own. A wrong first row that
# is machine-wide (a cache, a mount, pages nobody accounts for) runs the
# case again, at most 3 times. It runs in namespaces of its own
# (own_ns.sh): the processes and sockets are the test's, the caches and
# mounts the machine's. CASES="dentry tmpfs" runs only those.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/own_ns.sh"
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
needs_root "the suspects come from every process's fds, sockets and slabinfo"
. "${TOP_SRCDIR:-.}/tests/integration/tui_suspects_lib.sh"

tcase closewait "state pile" 'pid $SRV ' closewait --rate 40
tcase sendq sendq 'pid $PID ' sendq --rate 4M
tcase dentry slab 'dentry ' dentry --rate 20000
tcase tmpfs tmpfs '/dev/shm ' tmpfs
tcase fdleak "fd leak" 'pid $PID ' fdleak --rate 1000 --cap 19000
tcase unix-backlog backlog 'pid $PID ' unix-backlog --rate 4M
tcase packet-backlog backlog 'pid $PID ' packet-backlog --rate 4M
tcase orphans orphans 'on (remote )?port ' orphans --rate 50
tcase pipes unaccounted 'unaccounted ' pipes --rate 64M --cap 1G

[ "$FAILS" -eq 0 ] || { echo "$FAILS failed"; exit 1; }
