/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One snapshot as a compact, self-contained record: a keyframe holds the
 * whole sample; a delta record holds what changed since the previous one
 * (rows new, gone and changed, only the changed fields), both compressed
 * with zstd. Strings are interned per stream: a record carries the
 * dictionary entries it is the first to use, and a keyframe starts a new
 * dictionary, so a reader can start at any keyframe and decode forward.
 * Decoding gives back a snapshot equal (snapshot_equal) to the one encoded.
 *
 * A record (all integers LEB128 varints):
 *   version (1 byte) | flags (1 byte: 1 = keyframe) | seq | prev_seq | group
 *   | raw length | zstd frame of: dict_first | dict_count | dict_count x
 *   (length, bytes) | sections: (id, length, body)...
 * seq is the snapshot's, prev_seq the one a delta applies to (0 for a
 * keyframe), group counts keyframes within the stream: a delta decodes only
 * after its group's keyframe. Section ids and bodies: codec_tables.c and
 * codec_rows.h. A section absent from a delta is unchanged; absent from a
 * keyframe, empty.
 */
#ifndef LEAKTOP_SAMPLE_CODEC_H
#define LEAKTOP_SAMPLE_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "snapshot.h"

/* 2: an IPv6 socket's addresses are in the head of its union (tag 3), the
 * union is 10 words (sock.h). */
#define SAMPLE_CODEC_VERSION 2
#define SAMPLE_FLAG_KEYFRAME 1
/* A record that says it inflates to more than this is refused. */
#define SAMPLE_RAW_MAX (256u << 20)

enum sample_encoder_flags {
	SAMPLE_ENC_MEMORY_ONLY = 1 << 0,	/* only the memory sections (for measuring) */
};

struct sample_encoder;
struct sample_decoder;

struct sample_record_info {
	bool keyframe;
	uint64_t seq, prev_seq, group;
};

/* Working buffers of the encoding (the encoder's, the decoder's, their
 * callers') are kept from one record to the next up to this size: a delta
 * needs a few KB, a keyframe at 100k sockets about 9 MB. Larger ones go back
 * after the record (they are mmap'd, tui/main.c) rather than stay at a
 * keyframe's size between keyframes; making them again costs a few ms per
 * keyframe. */
#define SAMPLE_BUF_KEEP (1u << 20)

struct sample_encoder *sample_encoder_new(unsigned int flags);
void sample_encoder_free(struct sample_encoder *e);
/*
 * Encode s into out (its content replaced) as a keyframe, or as a delta
 * from the sample encoded last (a keyframe anyway when there is none).
 * The encoder holds a reference to s until the next call. Returns 0, or -1
 * when zstd fails (out is then empty).
 */
int sample_encode(struct sample_encoder *e, struct snapshot *s, bool keyframe, struct buf *out);
/* Bytes of the last record before compression. */
size_t sample_encoder_raw_len(const struct sample_encoder *e);

struct sample_decoder *sample_decoder_new(void);
void sample_decoder_free(struct sample_decoder *d);
/*
 * Decode one record. prev is the snapshot the record's delta applies to
 * (ignored for a keyframe). Returns a new snapshot (refs 1), or NULL with
 * *err set to a message owned by the decoder (valid until its next call).
 * Any bytes are safe to pass: lengths, counts and ids are all checked.
 */
struct snapshot *sample_decode(struct sample_decoder *d, const void *rec, size_t len,
			       const struct snapshot *prev, const char **err);
/* Read a record's header only. Returns 0, or -1 when it is not one. */
int sample_record_peek(const void *rec, size_t len, struct sample_record_info *info);

#endif
