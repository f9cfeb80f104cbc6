/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Page counters the kernel keeps outside /proc/meminfo: every "name value"
 * line of /proc/vmstat (values in pages, or event counts), kept by name in
 * file order, and the pages parked on the per-CPU free lists, summed from
 * the pagesets "count:" lines of /proc/zoneinfo. Pure parsers: the sampler
 * hands them the text.
 */
#ifndef LEAKTOP_VMSTAT_H
#define LEAKTOP_VMSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes.h"

struct vmstat_field {
	char name[48];		/* "nr_memmap_pages" */
	uint64_t value;		/* as printed: pages for nr_*, counts for events */
};

struct vmstat {
	struct vmstat_field *v;	/* in file order */
	size_t n;
	bool has_pcp;		/* zoneinfo was read and had pagesets */
	uint64_t pcp_pages;	/* Σ pagesets "count:" over zones and CPUs */
};

/* Parse /proc/vmstat text into out->v. Bad lines are skipped with a located
 * NOTE_WARN; the first of duplicate names wins. Returns 0, or -1 when no
 * line was usable. Leaves has_pcp/pcp_pages alone. */
int vmstat_parse(const char *buf, size_t len, const char *source, struct vmstat *out,
		 struct notes *notes);
/* Sum the pagesets "count:" lines of /proc/zoneinfo text into
 * out->pcp_pages and set has_pcp. A bad count line is noted and makes the
 * sum unknown (has_pcp false), since a partial sum would look like data.
 * Returns 0, or -1 when there is no usable count line. */
int vmstat_parse_zoneinfo_pcp(const char *buf, size_t len, const char *source,
			      struct vmstat *out, struct notes *notes);
/* Value by name; false when the kernel did not print it. */
bool vmstat_get(const struct vmstat *vs, const char *name, uint64_t *out);
void vmstat_free(struct vmstat *vs);

#endif
