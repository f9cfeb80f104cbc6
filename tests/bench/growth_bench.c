/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * growth_bench: CPU nanoseconds per growth_estimate() on noisy leaking series of
 * 10, 60 and 300 points, the cost the trend engine pays per quantity and
 * sample. Built with the tests, never run by them: timing is not a test.
 *
 *   growth_bench [rounds]
 *   -> "n=60 ns_per_estimate=1234 shape=linear"
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "growth.h"

#define SERIES 64

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Deterministic noise in [-1, 1]. */
static double noise(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (double)(*state >> 11) / (double)(1ull << 52) - 1;
}

static void bench(size_t n, long rounds)
{
	struct growth_point *p = calloc(SERIES * n, sizeof(*p));
	struct growth_params params;
	struct growth_est est = { 0 };
	uint64_t seed = 1;
	double t0, sink = 0;

	if (!p) {
		perror("growth_bench");
		exit(1);
	}
	/* Distinct series so that no single one sits in the branch predictor. */
	for (size_t s = 0; s < SERIES; s++)
		for (size_t i = 0; i < n; i++)
			p[s * n + i] = (struct growth_point){
				.t_ns = (uint64_t)i * 5000000000ull,
				.v = 1e8 + 1000.0 * s * i + 65536 * noise(&seed),
				.present = true,
			};
	growth_params_init(&params, 4096);
	t0 = now_ns();
	for (long r = 0; r < rounds; r++) {
		growth_estimate(&p[(r % SERIES) * n], n, &params, &est);
		sink += est.slope_per_s;
	}
	printf("n=%zu ns_per_estimate=%.0f shape=%s (checksum %g)\n", n,
	       (now_ns() - t0) / rounds, growth_shape_name(est.shape), sink);
	free(p);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 100000;
	static const size_t sizes[] = { 10, 60, 300 };

	if (rounds < 1)
		rounds = 1;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		bench(sizes[i], rounds);
	return 0;
}
