/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The byte level of the sample encoding: LEB128 varints, zigzag for signed
 * deltas, and a reader that never walks past its end. A reader that hits
 * the end or a malformed varint sets `bad` and returns zeros from then on,
 * so decoders check once per row instead of after every read.
 */
#ifndef LEAKTOP_CODEC_WIRE_H
#define LEAKTOP_CODEC_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct wire_in {
	const uint8_t *p, *end;
	bool bad;
};

void wire_put_u64(struct buf *b, uint64_t v);
void wire_put_s64(struct buf *b, int64_t v);	/* zigzag */
void wire_put_bytes(struct buf *b, const void *p, size_t n);
/*
 * A varint that goes before bytes not written yet, whose count or length it
 * is: wire_hole_open makes room for it at the end of b and returns where;
 * the bytes are appended after it; wire_hole_close writes v there and moves
 * them down to follow it. One buffer, rather than one per nesting level
 * that is then copied into the next (a keyframe of 100k sockets is
 * megabytes at each level).
 */
size_t wire_hole_open(struct buf *b);
void wire_hole_close(struct buf *b, size_t at, uint64_t v);

uint64_t wire_get_u64(struct wire_in *in);
int64_t wire_get_s64(struct wire_in *in);
/* n bytes, or NULL (and bad) when fewer remain. */
const void *wire_get_bytes(struct wire_in *in, size_t n);
static inline size_t wire_left(const struct wire_in *in)
{
	return (size_t)(in->end - in->p);
}

#endif
