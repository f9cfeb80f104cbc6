/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a recording: PATH as given to --record (a directory of
 * leaktop-*.ltr files, or one file). The reader lists the files in time
 * order, indexes their frames by scanning (offset, time, sequence,
 * keyframe), and decodes sample i from its keyframe forward, keeping the
 * last decoded sample so that stepping forward decodes one record.
 *
 * Damage is reported, not fatal: a frame whose CRC does not match is
 * skipped (the scan finds the next frame by its sync word) with a note;
 * the samples whose deltas lean on it are marked undecodable up to the
 * next keyframe. Bytes after the last complete frame are a torn tail, or
 * a frame still being written: rec_reader_scan() picks up what has been
 * completed since. A file that is not a recording, or of a newer format
 * version, is a note (or the error of rec_reader_open when PATH is that
 * one file).
 */
#ifndef LEAKTOP_RECREAD_H
#define LEAKTOP_RECREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "notes.h"
#include "recfile.h"
#include "snapshot.h"

struct rec_entry {
	uint32_t file;			/* index of rec_reader_file() */
	uint32_t len;			/* payload bytes */
	uint64_t off;			/* of the frame in its file */
	uint64_t t_ns;			/* the sample's CLOCK_REALTIME */
	uint64_t seq, prev_seq, group;	/* of the record (sample_record_peek) */
	bool keyframe;
};

struct rec_file {
	char *path;
	struct rec_header hdr;
	bool have_hdr;
	bool refused;			/* not ours, or a newer format: never read */
	uint64_t scanned;		/* bytes indexed: up to the last complete frame */
	uint64_t size;			/* at the last scan */
	int fd;
};

struct rec_reader;

/* Open PATH and scan what is there. NULL with err set when PATH does not
 * exist, holds no recording files, or is one file that is not a recording
 * of a format this leaktop reads. An empty file or a header alone is not
 * an error: it has no samples (yet). */
struct rec_reader *rec_reader_open(const char *path, char *err, size_t errsz);
void rec_reader_free(struct rec_reader *r);
/* Index what was appended since the last scan, and new files of a
 * directory. Returns the number of new samples. */
size_t rec_reader_scan(struct rec_reader *r);

size_t rec_reader_count(const struct rec_reader *r);
const struct rec_entry *rec_reader_entry(const struct rec_reader *r, size_t i);
size_t rec_reader_nfiles(const struct rec_reader *r);
const struct rec_file *rec_reader_file(const struct rec_reader *r, size_t i);
/* What the scans skipped: damaged frames, foreign files. */
const struct notes *rec_reader_notes(const struct rec_reader *r);
/* Bytes after the last complete frame of the last file (0: none). */
uint64_t rec_reader_tail(const struct rec_reader *r);

/* Sample i (0-based, across files): a new reference, or NULL with *err
 * (owned by the reader, valid until its next call) when it cannot be
 * decoded. The snapshot is shared with the reader's cache: do not change it. */
struct snapshot *rec_reader_sample(struct rec_reader *r, size_t i, const char **err);

/*
 * A point of the recording from a user's spec: "#12" (the 12th sample),
 * "2026-12-02T14:05[:SS[.mmm]]" (local time; a trailing Z: UTC, as the
 * JSON prints it), "14:05[:SS]"
 * (today, local), "-1h" / "-30m" / "-90s" / "-2d" (before now). now is the
 * clock for the relative forms. Sets *t_ns for a time, or *index (0-based)
 * for "#N" (with *t_ns = 0). Returns 0, or -1 with why in err.
 */
int rec_time_parse(const char *spec, time_t now, uint64_t *t_ns, size_t *index, char *err,
		   size_t errsz);
/* The first sample at or after t_ns (count when none). */
size_t rec_reader_at(const struct rec_reader *r, uint64_t t_ns);
/* Durations: "7d", "12h", "30m", "90s", plain seconds. 0 on success. */
int rec_parse_duration(const char *s, uint64_t *seconds);
/* Sizes: "64M", "1G", "512k", plain bytes (binary units). 0 on success. */
int rec_parse_size(const char *s, uint64_t *bytes);

#endif
