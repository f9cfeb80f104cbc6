/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sample records for the decoder targets: samples of a fixture tree (the
 * previous snapshot of the delta target, the seeds fuzz_seedgen writes)
 * and records wrapped around a raw body, so the fuzzer's bytes reach the
 * section decoders and not only zstd's frame checks.
 */
#ifndef LEAKTOP_FUZZ_RECORDS_H
#define LEAKTOP_FUZZ_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "snapshot.h"

/* The fixture tree (under tests/fixtures) the delta target's previous
 * snapshot and the seeds are sampled from. */
#define FUZZ_SAMPLE_TREE "procnet"

/* n samples of tests/fixtures/<tree>, every section, in order. Returns 0,
 * or -1 when the tree cannot be opened. */
int fuzz_fixture_samples(const char *fixtures, const char *tree, struct snapshot **out, size_t n);

/* A record (sample_codec.h) around raw, the body before compression,
 * stored in a zstd frame of raw blocks: no compression to undo, so each
 * byte of raw is a byte the decoder reads. */
void fuzz_record_wrap(struct buf *out, bool keyframe, uint64_t seq, uint64_t prev_seq,
		      uint64_t group, const void *raw, size_t len);

#endif
