/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batch replay of a recording (--replay PATH -b): the samples between
 * --from and --to printed exactly as live batch printed them (the trend
 * engine fed from the start of each recorded run, so suspects match), or
 * one sample of a recording against one of another (--diff-with).
 */
#ifndef LEAKTOP_REPLAY_H
#define LEAKTOP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "batch.h"

struct rec_reader;

struct replay_config {
	const char *path;
	const char *from, *to;		/* time specs (rec_time_parse), NULL: the ends */
	const char *diff_with;		/* a second recording, or NULL */
	const char *at, *with_at;	/* the two samples of the diff, NULL: the last */
	enum batch_format format;
	unsigned int sections;		/* printed (those recorded, of these) */
	struct export_opts export;
};

/* Returns the process exit status: 0, 1 when the recording cannot be read
 * or holds no sample in the range. */
int replay_run(const struct replay_config *cfg);

/* Open a recording for replay, notes and the reason it cannot be replayed
 * on stderr; NULL when it holds no sample. */
struct rec_reader *replay_open(const char *path);
/* A recorded run starts where the sequence starts again (or a new
 * recorder's file begins): the live trend engine started there too, so a
 * replay resets its engine there. */
bool replay_run_starts(const struct rec_reader *r, size_t i);
/* The index a spec (rec_time_parse) names; first: the first sample at or
 * after a time, else the last at or before; NULL spec: the first or last.
 * -1 when there is none, -2 with why in err for a bad spec. */
long replay_spec_index(const struct rec_reader *r, const char *spec, bool first, char *err,
		       size_t errsz);

#endif
