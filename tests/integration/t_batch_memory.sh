#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live kernel, real binary: between two batch samples make a few hundred
# thousand negative dentries and write 8 MiB to /dev/shm; the diff must show
# the dentry cache, Shmem and the /dev/shm mount growing by about that much.
set -eu

: "${LEAKTOP:?}" "${MEMGEN:?}"
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root: /proc/slabinfo is mode 0400"
	exit 77
fi
command -v jq >/dev/null || { echo "ERROR: jq is required (./build.sh installs it)"; exit 99; }

DENTRIES=300000
SHM_BYTES=8388608
tmp=$(mktemp -d /tmp/leaktop-mem.XXXXXX)
shmfile=/dev/shm/leaktop-test-$$
lt=
cleanup() {
	[ -n "$lt" ] && kill "$lt" 2>/dev/null
	rm -rf "$tmp"
	rm -f "$shmfile"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

: >"$tmp/out.json"
"$LEAKTOP" -b -o json -n 2 -d 10 --sections mem,slab,tmpfs >"$tmp/out.json" 2>"$tmp/err" &
lt=$!

# The first sample is written and flushed before leaktop sleeps.
i=0
while [ "$(wc -l <"$tmp/out.json")" -lt 1 ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || { echo "FAIL: no first sample after 20 s"; cat "$tmp/err"; exit 1; }
	sleep 0.1
done
mkdir "$tmp/neg"
"$MEMGEN" dentries $DENTRIES "$tmp/neg"
"$MEMGEN" shm $SHM_BYTES "$shmfile"
wait "$lt"
lt=

[ "$(wc -l <"$tmp/out.json")" -eq 2 ] || { echo "FAIL: expected 2 samples"; exit 1; }
sed -n 2p "$tmp/out.json" >"$tmp/second.json"
jq -e '.interval_s > 5' "$tmp/second.json" >/dev/null || { echo "FAIL: bad interval"; exit 1; }

# dentry may share a merged cache on some kernels: accept the row that is it
# or that names it among its merged caches.
d_dentry=$(jq '[.slab[] | select(.name == "dentry" or (.merged_with | index("dentry")))
		| .delta_active_objs] | first // empty' "$tmp/second.json")
d_shmem=$(jq '.derived_delta.shmem' "$tmp/second.json")
d_devshm=$(jq '[.tmpfs.mounts[] | select(.mountpoint == "/dev/shm") | .delta_used_bytes]
		| first // empty' "$tmp/second.json")
echo "dentry objects: $d_dentry (made $DENTRIES), Shmem: $d_shmem, /dev/shm used: $d_devshm (wrote $SHM_BYTES)"

fail=0
# Other processes share the box and may free dentries meanwhile: 80 %.
[ -n "$d_dentry" ] && [ "$d_dentry" -ge $((DENTRIES * 8 / 10)) ] ||
	{ echo "FAIL: dentry cache grew by '$d_dentry' objects"; fail=1; }
[ "$d_shmem" != null ] && [ "$d_shmem" -ge $((SHM_BYTES * 9 / 10)) ] ||
	{ echo "FAIL: Shmem grew by '$d_shmem' bytes"; fail=1; }
[ -n "$d_devshm" ] && [ "$d_devshm" -ge $SHM_BYTES ] && [ "$d_devshm" -le $((SHM_BYTES + 1048576)) ] ||
	{ echo "FAIL: /dev/shm used grew by '$d_devshm' bytes"; fail=1; }
# The breakdown is a partition: its classes add up to MemTotal.
jq -e '(.derived | [.anon, .page_cache, .shmem, .slab_reclaimable, .slab_unreclaimable,
	.kreclaimable_other, .vmalloc, .kernel_stack, .page_tables, .percpu, .hugetlb,
	.other_kernel, .pcp_free, .sock_pages, .vmstat_other, .unaccounted, .free]
	| map(. // 0) | add) == .derived.total' \
	"$tmp/second.json" >/dev/null || { echo "FAIL: memory classes do not add up to MemTotal"; fail=1; }
jq -e '.missing | length == 0' "$tmp/second.json" >/dev/null ||
	{ echo "FAIL: sources missing as root: $(jq -c .missing "$tmp/second.json")"; fail=1; }
exit $fail
