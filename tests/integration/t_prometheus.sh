#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The fleet path end to end: leaktop -b -n 0 --textfile writes into the
# directory of a real prometheus-node-exporter (textfile collector only),
# a real Prometheus scrapes it every second, and a PromQL query over
# leaktop's metrics must see the growth of the process whose socket memory
# grows, labelled with its pid and name (leakgen, under a name of its own).
# Everything listens on 127.0.0.1 on ports found free, is started and
# stopped here, and is bounded in time;
# daemons on the default ports 9090/9100 are neither used nor touched.
set -u

: "${LEAKTOP:?}" "${LEAKGEN:?}"

skip() {
	echo "SKIP: $*"
	exit 77
}

[ "$(id -u)" -eq 0 ] || skip "needs root: every process's sockets and their owners"
for p in prometheus prometheus-node-exporter curl jq ss; do
	command -v "$p" >/dev/null 2>&1 || skip "$p is not installed"
done

tmp=$(mktemp -d /tmp/leaktop-prom.XXXXXX)
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	for p in $pids; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
	echo "FAIL: $*"
	for log in "$tmp"/*.log; do
		echo "--- $log"
		tail -n 20 "$log"
	done
	exit 1
}

# A port no socket uses, away from the defaults and below the ephemeral
# range (where other tests' connections take their local ports).
free_port() {
	lo=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range)
	[ "$lo" -gt 12000 ] || lo=32768
	while :; do
		port=$(( ($(od -An -N2 -tu2 /dev/urandom) % (lo - 11000)) + 10000 ))
		ss -Htan "sport = :$port" | grep -q . || break
	done
	echo "$port"
}

NE_PORT=$(free_port)
PROM_PORT=$(free_port)
[ "$NE_PORT" != "$PROM_PORT" ] || PROM_PORT=$((NE_PORT + 1))
mkdir -p "$tmp/textfile" "$tmp/data"

prometheus-node-exporter --web.listen-address="127.0.0.1:$NE_PORT" \
	--collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$tmp/textfile" >"$tmp/node_exporter.log" 2>&1 &
pids="$pids $!"

cat >"$tmp/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$NE_PORT']
CONF
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$tmp/prometheus.log" 2>&1 &
pids="$pids $!"

"$LEAKTOP" -b -n 0 -d 1 --metrics-top 0 --textfile "$tmp/textfile/leaktop.prom" >"$tmp/leaktop.log" 2>&1 &
lt_pid=$!
pids="$pids $lt_pid"

# query PROMQL: the result vector as JSON ("" on any error).
query() {
	curl -s --max-time 2 "http://127.0.0.1:$PROM_PORT/api/v1/query" \
		--data-urlencode "query=$1" 2>/dev/null | jq -c '.data.result // empty' 2>/dev/null
}

# wait_for SECONDS WHAT PROMQL JQ: poll until JQ over the result is true.
wait_for() {
	deadline=$(( $(date +%s) + $1 ))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		kill -0 "$lt_pid" 2>/dev/null || fail "leaktop exited"
		r=$(query "$3")
		if [ -n "$r" ] && echo "$r" | jq -e "$4" >/dev/null 2>&1; then
			echo "ok: $2"
			return 0
		fi
		sleep 1
	done
	echo "last result of $3: $r"
	fail "$2: not within $1 s"
}

wait_for 60 "Prometheus scrapes leaktop's textfile through node_exporter" \
	'leaktop_samples_total' 'length == 1 and (.[0].value[1] | tonumber) >= 3'

# leakgen under a name no other process has; 40 more unread connections
# of 256 KiB each (10 MB: well over 100 kB/s across 30 s) once Prometheus
# holds a few points of its series (on a loaded box leaktop's first sample
# of it can come after a fixed delay, and a series that starts grown never
# has a positive deriv).
name="ltprom$$"
"$LEAKGEN" --tcp-unread 4 --bytes 262144 --grow 40 --grow-after 3600 --name "$name" \
	--duration 180 </dev/null >"$tmp/leakgen.log" 2>&1 &
lg_pid=$!
pids="$lg_pid $pids"
wait_for 60 "leakgen's socket memory has 3 points in Prometheus" \
	"count_over_time(leaktop_process_sockmem_bytes{pid=\"$lg_pid\"}[1m])" \
	'length == 1 and (.[0].value[1] | tonumber) >= 3'
kill -USR1 "$lg_pid"

# Its growth, found by its name: ranking it first among every process is not
# this test's to ask on a shared box (other tests' drivers grow faster).
wait_for 90 "deriv(socket memory) of $name is leakgen's ($lg_pid) and grows" \
	"deriv(leaktop_process_sockmem_bytes{comm=\"$name\"}[30s])" \
	"length == 1 and .[0].metric.pid == \"$lg_pid\" and (.[0].value[1] | tonumber) > 100000"
# leakgen says so once all 40 are made; leaktop may have seen some first.
i=0
until grep -q '^grown' "$tmp/leakgen.log"; do
	[ $i -lt 300 ] || fail "leakgen did not grow"
	i=$((i + 1))
	sleep 0.1
done
[ ! -e "$tmp/textfile/leaktop.prom.tmp" ] || [ -e "$tmp/textfile/leaktop.prom" ] ||
	fail "no textfile"
exit 0
