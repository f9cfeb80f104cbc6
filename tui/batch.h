/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batch mode: sample COUNT times, DELAY apart, and print each sample with
 * deltas against the previous one as text or one JSON object per line. No
 * curses; for scripts, tests and captures. With --record, every sample
 * is also appended to a recording (core/recwrite.h); a sample that cannot
 * be written is reported and the next one tried again.
 */
#ifndef LEAKTOP_BATCH_H
#define LEAKTOP_BATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "export.h"
#include "snapshot.h"
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
	bool quiet;			/* --record without -b: print nothing */
	const char *record;		/* --record PATH, or NULL */
	uint64_t max_size;		/* --max-size bytes, 0: none */
	uint64_t retain_s;		/* --retain seconds, 0: keep all */
	size_t metrics_top;		/* --metrics-top: series per family by size and by growth */
	const char *textfile;		/* --textfile: exposition rewritten atomically per sample */
};

/* Exit status when samples could not be recorded (disk full, EIO, ...). */
#define BATCH_EXIT_RECORD_LOST 3

/* Print b with deltas against a (NULL: none) to stdout in format (om for
 * openmetrics), showing only the sections in want. The snapshots are left as they were: an encoder or a
 * recording reader may still build on them. */
void batch_print(struct snapshot *a, struct snapshot *b, unsigned int want,
		 enum batch_format format, const struct export_opts *export,
		 const struct om_opts *om);
/* The exposition of b against a for node_exporter's textfile collector,
 * written to path atomically. Returns 0, or 1 when it could not be written
 * (the reason is on stderr). */
int batch_textfile(struct snapshot *a, struct snapshot *b, unsigned int want, const char *path,
		   const struct om_opts *om);
/* Returns the process exit status. */
int batch_run(const struct batch_config *cfg);

#endif
