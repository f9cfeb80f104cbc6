/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The process table: lookup by pid and release. */
#include <config.h>

#include "proc.h"

#include <stdlib.h>
#include <string.h>

void proc_table_free(struct proc_table *pt)
{
	free(pt->v);
	free(pt->strings);
	memset(pt, 0, sizeof(*pt));
}

const struct proc_entry *proc_table_find(const struct proc_table *pt, int32_t pid)
{
	size_t lo = 0, hi = pt->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pt->v[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < pt->n && pt->v[lo].pid == pid ? &pt->v[lo] : NULL;
}


const char *proc_cgroup_path(const struct proc_table *pt, uint32_t off)
{
	return off == PROC_NO_CGROUP || off >= pt->strings_len ? NULL : pt->strings + off;
}
