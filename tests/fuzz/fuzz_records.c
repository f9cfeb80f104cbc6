/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz_records.h"

#include <stdio.h>

#include "codec_wire.h"
#include "root.h"
#include "sample_codec.h"
#include "sampler.h"

int fuzz_fixture_samples(const char *fixtures, const char *tree, struct snapshot **out, size_t n)
{
	char dir[4096];
	struct sampler *sm;
	struct root r;

	snprintf(dir, sizeof(dir), "%s/%s", fixtures, tree);
	if (root_open(&r, dir))
		return -1;
	sm = sampler_new(&r);
	for (size_t i = 0; i < n; i++)
		out[i] = sampler_tick(sm, SNAP_ALL);
	sampler_free(sm);
	root_close(&r);
	return 0;
}

/* zstd (RFC 8878): magic, a single-segment frame header with an 8-byte
 * content size, then raw blocks of at most 128 KiB, the last one flagged. */
#define ZSTD_MAGIC 0xFD2FB528u
#define ZSTD_FHD_SINGLE_FCS8 0xE0	/* FCS flag 3 (8 bytes), single segment */
#define ZSTD_RAW_BLOCK_MAX (128u << 10)

static void put_le(struct buf *out, uint64_t v, unsigned int n)
{
	uint8_t b[8];

	for (unsigned int i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	buf_append(out, b, n);
}

void fuzz_record_wrap(struct buf *out, bool keyframe, uint64_t seq, uint64_t prev_seq,
		      uint64_t group, const void *raw, size_t len)
{
	const uint8_t head[2] = { SAMPLE_CODEC_VERSION, keyframe ? SAMPLE_FLAG_KEYFRAME : 0 };
	const uint8_t *p = raw;
	size_t left = len;

	out->len = 0;
	buf_append(out, head, sizeof(head));
	wire_put_u64(out, seq);
	wire_put_u64(out, prev_seq);
	wire_put_u64(out, group);
	wire_put_u64(out, len);
	put_le(out, ZSTD_MAGIC, 4);
	put_le(out, ZSTD_FHD_SINGLE_FCS8, 1);
	put_le(out, len, 8);
	do {
		size_t n = left < ZSTD_RAW_BLOCK_MAX ? left : ZSTD_RAW_BLOCK_MAX;

		/* block header: last-block bit, type 0 (raw), size << 3 */
		put_le(out, (uint64_t)(n << 3) | (n == left), 3);
		if (n)
			buf_append(out, p, n);
		p += n;
		left -= n;
	} while (left);
}
