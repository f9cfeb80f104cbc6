/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hash.h"

#define FNV_PRIME 0x100000001b3ULL

uint64_t hash_bytes(const void *data, size_t n, uint64_t h)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

uint64_t hash_str(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * FNV_PRIME;
	return h;
}
