/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Growth of one quantity over time: a robust slope (Theil-Sen) and a verdict
 * on the series' shape, so that a leak can be told from a one-off step, a
 * garbage-collected sawtooth, noise, a restart and an entity that comes and
 * goes. Pure arithmetic on (time, value) points: no snapshots, no I/O, no
 * allocation for series of up to GROWTH_STACK_POINTS points. doc/growth.md
 * explains the estimator and when each verdict is wrong.
 *
 * Also a fixed-capacity ring of points, one per tracked quantity, so that a
 * caller can keep a series cheaply and estimate from it.
 */
#ifndef LEAKTOP_GROWTH_H
#define LEAKTOP_GROWTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Series longer than this are copied to the heap while they are estimated. */
#define GROWTH_STACK_POINTS 256
/* |v| above this is treated like NaN: not a measurement (2^100, far above any byte count). */
#define GROWTH_VALUE_MAX 1.2676506002282294e30

struct growth_point {
	uint64_t t_ns;	/* sample time, CLOCK_MONOTONIC ns; strictly increasing along a series */
	double v;	/* bytes or a count */
	bool present;	/* false: the entity did not exist at this sample */
};

enum growth_shape {
	GROWTH_NONE,		/* flat within the noise floor */
	GROWTH_LINEAR,		/* steady growth (or decline, when slope_per_s < 0): a leak */
	GROWTH_STEP,		/* one jump between two flat levels */
	GROWTH_SAWTOOTH,	/* grows then is reclaimed, repeatedly, with troughs that do not rise */
	GROWTH_NOISE,		/* moves, but not in one direction */
	GROWTH_RESET,		/* one drop to near zero (counter reset, restarted process) */
	GROWTH_INTERMITTENT,	/* absent at most samples of the window */
	GROWTH_SHAPE_COUNT
};

enum growth_status {
	GROWTH_OK,
	GROWTH_TOO_FEW,		/* fewer usable points than params->min_points */
	GROWTH_TIME_ORDER,	/* timestamps not strictly increasing: rejected, not sorted */
};

struct growth_params {
	size_t min_points;	/* fewest present points for a verdict; at least 2 */
	double noise_floor;	/* changes this small are noise: bytes (e.g. a page) or counts (e.g. 1) */
	uint64_t window_ns;	/* only points this recent (from the newest) are used; 0 = all */
};

struct growth_est {
	enum growth_status status;
	enum growth_shape shape;
	/*
	 * The growth the verdict is about: of the whole window (LINEAR, NOISE,
	 * NONE), after the step (STEP), of the troughs (SAWTOOTH, and LINEAR
	 * when a sawtooth's troughs rise), after the last reset (RESET).
	 */
	double slope_per_s;	/* robust slope, units per second */
	double intercept;	/* value of the fit at the first point it was fitted to */
	double total_growth;	/* slope over the fitted span; for STEP the jump */
	double span_s;		/* time since the current upward run began; 0 when not growing */
	double steadiness;	/* 0..1: 1 - residual scale / |total_growth| */
	double confidence;	/* 0..1 that this is sustained growth (a leak); 0 for decline */
	double noise;		/* residual scale (robust sigma) of the fit, units */
	size_t n_used;		/* present, finite points in the window */
	size_t n_absent;	/* points in the window marked absent or not finite */
};

/* min_points 3, window 0 (all), and the given noise floor. */
void growth_params_init(struct growth_params *params, double noise_floor);

/*
 * Estimate the growth of p[0..n-1] (oldest first). Returns 0 with out filled,
 * or -1 with out->status saying why there is no estimate (too few points,
 * timestamps out of order: they are rejected, not sorted, because a series
 * from the history ring is ordered and one that is not is a bug upstream);
 * then only n_used and n_absent are set. NaN, infinite and absurdly large
 * values count as absent. A NULL params means growth_params_init(, 0).
 * Costs O(n) plus a median of at most 136 pairwise slopes.
 */
int growth_estimate(const struct growth_point *p, size_t n, const struct growth_params *params,
		    struct growth_est *out);

/* "linear", "step", ...: a short lower-case name for the shape. */
const char *growth_shape_name(enum growth_shape shape);

/*
 * A fixed-capacity ring of points for one quantity: 12 bytes a point (time
 * as ms from a base that follows the ring, value as double, absence as NaN)
 * in one allocation.
 */
struct growth_ring {
	uint64_t base_ns;	/* time of offset 0 */
	uint32_t *t_ms;		/* offsets from base_ns */
	double *v;		/* NaN: absent */
	uint32_t cap;
	uint32_t n;		/* points held */
	uint32_t head;		/* index of the oldest */
};

void growth_ring_init(struct growth_ring *r, uint32_t cap);
void growth_ring_free(struct growth_ring *r);
/*
 * Append a point, dropping the oldest when full. Returns -1 (and keeps
 * nothing) when t_ns is not later than the newest point's time in ms.
 */
int growth_ring_push(struct growth_ring *r, uint64_t t_ns, double v, bool present);
/* Point i, 0 = the oldest; false past the newest. Times come back in whole ms. */
bool growth_ring_get(const struct growth_ring *r, size_t i, struct growth_point *out);
/* Copy the points oldest first into out[0..max-1]; returns how many. */
size_t growth_ring_copy(const struct growth_ring *r, struct growth_point *out, size_t max);
/* growth_estimate() over the ring's points, read in place. */
int growth_ring_estimate(const struct growth_ring *r, const struct growth_params *params,
			 struct growth_est *out);

#endif
