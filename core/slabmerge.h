/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Merged slab caches: under /sys/kernel/slab every cache merged into a
 * shared one is a symlink to a synthetic ":[flags]-NNNNNNN" directory.
 * /proc/slabinfo shows the shared cache once, under the first member's name,
 * so a grower can hide behind an unrelated name; this resolves the groups.
 */
#ifndef LEAKTOP_SLABMERGE_H
#define LEAKTOP_SLABMERGE_H

#include <stddef.h>

#include "notes.h"
#include "root.h"
#include "slabinfo.h"

struct slab_alias {
	char name[64];		/* "UNIX" */
	char target[32];	/* ":A-0001152" */
};

struct slab_aliases {
	struct slab_alias *v;
	size_t n;
};

/* Read the symlinks of <sys>/kernel/slab. Returns 0 or -errno (the source
 * is then noted missing). */
int slabmerge_read(const struct root *r, struct slab_aliases *out, struct notes *notes);
/* Fill merged_with / merged_id of every cache in t that belongs to a group. */
void slabmerge_apply(struct slab_table *t, const struct slab_aliases *a);
void slab_aliases_free(struct slab_aliases *a);

#endif
