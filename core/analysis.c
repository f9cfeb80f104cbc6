/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-sample analysis step and the log of suspect lists by sample.
 */
#include "config.h"

#include "analysis.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

int analysis_step(struct tracker *t, const struct snapshot *s, const struct suspect_params *p,
		  struct suspect_list *out)
{
	memset(out, 0, sizeof(*out));
	if (tracker_update(t, s) < 0)
		return -1;
	suspects_build(t, s, p, out);
	return 0;
}

void suspect_log_init(struct suspect_log *log, size_t cap)
{
	log->cap = cap ? cap : 1;
	log->v = xcalloc(log->cap, sizeof(*log->v));
	log->next = 0;
}

void suspect_log_free(struct suspect_log *log)
{
	for (size_t i = 0; i < log->cap; i++)
		suspect_list_free(&log->v[i].list);
	free(log->v);
	memset(log, 0, sizeof(*log));
}

void suspect_log_put(struct suspect_log *log, uint64_t seq, struct suspect_list *l)
{
	struct suspect_log_entry *e = &log->v[log->next];

	suspect_list_free(&e->list);
	e->seq = seq;
	e->list = *l;
	memset(l, 0, sizeof(*l));
	log->next = (log->next + 1) % log->cap;
}

const struct suspect_list *suspect_log_find(const struct suspect_log *log, uint64_t seq)
{
	for (size_t i = 0; seq && i < log->cap; i++)
		if (log->v[i].seq == seq)
			return &log->v[i].list;
	return NULL;
}
