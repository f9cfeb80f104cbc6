/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * suspects_bench: the cost of the trend engine and suspects per sample on
 * synthetic snapshots of 100 000 sockets (400 processes with 200
 * connections each, 10 000 TIME-WAIT, 10 000 unix sockets), 300 slab
 * caches, 200 vmalloc callers and 400 processes, with one process piling
 * up CLOSE-WAIT sockets and some connections coming and going. Built with
 * the tests, never run by them: timing is not a test.
 *
 *   suspects_bench [samples]
 *   -> "sockets=100050 samples=20 ms_per_sample=median 2.1 max 3.4 rss_growth_kib=4096 ..."
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../unit/synth.h"
#include "suspects.h"
#include "tracker.h"
#include "xalloc.h"

#define PROCS 400
#define CONNS 200

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Resident KiB of this process now (VmRSS), and its peak (VmHWM). */
static void rss_kib(long *now, long *peak)
{
	char line[128];
	FILE *f = fopen("/proc/self/status", "r");

	*now = *peak = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "VmRSS: %ld", now);
		sscanf(line, "VmHWM: %ld", peak);
	}
	fclose(f);
}

/* Bytes the allocator has handed out and not taken back. */
static long heap_kib(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (long)((mi.uordblks + mi.hblkhd) / 1024);
}

static struct snapshot *sample(unsigned int i)
{
	struct snapshot *s = synth_snap(i);
	char name[64];

	for (int c = 0; c < 300; c++) {
		snprintf(name, sizeof(name), "cache-%03d", c);
		synth_slab(s, name, 64u << (c % 6), 1000 + (uint64_t)c * 10 + (i % 3));
	}
	for (int32_t p = 0; p < PROCS; p++) {
		synth_proc(s, 1000 + p, 5, "server", 100u << 20, CONNS + 10);
		/* A tenth of the connections are replaced every sample. */
		for (uint32_t k = 0; k < CONNS; k++) {
			uint32_t gen = k < CONNS / 10 ? i : 0;

			synth_sock(s, 1000 + p, 5, SK_TCP, 1, 1000000 + (uint32_t)p * 4096 + k + gen * 1000000u,
				   8080, (uint16_t)(20000 + k));
		}
	}
	for (uint32_t k = 0; k < 10000; k++)
		synth_sock(s, 0, 0, SK_TCP, 6, 0, (uint16_t)(30000 + k), 443);
	for (uint32_t k = 0; k < 10000; k++)
		synth_sock(s, 2000, 5, SK_UNIX, 1, 50000000 + k, 0, 0);
	synth_proc(s, 2000, 5, "dbus", 10u << 20, 10010);
	synth_proc(s, 3000, 5, "leaky", 10u << 20, 10 + 50 * i);
	for (uint32_t k = 0; k < 50 * i; k++)
		synth_sock(s, 3000, 5, SK_TCP, 8, 60000000 + k, 9000, (uint16_t)(40000 + k));
	synth_finish(s);
	return s;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? (unsigned int)atoi(argv[1]) : 20;
	struct tracker *t = tracker_new(NULL);
	double *ms = xcalloc(n ? n : 1, sizeof(*ms));
	double *upd = xcalloc(n ? n : 1, sizeof(*upd));
	long rss0, peak0, rss1, peak1, heap0, heap_max = 0;
	size_t sockets = 0, nsus = 0;
	int kind = -1;

	/* The first snapshot sizes the heap for the rest: measure after it. */
	snapshot_unref(sample(0));
	rss_kib(&rss0, &peak0);
	heap0 = heap_kib();
	for (unsigned int i = 0; i < n; i++) {
		struct snapshot *s = sample(i);
		struct suspect_list l;
		double t0 = cpu_ms();

		tracker_update(t, s);
		upd[i] = cpu_ms() - t0;
		suspects_build(t, s, NULL, &l);
		ms[i] = cpu_ms() - t0;
		sockets = s->socks.n;
		nsus = l.n;
		kind = l.n ? l.v[0].kind : -1;
		suspect_list_free(&l);
		snapshot_unref(s);
		/* What the engine keeps between samples. */
		if (heap_kib() - heap0 > heap_max)
			heap_max = heap_kib() - heap0;
	}
	rss_kib(&rss1, &peak1);
	qsort(ms, n, sizeof(*ms), cmp_double);
	qsort(upd, n, sizeof(*upd), cmp_double);
	printf("sockets=%zu samples=%u quantities=%zu ms_per_sample=median %.2f max %.2f "
	       "(update median %.2f) engine_heap_kib=%ld rss_growth_kib=%ld peak_growth_kib=%ld suspects=%zu top=%s\n",
	       sockets, n, tracker_count(t), n ? ms[n / 2] : 0, n ? ms[n - 1] : 0,
	       n ? upd[n / 2] : 0, heap_max, rss1 - rss0,
	       peak1 - peak0, nsus, kind >= 0 ? suspect_kind_name((enum suspect_kind)kind) : "-");
	tracker_free(t);
	free(ms);
	free(upd);
	return 0;
}
