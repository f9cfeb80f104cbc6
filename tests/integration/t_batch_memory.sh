#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live kernel, real binary: while leaktop samples every second, make a few
# hundred thousand negative dentries and write 32 MiB to a tmpfs of the
# test's own; the deltas must show the dentry cache, Shmem and that mount
# growing by about that much. The mount is private so that other writers of
# /dev/shm on a shared box cannot move its figure; Shmem and the dentry cache
# are the whole box's, so they get a margin.
set -eu

: "${LEAKTOP:?}" "${MEMGEN:?}"
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root: /proc/slabinfo is mode 0400"
	exit 77
fi
command -v jq >/dev/null || { echo "ERROR: jq is required (./build.sh installs it)"; exit 99; }
# The dentries and Shmem it makes are machine-wide growth, and its checks
# read machine-wide figures: alone among tests that move them.
. "${TOP_SRCDIR:-.}/tests/integration/machine_lock.sh"
machine_lock machine-wide || exit 99

DENTRIES=300000
SHM_BYTES=33554432
tmp=$(mktemp -d /tmp/leaktop-mem.XXXXXX)
shmdir=$tmp/shm
shmfile=$shmdir/leaktop-test
lt=
cleanup() {
	[ -n "$lt" ] && kill "$lt" 2>/dev/null
	umount "$shmdir" 2>/dev/null || :
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Samples every second until two whole samples were taken after memgen
# finished: no guess at how long making the dentries takes.
: >"$tmp/out.json"
mkdir "$shmdir"
mount -t tmpfs -o size=64m,mode=700 leaktop-test "$shmdir" ||
	{ echo "SKIP: cannot mount a tmpfs here"; exit 77; }
"$LEAKTOP" -b -o json -n 0 -d 1 --sections mem,slab,tmpfs >"$tmp/out.json" 2>"$tmp/err" &
lt=$!
# lines N: poll until the output holds N whole samples (20 s at most).
lines() {
	i=0
	while [ "$(wc -l <"$tmp/out.json")" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || { echo "FAIL: fewer than $1 samples after 20 s"; cat "$tmp/err"; exit 1; }
		kill -0 "$lt" 2>/dev/null || { echo "FAIL: leaktop exited"; cat "$tmp/err"; exit 1; }
		sleep 0.1
	done
}
lines 1
mkdir "$tmp/neg"
"$MEMGEN" dentries $DENTRIES "$tmp/neg"
"$MEMGEN" shm $SHM_BYTES "$shmfile"
# The sample being taken now may have started before memgen finished; the
# one after it did not.
last=$(($(wc -l <"$tmp/out.json") + 2))
lines "$last"
kill "$lt"
wait "$lt" || true
lt=
sed -n "1,${last}p" "$tmp/out.json" | jq -s . >"$tmp/run.json"
sed -n "${last}p" "$tmp/out.json" >"$tmp/last.json"

# The growth is the sum of the deltas of every sample after the first.
jq -e '.[1:] | all(.interval_s > 0.5)' "$tmp/run.json" >/dev/null || { echo "FAIL: bad interval"; exit 1; }
# dentry may share a merged cache on some kernels: accept the row that is it
# or that names it among its merged caches.
d_dentry=$(jq '[.[1:][] | [.slab[] | select(.name == "dentry" or (.merged_with | index("dentry")))
		| .dobjs] | first // empty] | add // empty' "$tmp/run.json")
d_shmem=$(jq '[.[1:][] | .derived_delta.shmem] | add' "$tmp/run.json")
d_devshm=$(jq --arg m "$shmdir" '[.[1:][] | [.tmpfs.mounts[] | select(.mountpoint == $m) | .delta_used_bytes]
		| first // empty] | add // empty' "$tmp/run.json")
echo "$last samples; dentry objects: $d_dentry (made $DENTRIES), Shmem: $d_shmem, tmpfs used: $d_devshm (wrote $SHM_BYTES)"

fail=0
# Other processes share the box and may free dentries meanwhile: 80 %.
[ -n "$d_dentry" ] && [ "$d_dentry" -ge $((DENTRIES * 8 / 10)) ] ||
	{ echo "FAIL: dentry cache grew by '$d_dentry' objects"; fail=1; }
[ "$d_shmem" != null ] && [ "$d_shmem" -ge $((SHM_BYTES / 2)) ] ||
	{ echo "FAIL: Shmem grew by '$d_shmem' bytes"; fail=1; }
[ -n "$d_devshm" ] && [ "$d_devshm" -ge $SHM_BYTES ] && [ "$d_devshm" -le $((SHM_BYTES + 1048576)) ] ||
	{ echo "FAIL: the test's tmpfs grew by '$d_devshm' bytes"; fail=1; }
# Each delta is against the sample before it, so they add up to last minus first.
jq -e '([.[1:][] | .derived_delta.shmem] | add) == (.[-1].derived.shmem - .[0].derived.shmem)' \
	"$tmp/run.json" >/dev/null || { echo "FAIL: Shmem deltas do not add up to last minus first"; fail=1; }
# The breakdown is a partition: its classes add up to MemTotal.
jq -e '(.derived | [.anon, .page_cache, .shmem, .slab_reclaimable, .slab_unreclaimable,
	.kreclaimable_other, .vmalloc, .kernel_stack, .page_tables, .percpu, .hugetlb,
	.other_kernel, .pcp_free, .sock_pages, .vmstat_other, .unaccounted, .free]
	| map(. // 0) | add) == .derived.total' \
	"$tmp/last.json" >/dev/null || { echo "FAIL: memory classes do not add up to MemTotal"; fail=1; }
jq -e '.missing | length == 0' "$tmp/last.json" >/dev/null ||
	{ echo "FAIL: sources missing as root: $(jq -c .missing "$tmp/last.json")"; fail=1; }
exit $fail
