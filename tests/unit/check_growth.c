/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Growth estimates on synthetic series: one table of shapes (leak, step,
 * sawtooths, noise, reset, gaps, slow and fast leaks) with the verdict,
 * slope and confidence each must get; then edge cases (no points, NaN,
 * huge values, time going backwards) and the point ring.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "growth.h"
#include "suites.h"

#define MAX_POINTS 4096
#define S_NS 1000000000ull
#define MIB 1048576.0
#define KIB 1024.0

/* Deterministic noise: xorshift64, uniform in [-1, 1]. */
static double noise(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (double)(*state >> 11) / (double)(1ull << 52) - 1;
}

struct series {
	struct growth_point p[MAX_POINTS];
	size_t n;
};

static void add(struct series *s, double t_s, double v)
{
	ck_assert_uint_lt(s->n, MAX_POINTS);
	s->p[s->n++] = (struct growth_point){ .t_ns = (uint64_t)(t_s * S_NS), .v = v, .present = true };
}

/* 60 points 10 s apart, 5000 bytes a second. */
static void gen_linear(struct series *s)
{
	for (int i = 0; i < 60; i++)
		add(s, 10.0 * i, 100 * MIB + 5000.0 * 10 * i);
}

/* Flat, one jump of 50 MB, flat; a little noise on both levels. */
static void gen_step(struct series *s)
{
	uint64_t seed = 7;

	for (int i = 0; i < 60; i++)
		add(s, 10.0 * i, (i < 30 ? 100e6 : 150e6) + 1000 * noise(&seed));
}

/* Ramps of 10 samples from 50 MB to 95 MB, reclaimed back to 50 MB. */
static void gen_sawtooth(struct series *s)
{
	for (int i = 0; i < 65; i++)
		add(s, 5.0 * i, 50e6 + (i % 10) * 5e6);
}

/* The same, but each trough 2 MB above the last: 2 MB per 50 s. */
static void gen_sawtooth_rising(struct series *s)
{
	for (int i = 0; i < 65; i++)
		add(s, 5.0 * i, 50e6 + (i / 10) * 2e6 + (i % 10) * 5e6);
}

/* Zero-mean noise of +-64 KiB around 100 MB. */
static void gen_noise(struct series *s)
{
	uint64_t seed = 42;

	for (int i = 0; i < 120; i++)
		add(s, 10.0 * i, 100e6 + 64 * KIB * noise(&seed));
}

/* Grows 10 kB/s for 30 samples, restarts near zero, grows 20 kB/s. */
static void gen_reset(struct series *s)
{
	for (int i = 0; i < 30; i++)
		add(s, 10.0 * i, 5e6 + 1e4 * 10 * i);
	for (int i = 0; i < 30; i++)
		add(s, 300 + 10.0 * i, 1e5 + 2e4 * 10 * i);
}

/* The linear leak with ten samples missing in the middle. */
static void gen_gaps(struct series *s)
{
	gen_linear(s);
	for (size_t i = 20; i < 30; i++)
		s->p[i].present = false;
}

/* The linear leak present at only one sample in three. */
static void gen_intermittent(struct series *s)
{
	gen_linear(s);
	for (size_t i = 0; i < s->n; i++)
		s->p[i].present = i % 3 == 0;
}

/* 1 MiB an hour for an hour, samples 1 to 10 s apart, +-64 KiB noise. */
static void gen_slow_leak(struct series *s)
{
	uint64_t seed = 12345;
	double t = 0;

	while (t < 3600) {
		add(s, t, 200 * MIB + MIB / 3600 * t + 64 * KIB * noise(&seed));
		t += 5.5 + 4.5 * noise(&seed);
	}
}

/* Three samples, a second apart, 1 MB more each time. */
static void gen_fast3(struct series *s)
{
	for (int i = 0; i < 3; i++)
		add(s, i, 1e6 * (i + 1));
}

/* Three samples: flat, then a jump. */
static void gen_jump3(struct series *s)
{
	for (int i = 0; i < 3; i++)
		add(s, i, i < 2 ? 1e6 : 2e6);
}

/* Two 1 MB steps, 20 samples apart: the shortest staircase. */
static void gen_stairs2(struct series *s)
{
	for (int i = 0; i < 60; i++)
		add(s, 10.0 * i, 1e8 + (i / 20) * 1e6);
}

static void gen_fast10(struct series *s)
{
	for (int i = 0; i < 10; i++)
		add(s, i, 1e6 * (i + 1));
}

static void gen_constant(struct series *s)
{
	for (int i = 0; i < 30; i++)
		add(s, 10.0 * i, 12345678);
}

/* A leak growing in a staircase: one 1 MB step every 5 samples. */
static void gen_staircase(struct series *s)
{
	for (int i = 0; i < 60; i++)
		add(s, 10.0 * i, 1e8 + (i / 5) * 1e6);
}

/* Shrinking steadily: 2000 units a second. */
static void gen_decline(struct series *s)
{
	for (int i = 0; i < 30; i++)
		add(s, 10.0 * i, 1e8 - 2000.0 * 10 * i);
}

/* The linear leak with a fifth of its samples replaced by wild outliers. */
static void gen_outliers(struct series *s)
{
	gen_linear(s);
	for (size_t i = 2; i < s->n; i += 5)
		s->p[i].v = i % 2 ? 1e12 : 0;
}

/* 1000 samples: past the stack buffers. 300 units a second plus noise. */
static void gen_long(struct series *s)
{
	uint64_t seed = 99;

	for (int i = 0; i < 1000; i++)
		add(s, 2.0 * i, 1e7 + 300.0 * 2 * i + 4096 * noise(&seed));
}

/* The linear leak with one reading of zero: a glitch, not a restart. */
static void gen_glitch(struct series *s)
{
	gen_linear(s);
	s->p[40].v = 0;
}

/* A reset in the last two samples: too recent to judge what came after. */
static void gen_reset_late(struct series *s)
{
	gen_linear(s);
	s->p[58].v = 0;
	s->p[59].v = 0;
}

/* A process restarted again and again: troughs at zero. */
static void gen_restarts(struct series *s)
{
	for (int i = 0; i < 60; i++)
		add(s, 10.0 * i, (i % 20) * 1e6);
}

struct shape_case {
	const char *name;
	void (*gen)(struct series *s);
	double noise_floor;
	enum growth_shape shape;
	double slope;		/* units per second */
	double slope_tol;	/* absolute */
	double conf_min, conf_max;
};

static const struct shape_case shape_cases[] = {
	{ "linear", gen_linear, 4096, GROWTH_LINEAR, 5000, 1, 0.9, 1 },
	{ "step", gen_step, 4096, GROWTH_STEP, 0, 20, 0, 0.25 },
	{ "sawtooth", gen_sawtooth, 4096, GROWTH_SAWTOOTH, 0, 1, 0, 0.25 },
	{ "sawtooth-rising", gen_sawtooth_rising, 4096, GROWTH_LINEAR, 2e6 / 50, 2e6 / 50 * 0.05,
	  0.6, 1 },
	{ "noise", gen_noise, 4096, GROWTH_NOISE, 0, 64 * KIB / 1200, 0, 0.1 },
	{ "reset", gen_reset, 4096, GROWTH_RESET, 2e4, 20, 0.9, 1 },
	{ "reset-late", gen_reset_late, 4096, GROWTH_RESET, 0, 0, 0, 0 },
	{ "restarts", gen_restarts, 4096, GROWTH_SAWTOOTH, 0, 1e-9, 0, 0.25 },
	{ "glitch", gen_glitch, 4096, GROWTH_LINEAR, 5000, 1, 0.9, 1 },
	{ "gaps", gen_gaps, 4096, GROWTH_LINEAR, 5000, 1, 0.9, 1 },
	{ "intermittent", gen_intermittent, 4096, GROWTH_INTERMITTENT, 5000, 1, 0.2, 0.5 },
	{ "slow-leak", gen_slow_leak, 4096, GROWTH_LINEAR, MIB / 3600, MIB / 3600 * 0.1, 0.7, 1 },
	{ "fast-3", gen_fast3, 4096, GROWTH_LINEAR, 1e6, 1, 0.4, 0.75 },
	{ "jump-3", gen_jump3, 4096, GROWTH_STEP, 0, 0, 0, 0.25 },
	{ "fast-10", gen_fast10, 4096, GROWTH_LINEAR, 1e6, 1, 0.75, 1 },
	{ "constant", gen_constant, 4096, GROWTH_NONE, 0, 0, 0, 0 },
	{ "staircase", gen_staircase, 4096, GROWTH_LINEAR, 1e6 / 50, 1e6 / 50 * 0.1, 0.5, 1 },
	{ "stairs-2", gen_stairs2, 4096, GROWTH_LINEAR, 1e6 / 200, 1e6 / 200 * 0.25, 0.5, 1 },
	{ "decline", gen_decline, 4096, GROWTH_LINEAR, -2000, 1, 0, 0 },
	{ "outliers", gen_outliers, 4096, GROWTH_LINEAR, 5000, 50, 0.5, 1 },
	{ "long", gen_long, 4096, GROWTH_LINEAR, 300, 3, 0.9, 1 },
};

/* An estimate that must succeed. */
static void estimate(const struct series *s, double noise_floor, struct growth_est *est)
{
	struct growth_params params;

	growth_params_init(&params, noise_floor);
	ck_assert_int_eq(growth_estimate(s->p, s->n, &params, est), 0);
	ck_assert_int_eq(est->status, GROWTH_OK);
}

static void run_case(const struct shape_case *c, struct growth_est *est)
{
	static struct series s;

	memset(&s, 0, sizeof(s));
	c->gen(&s);
	estimate(&s, c->noise_floor, est);
}

START_TEST(test_shapes)
{
	const struct shape_case *c = &shape_cases[_i];
	struct growth_est est;

	run_case(c, &est);
	ck_assert_msg(est.shape == c->shape, "%s: shape %s, want %s (slope %g conf %.3f)", c->name,
		      growth_shape_name(est.shape), growth_shape_name(c->shape), est.slope_per_s,
		      est.confidence);
	ck_assert_msg(fabs(est.slope_per_s - c->slope) <= c->slope_tol,
		      "%s: slope %g, want %g +- %g", c->name, est.slope_per_s, c->slope, c->slope_tol);
	ck_assert_msg(est.confidence >= c->conf_min && est.confidence <= c->conf_max,
		      "%s: confidence %.3f, want %.2f..%.2f", c->name, est.confidence, c->conf_min,
		      c->conf_max);
	ck_assert(est.steadiness >= 0 && est.steadiness <= 1);
	ck_assert(est.span_s >= 0);
}
END_TEST

/* The estimate for the named case of the table. */
static void run_named(const char *name, struct growth_est *est)
{
	for (size_t i = 0; i < ARRAY_SIZE(shape_cases); i++)
		if (!strcmp(shape_cases[i].name, name)) {
			run_case(&shape_cases[i], est);
			return;
		}
	ck_abort_msg("no case %s", name);
}

static double confidence_of(const char *name)
{
	struct growth_est est;

	run_named(name, &est);
	return est.confidence;
}

/* A leak outranks a step, which outranks noise; more points, more confidence. */
START_TEST(test_confidence_order)
{
	double leak = confidence_of("linear"), step = confidence_of("step");
	double noisy = confidence_of("noise"), slow = confidence_of("slow-leak");

	ck_assert_msg(leak > step && slow > step, "leak %.3f slow %.3f step %.3f", leak, slow, step);
	ck_assert_msg(step > noisy, "step %.3f noise %.3f", step, noisy);
	ck_assert(confidence_of("fast-10") > confidence_of("fast-3"));
	ck_assert(confidence_of("gaps") > confidence_of("intermittent"));
	ck_assert(confidence_of("sawtooth-rising") > confidence_of("sawtooth"));
}
END_TEST

/* The spans the verdicts report: since the run began, after the reset, none for a step. */
START_TEST(test_spans)
{
	struct growth_est est;

	run_named("linear", &est);
	ck_assert_double_eq_tol(est.span_s, 590, 1e-6);
	ck_assert_double_eq_tol(est.total_growth, 5000 * 590, 1);
	ck_assert_double_eq_tol(est.intercept, 100 * MIB, 1);
	ck_assert_double_eq_tol(est.steadiness, 1, 1e-9);
	run_named("step", &est);
	ck_assert_double_eq_tol(est.span_s, 0, 1e-9);
	ck_assert_double_eq_tol(est.total_growth, 50e6, 2000);
	run_named("reset", &est);
	ck_assert_double_eq_tol(est.span_s, 290, 1e-6);
}
END_TEST

/* Lone outliers are neither the low a run starts from nor drops. */
START_TEST(test_outlier_span)
{
	struct growth_est est;

	run_named("outliers", &est);
	ck_assert_double_eq_tol(est.span_s, 590, 1e-6);
}
END_TEST

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Up to 17 points the slope is the median of every pairwise slope, exactly. */
START_TEST(test_theil_sen_reference)
{
	static struct series s;
	double slopes[136], want;
	uint64_t seed = 11;
	struct growth_est est;
	size_t m;

	for (size_t n = 3; n <= 17; n++) {
		memset(&s, 0, sizeof(s));
		for (size_t i = 0; i < n; i++)
			add(&s, 10 + 3.0 * i + noise(&seed), 1000.0 * i + 300 * noise(&seed));
		m = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t k = i + 1; k < n; k++)
				slopes[m++] = (s.p[k].v - s.p[i].v) /
					      ((double)(s.p[k].t_ns - s.p[i].t_ns) / 1e9);
		qsort(slopes, m, sizeof(*slopes), cmp_double);
		want = m % 2 ? slopes[m / 2] : (slopes[m / 2 - 1] + slopes[m / 2]) / 2;
		ck_assert_int_eq(growth_estimate(s.p, s.n, NULL, &est), 0);
		ck_assert_msg(est.shape == GROWTH_LINEAR, "n=%zu: %s", n, growth_shape_name(est.shape));
		ck_assert_msg(fabs(est.slope_per_s - want) <= 1e-9 * fabs(want),
			      "n=%zu: slope %.17g, want %.17g", n, est.slope_per_s, want);
	}
}
END_TEST

/* A leak that starts after a flat stretch: the run begins where it left the floor. */
START_TEST(test_run_after_flat)
{
	static struct series s;
	struct growth_est est;

	memset(&s, 0, sizeof(s));
	for (int i = 0; i < 60; i++)
		add(&s, 10.0 * i, i < 40 ? 1e7 : 1e7 + 1e6 * (i - 39));
	estimate(&s, 4096, &est);
	ck_assert_int_eq(est.shape, GROWTH_LINEAR);
	ck_assert_double_eq_tol(est.span_s, 200, 1e-6);
}
END_TEST

START_TEST(test_too_few)
{
	struct growth_point p[2] = {
		{ .t_ns = 1, .v = 1, .present = true },
		{ .t_ns = 2, .v = 2, .present = true },
	};
	struct growth_est est;

	ck_assert_int_eq(growth_estimate(NULL, 0, NULL, &est), -1);
	ck_assert_int_eq(est.status, GROWTH_TOO_FEW);
	ck_assert_int_eq(growth_estimate(p, 1, NULL, &est), -1);
	ck_assert_int_eq(est.status, GROWTH_TOO_FEW);
	ck_assert_uint_eq(est.n_used, 1);
	ck_assert_double_eq(est.slope_per_s, 0);
	ck_assert_int_eq(est.shape, GROWTH_NONE);
	/* The default asks for three points. */
	ck_assert_int_eq(growth_estimate(p, 2, NULL, &est), -1);
	p[1].present = false;
	ck_assert_int_eq(growth_estimate(p, 2, NULL, &est), -1);
	ck_assert_uint_eq(est.n_absent, 1);
}
END_TEST

START_TEST(test_time_order)
{
	static struct series s;
	struct growth_est est;

	memset(&s, 0, sizeof(s));
	gen_linear(&s);
	s.p[30].t_ns = s.p[10].t_ns;
	ck_assert_int_eq(growth_estimate(s.p, s.n, NULL, &est), -1);
	ck_assert_int_eq(est.status, GROWTH_TIME_ORDER);
	/* A repeated timestamp would be a vertical slope: rejected too. */
	s.p[30].t_ns = s.p[29].t_ns;
	ck_assert_int_eq(growth_estimate(s.p, s.n, NULL, &est), -1);
	ck_assert_int_eq(est.status, GROWTH_TIME_ORDER);
}
END_TEST

/* NaN, infinities and absurd magnitudes are absent points, not data. */
START_TEST(test_not_finite)
{
	static struct series s;
	struct growth_est est;

	memset(&s, 0, sizeof(s));
	gen_linear(&s);
	s.p[5].v = NAN;
	s.p[6].v = INFINITY;
	s.p[7].v = -INFINITY;
	s.p[8].v = 1e300;
	s.p[9].v = -1e300;
	estimate(&s, 4096, &est);
	ck_assert_int_eq(est.shape, GROWTH_LINEAR);
	ck_assert_double_eq_tol(est.slope_per_s, 5000, 1);
	ck_assert_uint_eq(est.n_used, 55);
	ck_assert_uint_eq(est.n_absent, 5);
}
END_TEST

/* Values at the limit and wild swings: every output stays a number. */
START_TEST(test_extremes)
{
	static struct series s;
	uint64_t seed = 3;
	struct growth_est est;

	for (int round = 0; round < 5; round++) {
		memset(&s, 0, sizeof(s));
		for (int i = 0; i < 100; i++) {
			double v = GROWTH_VALUE_MAX * noise(&seed);

			if (round == 1)
				v = i % 2 ? GROWTH_VALUE_MAX : -GROWTH_VALUE_MAX;
			if (round == 2)
				v = i < 50 ? 0 : GROWTH_VALUE_MAX;
			s.p[i] = (struct growth_point){ .t_ns = UINT64_MAX - 100 + i, .v = v,
							.present = true };
			if (round == 3)
				s.p[i].t_ns = (uint64_t)i * (UINT64_MAX / 100);
			/* Nanoseconds apart, years after the first: equal as seconds in a double. */
			if (round == 4)
				s.p[i].t_ns = i ? (1ull << 62) + i : 0;
		}
		s.n = 100;
		ck_assert_int_eq(growth_estimate(s.p, s.n, NULL, &est), 0);
		ck_assert(isfinite(est.slope_per_s) && isfinite(est.intercept));
		ck_assert(isfinite(est.total_growth) && isfinite(est.noise));
		ck_assert(est.confidence >= 0 && est.confidence <= 1);
		ck_assert(est.steadiness >= 0 && est.steadiness <= 1);
		ck_assert((unsigned)est.shape < GROWTH_SHAPE_COUNT);
	}
}
END_TEST

/* Only the window's points count: an old step is forgotten. */
START_TEST(test_window)
{
	static struct series s;
	struct growth_params params;
	struct growth_est est;

	memset(&s, 0, sizeof(s));
	for (int i = 0; i < 60; i++)
		add(&s, 10.0 * i, i < 10 ? 0 : 1e8 + 5000.0 * 10 * i);
	growth_params_init(&params, 4096);
	params.window_ns = 400 * S_NS;
	ck_assert_int_eq(growth_estimate(s.p, s.n, &params, &est), 0);
	ck_assert_uint_eq(est.n_used, 41);
	ck_assert_int_eq(est.shape, GROWTH_LINEAR);
	ck_assert_double_eq_tol(est.slope_per_s, 5000, 1);
}
END_TEST

START_TEST(test_shape_names)
{
	for (int i = 0; i < GROWTH_SHAPE_COUNT; i++)
		ck_assert_ptr_nonnull(growth_shape_name(i));
	ck_assert_str_eq(growth_shape_name(GROWTH_SAWTOOTH), "sawtooth");
	ck_assert_str_eq(growth_shape_name(GROWTH_SHAPE_COUNT), "?");
}
END_TEST

START_TEST(test_ring)
{
	struct growth_ring r;
	struct growth_point p[8];
	struct growth_est a, b;
	static struct series s;
	uint64_t base;

	growth_ring_init(&r, 4);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(growth_ring_push(&r, (uint64_t)(i + 1) * S_NS, i * 10.0, i != 4), 0);
	ck_assert_uint_eq(r.n, 4);
	ck_assert_uint_eq(growth_ring_copy(&r, p, ARRAY_SIZE(p)), 4);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(p[i].t_ns, (uint64_t)(i + 3) * S_NS);
	ck_assert_double_eq(p[0].v, 20);
	ck_assert(!p[2].present);
	ck_assert_double_eq(p[3].v, 50);
	ck_assert(!growth_ring_get(&r, 4, &p[0]));
	/* Time must move forward by at least a millisecond. */
	ck_assert_int_eq(growth_ring_push(&r, 6 * S_NS, 1, true), -1);
	ck_assert_int_eq(growth_ring_push(&r, 6 * S_NS + 999999, 1, true), -1);
	ck_assert_int_eq(growth_ring_push(&r, 6 * S_NS + 1000000, NAN, true), 0);
	ck_assert(growth_ring_get(&r, 3, &p[0]) && !p[0].present);
	growth_ring_free(&r);

	/* The ring's estimate is the series' estimate. */
	memset(&s, 0, sizeof(s));
	gen_slow_leak(&s);
	growth_ring_init(&r, 300);
	for (size_t i = 0; i < s.n; i++)
		ck_assert_int_eq(growth_ring_push(&r, s.p[i].t_ns, s.p[i].v, true), 0);
	ck_assert_uint_eq(r.n, 300);
	ck_assert_int_eq(growth_ring_estimate(&r, NULL, &a), 0);
	/* The ring keeps whole milliseconds from its first point. */
	base = s.p[0].t_ns;
	for (size_t i = 0; i < 300; i++) {
		s.p[i] = s.p[s.n - 300 + i];
		s.p[i].t_ns -= (s.p[i].t_ns - base) % 1000000;
	}
	ck_assert_int_eq(growth_estimate(s.p, 300, NULL, &b), 0);
	ck_assert_double_eq_tol(a.slope_per_s, b.slope_per_s, 1e-9);
	ck_assert_int_eq(a.shape, b.shape);
	growth_ring_free(&r);
}
END_TEST

/* Offsets are 32-bit ms: points over 49 days older than the newest are dropped. */
START_TEST(test_ring_rebase)
{
	const uint64_t day = 86400 * S_NS;
	struct growth_ring r;
	struct growth_point p;

	growth_ring_init(&r, 3);
	ck_assert_int_eq(growth_ring_push(&r, day, 1, true), 0);
	ck_assert_int_eq(growth_ring_push(&r, 40 * day, 2, true), 0);
	ck_assert_uint_eq(r.n, 2);
	/* 59 days after the first: it goes, the other two stay. */
	ck_assert_int_eq(growth_ring_push(&r, 60 * day, 3, true), 0);
	ck_assert_uint_eq(r.n, 2);
	ck_assert(growth_ring_get(&r, 0, &p) && p.t_ns == 40 * day && p.v == 2);
	ck_assert(growth_ring_get(&r, 1, &p) && p.t_ns == 60 * day && p.v == 3);
	ck_assert_int_eq(growth_ring_push(&r, 200 * day, 4, true), 0);
	ck_assert_uint_eq(r.n, 1);
	ck_assert(growth_ring_get(&r, 0, &p) && p.t_ns == 200 * day && p.v == 4);
	growth_ring_free(&r);
}
END_TEST

Suite *growth_suite(void)
{
	Suite *s = suite_create("growth");
	TCase *tc = tcase_create("estimate");

	tcase_add_loop_test(tc, test_shapes, 0, ARRAY_SIZE(shape_cases));
	tcase_add_test(tc, test_confidence_order);
	tcase_add_test(tc, test_spans);
	tcase_add_test(tc, test_run_after_flat);
	tcase_add_test(tc, test_outlier_span);
	tcase_add_test(tc, test_theil_sen_reference);
	tcase_add_test(tc, test_too_few);
	tcase_add_test(tc, test_time_order);
	tcase_add_test(tc, test_not_finite);
	tcase_add_test(tc, test_extremes);
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_shape_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("ring");
	tcase_add_test(tc, test_ring);
	tcase_add_test(tc, test_ring_rebase);
	suite_add_tcase(s, tc);
	return s;
}
