/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "codec_wire.h"

#include <string.h>

/* The longest varint: ten bytes carry 64 bits. */
#define WIRE_U64_MAX_LEN 10

static size_t wire_u64_encode(uint8_t tmp[WIRE_U64_MAX_LEN], uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		tmp[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	tmp[n++] = (uint8_t)v;
	return n;
}

void wire_put_u64(struct buf *b, uint64_t v)
{
	uint8_t tmp[WIRE_U64_MAX_LEN];

	buf_append(b, tmp, wire_u64_encode(tmp, v));
}

size_t wire_hole_open(struct buf *b)
{
	static const uint8_t zero[WIRE_U64_MAX_LEN];
	size_t at = b->len;

	buf_append(b, zero, sizeof(zero));
	return at;
}

void wire_hole_close(struct buf *b, size_t at, uint64_t v)
{
	uint8_t tmp[WIRE_U64_MAX_LEN];
	size_t n = wire_u64_encode(tmp, v);
	size_t body = b->len - at - WIRE_U64_MAX_LEN;

	memmove(b->data + at + n, b->data + at + WIRE_U64_MAX_LEN, body);
	memcpy(b->data + at, tmp, n);
	b->len = at + n + body;
}

void wire_put_s64(struct buf *b, int64_t v)
{
	wire_put_u64(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void wire_put_bytes(struct buf *b, const void *p, size_t n)
{
	if (n)
		buf_append(b, p, n);
}

uint64_t wire_get_u64(struct wire_in *in)
{
	uint64_t v = 0;

	for (unsigned int shift = 0; !in->bad; shift += 7) {
		uint8_t c;

		/* Ten bytes carry 64 bits; an eleventh, or bits past 64, is not ours. */
		if (in->p >= in->end || shift > 63) {
			in->bad = true;
			break;
		}
		c = *in->p++;
		if (shift == 63 && (c & 0x7e)) {
			in->bad = true;
			break;
		}
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	return 0;
}

int64_t wire_get_s64(struct wire_in *in)
{
	uint64_t z = wire_get_u64(in);

	return (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
}

const void *wire_get_bytes(struct wire_in *in, size_t n)
{
	const void *p = in->p;

	if (in->bad || n > wire_left(in)) {
		in->bad = true;
		return NULL;
	}
	in->p += n;
	return p;
}
