/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Recording samples to disk (format: recfile.h, doc/recording.md).
 *
 * PATH ending in .ltr is one file, appended to across runs (refused when
 * it was recorded on another boot or box). Any other PATH is a directory,
 * created if missing, holding one file per run and per rotation, named by
 * the time of its first sample; --max-size starts a new file before one
 * would grow past the size, and --retain deletes whole files of
 * leaktop's own naming whose last write is older than the retention.
 *
 * Every file starts with a keyframe, and so does every K-th record and
 * the first record after a failed write, so each file decodes alone and a
 * lost record costs at most the samples up to the next keyframe.
 *
 * A frame is written with one write() on an O_APPEND descriptor; a short
 * or failed write is cut off again (ftruncate to the last good frame), so
 * the file stays valid up to its last good record. Nothing already
 * written is ever rewritten.
 */
#ifndef LEAKTOP_RECWRITE_H
#define LEAKTOP_RECWRITE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "recfile.h"
#include "snapshot.h"

#define REC_KEYFRAME_EVERY 60
#define REC_SYNC_EVERY 1

struct rec_writer_opts {
	const char *path;
	uint64_t max_size;		/* bytes per file; 0: no rotation */
	uint64_t retain_s;		/* 0: keep every file */
	unsigned int keyframe_every;	/* 0: REC_KEYFRAME_EVERY */
	unsigned int sync_every;	/* fdatasync after this many records; 0: REC_SYNC_EVERY */
	const struct rec_header *host;	/* rec_header_from_root: host, kernel, boot id, pid */
	time_t (*now)(void);		/* the retention clock; NULL: time() */
};

struct rec_writer_stats {
	uint64_t records;		/* written */
	uint64_t bytes;			/* of frames written */
	uint64_t lost;			/* samples that could not be written */
	uint64_t files;			/* started */
	uint64_t deleted;		/* by retention */
};

struct rec_writer;

/* Check PATH (create the directory, read an existing file's header); the
 * first file is created by the first append. NULL with err set. */
struct rec_writer *rec_writer_open(const struct rec_writer_opts *o, char *err, size_t errsz);
/* Encode and append one sample (rotating and applying retention first
 * when due). Returns 0, or -errno with rec_writer_error() saying what
 * failed; the next call tries again (with a keyframe). */
int rec_writer_append(struct rec_writer *w, struct snapshot *s);
const char *rec_writer_error(const struct rec_writer *w);
/* The file written last ("" before the first append). */
const char *rec_writer_file(const struct rec_writer *w);
const struct rec_writer_stats *rec_writer_stats(const struct rec_writer *w);
/* Sync and close. Returns 0, or -errno of the final sync. */
int rec_writer_close(struct rec_writer *w);

/* Delete the files of dir named by leaktop (rec_name_parse) whose last
 * modification is more than retain_s before now, except keep (a name, or
 * NULL). Returns the number deleted. */
unsigned int rec_retain(const char *dir, time_t now, uint64_t retain_s, const char *keep);

#endif
