/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of the "name value" files, see namevalue.h. The duplicate check is
 * linear per line: the callers' max_rows keeps that bounded.
 */
#include "namevalue.h"

#include <string.h>

#include "xalloc.h"

const void *nv_find(const struct nv_layout *l, const void *v, size_t n, const char *name)
{
	const char *row = v;

	for (size_t i = 0; i < n; i++, row += l->row_size)
		if (strcmp(row, name) == 0)
			return row;
	return NULL;
}

void *nv_append(const struct nv_layout *l, void **v, size_t *n, size_t *cap, bool *capped,
		const char *name, struct notes *notes, const char *source, unsigned int lineno)
{
	char *row;

	if (*n >= l->max_rows) {
		if (!*capped)
			notes_add(notes, NOTE_WARN, source, lineno, "more than %zu %ss, rest ignored",
				  l->max_rows, l->what);
		*capped = true;
		return NULL;
	}
	if (nv_find(l, *v, *n, name)) {
		notes_add(notes, NOTE_WARN, source, lineno, "duplicate %s '%s', first value kept",
			  l->what, name);
		return NULL;
	}
	xgrow(v, cap, *n + 1, l->row_size);
	row = (char *)*v + *n * l->row_size;
	memset(row, 0, l->row_size);
	memcpy(row, name, strnlen(name, l->name_size - 1));
	(*n)++;
	return row;
}
