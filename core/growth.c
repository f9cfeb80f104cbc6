/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Theil-Sen slope and shape verdicts for one series (growth.h); the reasons
 * behind each threshold are in doc/growth.md.
 */
#include "growth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "xalloc.h"

/*
 * Selecting the median of the pairwise slopes is most of an estimate's cost,
 * so it is capped at 136 slopes: every pair up to 17 points; for longer
 * series LAGS lags in [n/3, 2n/3] with up to STARTS pairs for each.
 */
#define ALL_PAIRS_MAX 17
#define LAGS 8
#define STARTS 16
#define PAIRS_MAX (ALL_PAIRS_MAX * (ALL_PAIRS_MAX - 1) / 2)
_Static_assert(LAGS * STARTS <= PAIRS_MAX, "the grid of pairs fits the buffer");
/* MAD of a normal sample times this estimates its sigma. */
#define MAD_SIGMA 1.4826
/* A difference of two noisy points has sqrt(2) times their sigma. */
#define INV_SQRT2 0.70710678118654752
/* A jump or drop stands this many point sigmas off the typical increment. */
#define JUMP_SIGMAS 6.0
/* The current run starts at the last point within this many sigmas of the low. */
#define RUN_SIGMAS 2.0
/* A drop to this fraction of the value before it is a drop to "near zero". */
#define NEAR_ZERO 0.1
/* One jump between two medians must halve the line's absolute residuals ... */
#define STEP_GAIN 0.5
/* ... and be at least this share of the series' range. */
#define STEP_SHARE 0.5
/* Below this many points a median ignores too much: the mean residual counts too. */
#define SMALL_N 8
/* Growth of z sigmas of the slope gives significance z^2 / (z^2 + Z2_HALF). */
#define Z2_HALF 9.0
/* Confidence ceilings and floor per verdict, so that leak > step > noise. */
#define CONF_LINEAR_FLOOR 0.25
#define CONF_NOT_LEAK 0.2
#define CONF_NOISE 0.1

static const char *const shape_names[GROWTH_SHAPE_COUNT] = {
	[GROWTH_NONE] = "none",
	[GROWTH_LINEAR] = "linear",
	[GROWTH_STEP] = "step",
	[GROWTH_SAWTOOTH] = "sawtooth",
	[GROWTH_NOISE] = "noise",
	[GROWTH_RESET] = "reset",
	[GROWTH_INTERMITTENT] = "intermittent",
};

/* Scratch space for one estimate: on the stack unless the series is long. */
struct work {
	const struct growth_params *params;
	size_t min_points;	/* params->min_points, at least 2 */
	double *tmp;	/* n */
	double *tx;	/* n: trough times */
	double *ty;	/* n: trough values */
	double pairs[PAIRS_MAX];
};

/* A robust line through a segment of the series. */
struct fit {
	double slope;
	double intercept;	/* at x[0] */
	double growth;		/* slope * (x[n-1] - x[0]) */
	double noise;		/* residual scale */
	double cost;		/* sum of |residual| */
};

/* Increments of a series after the fitted trend is taken out. */
struct jumps {
	double slope;		/* the trend taken out */
	double mid;		/* median detrended increment */
	double sigma;		/* point noise from the increments' spread */
	double thr;		/* a jump is an increment this far off the median */
	size_t n;		/* points in the series */
	size_t ndrops;
	size_t last_drop;	/* the drop is from y[last_drop] to y[last_drop + 1] */
	size_t big;		/* largest jump either way, if any */
	bool has_big;
};

const char *growth_shape_name(enum growth_shape shape)
{
	if ((unsigned)shape >= GROWTH_SHAPE_COUNT)
		return "?";
	return shape_names[shape];
}

void growth_params_init(struct growth_params *params, double noise_floor)
{
	memset(params, 0, sizeof(*params));
	params->min_points = 3;
	params->noise_floor = noise_floor > 0 ? noise_floor : 0;
}

static double median3(double a, double b, double c)
{
	if (a > b) {
		double t = a;

		a = b;
		b = t;
	}
	return c < a ? a : c > b ? b : c;
}

/*
 * Move the elements of a[lo..hi-1] that are below pivot (or, when equal is
 * set, not above it) to the front; returns where the rest begins. No branch
 * on the data: on noisy values a branchy partition mispredicts every other
 * element, and selection is most of an estimate's cost.
 */
static size_t partition(double *a, size_t lo, size_t hi, double pivot, bool equal)
{
	size_t store = lo;

	for (size_t i = lo; i < hi; i++) {
		double v = a[i];

		a[i] = a[store];
		a[store] = v;
		store += equal ? v <= pivot : v < pivot;
	}
	return store;
}

/* k-th smallest of a[0..n-1], reordered so that a[0..k-1] <= a[k] <= a[k+1..n-1]. */
static double select_kth(double *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		double pivot = median3(a[lo], a[lo + (hi - lo) / 2], a[hi - 1]);
		size_t below = partition(a, lo, hi, pivot, false), upto;

		if (k < below) {
			hi = below;
			continue;
		}
		if (below > lo) {
			lo = below;
			continue;
		}
		/* Nothing is below the pivot, the range's minimum: step past its copies. */
		upto = partition(a, lo, hi, pivot, true);
		/* upto == lo only for a NaN pivot: stop rather than spin. */
		if (k < upto || upto == lo)
			return pivot;
		lo = upto;
	}
	return a[k];
}

/* Median of a[0..n-1], n > 0; reorders a. */
static double median(double *a, size_t n)
{
	double hi = select_kth(a, n, n / 2), lo = hi;

	if (n % 2 == 0) {
		/* select_kth left the n/2 smallest below n/2: the lower middle is their max. */
		lo = a[0];
		for (size_t i = 1; i < n / 2; i++)
			if (a[i] > lo)
				lo = a[i];
	}
	return (lo + hi) / 2;
}

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/*
 * Add the slope from point i to point j. Times that differ in nanoseconds
 * can be equal as seconds in a double (far from the first point): such a
 * pair has no slope.
 */
static void add_pair(double *pairs, size_t *m, const double *x, const double *y, size_t i,
		     size_t j)
{
	if (x[j] > x[i])
		pairs[(*m)++] = (y[j] - y[i]) / (x[j] - x[i]);
}

/*
 * Median of pairwise slopes. Short series use every pair; longer ones a
 * fixed grid of pairs whose lags lie between a third and two thirds of the
 * series, so the cost is bounded and every point takes part about equally.
 */
static double theil_sen(struct work *w, const double *x, const double *y, size_t n)
{
	size_t m = 0;

	if (n < 2)
		return 0;
	if (n <= ALL_PAIRS_MAX) {
		for (size_t i = 0; i + 1 < n; i++)
			for (size_t j = i + 1; j < n; j++)
				add_pair(w->pairs, &m, x, y, i, j);
	} else {
		size_t lo = n / 3, nl = 2 * n / 3 - lo + 1, nlags = nl < LAGS ? nl : LAGS;

		for (size_t a = 0; a < nlags; a++) {
			size_t lag = nlags == 1 ? lo : lo + a * (nl - 1) / (nlags - 1);
			size_t cnt = n - lag, starts = cnt < STARTS ? cnt : STARTS;

			for (size_t b = 0; b < starts; b++) {
				size_t i = b * cnt / starts;

				add_pair(w->pairs, &m, x, y, i, i + lag);
			}
		}
	}
	return m ? median(w->pairs, m) : 0;
}

static void fit_line(struct work *w, const double *x, const double *y, size_t n, struct fit *f)
{
	double abs_sum = 0;

	memset(f, 0, sizeof(*f));
	f->slope = theil_sen(w, x, y, n);
	for (size_t i = 0; i < n; i++)
		w->tmp[i] = y[i] - f->slope * (x[i] - x[0]);
	f->intercept = median(w->tmp, n);
	for (size_t i = 0; i < n; i++) {
		w->tmp[i] = fabs(y[i] - f->intercept - f->slope * (x[i] - x[0]));
		abs_sum += w->tmp[i];
	}
	f->cost = abs_sum;
	f->noise = MAD_SIGMA * median(w->tmp, n);
	if (n < SMALL_N && abs_sum / n > f->noise)
		f->noise = abs_sum / n;
	f->growth = f->slope * (x[n - 1] - x[0]);
}

/* The noise floor, never negative (nor NaN) even from a hand-filled params. */
static double floor_of(const struct work *w)
{
	return w->params->noise_floor > 0 ? w->params->noise_floor : 0;
}

/* How far the increment from y[i] to y[i + 1] is off the typical one. */
static double jump_off(const struct jumps *j, const double *x, const double *y, size_t i)
{
	return y[i + 1] - y[i] - j->slope * (x[i + 1] - x[i]) - j->mid;
}

/* y[i] stands apart from both neighbours, the same way: a lone outlier. */
static bool is_spike(const struct jumps *j, const double *x, const double *y, size_t i)
{
	double in, out;

	if (!j || i == 0 || i + 1 >= j->n)
		return false;
	in = jump_off(j, x, y, i - 1);
	out = jump_off(j, x, y, i);
	return (in > j->thr && out < -j->thr) || (in < -j->thr && out > j->thr);
}

/*
 * A drop: far below the typical increment, and a real fall of the value;
 * but not the way back from a lone outlier, nor the way into one.
 */
static bool is_drop(const struct work *w, const struct jumps *j, const double *x, const double *y,
		    size_t i)
{
	if (jump_off(j, x, y, i) >= -j->thr || y[i + 1] - y[i] >= -floor_of(w))
		return false;
	return !is_spike(j, x, y, i) && !is_spike(j, x, y, i + 1);
}

/*
 * Increments detrended by the fitted slope: their spread gives the point
 * noise, and those far below the typical one are drops (reclaim, reset).
 */
static void find_jumps(struct work *w, const double *x, const double *y, size_t n, double slope,
		       struct jumps *j)
{
	double top = 0, scale = 0;

	memset(j, 0, sizeof(*j));
	j->slope = slope;
	j->n = n;
	if (n < 2)
		return;
	for (size_t i = 0; i + 1 < n; i++)
		w->tmp[i] = jump_off(j, x, y, i);
	j->mid = median(w->tmp, n - 1);
	for (size_t i = 0; i + 1 < n; i++)
		w->tmp[i] = fabs(jump_off(j, x, y, i));
	/* Two increments say nothing about noise: trust only the floor then. */
	if (n >= SMALL_N)
		j->sigma = MAD_SIGMA * median(w->tmp, n - 1) * INV_SQRT2;
	for (size_t i = 0; i < n; i++)
		if (fabs(y[i]) > scale)
			scale = fabs(y[i]);
	j->thr = JUMP_SIGMAS * j->sigma;
	if (j->thr < floor_of(w))
		j->thr = floor_of(w);
	/* Rounding in a noise-free series is not a jump. */
	if (j->thr < 1e-9 * scale)
		j->thr = 1e-9 * scale;
	for (size_t i = 0; i + 1 < n; i++) {
		double off = fabs(jump_off(j, x, y, i));

		if (off > j->thr && fabs(y[i + 1] - y[i]) > floor_of(w) && off > top) {
			top = off;
			j->big = i;
			j->has_big = true;
		}
		if (is_drop(w, j, x, y, i)) {
			j->ndrops++;
			j->last_drop = i;
		}
	}
}

/* z^2 / (z^2 + Z2_HALF), z = growth over the standard error of a slope fitted to n points. */
static double significance(double growth, double noise, size_t n)
{
	double z2;

	if (noise <= 0)
		return growth != 0 ? 1 : 0;
	z2 = growth * growth * (double)n / (12 * noise * noise);
	if (!isfinite(z2))
		return growth != 0 ? 1 : 0;
	return z2 / (z2 + Z2_HALF);
}

/*
 * Index of the last point still within noise of the segment's low: where
 * the current run began. Lone outliers are no low; j (NULL for troughs)
 * says which points are those.
 */
static size_t run_start(const struct work *w, const struct jumps *j, const double *x,
			const double *y, size_t n, double sigma)
{
	double low = INFINITY, tol = RUN_SIGMAS * sigma;
	size_t s = 0;

	if (tol < floor_of(w))
		tol = floor_of(w);
	for (size_t i = 0; i < n; i++)
		if (y[i] < low && !is_spike(j, x, y, i))
			low = y[i];
	for (size_t i = 0; i < n; i++)
		if (y[i] <= low + tol && !is_spike(j, x, y, i))
			s = i;
	return s;
}

static void take_fit(const struct fit *f, struct growth_est *out)
{
	out->slope_per_s = f->slope;
	out->intercept = f->intercept;
	out->total_growth = f->growth;
	out->noise = f->noise;
	out->steadiness = f->growth != 0 ? clamp01(1 - f->noise / fabs(f->growth)) : 0;
}

/*
 * The verdict for a series without drops or a dominant jump: a line if its
 * growth stands out of the noise, else noise or nothing.
 */
static void judge_line(struct work *w, const double *x, const double *y, size_t n,
		       const struct fit *f, const struct jumps *j, double sigma,
		       struct growth_est *out)
{
	double noise = f->noise > floor_of(w) ? f->noise : floor_of(w);
	double sig = significance(f->growth, noise, n), nf = (double)n / (n + 3.0);
	double strength;

	take_fit(f, out);
	strength = nf * sig * (0.5 + 0.5 * out->steadiness);
	if (fabs(f->growth) <= floor_of(w) && f->noise <= floor_of(w)) {
		out->shape = GROWTH_NONE;
	} else if (sig >= 0.5 && fabs(f->growth) > floor_of(w)) {
		out->shape = GROWTH_LINEAR;
		if (f->growth > 0) {
			out->confidence = CONF_LINEAR_FLOOR + (1 - CONF_LINEAR_FLOOR) * strength;
			out->span_s = x[n - 1] - x[run_start(w, j, x, y, n, sigma)];
		}
	} else {
		out->shape = GROWTH_NOISE;
		if (f->growth > 0)
			out->confidence = strength < CONF_NOISE ? strength : CONF_NOISE;
	}
}

/*
 * Repeated drops: the minima of the cycles after each drop. The first cycle
 * is left out because the window may open halfway up its ramp. Troughs that
 * rise steadily are a leak under the reclaim, reported as a line on them.
 */
static void judge_sawtooth(struct work *w, const double *x, const double *y, size_t n,
			   const struct jumps *j, struct growth_est *out)
{
	size_t nt = 0;
	struct fit f;

	for (size_t i = 0; i + 1 < n; i++) {
		if (!is_drop(w, j, x, y, i))
			continue;
		w->tx[nt] = x[i + 1];
		w->ty[nt] = y[i + 1];
		for (size_t k = i + 2; k < n && !is_drop(w, j, x, y, k - 1); k++)
			if (y[k] < w->ty[nt]) {
				w->tx[nt] = x[k];
				w->ty[nt] = y[k];
			}
		nt++;
	}
	fit_line(w, w->tx, w->ty, nt, &f);
	if (f.noise < j->sigma)
		f.noise = j->sigma;
	if (nt >= w->min_points) {
		judge_line(w, w->tx, w->ty, nt, &f, NULL, j->sigma, out);
		if (out->shape == GROWTH_LINEAR)
			return;
	}
	take_fit(&f, out);
	out->shape = GROWTH_SAWTOOTH;
	out->span_s = 0;
	out->confidence = CONF_NOT_LEAK * nt / (nt + 3.0) * (f.growth > 0);
}

/*
 * One jump that explains the series better than any line: two medians
 * either side of it halve the absolute residuals. The slope is that after
 * the jump, the growth the jump itself.
 */
static bool judge_step(struct work *w, const double *x, const double *y, size_t n,
		       const struct fit *line, const struct jumps *j, struct growth_est *out)
{
	size_t k = j->big + 1;
	double before, after, cost = 0, lo = y[0], hi = y[0];
	struct fit f;

	if (!j->has_big)
		return false;
	memcpy(w->tx, y, k * sizeof(*y));
	before = median(w->tx, k);
	memcpy(w->tx, y + k, (n - k) * sizeof(*y));
	after = median(w->tx, n - k);
	for (size_t i = 0; i < n; i++) {
		cost += fabs(y[i] - (i < k ? before : after));
		lo = y[i] < lo ? y[i] : lo;
		hi = y[i] > hi ? y[i] : hi;
	}
	if (cost > STEP_GAIN * line->cost || fabs(after - before) < STEP_SHARE * (hi - lo))
		return false;
	if (n - k >= 2) {
		fit_line(w, x + k, y + k, n - k, &f);
		take_fit(&f, out);
	} else {
		out->noise = line->noise;
		out->intercept = after;
	}
	out->total_growth = after - before;
	out->steadiness = 0;
	out->shape = GROWTH_STEP;
	out->confidence = CONF_NOT_LEAK * n / (n + 3.0) * (after > before);
	return true;
}

static void judge(struct work *w, const double *x, const double *y, size_t n, bool after_reset,
		  struct growth_est *out)
{
	struct jumps j;
	struct fit f;

	fit_line(w, x, y, n, &f);
	find_jumps(w, x, y, n, f.slope, &j);
	if (!after_reset && j.ndrops == 1) {
		double from = y[j.last_drop], to = y[j.last_drop + 1];
		size_t k = j.last_drop + 1;

		if (from > 0 && (to <= NEAR_ZERO * from || fabs(to) <= floor_of(w))) {
			/* Judge the life after the reset; too short a one gets no slope. */
			if (n - k >= w->min_points)
				judge(w, x + k, y + k, n - k, true, out);
			out->shape = GROWTH_RESET;
			return;
		}
	}
	if (j.ndrops >= 2) {
		judge_sawtooth(w, x, y, n, &j, out);
		return;
	}
	if (judge_step(w, x, y, n, &f, &j, out))
		return;
	judge_line(w, x, y, n, &f, &j, j.sigma, out);
}

static bool usable(const struct growth_point *p)
{
	return p->present && isfinite(p->v) && fabs(p->v) <= GROWTH_VALUE_MAX;
}

/* The points of a series: an array, or a ring read in place. */
struct source {
	const struct growth_point *p;
	const struct growth_ring *r;
	size_t n;
};

static struct growth_point point_at(const struct source *src, size_t i)
{
	struct growth_point pt = { 0 };

	if (!src->r)
		return src->p[i];
	growth_ring_get(src->r, i, &pt);
	return pt;
}

static int estimate(const struct source *src, const struct growth_params *params,
		    struct growth_est *out)
{
	size_t n = src->n;
	uint64_t t_first, t_last = n ? point_at(src, n - 1).t_ns : 0;
	struct growth_params defaults;
	double stack[5 * GROWTH_STACK_POINTS], *x, *y, *heap = NULL;	/* x, y, tmp, tx, ty */
	size_t first = 0, m = 0;
	struct work w;

	memset(out, 0, sizeof(*out));
	if (!params) {
		growth_params_init(&defaults, 0);
		params = &defaults;
	}
	for (size_t i = 1; i < n; i++)
		if (point_at(src, i).t_ns <= point_at(src, i - 1).t_ns) {
			out->status = GROWTH_TIME_ORDER;
			return -1;
		}
	if (params->window_ns && t_last > params->window_ns)
		while (point_at(src, first).t_ns < t_last - params->window_ns)
			first++;
	for (size_t i = first; i < n; i++) {
		struct growth_point pt = point_at(src, i);

		if (usable(&pt))
			out->n_used++;
		else
			out->n_absent++;
	}
	w.min_points = params->min_points > 2 ? params->min_points : 2;
	if (out->n_used < w.min_points) {
		out->status = GROWTH_TOO_FEW;
		return -1;
	}

	x = stack;
	if (out->n_used > GROWTH_STACK_POINTS)
		x = heap = xreallocarray(NULL, 5 * out->n_used, sizeof(*x));
	y = x + out->n_used;
	w.params = params;
	w.tmp = y + out->n_used;
	w.tx = w.tmp + out->n_used;
	w.ty = w.tx + out->n_used;
	t_first = point_at(src, first).t_ns;
	for (size_t i = first; i < n; i++) {
		struct growth_point pt = point_at(src, i);

		if (!usable(&pt))
			continue;
		x[m] = (double)(pt.t_ns - t_first) / 1e9;
		y[m++] = pt.v;
	}
	judge(&w, x, y, m, false, out);
	if (out->n_absent > out->n_used) {
		out->shape = GROWTH_INTERMITTENT;
		out->confidence *= (double)out->n_used / (out->n_used + out->n_absent);
	}
	free(heap);
	return 0;
}

int growth_estimate(const struct growth_point *p, size_t n, const struct growth_params *params,
		    struct growth_est *out)
{
	const struct source src = { .p = p, .n = n };

	return estimate(&src, params, out);
}

void growth_ring_init(struct growth_ring *r, uint32_t cap)
{
	memset(r, 0, sizeof(*r));
	r->cap = cap ? cap : 1;
	/* One block: the doubles first, so both arrays stay aligned. */
	r->v = xreallocarray(NULL, r->cap, sizeof(*r->v) + sizeof(*r->t_ms));
	r->t_ms = (uint32_t *)(r->v + r->cap);
}

void growth_ring_free(struct growth_ring *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static uint32_t ring_slot(const struct growth_ring *r, size_t i)
{
	return (uint32_t)((r->head + i) % r->cap);
}

/*
 * Offsets are 32-bit ms (49.7 days): drop the points that are too old for
 * t_ns to fit, and move the base up to the oldest that remains.
 */
static void ring_make_room(struct growth_ring *r, uint64_t t_ns)
{
	uint32_t shift;

	while (r->n && (t_ns - r->base_ns) / 1000000 - r->t_ms[r->head] > UINT32_MAX) {
		r->head = ring_slot(r, 1);
		r->n--;
	}
	if (!r->n) {
		r->head = 0;
		r->base_ns = t_ns;
		return;
	}
	shift = r->t_ms[r->head];
	for (uint32_t i = 0; i < r->n; i++)
		r->t_ms[ring_slot(r, i)] -= shift;
	r->base_ns += (uint64_t)shift * 1000000;
}

int growth_ring_push(struct growth_ring *r, uint64_t t_ns, double v, bool present)
{
	uint64_t ms;
	uint32_t slot;

	if (!r->n)
		r->base_ns = t_ns;
	if (t_ns < r->base_ns)
		return -1;
	ms = (t_ns - r->base_ns) / 1000000;
	if (r->n && ms <= r->t_ms[ring_slot(r, r->n - 1)])
		return -1;
	if (ms > UINT32_MAX) {
		ring_make_room(r, t_ns);
		ms = (t_ns - r->base_ns) / 1000000;
	}
	slot = ring_slot(r, r->n);
	if (r->n == r->cap)
		r->head = ring_slot(r, 1);
	else
		r->n++;
	r->t_ms[slot] = (uint32_t)ms;
	r->v[slot] = present && isfinite(v) ? v : NAN;
	return 0;
}

bool growth_ring_get(const struct growth_ring *r, size_t i, struct growth_point *out)
{
	uint32_t slot;

	if (i >= r->n)
		return false;
	slot = ring_slot(r, i);
	out->t_ns = r->base_ns + (uint64_t)r->t_ms[slot] * 1000000;
	out->present = !isnan(r->v[slot]);
	out->v = out->present ? r->v[slot] : 0;
	return true;
}

size_t growth_ring_copy(const struct growth_ring *r, struct growth_point *out, size_t max)
{
	size_t i;

	for (i = 0; i < max && growth_ring_get(r, i, &out[i]); i++)
		;
	return i;
}

int growth_ring_estimate(const struct growth_ring *r, const struct growth_params *params,
			 struct growth_est *out)
{
	const struct source src = { .r = r, .n = r->n };

	return estimate(&src, params, out);
}
