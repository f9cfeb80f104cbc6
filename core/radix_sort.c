/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "radix_sort.h"

#include <string.h>

uint64_t radix_key_signed(int64_t v)
{
	return (uint64_t)v ^ (UINT64_C(1) << 63);
}

void radix_sort(struct radix_item *v, struct radix_item *tmp, size_t n)
{
	struct radix_item *src = v, *dst = tmp;
	size_t count[256];

	for (unsigned int shift = 0; shift < 64; shift += 8) {
		size_t pos = 0;

		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(src[i].key >> shift) & 0xff]++;
		if (n == 0 || count[(src[0].key >> shift) & 0xff] == n)
			continue;	/* one bucket: this byte orders nothing */
		for (unsigned int b = 0; b < 256; b++) {
			size_t c = count[b];

			count[b] = pos;
			pos += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i].key >> shift) & 0xff]++] = src[i];
		struct radix_item *t = src;

		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
}
