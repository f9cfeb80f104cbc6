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
#include "root.h"

enum batch_format {
	BATCH_TEXT,
	BATCH_JSON,
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
};

/* Exit status when samples could not be recorded (disk full, EIO, ...). */
#define BATCH_EXIT_RECORD_LOST 3

/* Print b with deltas against a (NULL: none) to stdout, showing only the
 * sections in want. The snapshots are left as they were: an encoder or a
 * recording reader may still build on them. */
void batch_print(struct snapshot *a, struct snapshot *b, unsigned int want,
		 enum batch_format format, const struct export_opts *export);
/* Returns the process exit status. */
int batch_run(const struct batch_config *cfg);

#endif
