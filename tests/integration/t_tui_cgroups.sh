#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Cgroups tab on the live kernel, at 80x24: two leak drivers (anonymous
# memory growing 4 MB/s, and a TCP connection whose Send-Q grows) are moved
# into a new cgroup of the memory hierarchy (v1 memory where the memory
# controller is there, else v2) and into a new v2 cgroup. The tab must find
# the memory cgroup's row (/ by its name), show its ANON grow between samples
# in the ΔANON column; Enter opens its page, whose Processes line opens the
# Processes tab narrowed to it (the drivers' pids, no other process) and Esc
# comes back; its Sockets line opens the Sockets tab narrowed to it; the page
# lists the sender's socket with the v2 cgroup by name and id. v shows the
# other hierarchy, where the v2 cgroup's page says that v2 lists no slab
# caches. The cgroups are removed after.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
needs_root "making cgroups and moving processes into them"
: "${LEAKDRV:?}"
[ -x "$LEAKDRV" ] || skip "leakdrv is not built ($LEAKDRV)"

. "${TOP_SRCDIR:-.}/tests/integration/cgroup_lib.sh"
cg_find_mounts

NAME2="leaktop-u2-$$"
CG2="$V2MNT/$NAME2"
if [ "$MEMHIER" = v1 ]; then
	NAME1="leaktop-u1-$$"
	CG1="$V1MNT/$NAME1"
	MEMNAME=$NAME1
	MEMCG=$CG1
else
	CG1=
	MEMNAME=$NAME2
	MEMCG=$CG2
fi
DRIVERS=

cg_cleanup() {
	for p in $DRIVERS; do
		kill "$p" 2>/dev/null || true
	done
	cg_kill_tasks "$CG2" $CG1
	for p in $DRIVERS; do
		wait "$p" 2>/dev/null || true
	done
	cg_remove "$CG2" $CG1
	cleanup
}
trap cg_cleanup EXIT

mkdir "$CG2"
[ -n "$CG1" ] && mkdir "$CG1"
# v1 counts TCP memory per cgroup only once a TCP limit is set.
[ -n "$CG1" ] && { echo 1073741824 >"$CG1/memory.kmem.tcp.limit_in_bytes"; } 2>/dev/null || true

# start_driver OUT ARGS...: leakdrv ARGS, moved into both cgroups before it
# starts (its children follow).
start_driver() {
	out=$1
	shift
	CG1="$CG1" CG2="$CG2" sh -c 'echo $$ >"$CG2/cgroup.procs"
		[ -z "$CG1" ] || echo $$ >"$CG1/cgroup.procs"
		exec "$@"' sh "$LEAKDRV" "$@" --no-stdin >"$WORK/$out" 2>&1 &
	DRIVERS="$DRIVERS $!"
}
start_driver rss.out rss --rate 4M --cap 1G --duration 300
start_driver sendq.out sendq --duration 300
d=$(deadline 10)
until grep -q '^ready' "$WORK/rss.out" && grep -q '^ready' "$WORK/sendq.out"; do
	past "$d" && fail "the drivers did not get ready: $(cat "$WORK/rss.out" "$WORK/sendq.out")"
	sleep 0.1
done
rss_pid=$(sed -n 's/^driver .* pid=\([0-9]*\) .*/\1/p' "$WORK/rss.out")
sq_pid=$(sed -n 's/^driver .* pid=\([0-9]*\) .*/\1/p' "$WORK/sendq.out")
ino=$(sed -n 's/^sock kind=tcp role=sender .* inode=\([0-9]*\) .*/\1/p' "$WORK/sendq.out")
[ -n "$rss_pid" ] && [ -n "$sq_pid" ] && [ -n "$ino" ] || fail "the drivers printed no pid or inode"
grep -qx "$rss_pid" "$MEMCG/cgroup.procs" || fail "the rss driver is not in $MEMCG"
CG2_ID=$(stat -c %i "$CG2")

start_leaktop -- --no-config --tab cgroups -d 1
wait_re "^ +MEM +ΔMEM" 15
screen | grep -qE "^ ?1 Susp.* 8 Cgroups " || fail "the tab bar does not show 8 Cgroups at 80 columns"

# The memory cgroup's row, by its name.
keys /
wait_for "Filter: " 5
type_text "$MEMNAME"
keys Enter
wait_for "filter \"$MEMNAME\": 1 of" 15

# Bytes from the table's units (4.00K, 12.3M, 1.50G, 0B).
bytes() {
	awk -v v="$1" 'BEGIN { s = v; sub(/^\+/, "", s); m = 1
		if (s ~ /K$/) m = 1024; else if (s ~ /M$/) m = 1048576; else if (s ~ /G$/) m = 1073741824
		sub(/[KMGB]$/, "", s); printf "%.0f\n", s * m }'
}
# col TITLE: the value of the column titled TITLE in the cgroup's row (the
# columns before NAME never hold blanks).
col() {
	i=$(screen | grep -E "^ +MEM " | awk -v t="$1" '{ for (i = 1; i <= NF; i++) if ($i ~ "^" t "(▼|▲|v|\\^)?$") print i }')
	[ -n "$i" ] || fail "no column $1"
	table_rows "   MEM" | grep -F " $MEMNAME" | head -n 1 | awk -v i="$i" '{ print $i }'
}
sample_no() {
	screen | sed -n 's/.* [0-9.]*s #\([0-9]*\) *$/\1/p' | head -n 1
}
# Its anon grows: ΔANON is positive (about 4M a second), and ANON is larger
# a sample later.
d=$(deadline 15)
until [ "$(bytes "$(col ΔANON)")" -ge 1048576 ] 2>/dev/null; do
	past "$d" && fail "ΔANON of $MEMNAME did not show the growth: '$(col ΔANON)'"
	sleep 0.2
done
anon1=$(bytes "$(col ANON)")
s1=$(sample_no)
wait_re " [0-9.]+s #$((s1 + 1)) *$" 10
anon2=$(bytes "$(col ANON)")
[ "$anon2" -gt "$anon1" ] || fail "ANON did not grow between samples ($anon1 then $anon2)"

# Enter: its page. The Processes line (the third) opens the Processes tab
# narrowed to it.
keys Enter
wait_for "Cgroup $MEMNAME ($MEMHIER, id " 10
wait_re "^  Processes: [1-9]" 10
keys Down Down Enter
wait_for "filter: cgroup $MEMNAME ($MEMHIER)" 10
wait_re "^ +PID " 10
wait_re "^ +$rss_pid " 10
wait_re "^ +$sq_pid " 10
for p in $(table_rows "    PID" | awk '{ print $1 }'); do
	grep -qx "$p" "$MEMCG/cgroup.procs" || fail "pid $p is listed but not in $MEMCG"
done
keys Escape
wait_for "Cgroup $MEMNAME ($MEMHIER, id " 10

# The Sockets line opens the Sockets tab narrowed to it: the sender is there.
keys Home Down Down Down Enter
wait_for "filter: cgroup $MEMNAME ($MEMHIER)" 10
wait_re "^KIND +STATE" 10
wait_for " $ino " 10
keys Escape
wait_for "Cgroup $MEMNAME ($MEMHIER, id " 10

# page_find RE: page down the drill page until a line matches.
page_find() {
	keys Home
	sleep 0.2
	n=0
	until screen | grep -qE "$1"; do
		n=$((n + 1))
		[ $n -le 20 ] || fail "the page has no line matching: $1"
		keys NPage
		sleep 0.3
	done
}
# The page lists the sender's socket with its v2 cgroup, by name and id.
page_find "^  inode $ino .* cgroup $NAME2 id $CG2_ID\$"
[ "$MEMHIER" = v1 ] && page_find "^Slab caches \(memory.kmem.slabinfo\)"

# The v2 hierarchy: v, then the v2 cgroup's row and page.
keys Escape
wait_re "^ +MEM +ΔMEM" 10
if [ "$MEMHIER" = v1 ]; then
	keys v
	wait_for "cgroups: the v2 hierarchy" 5
fi
keys /
wait_for "Filter: " 5
keys C-u
type_text "$NAME2"
keys Enter
wait_for "filter \"$NAME2\": 1 of" 15
table_rows "   MEM" | grep -qE " v2 +$NAME2" || fail "the v2 row does not say v2"
keys Enter
wait_for "Cgroup $NAME2 (v2, id $CG2_ID)" 10
page_find "v2 does not list slab caches per cgroup"
page_find "^  inode $ino .* cgroup $NAME2 id $CG2_ID\$"

keys Escape q
wait_re "^LEAKTOP-EXITED=0$" 10
echo "PASS: cgroups tab ($MEMHIER memory): anon growth, page, processes, sockets, v2"
