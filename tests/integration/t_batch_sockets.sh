#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live kernel, real binary, the project's own load: leakgen makes loopback
# TCP receivers that never read, CLOSE_WAIT sockets, unix pairs with unread
# data, a packet socket that never reads and a thread blocked in read(),
# spread over child processes. One leaktop sample must show exactly those:
# sockets ordered by kernel memory, leakgen's big ones first among its own,
# rmem within 10 % of what it queued, the right owner pid and fd, the CLOSE_WAIT count, the packet
# socket's backlog and drops, and the blocked thread's kernel stack.
set -eu

: "${LEAKTOP:?}" "${LEAKGEN:?}"
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root: every process's fds, kernel stacks, AF_PACKET"
	exit 77
fi
. "${TOP_SRCDIR:-.}/tests/integration/gen_lib.sh"
command -v jq >/dev/null || { echo "ERROR: jq is required (./build.sh installs it)"; exit 99; }

CONNS=6
BYTES=8000000
CLOSE_WAIT=7
UNIX_PAIRS=5
gen_scratch socks

"$LEAKGEN" --tcp-unread $CONNS --bytes $BYTES --rcvbuf 16000000 --close-wait $CLOSE_WAIT \
	--unix-unread $UNIX_PAIRS --bytes $BYTES --packet --blocked-thread --children 2 \
	--duration 120 >"$tmp/lg.out" 2>"$tmp/lg.err" &
lg=$!
gen_wait_ready "$lg" "$tmp/lg.out" 600 ||
	{ echo "FAIL: leakgen did not get ready"; cat "$tmp/lg.err"; exit 1; }

# leakgen's lines as JSON objects: {"kind":"tcp","role":"receiver",...}.
sed -n 's/^sock //p' "$tmp/lg.out" |
	awk '{ printf "{"; for (i = 1; i <= NF; i++) { split($i, kv, "="); printf "%s\"%s\":\"%s\"", (i > 1 ? "," : ""), kv[1], kv[2] } print "}" }' |
	jq -s . >"$tmp/lg.json"
thread_pid=$(sed -n 's/^thread pid=\([0-9]*\) tid=.*/\1/p' "$tmp/lg.out")
thread_tid=$(sed -n 's/^thread pid=[0-9]* tid=\([0-9]*\).*/\1/p' "$tmp/lg.out")
[ -n "$thread_tid" ] || { echo "FAIL: leakgen reported no blocked thread"; exit 1; }

"$LEAKTOP" -b -o json -n 1 --top 0 --stack "$thread_pid" >"$tmp/lt.json" 2>"$tmp/lt.err" ||
	{ echo "FAIL: leaktop exited $?"; cat "$tmp/lt.err"; exit 1; }

fail=0
# check WHAT FILTER [jq options]: FILTER sees leakgen's records as $lg[0] and
# the leaktop sample as $lt (usable inside pipes where . has moved on).
check() {
	what=$1
	filter=$2
	shift 2
	if jq -e --slurpfile lg "$tmp/lg.json" "$@" ". as \$lt | $filter" "$tmp/lt.json" >/dev/null; then
		echo "ok: $what"
	else
		echo "FAIL: $what"
		fail=1
	fi
}

# Other processes on a shared box may hold bigger sockets: the order must be
# by kernel memory, and leakgen's first socket must be one of its 8 MB ones.
check "sockets come largest kernel memory first, leakgen's big receivers among the first" '
	[$lg[0][] | .inode | tonumber] as $mine
	| ([$lt.sockets | to_entries[] | select(.value.inode as $i | $mine | index($i) != null)
	    | .key] | first) as $k
	| [$lt.sockets[] | .skmem // -1] as $m
	| $k != null and $m == ($m | sort | reverse) and $lt.sockets[$k].skmem >= '$BYTES' / 2'
check "every receiver's rmem_alloc is within 10% of the bytes queued" '
	[$lg[0][] | select(.kind == "tcp" and .role == "receiver")] as $rx
	| ($rx | length) == '$CONNS' and
	  ([$rx[] | (.inode | tonumber) as $i | (.queued | tonumber) as $q
	    | [$lt.sockets[] | select(.inode == $i)][0].rmem as $r
	    | ($r != null and $q > 0 and ($r - $q | fabs) <= $q / 10)] | all)'
check "every leakgen socket has its owner pid and fd" '
	[$lg[0][] | select(.pid != null and .fd != null)] as $mine
	| ($mine | length) > 0 and
	  ([$mine[] | (.inode | tonumber) as $i | (.pid | tonumber) as $p | (.fd | tonumber) as $f
	    | [$lt.sockets[] | select(.inode == $i)][0].owners
	    | any(.[]; .pid == $p and .fd == $f)] | all)'
check "the CLOSE_WAIT count matches" '
	[$lg[0][] | select(.role == "close_wait") | .inode | tonumber] as $cw
	| ($cw | length) == '$CLOSE_WAIT' and
	  ([$lt.sockets[] | select(.state == "CLOSE-WAIT" and (.inode as $i | $cw | index($i)))]
	   | length) == '$CLOSE_WAIT' and $lt.tcp.states["CLOSE-WAIT"] >= '$CLOSE_WAIT
check "the packet socket's backlog and drops are seen" '
	[$lg[0][] | select(.kind == "packet") | .inode | tonumber][0] as $i
	| [$lt.sockets[] | select(.inode == $i)][0]
	| .kind == "packet" and .rmem > 0 and .drops > 0'
check "unix writers are charged for what their peers have not read" '
	[$lg[0][] | select(.kind == "unix" and .role == "writer")] as $w
	| ($w | length) == '$UNIX_PAIRS' and
	  ([$w[] | (.inode | tonumber) as $i | (.outq | tonumber) as $q
	    | [$lt.sockets[] | select(.inode == $i)][0].wmem == $q] | all)'
check "leakgen's processes carry their socket memory" '
	[$lg[0][] | .pid | tonumber] | unique as $pids
	| [$lt.processes[] | select(.pid as $p | $pids | index($p))]
	| length == ($pids | length) and all(.sockmem > 0 and .socks > 0)'
check "the blocked thread's kernel stack is read" '
	[.stacks[0].threads[] | select(.tid == $tid)][0]
	| (.stack | length) > 0 and (.stack | any(test("read")))' --argjson tid "$thread_tid"
check "no source is missing as root" '.missing | keys - ["raw"] | length == 0'
exit $fail
