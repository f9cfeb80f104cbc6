#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Real binary, live kernel: record a socket leak while printing the live
# batch JSON, replay it and get the same JSON line for line (nothing is
# ignored: a replayed sample carries the recorded sample_ms and suspects
# fed from the same samples); then every bad file the reader must survive,
# through leaktop itself: empty, header only, foreign, a newer format, a
# torn tail, a flipped byte, a file still being written, a recorder killed
# with SIGKILL, a full disk (a small tmpfs), and rotation and retention.
set -eu

: "${LEAKTOP:?}" "${LEAKGEN:?}"
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root: mounts a small tmpfs for the full-disk case"
	exit 77
fi
command -v jq >/dev/null || { echo "ERROR: jq is required (./build.sh installs it)"; exit 99; }

tmp=$(mktemp -d /tmp/leaktop-rec.XXXXXX)
lg=
rec_pid=
cleanup() {
	[ -n "$rec_pid" ] && kill "$rec_pid" 2>/dev/null
	[ -n "$lg" ] && kill "$lg" 2>/dev/null
	umount "$tmp/small" 2>/dev/null || :
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*"
	for f in "$tmp"/*.err; do
		[ -s "$f" ] && { echo "--- $f"; cat "$f"; }
	done
	exit 1
}

# replay ARGS...: leaktop --replay ARGS -o json into $tmp/r.json, stderr in
# $tmp/r.err; sets rc.
replay() {
	rc=0
	"$LEAKTOP" -o json --replay "$@" >"$tmp/r.json" 2>"$tmp/r.err" || rc=$?
}
count() {
	wc -l <"$1" | tr -d ' '
}
# same_as_live FIRST LAST WHAT: $tmp/r.json holds the live samples FIRST to
# LAST, field for field.
same_as_live() {
	sed -n "$1,$2p" "$tmp/live.json" | jq -S . >"$tmp/a"
	jq -S . <"$tmp/r.json" >"$tmp/b"
	cmp -s "$tmp/a" "$tmp/b" || { diff "$tmp/a" "$tmp/b" | head -20; fail "$3"; }
}
# wait_samples PATH N: until a replay of PATH finds N samples (20 s at most).
wait_samples() {
	i=0
	while :; do
		replay "$1"
		[ "$rc" -eq 0 ] && [ "$(count "$tmp/r.json")" -ge "$2" ] && return 0
		i=$((i + 1))
		[ $i -lt 200 ] || fail "fewer than $2 samples in $1 after 20 s"
		sleep 0.1
	done
}

# ---- 1. record a growing leak, print live JSON at once, replay it ----------
"$LEAKGEN" --tcp-unread 10 --bytes 4096 --grow 30 --grow-after 3 --duration 60 --no-stdin \
	--name lt-rec-leak >"$tmp/lg.out" 2>"$tmp/lg.err" &
lg=$!
i=0
until grep -q '^sock kind=tcp role=listener' "$tmp/lg.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "leakgen did not start"; sleep 0.1
done
"$LEAKTOP" -b -o json -d 1 -n 6 --top 0 --record "$tmp/rec" >"$tmp/live.json" 2>"$tmp/live.err" ||
	fail "recording run exited $?"
[ "$(count "$tmp/live.json")" -eq 6 ] || fail "live printed $(count "$tmp/live.json") samples, not 6"
ls "$tmp/rec" | grep -Eq '^leaktop-[0-9]{8}T[0-9]{6}Z\.ltr$' || fail "no file named by its start time: $(ls "$tmp/rec")"

replay "$tmp/rec" --top 0
[ "$rc" -eq 0 ] || fail "replay exited $rc: $(cat "$tmp/r.err")"
[ ! -s "$tmp/r.err" ] || fail "replay of a sound recording said: $(cat "$tmp/r.err")"
# Line for line, every field: the same samples, the same engine.
same_as_live 1 6 "the replay differs from what live printed"
jq -e 'has("suspects")' <"$tmp/r.json" >/dev/null || fail "no suspects section in the replay"

# The growth is in the replay: leakgen's sockets, first sample against last.
socks() {
	sed -n "$1p" "$tmp/r.json" | jq "[.processes[] | select(.pid == $lg) | .socks] | add // 0"
}
first=$(socks 1)
last=$(socks 6)
[ "$last" -ge $((first + 60)) ] || fail "leakgen's sockets went $first -> $last in the replay, expected +60 (30 connections, both ends)"

# A range by sample number is the same lines as live (engine fed from the start).
replay "$tmp/rec" --top 0 --from '#3' --to '#5'
[ "$rc" -eq 0 ] && [ "$(count "$tmp/r.json")" -eq 3 ] || fail "--from #3 --to #5: rc $rc, $(count "$tmp/r.json") lines"
same_as_live 3 5 "--from #3 --to #5 differs from live samples 3 to 5"
# By time: from the time of sample 4 on.
t4=$(sed -n 4p "$tmp/live.json" | jq -r .time)
replay "$tmp/rec" --from "$t4"
[ "$rc" -eq 0 ] && [ "$(count "$tmp/r.json")" -eq 3 ] || fail "--from $t4: rc $rc, $(count "$tmp/r.json") lines: $(cat "$tmp/r.err")"
# Text works too.
"$LEAKTOP" --replay "$tmp/rec" -o text --to '#1' >"$tmp/r.txt" 2>"$tmp/r.err" || fail "text replay"
[ -s "$tmp/r.txt" ] || fail "text replay printed nothing"

# Cross-recording diff: sample 1 against sample 6, as if two boxes.
cp -r "$tmp/rec" "$tmp/rec2"
replay "$tmp/rec" --top 0 --at '#1' --diff-with "$tmp/rec2" --with-at '#6'
[ "$rc" -eq 0 ] && [ "$(count "$tmp/r.json")" -eq 1 ] || fail "--diff-with: rc $rc: $(cat "$tmp/r.err")"
d=$(jq "[.processes[] | select(.pid == $lg) | .dsockmem] | add // 0" <"$tmp/r.json")
[ "$d" -gt 0 ] || fail "--diff-with shows no socket memory growth of leakgen ($d)"
kill "$lg" 2>/dev/null || true; wait "$lg" 2>/dev/null || true; lg=

# ---- 2. bad files -------------------------------------------------------------
f=$(ls "$tmp"/rec/*.ltr)
: >"$tmp/empty.ltr"
replay "$tmp/empty.ltr"
[ "$rc" -eq 1 ] && grep -q 'no samples recorded (an empty file)' "$tmp/r.err" || fail "empty: rc $rc: $(cat "$tmp/r.err")"
hlen=$(od -An -tu4 -j12 -N4 "$f" | tr -d ' ')
head -c "$hlen" "$f" >"$tmp/hdr.ltr"
replay "$tmp/hdr.ltr"
[ "$rc" -eq 1 ] && grep -q 'a file header only' "$tmp/r.err" || fail "header only: rc $rc: $(cat "$tmp/r.err")"
echo "not a recording" >"$tmp/foreign.ltr"
replay "$tmp/foreign.ltr"
[ "$rc" -eq 1 ] && grep -q 'not a leaktop recording' "$tmp/r.err" || fail "foreign: rc $rc: $(cat "$tmp/r.err")"
cp "$f" "$tmp/future.ltr"
printf '\011' | dd of="$tmp/future.ltr" bs=1 seek=8 conv=notrunc 2>/dev/null
replay "$tmp/future.ltr"
[ "$rc" -eq 1 ] && grep -q 'format version 9' "$tmp/r.err" || fail "future: rc $rc: $(cat "$tmp/r.err")"

cp "$f" "$tmp/torn.ltr"
truncate -s -100 "$tmp/torn.ltr"
replay "$tmp/torn.ltr" --top 0
[ "$rc" -eq 0 ] && [ "$(count "$tmp/r.json")" -eq 5 ] || fail "torn tail: rc $rc, $(count "$tmp/r.json") samples"
grep -q 'not a complete record' "$tmp/r.err" || fail "torn tail: no note: $(cat "$tmp/r.err")"
same_as_live 1 5 "torn tail: the samples before it differ from live"

# A flipped byte in the middle of the last record: the samples before stay.
cp "$f" "$tmp/flip.ltr"
size=$(stat -c %s "$f")
off=$((size - 50))
b=$(od -An -tu1 -j$off -N1 "$f" | tr -d ' ')
printf "$(printf '\\%03o' $(( (b + 1) % 256 )))" | dd of="$tmp/flip.ltr" bs=1 seek=$off conv=notrunc 2>/dev/null
cmp -s "$f" "$tmp/flip.ltr" && fail "the byte was not flipped"
replay "$tmp/flip.ltr" --top 0
[ "$rc" -eq 0 ] && [ "$(count "$tmp/r.json")" -eq 5 ] || fail "flipped byte: rc $rc, $(count "$tmp/r.json") samples"
grep -q 'not a complete record' "$tmp/r.err" || fail "flipped byte: no note: $(cat "$tmp/r.err")"
same_as_live 1 5 "flipped byte: the samples before it differ from live"
# ... and in a record with records after it: skipped with a note, a later run reads on.
cp "$tmp/flip.ltr" "$tmp/flip2.ltr"
"$LEAKTOP" -d 0.2 -n 2 --sections mem --record "$tmp/flip2.ltr" 2>"$tmp/app.err" || fail "appending to a single file"
replay "$tmp/flip2.ltr"
[ "$rc" -eq 0 ] && [ "$(count "$tmp/r.json")" -eq 7 ] || fail "damage mid-file: rc $rc, $(count "$tmp/r.json") samples: $(cat "$tmp/r.err")"
grep -q 'damaged bytes at offset' "$tmp/r.err" || fail "damage mid-file: no note: $(cat "$tmp/r.err")"

# ---- 3. a file being written; SIGKILL; SIGTERM ------------------------------------
"$LEAKTOP" -d 0.2 -n 0 --sections mem,tcp --record "$tmp/live" 2>"$tmp/w.err" &
rec_pid=$!
wait_samples "$tmp/live" 3
n1=$(count "$tmp/r.json")
wait_samples "$tmp/live" $((n1 + 2))
kill -9 "$rec_pid"; wait "$rec_pid" 2>/dev/null || true; rec_pid=
replay "$tmp/live"
[ "$rc" -eq 0 ] && [ "$(count "$tmp/r.json")" -ge $((n1 + 2)) ] ||
	fail "after SIGKILL: rc $rc, $(count "$tmp/r.json") samples, $((n1 + 2)) seen before the kill"
grep -q damaged "$tmp/r.err" && fail "after SIGKILL: $(cat "$tmp/r.err")"

"$LEAKTOP" -d 0.2 -n 0 --sections mem --record "$tmp/term" 2>"$tmp/t.err" &
rec_pid=$!
wait_samples "$tmp/term" 2
kill -TERM "$rec_pid"
rc=0; wait "$rec_pid" || rc=$?; rec_pid=
[ "$rc" -eq 0 ] || fail "SIGTERM: the recorder exited $rc"
replay "$tmp/term"
[ "$rc" -eq 0 ] && [ ! -s "$tmp/r.err" ] || fail "after SIGTERM: rc $rc: $(cat "$tmp/r.err")"

# ---- 4. a full disk: messages, retries, nothing written before is lost ------------
mkdir "$tmp/small"
mount -t tmpfs -o size=256k,mode=700 leaktop-rec-test "$tmp/small" ||
	fail "cannot mount a tmpfs (root, but no mount?)"
"$LEAKTOP" -d 0.2 -n 40 --sections mem,tcp --record "$tmp/small/rec" 2>"$tmp/full.err" &
rec_pid=$!
wait_samples "$tmp/small/rec" 2
dd if=/dev/zero of="$tmp/small/filler" bs=4k 2>/dev/null || true
i=0
until grep -q 'No space left on device' "$tmp/full.err"; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "no 'No space left' message"; sleep 0.1
done
replay "$tmp/small/rec"
n_full=$(count "$tmp/r.json")
[ "$rc" -eq 0 ] && [ "$n_full" -ge 2 ] && [ ! -s "$tmp/r.err" ] ||
	fail "while the disk is full: rc $rc, $n_full samples: $(cat "$tmp/r.err")"
rm -f "$tmp/small/filler"
rc=0; wait "$rec_pid" || rc=$?; rec_pid=
[ "$rc" -eq 3 ] || fail "after lost samples the recorder exited $rc, not 3"
grep -q 'writing .* again' "$tmp/full.err" || fail "no message on recovery: $(cat "$tmp/full.err")"
grep -q 'samples could not be written' "$tmp/full.err" || fail "no summary of lost samples"
replay "$tmp/small/rec"
[ "$rc" -eq 0 ] && [ "$(count "$tmp/r.json")" -gt "$n_full" ] && [ ! -s "$tmp/r.err" ] ||
	fail "after the disk had room again: rc $rc, $(count "$tmp/r.json") samples: $(cat "$tmp/r.err")"
umount "$tmp/small"

# ---- 5. rotation and retention ----------------------------------------------------
mkdir "$tmp/rot"
touch -d '10 days ago' "$tmp/rot/leaktop-20200101T000000Z.ltr" "$tmp/rot/keep-me.txt" \
	"$tmp/rot/leaktop-20200101T000000Z.ltr.old"
"$LEAKTOP" -b -o json -d 0.2 -n 5 --sections mem,slab,tcp --max-size 4k --retain 7d \
	--record "$tmp/rot" >"$tmp/rot.json" 2>"$tmp/rot.err" || fail "rotating run exited $?"
[ ! -e "$tmp/rot/leaktop-20200101T000000Z.ltr" ] || fail "retention kept a 10-day-old recording"
[ -e "$tmp/rot/keep-me.txt" ] && [ -e "$tmp/rot/leaktop-20200101T000000Z.ltr.old" ] ||
	fail "retention deleted a file that is not leaktop's"
nfiles=$(ls "$tmp/rot" | grep -c '^leaktop-.*Z\(-[0-9]*\)\?\.ltr$')
[ "$nfiles" -ge 3 ] || fail "--max-size 4k made $nfiles files: $(ls "$tmp/rot")"
replay "$tmp/rot"
jq -S . <"$tmp/rot.json" >"$tmp/a"
jq -S . <"$tmp/r.json" >"$tmp/b"
[ "$rc" -eq 0 ] && cmp -s "$tmp/a" "$tmp/b" || fail "replay across rotated files differs from live: $(cat "$tmp/r.err")"

# ---- 6. usage errors ----------------------------------------------------------------
rc=0; "$LEAKTOP" --record "$tmp/x.ltr" --max-size 1M -n 1 2>"$tmp/u.err" || rc=$?
[ "$rc" -eq 2 ] && grep -q 'need a directory' "$tmp/u.err" || fail "--max-size with one file: rc $rc"
rc=0; "$LEAKTOP" --replay "$tmp/rec" --from yesterday 2>"$tmp/u.err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "invalid time 'yesterday'" "$tmp/u.err" || fail "bad --from: rc $rc"
echo "PASS: record, replay equal to live, bad files, SIGKILL, full disk, rotation, retention"
