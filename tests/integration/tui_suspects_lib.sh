# SPDX-License-Identifier: GPL-2.0-or-later
# The Suspects tab per leak kind, sourced after lib.sh by
# t_tui_suspects_kinds.sh (in namespaces of its own) and
# t_tui_suspects_host.sh (kinds that need the host's network namespace:
# tcp_mem): the distractions, the drivers, and tcase, which runs one case.
# Needs LEAKDRV; counts failures in FAILS.
: "${LEAKDRV:?LEAKDRV must name the leakdrv binary}"
. "${TOP_SRCDIR:-.}/tests/integration/machine_lock.sh"

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

sample_of() {
	printf '%s\n' "$1" | grep -F " 1 Suspects " | grep -oE '#[0-9]+ *$' | tr -dc 0-9
}

# A row that is someone else's: a cgroup (these cases never expect one: a
# test running beside this one, or another user, grows its own), or a
# process none of our drivers printed.
foreign() {
	printf '%s\n' "$1" | grep -qE '^ *[0-9]+ +cgroup ' && return 0
	_pid=$(printf '%s\n' "$1" | grep -oE ' pid [0-9]+ ' | head -n 1 | tr -dc 0-9)
	[ -n "$_pid" ] && ! cat "$WORK"/*.out | grep -q " pid=$_pid\( \|$\)"
}

# The first suspect row of the screen that is not foreign, as
# t_suspects_batch.sh skips other users' suspects; the rows skipped on the
# way go to $WORK/skipped.
first_ours() {
	: >"$WORK/skipped"
	printf '%s\n' "$1" |
		awk 'found && /^ *[0-9]+ / { print } /^#(▲|\^|▼|v)? +KIND +SUBJECT/ { found = 1 }' |
		while IFS= read -r _r; do
			if foreign "$_r"; then
				printf '%s\n' "$_r" >>"$WORK/skipped"
				continue
			fi
			printf '%s\n' "$_r"
			break
		done
}

# A machine-wide subject (cache, mount, class) other users' jobs move too.
machine_wide() {
	printf '%s\n' "$1" | grep -qE '^ *[0-9]+ +(slab|tmpfs|unaccounted|vmalloc) '
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
		# tcp_mem at its pressure mark, or any machine-wide growth,
		# outranks another case's culprit: those cases hold the lock,
		# the others share it.
		if [ -n "${TCASE_UNTIL_CAPPED:-}" ] || machine_wide_case "$CASE"; then
			machine_lock machine-wide
		else
			machine_lock machine-wide shared
		fi
		run_drv "$CASE" "$@"
		drv=$LAST_PID
		PID=$drv
		SRV=$(field "$CASE" pid 'role=server')
		sub=$(eval "printf '%s' \"$subj\"")
		sleep 2
		# A level case (TCP pressure): the driver reaches its cap first.
		_d=$(deadline 90)
		while [ -n "${TCASE_UNTIL_CAPPED:-}" ] && ! grep -q '^capped ' "$WORK/$CASE.out"; do
			past "$_d" && break
			sleep 0.1
		done
		start_leaktop -- --no-config
		res=fail
		_d=$(deadline 30)
		while :; do
			scr=$(screen)
			n=$(sample_of "$scr")
			r=$(first_ours "$scr")
			if [ -n "$r" ]; then
				if printf '%s\n' "$r" | grep -qE "^ *[0-9]+ +$want +$sub"; then
					[ -n "$n" ] && [ "$n" -le 3 ] && res=ok
				elif machine_wide "$r"; then
					res=busy
				fi
				break
			fi
			if [ -n "$n" ] && [ "$n" -gt 3 ]; then
				# A machine-wide leak (a cache, a mount) can be hidden
				# by another job freeing the same memory meanwhile:
				# a test closing thousands of sockets frees as many
				# dentries as the driver makes.
				machine_wide " 1 $want " && res=busy
				break
			fi
			died && fail "$CASE: leaktop exited"
			past "$_d" && break
			sleep 0.1
		done
		if [ "$res" = ok ]; then
			rank=$(printf '%s\n' "$r" | awk '{ print $1 }')
			i=1
			while [ "$i" -lt "$rank" ]; do
				keys Down
				i=$((i + 1))
			done
			keys Enter
			wait_re "^Suspect #$rank: $want, " 10
			wait_for "Evidence (+ agrees, - contradicts)" 5
			# The verdict: the line under the heading (it wraps at 80).
			screen | awk '/^Suspect #[0-9]+: / { getline; print; exit }' |
				grep -qE "^  .*(grows?|piles up|leaks|fills|is [0-9]+% of)" ||
				fail "$CASE: no verdict line on the evidence page"
			echo "ok: $CASE: first of ours at sample #$n: $r"
			[ -s "$WORK/skipped" ] &&
				sed "s/^/note: $CASE: skipped, not ours: /" "$WORK/skipped"
		fi
		tm kill-server >/dev/null 2>&1 || true
		kill "$drv" 2>/dev/null || true
		wait "$drv" 2>/dev/null || true
		DRV_PIDS=$(printf '%s\n' $DRV_PIDS | grep -vx "$drv" | tr '\n' ' ')
		machine_unlock
		[ "$res" = busy ] && [ $attempt -lt 3 ] && {
			echo "note: $CASE: attempt $attempt: machine-wide first: ${r:-no row of ours by sample #3}; again"
			attempt=$((attempt + 1))
			# As t_suspects_batch.sh: the caches and mounts other
			# tests' drivers grow (make check -j) stop with them.
			wait_quiet 180 ||
				echo "note: $CASE: other tests' leak drivers still run after 3 minutes"
			continue
		}
		[ "$res" = ok ] && return 0
		echo "FAIL: $CASE: want '$want $sub' first of ours by sample #3; sample #$n, first of ours: '$r'"
		printf '%s\n' "$scr"
		FAILS=$((FAILS + 1))
		return 0
	done
}

