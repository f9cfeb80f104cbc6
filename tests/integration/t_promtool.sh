#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The metrics exposition against Prometheus's own checker: promtool check
# metrics on a live sample (--textfile's text format, and -o openmetrics;
# the default sections, cgroups among them),
# on a sample holding a process whose name is quotes, backslashes, a
# newline, ESC and a byte that is not UTF-8 (beside unix sockets bound to
# a path of control bytes); then promtool check rules and test rules on the
# shipped alert rules. Without root the sample is partial and must still
# be valid.
set -u

: "${LEAKTOP:?}" "${LEAKGEN:?}" "${TOP_SRCDIR:?}"

command -v promtool >/dev/null 2>&1 || { echo "SKIP: promtool is not installed (Debian package prometheus)"; exit 77; }

tmp=$(mktemp -d /tmp/leaktop-promtool.XXXXXX)
lg_pid=
cleanup() {
	if [ -n "$lg_pid" ]; then
		kill "$lg_pid" 2>/dev/null
		wait "$lg_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
	echo "FAIL: $*"
	exit 1
}

# check_text FILE WHAT: the Prometheus text format, no complaint at all.
check_text() {
	promtool check metrics <"$1" >"$tmp/lint" 2>&1 ||
		{ cat "$tmp/lint"; fail "$2: promtool check metrics"; }
	[ ! -s "$tmp/lint" ] || { cat "$tmp/lint"; fail "$2: promtool complains"; }
	echo "ok: $2: promtool check metrics"
}

# check_om FILE WHAT: an OpenMetrics exposition. promtool reads the text
# format, where a counter's family is typed under its _total name; the
# only complaint allowed is that difference, for a family declared as a
# counter. Everything else must parse and lint clean.
check_om() {
	[ "$(tail -n 1 "$1")" = "# EOF" ] || fail "$2: the last line is not # EOF"
	promtool check metrics <"$1" >"$tmp/lint" 2>&1
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 3 ] || { cat "$tmp/lint"; fail "$2: promtool could not parse it"; }
	while IFS= read -r line; do
		name=${line%% no help text}
		[ "$name" != "$line" ] && grep -qx "# TYPE ${name%_total} counter" "$1" && continue
		cat "$tmp/lint"
		fail "$2: promtool: $line"
	done <"$tmp/lint"
	echo "ok: $2: promtool check metrics (OpenMetrics)"
}

# --- a live sample, both formats, two samples so deltas and growth exist
"$LEAKTOP" -b -n 2 -d 0.5 -o openmetrics --textfile "$tmp/live.prom" >"$tmp/live.om" 2>"$tmp/err" ||
	{ cat "$tmp/err"; fail "leaktop -o openmetrics --textfile exited non-zero"; }
[ "$(grep -c '^# EOF$' "$tmp/live.om")" -eq 2 ] || fail "two samples did not give two expositions"
[ ! -e "$tmp/live.prom.tmp" ] || fail "the temporary file was left behind"
awk 'seen { print } /^# EOF$/ { seen = 1 }' "$tmp/live.om" >"$tmp/second.om"
check_om "$tmp/second.om" "live sample"
check_text "$tmp/live.prom" "live sample, --textfile"
for fam in leaktop_memory_class_bytes leaktop_samples_total leaktop_process_rss_bytes; do
	grep -q "^$fam[{ ]" "$tmp/live.prom" || fail "live sample has no $fam"
done
if [ "$(id -u)" -eq 0 ]; then
	grep -q '^leaktop_slab_cache_bytes{' "$tmp/live.prom" || fail "root: no slab caches"
fi
# cgroups are in the default sections. A memory controller in either
# hierarchy gives the cgroup families, labelled so that a name present in
# both (a hybrid host) is two series; the depth column is no family.
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null ||
	awk '$9 == "cgroup" && $NF ~ /(^|,)memory(,|$)/ { found = 1 } END { exit !found }' /proc/self/mountinfo; then
	grep -q '^leaktop_cgroup_memory_current_bytes{hierarchy="v[12]",path="/[^"]*",name="' "$tmp/live.prom" ||
		fail "live sample has no leaktop_cgroup_memory_current_bytes{hierarchy,path,name}"
	echo "ok: the live sample has cgroup families"
fi
! grep -q '^leaktop_cgroups\?_depth' "$tmp/live.prom" || fail "a cgroup's depth is a family"
dups=$(grep -v '^#' "$tmp/live.prom" | sed 's/ [^ ]*$//' | sort | uniq -d)
[ -z "$dups" ] || fail "series given twice: $(echo "$dups" | head -3)"

# --- hostile names
name=$(printf 'q"b\\n\033\nx\377')
"$LEAKGEN" --tcp-unread 2 --unix-unread 2 --unix-path "$(printf 'p\033\001"\\')" \
	--name "$name" --duration 60 </dev/null >"$tmp/lg.out" 2>"$tmp/lg.err" &
lg_pid=$!
i=0
until grep -q '^ready' "$tmp/lg.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$tmp/lg.err"; fail "leakgen did not get ready"; }
	sleep 0.1
done
"$LEAKTOP" -b -n 1 --metrics-top 0 -o openmetrics --textfile "$tmp/hostile.prom" \
	>"$tmp/hostile.om" 2>"$tmp/err" || { cat "$tmp/err"; fail "leaktop exited non-zero"; }
check_om "$tmp/hostile.om" "hostile names"
check_text "$tmp/hostile.prom" "hostile names, --textfile"
# The name sanitized once (\\ for a backslash, \xNN for control and
# invalid bytes), then escaped for the exposition.
want="leaktop_process_rss_bytes{pid=\"$lg_pid\",comm=\"q\\\"b\\\\\\\\n\\\\x1b\\\\x0ax\\\\xff\"} "
grep -qF "$want" "$tmp/hostile.prom" || {
	grep "pid=\"$lg_pid\"" "$tmp/hostile.prom" | head -3
	fail "leakgen's series not found as $want"
}
echo "ok: a hostile process name is one escaped label value"

# --- the shipped alert rules
promtool check rules "$TOP_SRCDIR/contrib/leaktop-alerts.yml" || fail "promtool check rules"
(cd "$TOP_SRCDIR/contrib" && promtool test rules leaktop-alerts.test.yml) || fail "promtool test rules"
echo "ok: alert rules check and pass their unit tests"
