#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The suspects ranking against known culprits: for each leak kind, a
# leakdrv driver grows one leak beside a steady distraction (a big idle
# process, a big static cache, churn of short loopback connections), and
# "leaktop -b -o json -n 3" at the default interval must rank it first,
# with the right kind and a subject that names the driver's process,
# cache, mount or port. Suspects that are other people's processes on a
# shared machine are skipped and shown.
set -u

: "${LEAKTOP:?LEAKTOP must name the leaktop binary}"
: "${LEAKDRV:?LEAKDRV must name the leakdrv binary}"
. "${TOP_SRCDIR:-.}/tests/integration/machine_lock.sh"

skip() {
	echo "SKIP: $*"
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root: slabinfo, other processes' fds, packet sockets"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
"$LEAKTOP" -b -o json -n 1 --sections suspects >/dev/null 2>&1 ||
	skip "this leaktop has no suspects section"

INTERVAL=2	# leaktop's default
WORK=$(mktemp -d /tmp/t_suspects.XXXXXX)
DRV_PID=
TRIO=
FAILS=0
PASSES=0

stop_pid() {
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

cleanup() {
	[ -n "$DRV_PID" ] && stop_pid "$DRV_PID"
	for p in $TRIO; do
		stop_pid "$p"
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# run_drv NAME KIND ARGS...: start a driver, wait for its ready line; the
# pid is left in LAST_PID and its output in $WORK/NAME.out. 200000 files
# take over a minute on a loaded machine: up to 5 minutes.
run_drv() {
	name=$1
	shift
	rm -f "$WORK/$name.out"
	"$LEAKDRV" "$@" --duration 600 >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null &
	LAST_PID=$!
	i=0
	while ! grep -q '^ready$' "$WORK/$name.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 3000 ] || ! kill -0 "$LAST_PID" 2>/dev/null; then
			echo "FAIL: $name: no ready line"
			cat "$WORK/$name.err"
			stop_pid "$LAST_PID"
			exit 1
		fi
		sleep 0.1
	done
}

# field NAME KEY [LINE-PATTERN]: a value from a driver's output.
field() {
	grep -e "${3:-.}" "$WORK/$1.out" | grep -o " $2=[^ ]*" | head -n 1 | cut -d= -f2-
}

# The distraction trio runs beside every case.
run_drv bigidle bigidle --cap 512M
TRIO="$TRIO $LAST_PID"
run_drv staticcache staticcache --cap 200000
TRIO="$TRIO $LAST_PID"
run_drv churn churn --rate 200
TRIO="$TRIO $LAST_PID"

# check KIND JQ-FILTER: the first suspect of leaktop's last sample has the
# kind and passes the filter (which sees it as "."; $pid, $port, $srv are
# bound). RESULT: ok, fail, or busy when the wrong first suspect is a
# machine-wide quantity (a cache, a memory class, a mount, a cgroup) that other
# users' jobs move too: the case is then run again, at most 3 times, each
# once no other test's leak driver runs.
check() {
	want=$1
	filter=$2
	"$LEAKTOP" -b -o json -n 3 -d "$INTERVAL" --sections suspects >"$WORK/lt.json" 2>"$WORK/lt.err"
	# The machine is shared: a process of someone else's that really grows
	# is skipped (and shown); ours (driver, children, distractions) and
	# machine-wide subjects (caches, mounts, classes) all count.
	ours=$(cat "$WORK"/*.out | grep -o ' pid=[0-9]*' | cut -d= -f2 | sort -u | jq -s -c .)
	# Cgroup suspects are skipped too, as t_suspects_quiet.sh does: no case
	# wants one, and where every process shares one memory cgroup (this
	# machine's v1 controller) its growth is everyone's, other tests' too.
	foreign='.kind == "cgroup" or ((.subject.pid // 0) != 0 and
		 ((.subject.pid) as $p | $ours | index($p) | not))'
	tail -n 1 "$WORK/lt.json" | jq -r --argjson ours "$ours" \
		".suspects[] | select($foreign) | \"note: not ours, skipped: \" + .verdict" | head -n 5
	top=$(tail -n 1 "$WORK/lt.json" | jq -c --argjson ours "$ours" \
		"[.suspects[] | select(($foreign) | not)][0] // empty")
	if [ -n "$top" ] &&
	   echo "$top" | jq -e --arg k "$want" --argjson pid "$PID" --argjson srv "${SRV:-0}" \
		--argjson port "${PORT:-0}" ".kind == \$k and ($filter)" >/dev/null; then
		echo "ok: $CASE: #1 $(echo "$top" | jq -r '.kind + ": " + .verdict')"
		RESULT=ok
		return
	fi
	RESULT=fail
	if [ "$ATTEMPT" -lt 3 ] && [ -n "$top" ] &&
	   echo "$top" | jq -e '.subject.type | IN("slab_cache", "mem_class", "vmalloc_caller", "tmpfs", "cgroup")' >/dev/null; then
		RESULT=busy
		echo "note: $CASE: attempt $ATTEMPT: machine-wide $(echo "$top" | jq -r '.verdict') ranks first; again"
		return
	fi
	# A machine-wide leak (a cache, a mount, memory no class counts) is
	# hidden when another job frees as much meanwhile: no suspect at all.
	if [ "$ATTEMPT" -lt 3 ] && [ -z "$top" ] && machine_wide_case "$CASE"; then
		RESULT=busy
		echo "note: $CASE: attempt $ATTEMPT: no suspect; others may have freed as much; again"
		return
	fi
	echo "FAIL: $CASE: want kind '$want' with $filter first; got:"
	tail -n 1 "$WORK/lt.json" | jq -c '.suspects_summary.empty // empty, (.suspects[0:4][] | {kind, subject, verdict})'
	cat "$WORK/lt.err"
}

# leak CASE KIND-WANTED FILTER DRIVER ARGS...: the driver runs 2 s past its
# ready line (the engine holds back processes younger than 5 s; leaktop's
# third sample comes 4 s after it starts), then leaktop, then the stop.
# Caps outlast the three samples.
leak() {
	CASE=$1
	want=$2
	filter=$3
	shift 3
	# CASES="orphans pipes" runs only those (while working on a rule).
	case " ${CASES:-$CASE} " in *" $CASE "*) ;; *) return 0 ;; esac
	ATTEMPT=1
	RESULT=busy
	while [ "$RESULT" = busy ]; do
		# Before another attempt, at most 3 minutes.
		[ "$ATTEMPT" -gt 1 ] && ! wait_quiet 180 &&
			echo "note: $CASE: other tests' leak drivers still run after 3 minutes"
		attempt "$want" "$filter" "$@"
		ATTEMPT=$((ATTEMPT + 1))
	done
	case $RESULT in
	ok) PASSES=$((PASSES + 1)) ;;
	*) FAILS=$((FAILS + 1)) ;;
	esac
}

# attempt KIND FILTER DRIVER ARGS...: one run of the case's driver.
attempt() {
	want=$1
	filter=$2
	shift 2
	# tcp_mem at its pressure mark, or any machine-wide growth, is a
	# suspect that outranks the others' cases: those cases hold the lock,
	# the others share it.
	if machine_wide_case "$CASE"; then
		machine_lock machine-wide
	else
		machine_lock machine-wide shared
	fi
	run_drv "$CASE" "$@"
	DRV_PID=$LAST_PID
	PID=$DRV_PID
	SRV=$(field "$CASE" pid 'role=server\|role=receiver')
	PORT=$(field "$CASE" lport 'role=server\|role=receiver')
	sleep 2
	if [ "$CASE" = tcpmem ]; then
		i=0
		while ! grep -q '^capped ' "$WORK/$CASE.out" && [ $i -lt 900 ]; do
			i=$((i + 1))
			sleep 0.1
		done
		grep -q '^capped ' "$WORK/$CASE.out" ||
			echo "note: $CASE: the driver did not reach its cap in 90 s"
	fi
	check "$want" "$filter"
	stop_pid "$DRV_PID"
	DRV_PID=
	machine_unlock
	return 0
}

# Rates well above what a busy shared machine does by itself (proc and
# dentry caches move by tens of MB a minute here while others' tests run).
leak sendq sendq '.subject.pid == $pid' sendq --rate 4M
leak closewait "state pile" '.subject.pid == $srv' closewait --rate 40
# A unix stream's unread data waits in the reader's queue and is charged
# to the writer's socket: the reader's backlog is the suspect, the
# writer's send queue its evidence (one process holds both ends here).
leak unix-backlog backlog '.subject.pid == $pid' unix-backlog --rate 4M
leak packet-backlog backlog '.subject.pid == $pid' packet-backlog --rate 4M
leak dentry slab '.subject.name == "dentry"' dentry --rate 20000
leak rss rss '.subject.pid == $pid' rss
# An fd costs only its struct file (/dev/null is one inode): 1000 a second.
leak fdleak "fd leak" '.subject.pid == $pid' fdleak --rate 1000 --cap 19000
leak tmpfs tmpfs '.subject.mountpoint == "/dev/shm"' tmpfs
leak orphans orphans '.subject.port == $port' orphans --rate 50
# The cap (default 256M) must outlast leaktop's three samples.
leak pipes unaccounted '.subject.class == "unaccounted"' pipes --rate 64M --cap 1G
# TCP pressure is a level (80% of tcp_mem pressure): the driver is taken to
# 90% (its highest cap, a margin for others' TCP memory going away) before
# leaktop starts, and held there.
leak tcpmem "tcp pressure" 'true' tcpmem --rate 128M --cap 64G

echo "$PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
