#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every leak driver of tests/leakdrv, run for a few seconds at a modest
# rate, checked against the kernel's own figures (ss, /proc): what it says
# grows grows at about --rate, and after SIGTERM nothing is left (no
# process, no file, no socket on its ports). leaktop is not involved.
set -u

: "${LEAKDRV:?LEAKDRV must name the leakdrv binary}"

skip() {
	echo "SKIP: $*"
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root: packet sockets, SO_*BUFFORCE, other processes' /proc"
command -v ss >/dev/null 2>&1 || skip "ss (iproute2) is not installed"
. "${TOP_SRCDIR:-.}/tests/integration/machine_lock.sh"

WORK=$(mktemp -d /tmp/t_leakdrv.XXXXXX)
DRV_PID=
FAILS=0
PASSES=0

cleanup() {
	[ -n "$DRV_PID" ] && kill "$DRV_PID" 2>/dev/null
	[ -n "$DRV_PID" ] && wait "$DRV_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
	echo "FAIL: $KIND: $*"
	echo "--- leakdrv output:"
	cat "$WORK/out" "$WORK/err" 2>/dev/null
	FAILS=$((FAILS + 1))
}

# field KEY [LINE-PATTERN]: the value of KEY on the first matching output line.
field() {
	grep -e "${2:-.}" "$WORK/out" | grep -o " $1=[^ ]*" | head -n 1 | cut -d= -f2-
}

now() {
	date +%s.%N
}

# start KIND ARGS...: run the driver until it says ready (10 s at most).
start() {
	KIND=$1
	shift
	# The previous driver's "ready" must not be taken for this one's.
	rm -f "$WORK/out" "$WORK/err"
	"$LEAKDRV" "$KIND" --duration 60 "$@" >"$WORK/out" 2>"$WORK/err" </dev/null &
	DRV_PID=$!
	i=0
	while ! grep -q '^ready$' "$WORK/out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$DRV_PID" 2>/dev/null; then
			fail "no ready line"
			stop_driver
			return 1
		fi
		sleep 0.1
	done
	T0=$(now)
	return 0
}

# stop_driver: SIGTERM, exit status 0, then every pid it printed is gone.
stop_driver() {
	pids=$(grep -o ' pid=[0-9]*' "$WORK/out" | cut -d= -f2 | sort -u)
	kill -TERM "$DRV_PID" 2>/dev/null
	wait "$DRV_PID"
	rc=$?
	DRV_PID=
	[ $rc -eq 0 ] || fail "exit status $rc after SIGTERM"
	grep -q ' reason=signal$' "$WORK/out" || fail "no 'stop ... reason=signal' line"
	for p in $pids; do
		kill -0 "$p" 2>/dev/null && fail "process $p is still there"
	done
}

ok() {
	echo "ok: $KIND: $*"
	PASSES=$((PASSES + 1))
}

# in_rate FROM TO UNITS_PER_S: growth between 50% and 200% of the rate
# (plus one second's worth) over the time since T0; sets dt.
in_rate() {
	dt=$(awk -v a="$T0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
	awk -v f="$1" -v t="$2" -v r="$3" -v dt="$dt" \
		'BEGIN { g = t - f; exit !(g >= 0.5 * r * dt && g <= 2 * r * dt + r) }'
}

# grew_ok WHAT FROM TO UNITS_PER_S
grew_ok() {
	if in_rate "$2" "$3" "$4"; then
		ok "$1 $2 -> $3 in ${dt}s (rate $4/s)"
	else
		fail "$1 went $2 -> $3 in ${dt}s; expected about $4/s"
	fi
}

# shared_rate WHAT FUNCTION UNITS_PER_S: a machine-wide counter moves with
# everyone's work (a test elsewhere removing a directory drops 100000
# negative dentries at once): of up to 3 windows, one must fit. Leaves the
# last window's figures in a and b.
shared_rate() {
	n=1
	while :; do
		T0=$(now)
		a=$($2)
		sleep $RUN
		b=$($2)
		if in_rate "$a" "$b" "$3"; then
			ok "$1 $a -> $b in ${dt}s (rate $3/s, window $n)"
			return
		fi
		if [ $n -ge 3 ]; then
			fail "$1 went $a -> $b in ${dt}s in the last of 3 windows; expected about $3/s"
			return
		fi
		echo "note: $KIND: $1 went $a -> $b in ${dt}s; a shared counter: measuring again"
		n=$((n + 1))
	done
}

# no_sockets PORT: nothing left on the port, TIME-WAIT included (3 s grace).
no_sockets() {
	i=0
	while [ -n "$(ss -tanH "( sport = :$1 or dport = :$1 )")" ]; do
		i=$((i + 1))
		if [ $i -gt 30 ]; then
			fail "sockets left on port $1: $(ss -tanH "( sport = :$1 or dport = :$1 )" | head -n 3)"
			return
		fi
		sleep 0.1
	done
}

no_dir() {
	[ -n "$1" ] || { fail "no dir= in the output"; return; }
	[ -e "$1" ] && fail "$1 was not removed"
}

sockstat() {
	awk -v k="$1" '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == k) print $(i + 1) }' \
		/proc/net/sockstat
}

RUN=5

# ---- sendq: the sender's Send-Q (ss) grows at R -----------------------------
# sendq_q SPORT DPORT: by both ports; another connection on the box may
# have the same ephemeral local port toward another destination.
sendq_q() {
	ss -tnH "( sport = :$1 and dport = :$2 )" | awk '{ print $3 }'
}
if start sendq --rate 1M; then
	sp=$(field lport role=sender)
	port=$(field lport role=receiver)
	a=$(sendq_q "$sp" "$port")
	sleep $RUN
	b=$(sendq_q "$sp" "$port")
	grew_ok "sender Send-Q" "${a:-0}" "${b:-0}" 1048576
	stop_driver
	no_sockets "$port"
fi

# ---- closewait: CLOSE-WAIT sockets in the server grow at R ------------------
cw_count() {
	ss -tanH state close-wait "( sport = :$1 )" | wc -l
}
if start closewait --rate 40; then
	port=$(field lport role=server)
	a=$(cw_count "$port")
	sleep $RUN
	b=$(cw_count "$port")
	grew_ok "CLOSE-WAIT count" "$a" "$b" 40
	spid=$(field pid role=server)
	ss -tanpH state close-wait "( sport = :$port )" >"$WORK/cw"
	owned=$(grep -c "pid=$spid," "$WORK/cw")
	all=$(wc -l <"$WORK/cw")
	# The newest may still wait in the accept queue (no owner yet).
	[ "$owned" -ge $((all * 9 / 10 - 5)) ] ||
		fail "$owned of $all CLOSE-WAIT sockets belong to the server $spid"
	stop_driver
	no_sockets "$port"
fi

# ---- unix-backlog: the reader's Recv-Q grows at R ---------------------------
unix_q() {
	ss -xnH | awk -v i="$1" '$6 == i { print $3 }'
}
if start unix-backlog --rate 1M; then
	ino=$(field inode role=reader)
	a=$(unix_q "$ino")
	sleep $RUN
	b=$(unix_q "$ino")
	grew_ok "reader Recv-Q" "${a:-0}" "${b:-0}" 1048576
	stop_driver
	[ -z "$(unix_q "$ino")" ] || fail "unix socket $ino is still there"
fi

# ---- packet-backlog: the packet socket's Rmem (/proc/net/packet) grows ------
packet_rmem() {
	awk -v i="$1" '$9 == i { print $7 }' /proc/net/packet
}
if start packet-backlog --rate 1M; then
	ino=$(field inode kind=packet)
	a=$(packet_rmem "$ino")
	sleep $RUN
	b=$(packet_rmem "$ino")
	# Rmem counts truesize: more than the payload, never less.
	grew_ok "packet Rmem" "${a:-0}" "${b:-0}" 1048576
	stop_driver
	[ -z "$(packet_rmem "$ino")" ] || fail "packet socket $ino is still there"
fi

# From orphans to pipes the drivers move machine-wide figures (sockstat,
# tcp_mem, dentry-state, Shmem, the meminfo remainder) and check them there:
# no other test doing the same or needing them still runs meanwhile.
KIND=lock
machine_lock machine-wide || fail "no machine-wide lock"

# ---- orphans: FIN-WAIT-1 sockets toward the receiver, no owner --------------
orphan_count() {
	ss -tanpH state fin-wait-1 "( dport = :$1 )" | grep -vc 'users:'
}
if start orphans --rate 10; then
	port=$(field lport role=receiver)
	a=$(orphan_count "$port")
	o0=$(sockstat orphan)
	sleep $RUN
	b=$(orphan_count "$port")
	o1=$(sockstat orphan)
	grew_ok "ownerless FIN-WAIT-1" "$a" "$b" 10
	[ $((o1 - o0)) -ge $((b - a - 5)) ] ||
		fail "sockstat orphan went $o0 -> $o1, ss counted $a -> $b"
	stop_driver
	no_sockets "$port"
fi

# ---- tcpmem: sockstat TCP mem grows at R ------------------------------------
tcp_mem_bytes() {
	echo $(($(sockstat mem) * page))
}
if start tcpmem --rate 16M; then
	port=$(field lport role=receiver)
	page=$(getconf PAGESIZE)
	shared_rate "sockstat TCP mem bytes" tcp_mem_bytes 16777216
	cap=$(field cap '^tcpmem')
	pressure=$(awk '{ print $2 }' /proc/sys/net/ipv4/tcp_mem)
	[ "$cap" -le $((pressure * page * 80 / 100)) ] || fail "cap $cap above 80% of pressure"
	stop_driver
	no_sockets "$port"
fi

# ---- dentry: the negative count of dentry-state grows at R ------------------
negative() {
	awk '{ print $5 }' /proc/sys/fs/dentry-state
}
if start dentry --rate 5000; then
	dir=$(field dir)
	shared_rate "negative dentries" negative 5000
	stop_driver
	no_dir "$dir"
fi

# ---- rss: VmRSS grows at R ---------------------------------------------------
vmrss() {
	awk '$1 == "VmRSS:" { printf "%.0f\n", $2 * 1024 }' "/proc/$1/status"
}
if start rss --rate 8M; then
	a=$(vmrss "$DRV_PID")
	sleep $RUN
	b=$(vmrss "$DRV_PID")
	grew_ok "VmRSS" "$a" "$b" 8388608
	stop_driver
fi

# ---- fdleak: entries of /proc/PID/fd grow at R ------------------------------
fds() {
	ls "/proc/$1/fd" | wc -l
}
if start fdleak --rate 100; then
	a=$(fds "$DRV_PID")
	sleep $RUN
	b=$(fds "$DRV_PID")
	grew_ok "open fds" "$a" "$b" 100
	stop_driver
fi

# ---- tmpfs: its files' blocks in /dev/shm grow at R, and none is open -------
# The driver's own directory, not df of the mount: tests running beside
# this one fill and empty /dev/shm too.
dir_used() {
	du -s -B1 "$1" | cut -f1
}
if start tmpfs --rate 8M; then
	dir=$(field dir)
	case $dir in /dev/shm/?*) ;; *) fail "tmpfs driver's directory '$dir' is not in /dev/shm" ;; esac
	a=$(dir_used "$dir")
	sleep $RUN
	b=$(dir_used "$dir")
	grew_ok "blocks of $dir in /dev/shm" "$a" "$b" 8388608
	open=$(ls -l "/proc/$DRV_PID/fd" | grep -c "$dir")
	[ "$open" -eq 0 ] || fail "$open files of $dir are open"
	stop_driver
	no_dir "$dir"
fi

# ---- pipes: memory that no meminfo class counts grows at R -----------------
# MemTotal - MemFree - every class the kernel counts pages in (the LRU
# lists hold anon, file, shmem and buffers). MemFree alone is too noisy on a
# shared machine; this remainder moves only with kernel allocations that no
# line names, which is what pipe buffers are. Pages on the per-CPU free lists
# are free but not in MemFree (/proc/zoneinfo "count:"); they are taken out
# too, or pipe pages freed at exit would stay in the remainder for a while.
unaccounted() {
	pcp=$(awk '$1 == "count:" { n += $2 } END { printf "%.0f\n", n * 4096 }' /proc/zoneinfo)
	awk -v pcp="$pcp" '{ v[$1] = $2 }
	END {
		u = v["MemTotal:"] - v["MemFree:"]
		n = split("Active Inactive Unevictable Slab KernelStack PageTables SecPageTables VmallocUsed Percpu", k, " ")
		for (i = 1; i <= n; i++)
			u -= v[k[i] ":"]
		printf "%.0f\n", u * 1024 - pcp
	}' /proc/meminfo
}
if start pipes --rate 128M --cap 2G; then
	shared_rate "meminfo remainder" unaccounted 134217728
	stop_driver
	i=0
	# Others allocate meanwhile on a shared box: a quarter of the rise
	# falling within 10 s shows the pages went back.
	while c=$(unaccounted) && [ $((b - c)) -lt $(((b - a) / 4)) ]; do
		i=$((i + 1))
		[ $i -le 100 ] || { fail "the remainder did not fall at exit: $a $b $c"; break; }
		sleep 0.1
	done
fi

machine_unlock

# ---- churn: connections made at R, none left, no TIME-WAIT ------------------
if start churn --rate 200 --procs 5; then
	port=$(field lport role=listener)
	sleep $RUN
	tw=$(ss -tanH state time-wait "( sport = :$port or dport = :$port )" | wc -l)
	[ "$tw" -le 5 ] || fail "$tw TIME-WAIT sockets on port $port"
	stop_driver
	made=$(field total '^stop')
	grew_ok "connections made (leakdrv's count)" 0 "$made" 200
	no_sockets "$port"
fi

# ---- bigidle: VmRSS reaches --cap at once and stays --------------------------
if start bigidle --cap 64M; then
	a=$(vmrss "$DRV_PID")
	sleep 1
	b=$(vmrss "$DRV_PID")
	# VmRSS is a per-cpu counter summed lazily: it may still rise a little.
	if [ "$a" -ge $((64 * 1024 * 1024)) ] && [ $((b - a)) -le 1048576 ] && [ "$b" -ge "$a" ]; then
		ok "VmRSS $a, then $b a second later"
	else
		fail "VmRSS $a, then $b: want >= 64 MiB at ready, unchanged while idle"
	fi
	stop_driver
fi

# ---- staticcache: --cap files exist at ready, removed at exit ---------------
if start staticcache --cap 5000; then
	dir=$(field dir)
	n=$(ls "$dir" | wc -l)
	if [ "$n" -eq 5000 ]; then ok "$n files in $dir"; else fail "$n files in $dir, want 5000"; fi
	stop_driver
	no_dir "$dir"
fi

# ---- usage errors and caps ---------------------------------------------------
KIND=usage
"$LEAKDRV" rss --rate 100G >/dev/null 2>&1
[ $? -eq 2 ] || fail "--rate above the cap was accepted"
"$LEAKDRV" nosuchkind >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown KIND was accepted"

echo "$PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
