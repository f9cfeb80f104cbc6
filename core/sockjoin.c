/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One pass over the socket table per question; the owner records are per
 * socket, so this is O(sockets + owners), fine at 100k sockets per frame.
 */
#include "sockjoin.h"

#include <stdlib.h>

#include "compat.h"
#include "xalloc.h"

static int by_mem_desc(const void *pa, const void *pb)
{
	const struct sockjoin_ref *a = pa, *b = pb;

	return SPACESHIP(sock_mem_bytes(b->sock), sock_mem_bytes(a->sock));
}

size_t sockjoin_of_proc(const struct snapshot *s, int32_t pid, uint64_t starttime,
			struct sockjoin_ref **out)
{
	struct sockjoin_ref *refs = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (!s->socks.owners_scanned)
		return 0;
	for (size_t i = 0; i < s->socks.n; i++) {
		const struct sock_entry *e = &s->socks.v[i];
		const struct sock_owner *o = sock_owners_of(&s->socks, e);

		for (uint32_t j = 0; o && j < e->owner_n; j++)
			if (o[j].pid == pid && o[j].starttime == starttime) {
				xgrow((void **)&refs, &cap, n + 1, sizeof(*refs));
				refs[n++] = (struct sockjoin_ref){ e, o[j].fd };
				break;
			}
	}
	if (n)
		qsort(refs, n, sizeof(*refs), by_mem_desc);
	*out = refs;
	return n;
}
