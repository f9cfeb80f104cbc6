/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One sample as a metrics exposition for Prometheus: OpenMetrics 1.0 text
 * (batch -o openmetrics) or the Prometheus text format 0.0.4 that
 * node_exporter's textfile collector reads (--textfile). Metric names come
 * from fixed tables (the memory classes, the field tables' column ids,
 * the fixed families of openmetrics.c), never from the system; strings from
 * the system only appear as label values, sanitized then escaped. Every
 * family of entities is bounded: the top N entities by size, the top N by
 * growth since the previous sample, and one "other" series with the sum of
 * the rest. doc/metrics.md lists every family.
 */
#ifndef LEAKTOP_OPENMETRICS_H
#define LEAKTOP_OPENMETRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diff.h"

enum om_dialect {
	OM_OPENMETRICS,		/* application/openmetrics-text 1.0: UNIT lines, "# EOF" */
	OM_PROMETHEUS,		/* text/plain 0.0.4: counters typed by their _total name */
};

#define OM_DEFAULT_TOP 20

struct suspect_list;

struct om_opts {
	enum om_dialect dialect;
	size_t top;				/* N per family by size and by growth; 0 = all */
	const struct suspect_list *suspects;	/* NULL: no suspect families */
};

void om_write(FILE *f, const struct diff *d, const struct om_opts *o);

/*
 * A label value from text that already went through strsafe (a field
 * getter's text): backslash, double quote and newline escaped as the
 * exposition formats require. Always NUL-terminated; never cuts an escape
 * in half. Returns the length written.
 */
size_t om_escape_label(const char *safe, char *out, size_t sz);
/* A raw string from the system: strsafe first, then om_escape_label. */
size_t om_escape_raw(const char *raw, size_t len, char *out, size_t sz);

/*
 * The bound on a family: mark the top entries by value and the top
 * entries by growth (only growth above 0 counts) in keep[]; top 0 keeps
 * all. Ties keep the earlier index. Returns how many are kept; *rest gets
 * the sum of the values not kept.
 */
struct om_cand {
	int64_t value;
	int64_t growth;
	bool has_growth;
};
size_t om_select(const struct om_cand *c, size_t n, size_t top, bool *keep, int64_t *rest);

#endif
