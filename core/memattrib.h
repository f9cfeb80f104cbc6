/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The inputs of mem_attribute: how much of "unaccounted" leaktop can name
 * from sources other than meminfo. Pure functions of parsed tables; the
 * choice of counters and the socket estimate are explained in
 * doc/memory-accounting.md ("Reconciling unaccounted").
 */
#ifndef LEAKTOP_MEMATTRIB_H
#define LEAKTOP_MEMATTRIB_H

#include <stdbool.h>
#include <stdint.h>

#include "meminfo.h"
#include "slabinfo.h"
#include "sock.h"
#include "vmstat.h"

/* Bytes of the /proc/vmstat page counters that no meminfo line holds:
 * nr_memmap_pages, and nr_zspages less what meminfo's Zswap already counts.
 * False when vmstat printed none of them. */
bool memattrib_vmstat_other(const struct vmstat *vs, const struct meminfo *mi, long page_size,
			    uint64_t *out);
/* Estimated bytes of socket buffer data in pages (page frags, high-order
 * pages): Σ queued skb truesize over the sockets with skmem, less the skb
 * slab caches (sk_buff structs and small heads, counted in Slab). False
 * when no socket kind was dumped with skmem or slabinfo is unavailable. */
bool memattrib_sock_pages(const struct sock_table *t, const struct slab_table *slab,
			  uint64_t *out);

#endif
