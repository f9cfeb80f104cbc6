/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Estimates that move memory out of "unaccounted". Each one says what it
 * cannot see in doc/memory-accounting.md; none reads a file.
 */
#include "memattrib.h"

#include "compat.h"
#include "parse.h"

/* Page counters outside every meminfo line on 4.x to 6.18 (the proof, file
 * by file, is in doc/memory-accounting.md). Counters that some meminfo line
 * already holds (nr_iommu_pages in SecPageTables, nr_kernel_misc_reclaimable
 * in KReclaimable, ...) must never be listed here. */
static const char *const outside_meminfo[] = {
	"nr_memmap_pages",	/* memmap of hot-added memory, from the buddy allocator (6.11+) */
};

bool memattrib_vmstat_other(const struct vmstat *vs, const struct meminfo *mi, long page_size,
			    uint64_t *out)
{
	uint64_t pages = 0, v, zswap;
	bool any = false;

	if (!vs || !vs->n || page_size <= 0)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(outside_meminfo); i++) {
		if (vmstat_get(vs, outside_meminfo[i], &v)) {
			pages = sat_add_u64(pages, v);
			any = true;
		}
	}
	*out = sat_mul_u64(pages, (uint64_t)page_size);
	/* zsmalloc pages: zswap's pool is printed as Zswap, zram's nowhere. */
	if (vmstat_get(vs, "nr_zspages", &v)) {
		v = sat_mul_u64(v, (uint64_t)page_size);
		if (mi && meminfo_get(mi, "Zswap", &zswap))
			v = v > zswap ? v - zswap : 0;
		*out = sat_add_u64(*out, v);
		any = true;
	}
	return any;
}

/* Caches holding the slab part of every skb: the sk_buff itself (plain and
 * fast-clone) and, since 6.3, heads up to SKB_SMALL_HEAD_CACHE_SIZE. */
static const char *const skb_caches[] = {
	"skbuff_head_cache",
	"skbuff_fclone_cache",
	"skbuff_small_head",
};

/* Bytes of queued skbs a socket holds. fwd_alloc is a reservation against
 * the protocol pool, not memory; TCP's wmem_queued is its write and
 * retransmit queues; for the others wmem_alloc is what was sent and is not
 * yet freed (for unix: what sits in the peer's receive queue, which the
 * peer's rmem_alloc does not count again). */
static uint64_t queued_truesize(const struct sock_entry *e)
{
	unsigned int n = e->skmem_n < SKMEM_COUNT ? e->skmem_n : SKMEM_COUNT;
	uint64_t sum = 0;

	if (n > SKMEM_RMEM_ALLOC)
		sum += e->skmem[SKMEM_RMEM_ALLOC];
	if (e->kind == SK_TCP) {
		if (n > SKMEM_WMEM_QUEUED)
			sum += e->skmem[SKMEM_WMEM_QUEUED];
	} else if (n > SKMEM_WMEM_ALLOC) {
		sum += e->skmem[SKMEM_WMEM_ALLOC];
	}
	return sum;
}

bool memattrib_sock_pages(const struct sock_table *t, const struct slab_table *slab,
			  uint64_t *out)
{
	uint64_t truesize = 0, in_slab = 0;
	bool any = false;

	if (!t || !slab || !slab->n)
		return false;
	for (size_t i = 0; i < t->n; i++) {
		if (!t->v[i].skmem_n)
			continue;
		truesize = sat_add_u64(truesize, queued_truesize(&t->v[i]));
		any = true;
	}
	if (!any)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(skb_caches); i++) {
		const struct slab_cache *c = slab_table_find(slab, skb_caches[i]);

		if (c)
			in_slab = sat_add_u64(in_slab, c->active_bytes);
	}
	*out = truesize > in_slab ? truesize - in_slab : 0;
	return true;
}
