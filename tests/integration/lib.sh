# SPDX-License-Identifier: GPL-2.0-or-later
# tmux harness for the TUI tests: leaktop runs in a private tmux server
# (tmux -L leaktop-$$ -f /dev/null) in a fixed 80x24 pane; tests send keys
# and poll capture-pane until a text shows or a deadline passes (no sleeps
# for synchronisation). Sourced by tests/integration/t_tui_*.sh; cleans up
# the tmux server, leakgen and the drivers in DRV_PIDS on any exit. Exit 77 (skip) with a reason when
# tmux is missing, or when a test that calls needs_root runs without root.

: "${LEAKTOP:?LEAKTOP must name the leaktop binary}"

skip() {
	echo "SKIP: $*"
	exit 77
}

# needs_root REASON: skip unless root. Only tests that read what root alone
# may read call it; the rest run as any user.
needs_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root: $*"
}

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"

TMUX_SOCK="leaktop-${LEAKTOP_IN_NS:-$$}"
WORK=$(mktemp -d /tmp/leaktop-tui.XXXXXX)
LG_PID=
# Background drivers a test starts: stopped on any exit.
DRV_PIDS=
PANE=lt

tm() {
	tmux -L "$TMUX_SOCK" -f /dev/null "$@"
}

cleanup() {
	tm kill-server >/dev/null 2>&1 || true
	for p in $DRV_PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $DRV_PIDS; do
		wait "$p" 2>/dev/null || true
	done
	if [ -n "$LG_PID" ]; then
		kill "$LG_PID" 2>/dev/null || true
		wait "$LG_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# The visible screen, plain text.
screen() {
	tm capture-pane -p -t "$PANE" 2>/dev/null
}

fail() {
	echo "FAIL: $*"
	echo "--- screen:"
	screen || true
	echo "--- leaktop stderr:"
	cat "$WORK/leaktop.err" 2>/dev/null || true
	exit 1
}

# Seconds since the epoch with a fraction, for deadlines.
now() {
	date +%s.%N
}

past() {
	awk -v n="$(now)" -v d="$1" 'BEGIN { exit !(n >= d) }'
}

# Deadlines only bound how long a failing test takes; a loaded box (or a
# sanitizer build sampling 100k sockets) is slow, so they are scaled.
TIMEOUT_SCALE=${TIMEOUT_SCALE:-3}

deadline() {
	awk -v n="$(now)" -v s="$1" -v k="$TIMEOUT_SCALE" 'BEGIN { printf "%.3f\n", n + s * k }'
}

# The exit line the pane's shell prints after leaktop (start_leaktop) is a
# line of its own; the marker elsewhere (a command line in the Processes tab,
# say) is no exit.
died() {
	screen | grep -qE '^LEAKTOP-EXITED=[0-9]+$'
}

# wait_for TEXT SECONDS: poll the screen until TEXT (fixed string) shows.
wait_for() {
	_d=$(deadline "$2")
	while :; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		# Exited: the text may have come with the exit line.
		if died; then
			screen | grep -qF -- "$1" && return 0
			fail "leaktop exited while waiting for '$1'"
		fi
		past "$_d" && fail "'$1' not shown within $2 s"
		sleep 0.1
	done
}

# wait_re REGEX SECONDS: same with an extended regular expression.
wait_re() {
	_d=$(deadline "$2")
	while :; do
		if screen | grep -qE -- "$1"; then
			return 0
		fi
		if died; then
			screen | grep -qE -- "$1" && return 0
			fail "leaktop exited while waiting for /$1/"
		fi
		past "$_d" && fail "/$1/ not shown within $2 s"
		sleep 0.1
	done
}

# wait_gone TEXT SECONDS: poll until TEXT is no longer on the screen.
wait_gone() {
	_d=$(deadline "$2")
	while screen | grep -qF -- "$1"; do
		died && fail "leaktop exited while waiting for '$1' to go"
		past "$_d" && fail "'$1' still shown after $2 s"
		sleep 0.1
	done
}

keys() {
	tm send-keys -t "$PANE" "$@"
}

# Literal text (no key-name lookup).
type_text() {
	tm send-keys -t "$PANE" -l -- "$1"
}

# start_leaktop [ENV=VAL...] -- [ARGS...]: run leaktop in a fresh 80x24
# pane with its own settings directory; a crash leaves LEAKTOP-EXITED=N on
# the screen so wait_for fails at once instead of at its deadline. The marker
# gets a fresh line: leaktop may leave text on the line its cursor ends on.
start_leaktop() {
	_env="LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen XDG_CONFIG_HOME=$WORK/config"
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_env="$_env $1"
		shift
	done
	[ "${1:-}" = "--" ] && shift
	mkdir -p "$WORK/config"
	tm -u new-session -d -s "$PANE" -x 80 -y 24 \
		"env $_env $LEAKTOP $* 2>$WORK/leaktop.err; rc=\$?; echo; echo LEAKTOP-EXITED=\$rc; sleep 3600"
	wait_for "2 Memory" 15
}

# start_leakgen ARGS...: start the load generator, wait for "ready".
start_leakgen() {
	: "${LEAKGEN:?LEAKGEN must name the leakgen binary}"
	"$LEAKGEN" "$@" >"$WORK/leakgen.out" 2>"$WORK/leakgen.err" </dev/null &
	LG_PID=$!
	_d=$(deadline 30)
	until grep -qx ready "$WORK/leakgen.out" 2>/dev/null; do
		kill -0 "$LG_PID" 2>/dev/null ||
			{ cat "$WORK/leakgen.err"; fail "leakgen exited before ready"; }
		past "$_d" && fail "leakgen not ready within 30 s"
		sleep 0.1
	done
}

# lg_field SELECTOR FIELD: FIELD of the first leakgen record containing
# SELECTOR (e.g. lg_field "role=receiver" inode).
lg_field() {
	grep -F -- "$1" "$WORK/leakgen.out" | head -n 1 | tr ' ' '\n' |
		sed -n "s/^$2=//p"
}

# The table rows under the column titles (first title line starts "KIND",
# "PID", "OBJS"... as given in $1) up to the message line.
table_rows() {
	screen | awk -v h="$1" 'found && NR < 23 { print } index($0, h) == 1 || index($0, "  " h) == 1 { found = 1 }'
}
