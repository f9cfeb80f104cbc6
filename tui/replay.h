/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batch replay of a recording (--replay PATH -b): the samples between
 * --from and --to printed exactly as live batch printed them (the trend
 * engine fed from the start of each recorded run, so suspects match), or
 * one sample of a recording against one of another (--diff-with).
 */
#ifndef LEAKTOP_REPLAY_H
#define LEAKTOP_REPLAY_H

#include "batch.h"

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

#endif
