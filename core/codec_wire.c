/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "codec_wire.h"

void wire_put_u64(struct buf *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;

	while (v >= 0x80) {
		tmp[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	tmp[n++] = (uint8_t)v;
	buf_append(b, tmp, n);
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
