#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Suspects tab at 80x24 for TCP memory approaching pressure: the one
# kind whose figures (tcp_mem) only the host's network namespace shows, so
# it runs there and not in t_tui_suspects_kinds.sh's namespaces. The driver
# fills unread loopback queues up to 90% of tcp_mem's pressure mark (leaktop's
# level is 80%) before leaktop starts; by sample #3 row 1 must be the pressure level, and Enter
# its evidence with the verdict.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
needs_root "the suspects come from every process's fds, sockets and slabinfo"
. "${TOP_SRCDIR:-.}/tests/integration/tui_suspects_lib.sh"

TCASE_UNTIL_CAPPED=1
tcase tcpmem "tcp pressure" '' tcpmem --rate 128M --cap 64G

[ "$FAILS" -eq 0 ] || { echo "$FAILS failed"; exit 1; }
