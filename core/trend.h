/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Trends over the history ring: the series of one quantity (a getter applied
 * to each snapshot), its change over the window, and the slab cache that grew
 * most. A series always ends at the snapshot asked for (the one on screen,
 * live or frozen) and holds the newest points that fit, oldest first. Points
 * where the snapshot lacks the quantity are kept as absent, never as zero.
 * The series owns its array (trend_series_free); names returned point into
 * the snapshot passed in.
 */
#ifndef LEAKTOP_TREND_H
#define LEAKTOP_TREND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "snapshot.h"

struct trend_point {
	uint64_t t_mono_ns;	/* the snapshot's CLOCK_MONOTONIC time */
	int64_t value;		/* in the quantity's unit; meaningless unless present */
	bool present;		/* the snapshot had the quantity */
};

struct trend_series {
	struct trend_point *v;	/* oldest first; v[n - 1] is the end snapshot */
	size_t n, cap;
};

/* One quantity of a snapshot: false when the snapshot lacks it. arg is the
 * getter's own (a slab cache name for trend_get_slab_bytes). A getter is
 * given the ring's summaries: it may read the memory and TCP scalars and
 * the slab caches' names and bytes, nothing else. */
typedef bool (*trend_get_fn)(const struct snapshot *s, const void *arg, int64_t *out);

bool trend_get_slab_unreclaimable(const struct snapshot *s, const void *arg, int64_t *out);
bool trend_get_unaccounted(const struct snapshot *s, const void *arg, int64_t *out);
bool trend_get_tcp_mem(const struct snapshot *s, const void *arg, int64_t *out);
/* Bytes of the slab cache named arg (const char *). */
bool trend_get_slab_bytes(const struct snapshot *s, const void *arg, int64_t *out);

/*
 * Fill se with at most max points of get over the ring h, ending at end.
 * Returns the number of points; 0 when end is no longer in the ring (a view
 * frozen for longer than the ring holds: newer samples must not stand in).
 */
size_t trend_series_fill(struct trend_series *se, const struct history *h,
			 const struct snapshot *end, size_t max, trend_get_fn get, const void *arg);
void trend_series_free(struct trend_series *se);
/* Change from the first present point to the last; false with fewer than two. */
bool trend_change(const struct trend_series *se, int64_t *d);

/*
 * The slab cache of end that grew most against the oldest snapshot with slab
 * data among the max newest up to end; NULL when none grew or there is no
 * such baseline. *growth gets the bytes it grew by.
 */
const char *trend_top_slab_grower(const struct history *h, const struct snapshot *end, size_t max,
				  int64_t *growth);

#endif
