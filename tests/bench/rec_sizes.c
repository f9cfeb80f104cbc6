/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bytes on disk per recorded sample: rec_sizes PATH prints the keyframes'
 * sizes and the median and largest frame after the first keyframe (frame
 * head included), and the time to decode every sample.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "recread.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	char err[512];
	struct rec_reader *r;
	uint32_t *v;
	size_t n, nd = 0;
	uint64_t key_bytes = 0, keys = 0;
	struct timespec t0, t1;

	if (argc != 2) {
		fprintf(stderr, "usage: rec_sizes PATH\n");
		return 2;
	}
	r = rec_reader_open(argv[1], err, sizeof(err));
	if (!r) {
		fprintf(stderr, "rec_sizes: %s\n", err);
		return 1;
	}
	n = rec_reader_count(r);
	v = calloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		const struct rec_entry *e = rec_reader_entry(r, i);
		uint32_t bytes = e->len + REC_FRAME_HEAD;

		if (e->keyframe) {
			keys++;
			key_bytes += bytes;
		} else {
			v[nd++] = bytes;
		}
	}
	qsort(v, nd, sizeof(*v), cmp_u32);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (size_t i = 0; i < n; i++) {
		const char *why;
		struct snapshot *s = rec_reader_sample(r, i, &why);

		if (!s)
			fprintf(stderr, "sample %zu: %s\n", i + 1, why);
		snapshot_unref(s);
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	printf("samples %zu files %zu keyframes %llu (mean %llu B) deltas %zu median %u B max %u B decode %.2f ms/sample\n",
	       n, rec_reader_nfiles(r), (unsigned long long)keys,
	       (unsigned long long)(keys ? key_bytes / keys : 0), nd, nd ? v[nd / 2] : 0,
	       nd ? v[nd - 1] : 0,
	       n ? ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / (double)n : 0);
	free(v);
	rec_reader_free(r);
	return 0;
}
