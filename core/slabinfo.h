/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/slabinfo (version 2.x, SLUB or SLAB) into a table sorted by cache
 * name, so that two samples are compared by a merge-join. Mode 0400: without
 * root the source is missing, not empty.
 */
#ifndef LEAKTOP_SLABINFO_H
#define LEAKTOP_SLABINFO_H

#include <stddef.h>
#include <stdint.h>

#include "notes.h"

struct slab_cache {
	char name[64];
	uint64_t active_objs;
	uint64_t num_objs;
	uint64_t objsize;		/* bytes per object incl. metadata */
	uint64_t objperslab;
	uint64_t pagesperslab;
	uint64_t active_slabs;
	uint64_t num_slabs;
	uint64_t bytes;			/* num_slabs * pagesperslab * page size */
	uint64_t active_bytes;		/* active_objs * objsize */
	char *merged_with;		/* other cache names sharing this one, comma-separated; NULL if none */
	char *merged_id;		/* the sysfs cache it is, ":A-0001152"; NULL if not merged */
};

struct slab_table {
	struct slab_cache *v;		/* sorted by name (strcmp) */
	size_t n;
	uint64_t total_bytes;
	uint64_t total_active_bytes;
};

/* Returns 0, or -1 when the header is not a slabinfo 2.x header or nothing
 * could be parsed; bad lines are skipped with a located note. */
int slabinfo_parse(const char *buf, size_t len, const char *source, long page_size,
		   struct slab_table *out, struct notes *notes);
const struct slab_cache *slab_table_find(const struct slab_table *t, const char *name);
/* dst becomes a copy of src that owns its own strings. */
void slab_table_copy(struct slab_table *dst, const struct slab_table *src);
void slab_table_free(struct slab_table *t);

#endif
