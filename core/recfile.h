/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The recording format (doc/recording.md has it byte by byte): a file
 * header saying where and by what the samples were taken, then frames,
 * each a sync word, the payload's length, the sample's time, flags and a
 * CRC-32C, then the payload, one record of the sample encoding
 * (sample_codec.h). All integers little-endian. Frames are only ever
 * appended, so a damaged or torn frame costs that frame: a reader finds
 * the next one by its sync word and CRC.
 *
 * Files are named by the time of their first sample, in UTC:
 * leaktop-20261202T153000Z.ltr, and leaktop-20261202T153000Z-2.ltr for a
 * second file started within the same second.
 */
#ifndef LEAKTOP_RECFILE_H
#define LEAKTOP_RECFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "root.h"

#define REC_MAGIC "\x89LTREC\r\n"	/* 8 bytes; the high byte and CRLF catch text-mode copies */
#define REC_MAGIC_LEN 8
#define REC_FORMAT_VERSION 1
#define REC_HEADER_MAX 4096		/* a longer header is not one of ours */
#define REC_SYNC 0x724c54d5u		/* bytes D5 'T' 'L' 'r' */
#define REC_FRAME_HEAD 24
#define REC_PAYLOAD_MAX (64u << 20)
#define REC_FLAG_KEYFRAME 1u
#define REC_SUFFIX ".ltr"
#define REC_NAME_MAX 48

struct rec_header {
	uint16_t version;
	char hostname[256];		/* sanitized (strsafe) */
	char kernel[128];		/* kernel release */
	char boot_id[40];
	char leaktop_version[32];
	uint64_t page_size;
	uint64_t mem_total;		/* bytes */
	uint64_t start_ns;		/* CLOCK_REALTIME of the first sample */
	uint32_t sections;		/* enum snap_section bits sampled */
	uint32_t pid;			/* of the recorder: suspects never name it */
	uint32_t keyframe_every;
	uint32_t codec_version;		/* SAMPLE_CODEC_VERSION of the payloads */
};

struct rec_frame {
	uint32_t len;			/* payload bytes */
	uint64_t t_ns;			/* the sample's CLOCK_REALTIME */
	uint32_t flags;			/* REC_FLAG_* */
};

enum rec_check {
	REC_OK,
	REC_SHORT,	/* plausible so far, but the bytes end before it does */
	REC_BAD,	/* not a header / frame, or its CRC does not match */
};

/* Hostname, kernel release and boot id read under root (proc/sys/kernel),
 * this leaktop's version and pid; the rest is left to the writer. */
void rec_header_from_root(struct rec_header *h, const struct root *r);
void rec_header_encode(const struct rec_header *h, struct buf *out);
/* Parse n bytes at p. REC_OK with *hlen the header's length; REC_SHORT
 * when n is too few; REC_BAD with why in err: not a recording, a version
 * this leaktop does not read, a damaged header. */
enum rec_check rec_header_parse(const void *p, size_t n, struct rec_header *h, size_t *hlen,
				char *err, size_t errsz);

/* Append one frame (head and payload) to out. */
void rec_frame_encode(struct buf *out, uint64_t t_ns, uint32_t flags, const void *payload,
		      size_t len);
/* Check the frame at p, of which avail bytes exist: REC_OK (the whole
 * frame is there and its CRC matches), REC_SHORT (sync word and length
 * plausible, the rest not there yet) or REC_BAD. */
enum rec_check rec_frame_check(const void *p, size_t avail, struct rec_frame *f);

/* The file name for a file started at t, the n-th within that second
 * (n = 0 or 1: no suffix). */
void rec_name_format(char *out, size_t sz, time_t t, unsigned int n);
/* True when name is one leaktop wrote: the pattern above, nothing else. */
bool rec_name_parse(const char *name, time_t *t, unsigned int *n);
/* A path ending in .ltr names one file; any other names a directory. */
bool rec_path_is_file(const char *path);

#endif
