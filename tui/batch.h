/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batch mode: sample COUNT times, DELAY apart, and print each sample with
 * deltas against the previous one as text or one JSON object per line. No
 * curses; for scripts, tests and captures.
 */
#ifndef LEAKTOP_BATCH_H
#define LEAKTOP_BATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "export.h"
#include "openmetrics.h"
#include "root.h"

enum batch_format {
	BATCH_TEXT,
	BATCH_JSON,
	BATCH_OPENMETRICS,
	BATCH_NONE,		/* --textfile alone: nothing on stdout */
};

struct batch_config {
	const struct root *root;
	unsigned long count;		/* 0: until interrupted */
	double delay_s;
	enum batch_format format;
	unsigned int sections;		/* enum snap_section */
	struct export_opts export;
	const int32_t *stack_pids;	/* --stack: processes whose kernel stacks are printed */
	size_t n_stack_pids;
	size_t metrics_top;		/* --metrics-top: series per family by size and by growth */
	const char *textfile;		/* --textfile: exposition rewritten atomically per sample */
};

/* Returns the process exit status. */
int batch_run(const struct batch_config *cfg);

#endif
