/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stable sort of (64-bit key, index) pairs by key, least significant byte
 * first: the tables sort 100k sockets by a number on every sample, and a
 * comparison sort spends most of its time calling back. Passes whose byte is
 * the same in every key (the high bytes of most counters) are skipped.
 */
#ifndef LEAKTOP_RADIX_SORT_H
#define LEAKTOP_RADIX_SORT_H

#include <stddef.h>
#include <stdint.h>

struct radix_item {
	uint64_t key;
	size_t i;
};

/* Sort v[0..n) by key, ascending; items with equal keys keep their order.
 * tmp must hold n items. */
void radix_sort(struct radix_item *v, struct radix_item *tmp, size_t n);
/* The key that orders signed values as unsigned ones do. */
uint64_t radix_key_signed(int64_t v);

#endif
