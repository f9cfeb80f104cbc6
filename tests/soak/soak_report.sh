#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# soak_report.sh CSV HISTORY DURATION: the verdict on a soak run's samples
# (written by soak.sh: t_s,rss_kb,cpu_ticks,fds,seq,sockets,message; one
# sample a second, so the ring holds HISTORY seconds). Prints one summary
# line and a FAIL line per broken bound; exit 1 if any. The bounds:
#   - RSS: the ring holds HISTORY samples at sample HISTORY, and keeps up
#     to one keyframe group (GROUP = 20 samples, HISTORY_KEYFRAME_EVERY in
#     core/history.h) of older records besides until the group has left, so
#     what it holds is bounded from sample HISTORY + GROUP on (the fill, found
#     by the sample number) and swings by one group's records from then on
#     (600 kB to 1 MiB at 300 samples under the full churn). Two bounds:
#       - from the fill to the end, under 1 MiB, each end the median of the
#         30 s (more than a group) from it: a top that has filled its history
#         must not grow. Before leaktop gave malloc's free pages back after
#         each sample, VmRSS crept on for several ring cycles as malloc
#         settled on snapshots of the churn's varying sizes (+3.1 MiB over an
#         hour at a 300-sample ring) while the heap itself was flat under
#         heaptrack;
#       - from BASE = the later of 2 x HISTORY + 10 s and half the run to the
#         end, under 1 MiB, each end the median of five samples (malloc gives
#         pages back and takes them again, a leak stays): a leak of a fixed
#         size per sample shows over the whole second half (for an hour,
#         anything above about 600 bytes a sample).
#     SOAK_RSS_BOUND=0 leaves RSS unjudged (an AddressSanitizer build keeps
#     freed memory in its quarantine); the figures are still printed.
#   - fds: no more than 8 more at the end than at BASE.
#   - CPU: the median CPU of the last quarter's samples must stay under 1.5
#     times that of the second quarter's plus half a point of a core. Medians,
#     because a busy machine (load 10 on 2 cores here) makes single samples
#     spike; the quarter totals of seven runs of 50 to 120 s gave ratios of
#     0.9 to 1.8, one late spike making the worst. A per-sample cost that
#     grows linearly from the start makes the ratio about 2.3, and one that
#     grows beside a fixed cost as large passes 1.5 well within the run. The
#     half point is one clock tick (10 ms) over a 2 s sample.
#   - the pace: the last sample number is at least half the seconds run,
#     i.e. leaktop still samples and is not stuck or far behind. leaktop
#     waits its interval after a sample is done, so the sample's own time
#     stretched by a loaded machine's run queue adds up: 91 to 96% were seen
#     at load 5, 81% at load 12 on 2 cores. CPU time, judged above, is what
#     tells a sampler that slows down by itself.
set -eu

CSV=${1:?usage: soak_report.sh CSV HISTORY DURATION}
HISTORY=${2:?usage: soak_report.sh CSV HISTORY DURATION}
DURATION=${3:?usage: soak_report.sh CSV HISTORY DURATION}
TCK=$(getconf CLK_TCK)
FULL_T=$((HISTORY + 10))
BASE_T=$((2 * HISTORY + 10))
[ "$BASE_T" -ge $((DURATION / 2)) ] || BASE_T=$((DURATION / 2))

# CPU % of a core in each sample after the ring filled, sorted, for the
# median and the 90th percentile.
PCTS=$(awk -F, -v from="$FULL_T" -v tck="$TCK" 'NR > 2 && $1 >= from && $1 > pt {
	printf "%.2f\n", 100 * ($3 - pk) / tck / ($1 - pt) } NR > 1 { pt = $1; pk = $3 }' \
	"$CSV" | sort -n)
CPU_MED=$(printf '%s\n' "$PCTS" | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }')
CPU_P90=$(printf '%s\n' "$PCTS" | awk '{ v[NR] = $1 } END { i = int(NR * 0.9 + 0.5); print NR ? v[i < 1 ? 1 : i] : 0 }')

awk -F, -v group=20 -v base_t="$BASE_T" -v med="$CPU_MED" -v p90="$CPU_P90" \
	-v hist="$HISTORY" -v dur="$DURATION" -v tck="$TCK" -v rss_bound="${SOAK_RSS_BOUND:-1}" '
NR == 1 { next }
{
	n++; t[n] = $1; rss[n] = $2; tk[n] = $3; fd[n] = $4; sq[n] = $5; so[n] = $6
	if (!full && $5 != "" && $5 + 0 >= hist + group) { full = n }
	if (!base && $1 >= base_t) { base = n }
}
function med5(i,  a, j, k, x) {
	if (i < 1)
		i = 1
	for (j = 0; j < 5; j++)
		a[j] = rss[i + j <= n ? i + j : n]
	for (j = 1; j < 5; j++)
		for (k = j; k > 0 && a[k - 1] > a[k]; k--) {
			x = a[k]; a[k] = a[k - 1]; a[k - 1] = x
		}
	return a[2]
}
function medwin(a, b,  i, m, v, j, k, x) {	# RSS over the samples in [a, b]
	m = 0
	for (i = 1; i <= n; i++)
		if (t[i] >= a && t[i] <= b)
			v[++m] = rss[i]
	for (j = 2; j <= m; j++)
		for (k = j; k > 1 && v[k - 1] > v[k]; k--) {
			x = v[k]; v[k] = v[k - 1]; v[k - 1] = x
		}
	return m ? v[int((m + 1) / 2)] : 0
}
function median_cpu(a, b,  i, m, v, j, k, x) {	# of the samples in [a, b]
	m = 0
	for (i = 2; i <= n; i++)
		if (t[i] >= a && t[i] <= b && t[i] > t[i - 1])
			v[++m] = 100 * (tk[i] - tk[i - 1]) / tck / (t[i] - t[i - 1])
	for (j = 2; j <= m; j++)
		for (k = j; k > 1 && v[k - 1] > v[k]; k--) {
			x = v[k]; v[k] = v[k - 1]; v[k - 1] = x
		}
	return m ? v[int((m + 1) / 2)] : 0
}
END {
	if (!base || !full || t[n] < base_t + 20) {
		print "FAIL: " n " samples up to " t[n] " s: too short for a history of " hist
		exit 1
	}
	ok = 1
	q2 = median_cpu(dur / 4, dur / 2)
	q4 = median_cpu(dur * 3 / 4, dur)
	rf = medwin(t[full], t[full] + 30)
	r0 = med5(base)
	r1 = med5(n - 4)
	growth = r1 - r0
	gfull = medwin(t[n] - 30, t[n]) - rf
	peak = 0
	for (i = base; i <= n; i++)
		if (rss[i] - r0 > peak)
			peak = rss[i] - r0
	printf "soak summary: samples=%d duration=%ds history=%d rss_ring_full=%dkB (t=%ds) rss_base=%dkB (t=%ds) rss_end=%dkB growth_since_full=%+dkB growth=%+dkB peak_growth=%+dkB fds=%d..%d cpu_median=%.1f%% cpu_p90=%.1f%% cpu_q2_median=%.2f%% cpu_q4_median=%.2f%% last_sample=#%s sockets_end=%s\n", \
		n, t[n], hist, rf, t[full], r0, t[base], r1, gfull, growth, peak, fd[base], fd[n], med, p90, q2, q4, sq[n], so[n]
	if (!rss_bound)
		print "note: RSS growth not judged (SOAK_RSS_BOUND=0)"
	else {
		if (gfull >= 1024) { print "FAIL: RSS grew by " gfull " kB from the ring'"'"'s fill at " t[full] " s to the end (limit 1024)"; ok = 0 }
		if (growth >= 1024) { print "FAIL: RSS grew by " growth " kB from " t[base] " s to the end (limit 1024)"; ok = 0 }
	}
	if (fd[n] > fd[base] + 8) { print "FAIL: open fds grew from " fd[base] " to " fd[n]; ok = 0 }
	if (q4 > 1.5 * q2 + 0.5) { printf "FAIL: median CPU rose from %.2f%% to %.2f%% of a core\n", q2, q4; ok = 0 }
	if (sq[n] == "" || sq[n] < 0.5 * t[n]) { print "FAIL: sample #" sq[n] " after " t[n] " s: not keeping 1 Hz"; ok = 0 }
	exit !ok
}' "$CSV"
