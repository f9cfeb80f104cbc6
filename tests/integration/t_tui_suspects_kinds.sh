#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Suspects tab at 80x24 and the default interval, for the leak kinds
# besides rss (t_tui_suspects.sh): for each, a leakdrv driver grows one
# leak beside a steady distraction (a big idle process, a static cache,
# connection churn), leaktop starts in tmux, and by sample #3 row 1 must
# show the driver's kind and subject; Enter shows the evidence page with
# the verdict. On a shared machine another user's growing process can rank
# first: a case whose wrong #1 is not ours (a pid none of our drivers has,
# or a machine-wide cache or mount) is run again, at most 3 times, as
# t_suspects_batch.sh does. It runs in namespaces of its own (own_ns.sh):
# the processes and sockets are the test's, the caches and mounts the
# machine's. CASES="dentry tmpfs" runs only those.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/own_ns.sh"
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
needs_root "the suspects come from every process's fds, sockets and slabinfo"
: "${LEAKDRV:?LEAKDRV must name the leakdrv binary}"

DRV_PIDS=
drivers_stop() {
	for p in $DRV_PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $DRV_PIDS; do
		wait "$p" 2>/dev/null || true
	done
	cleanup
}
trap drivers_stop EXIT

# run_drv NAME ARGS...: start a driver, wait for its ready line; its pid in
# LAST_PID, its output in $WORK/NAME.out.
run_drv() {
	_n=$1
	shift
	"$LEAKDRV" "$@" --duration 300 >"$WORK/$_n.out" 2>"$WORK/$_n.err" </dev/null &
	LAST_PID=$!
	DRV_PIDS="$DRV_PIDS $LAST_PID"
	_d=$(deadline 120)
	until grep -qx ready "$WORK/$_n.out" 2>/dev/null; do
		kill -0 "$LAST_PID" 2>/dev/null || { cat "$WORK/$_n.err"; fail "driver $_n exited"; }
		past "$_d" && fail "driver $_n not ready"
		sleep 0.1
	done
}

# field NAME KEY [LINE-PATTERN]: a value from a driver's output.
field() {
	grep -e "${3:-.}" "$WORK/$1.out" | grep -o " $2=[^ ]*" | head -n 1 | cut -d= -f2-
}

run_drv bigidle bigidle --cap 256M
run_drv staticcache staticcache --cap 20000
run_drv churn churn --rate 200

row1() {
	printf '%s\n' "$1" | awk 'found { print; exit } /^#(▲|\^|▼|v)? +KIND +SUBJECT/ { found = 1 }'
}
sample_of() {
	printf '%s\n' "$1" | grep -F " 1 Suspects " | grep -oE '#[0-9]+ *$' | tr -dc 0-9
}

# Row 1 is someone else's: a pid no driver of ours printed, or a
# machine-wide subject (cache, mount, class) other users' jobs move too.
not_ours() {
	_pid=$(printf '%s\n' "$1" | grep -oE ' pid [0-9]+ ' | tr -dc 0-9)
	if [ -n "$_pid" ]; then
		! cat "$WORK"/*.out | grep -q " pid=$_pid\( \|$\)"
	else
		printf '%s\n' "$1" | grep -qE '^ *1 +(slab|tmpfs|unaccounted|vmalloc|cgroup) '
	fi
}

FAILS=0
# tcase NAME KIND SUBJECT-RE DRIVER ARGS...: the driver runs 2 s past its
# ready line (processes younger than 5 s are held back; the third sample
# comes 4 s after leaktop starts), then leaktop in tmux.
tcase() {
	CASE=$1
	want=$2
	subj=$3
	shift 3
	case " ${CASES:-$CASE} " in *" $CASE "*) ;; *) return 0 ;; esac
	attempt=1
	while :; do
		run_drv "$CASE" "$@"
		drv=$LAST_PID
		PID=$drv
		SRV=$(field "$CASE" pid 'role=server')
		sub=$(eval "printf '%s' \"$subj\"")
		sleep 2
		start_leaktop -- --no-config
		res=fail
		_d=$(deadline 30)
		while :; do
			scr=$(screen)
			n=$(sample_of "$scr")
			r=$(row1 "$scr")
			if printf '%s\n' "$r" | grep -qE '^ *1 '; then
				if printf '%s\n' "$r" | grep -qE "^ *1 +$want +$sub"; then
					[ -n "$n" ] && [ "$n" -le 3 ] && res=ok
				elif not_ours "$r"; then
					res=busy
				fi
				break
			fi
			[ -n "$n" ] && [ "$n" -gt 3 ] && break
			died && fail "$CASE: leaktop exited"
			past "$_d" && break
			sleep 0.1
		done
		if [ "$res" = ok ]; then
			keys Enter
			wait_re "^Suspect #1: $want, " 10
			wait_for "Evidence (+ agrees, - contradicts)" 5
			# The verdict: the line under the heading (it wraps at 80).
			screen | awk '/^Suspect #1: / { getline; print; exit }' |
				grep -qE "^  .*(grows|piles up|leaks|fills)" ||
				fail "$CASE: no verdict line on the evidence page"
			echo "ok: $CASE: #1 at sample #$n: $r"
		fi
		tm kill-server >/dev/null 2>&1 || true
		kill "$drv" 2>/dev/null || true
		wait "$drv" 2>/dev/null || true
		DRV_PIDS=$(printf '%s\n' $DRV_PIDS | grep -vx "$drv" | tr '\n' ' ')
		[ "$res" = busy ] && [ $attempt -lt 3 ] && {
			echo "note: $CASE: attempt $attempt: not ours first: $r; again"
			attempt=$((attempt + 1))
			continue
		}
		[ "$res" = ok ] && return 0
		echo "FAIL: $CASE: want '$want $sub' as row 1 by sample #3; sample #$n, row 1: '$r'"
		printf '%s\n' "$scr"
		FAILS=$((FAILS + 1))
		return 0
	done
}

tcase closewait "state pile" 'pid $SRV ' closewait --rate 40
tcase sendq sendq 'pid $PID ' sendq --rate 4M
tcase dentry slab 'dentry ' dentry --rate 20000
tcase tmpfs tmpfs '/dev/shm ' tmpfs
tcase fdleak "fd leak" 'pid $PID ' fdleak --rate 1000 --cap 19000

[ "$FAILS" -eq 0 ] || { echo "$FAILS failed"; exit 1; }
