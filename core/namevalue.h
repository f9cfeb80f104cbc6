/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rows of the "name value" files (meminfo, vmstat): an array in file
 * order of structs that each begin with char name[...], the first of a
 * duplicate name kept. The files differ in how wide a name may be and in
 * what a row holds besides its value, so the helpers take the row's layout.
 */
#ifndef LEAKTOP_NAMEVALUE_H
#define LEAKTOP_NAMEVALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes.h"

struct nv_layout {
	size_t row_size;	/* sizeof the row struct */
	size_t name_size;	/* sizeof its char name[], which comes first */
	size_t max_rows;	/* more is not the file we expect: the rest is ignored */
	const char *what;	/* what the notes call a name: "key", "name" */
};

/*
 * What one parse keeps beside its rows while it appends: their capacity,
 * whether the cap was said, and an index of the names so far, so that the
 * duplicate check costs the same on line 2000 as on line 2. Starts zeroed;
 * nv_build_free when the parse is done (the rows stay the caller's).
 */
struct nv_build {
	size_t cap;		/* rows allocated */
	bool capped;		/* the "rest ignored" note was given */
	uint32_t *slots;	/* open addressing by name hash: row + 1, 0 free */
	size_t nslots;		/* a power of two, or 0 */
};

/* The row named name in the n rows at v, or NULL. */
const void *nv_find(const struct nv_layout *l, const void *v, size_t n, const char *name);

/*
 * A new zeroed row at the end of *v (*n rows) holding name, which fits
 * l->name_size. NULL when the line is skipped, with a NOTE_WARN at
 * source:lineno: the rows are full (said once) or name is there already.
 */
void *nv_append(const struct nv_layout *l, void **v, size_t *n, struct nv_build *b,
		const char *name, struct notes *notes, const char *source, unsigned int lineno);

void nv_build_free(struct nv_build *b);

#endif
