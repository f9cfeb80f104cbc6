#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Oracle test: on the same leakgen load, the inodes and skmem figures leaktop
# reports agree with `ss -tanmie` (TCP) and `ss -xamie` (unix). ss is used here
# only as an oracle; leaktop itself never runs it. leakgen's sockets are
# stuck (nobody reads), so their figures must match exactly; the rest of the
# box may move between the two dumps, so for it only the inode sets are
# compared, loosely.
set -eu

: "${LEAKTOP:?}" "${LEAKGEN:?}"
. "${TOP_SRCDIR:-.}/tests/integration/gen_lib.sh"
command -v ss >/dev/null || { echo "ERROR: ss (iproute2) is required"; exit 99; }
command -v jq >/dev/null || { echo "ERROR: jq is required (./build.sh installs it)"; exit 99; }

gen_scratch ss

"$LEAKGEN" --tcp-unread 40 --bytes 300000 --close-wait 5 --unix-unread 20 --bytes 300000 \
	--duration 120 >"$tmp/lg.out" 2>"$tmp/lg.err" &
lg=$!
gen_wait_ready "$lg" "$tmp/lg.out" 600 ||
	{ echo "FAIL: leakgen did not get ready"; cat "$tmp/lg.err"; exit 1; }
# IPv6 too: TCP of both families comes from one dump.
"$LEAKGEN" --addr ::1 --tcp-unread 20 --bytes 300000 --duration 120 \
	>"$tmp/lg6.out" 2>"$tmp/lg6.err" &
lg6=$!
lg="$lg $lg6"
gen_wait_ready "$lg6" "$tmp/lg6.out" 600 ||
	{ echo "FAIL: leakgen on ::1 did not get ready"; cat "$tmp/lg6.err"; exit 1; }

# ss before and after leaktop: a socket in both dumps lived through
# leaktop's, so leaktop must have seen it; the others came or went meanwhile.
ss -tanmie >"$tmp/ss-tcp-before.txt"
ss -xamie >"$tmp/ss-unix-before.txt"
"$LEAKTOP" -b -o json -n 1 --top 0 --sections sockets >"$tmp/lt.json"
ss -tanmie >"$tmp/ss-tcp.txt"
ss -xamie >"$tmp/ss-unix.txt"

# "inode r rb t tb f w o bl" per socket, from ss's two-line records.
ss_skmem() {
	awk '
	# tcp: "ino:N" on the first line of a record; unix: the local "port"
	# column is the inode (its "ino:" is the bound path'"'"'s file inode).
	/^u_/ { ino = $6 }
	/ino:/ && !/^u_/ { for (i = 1; i <= NF; i++) if ($i ~ /^ino:/) { split($i, a, ":"); ino = a[2] } }
	/skmem:\(/ {
		match($0, /skmem:\([^)]*\)/)
		s = substr($0, RSTART + 7, RLENGTH - 8)
		n = split(s, f, ",")
		out = ino
		for (i = 1; i <= n; i++) { v = f[i]; gsub(/[a-z]/, "", v); out = out " " v }
		if (ino != "" && ino != 0) print out
		ino = ""
	}' "$1"
}
ss_skmem "$tmp/ss-tcp.txt" >"$tmp/ss-tcp.skmem"
ss_skmem "$tmp/ss-unix.txt" >"$tmp/ss-unix.skmem"
jq -r '.sockets[] | select((.kind == "tcp" or .kind == "unix") and .inode != 0 and .skmem != null)
	| [.inode, .rmem, .rcvbuf, .wmem, .sndbuf, .fwd, .wqueued, .optmem, .backlog] | @tsv' \
	"$tmp/lt.json" | tr '\t' ' ' | sort >"$tmp/lt.skmem"
sed -n 's/^sock .*kind=\(tcp\|unix\) .* inode=\([0-9]*\) .*/\2/p' "$tmp/lg.out" "$tmp/lg6.out" |
	sort -u >"$tmp/lg.inodes"

fail=0
mine=$(wc -l <"$tmp/lg.inodes")
[ "$mine" -ge 165 ] || { echo "FAIL: leakgen reported only $mine tcp/unix sockets"; fail=1; }
v6=$(sed -n 's/^sock .*kind=tcp .* inode=\([0-9]*\) .*/\1/p' "$tmp/lg6.out" | sort -u |
	join - "$tmp/lt.skmem" | wc -l)
[ "$v6" -ge 40 ] || { echo "FAIL: leaktop shows $v6 of leakgen's IPv6 sockets (want 40 or more)"; fail=1; }
# Exact agreement on leakgen's sockets: inode and the first 8 skmem fields
# (drops, the ninth, can move while a sender retries).
sort "$tmp/ss-tcp.skmem" "$tmp/ss-unix.skmem" | cut -d' ' -f1-9 >"$tmp/ss.skmem"
join "$tmp/lg.inodes" "$tmp/ss.skmem" >"$tmp/ss.mine"
join "$tmp/lg.inodes" "$tmp/lt.skmem" >"$tmp/lt.mine"
if ! cmp -s "$tmp/ss.mine" "$tmp/lt.mine"; then
	echo "FAIL: leaktop and ss disagree on leakgen's sockets:"
	diff "$tmp/ss.mine" "$tmp/lt.mine" | head -20
	fail=1
fi
agree=$(wc -l <"$tmp/lt.mine")
[ "$agree" -eq "$mine" ] || { echo "FAIL: $agree of $mine leakgen sockets matched"; fail=1; }
echo "leakgen sockets identical in leaktop and ss: $agree of $mine"

# The whole box: of the sockets in both ss dumps, those leaktop did not see.
# Other processes' sockets come and go, so only those that stayed count.
ss_skmem "$tmp/ss-tcp-before.txt" | cut -d' ' -f1 >"$tmp/ss-before.inodes"
ss_skmem "$tmp/ss-unix-before.txt" | cut -d' ' -f1 >>"$tmp/ss-before.inodes"
sort -u "$tmp/ss-before.inodes" -o "$tmp/ss-before.inodes"
cut -d' ' -f1 "$tmp/ss.skmem" | sort -u | comm -12 - "$tmp/ss-before.inodes" >"$tmp/ss.inodes"
cut -d' ' -f1 "$tmp/lt.skmem" | sort -u >"$tmp/lt.inodes"
total=$(wc -l <"$tmp/ss.inodes")
only_ss=$(comm -23 "$tmp/ss.inodes" "$tmp/lt.inodes" | wc -l)
echo "tcp+unix sockets in both ss dumps: $total, of them not seen by leaktop: $only_ss" \
	"$(comm -23 "$tmp/ss.inodes" "$tmp/lt.inodes" | head -n 5 | tr '\n' ' ')"
[ "$total" -ge "$mine" ] || { echo "FAIL: ss saw fewer sockets than leakgen made"; fail=1; }
# A dump in several netlink messages may miss a socket that moves (a TCP
# state change rehashes it): 1 % of slack.
[ $((only_ss * 100)) -le "$total" ] || { echo "FAIL: leaktop missed more than 1% of the sockets ss saw"; fail=1; }
exit $fail
