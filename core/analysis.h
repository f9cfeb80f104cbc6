/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One step of analysis per sample: feed the trend engine, build the ranked
 * suspects. Batch and the TUI both call analysis_step, so they rank alike;
 * it touches nothing but its arguments, so it can run wherever sampling
 * runs. The suspect log keeps each sample's list under the sample's seq, so
 * that a frozen or stepped-back view shows the suspects of its own moment
 * (snapshots stay immutable and free of analysis).
 */
#ifndef LEAKTOP_ANALYSIS_H
#define LEAKTOP_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"
#include "suspects.h"
#include "tracker.h"

/*
 * Feed s to t (s must be newer than the last sample fed) and build its
 * suspects into out (freed first by the caller: out is overwritten).
 * Returns 0, or -1 when s was not newer: out is then an empty list.
 */
int analysis_step(struct tracker *t, const struct snapshot *s, const struct suspect_params *p,
		  struct suspect_list *out);

/* The suspect lists of the last cap samples, by snapshot seq. */
struct suspect_log_entry {
	uint64_t seq;		/* 0: unused */
	struct suspect_list list;
};

struct suspect_log {
	struct suspect_log_entry *v;
	size_t cap;
	size_t next;		/* slot the next list goes to */
};

void suspect_log_init(struct suspect_log *log, size_t cap);
void suspect_log_free(struct suspect_log *log);
/* Keep l (taken over: l is left empty) as the list of sample seq, dropping
 * the oldest list when full. */
void suspect_log_put(struct suspect_log *log, uint64_t seq, struct suspect_list *l);
/* The list kept for sample seq, or NULL. */
const struct suspect_list *suspect_log_find(const struct suspect_log *log, uint64_t seq);

#endif
