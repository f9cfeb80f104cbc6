/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Snapshot lifetime. The reference count is not atomic: a snapshot is
 * referenced on one thread at a time (the sample worker hands it over with
 * its one reference, under its lock, and never touches it again).
 */
#include "snapshot.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "xalloc.h"

struct snapshot *snapshot_new(void)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));

	s->refs = 1;
	return s;
}

struct snapshot *snapshot_ref(struct snapshot *s)
{
	assert(s->refs > 0);
	atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
	return s;
}

void snapshot_unref(struct snapshot *s)
{
	if (!s)
		return;
	assert(s->refs > 0);
	/* Release our writes; the last one acquires everyone's before freeing. */
	if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
		return;
	meminfo_free(&s->meminfo);
	vmstat_free(&s->vmstat);
	slab_table_free(&s->slab);
	vmalloc_table_free(&s->vmalloc);
	tmpfs_table_free(&s->tmpfs);
	sock_table_free(&s->socks);
	proc_table_free(&s->procs);
	tcpmem_free(&s->tcp);
	cgroup_table_free(&s->cgroups);
	notes_free(&s->notes);
	free(s);
}

const char *snapshot_phase_name(unsigned int phase)
{
	static const char *const names[PHASE_COUNT] = {
		[PHASE_MEMORY] = "memory", [PHASE_SLAB] = "slab", [PHASE_TMPFS] = "tmpfs",
		[PHASE_SOCKETS] = "sockets", [PHASE_PROCS] = "procs", [PHASE_OWNERS] = "owners",
		[PHASE_TCP] = "tcp",
		[PHASE_CGROUPS] = "cgroups",
	};

	return phase < PHASE_COUNT ? names[phase] : NULL;
}

size_t snapshot_mem_bytes(const struct snapshot *s)
{
	const struct cgroup_table *c = &s->cgroups;

	return sizeof(*s) + s->socks.cap * sizeof(*s->socks.v) + s->socks.strings_cap +
	       s->socks.owners_cap * sizeof(*s->socks.owners) + s->procs.cap * sizeof(*s->procs.v) +
	       s->slab.n * sizeof(*s->slab.v) + s->vmalloc.n * sizeof(*s->vmalloc.v) +
	       s->meminfo.n * sizeof(*s->meminfo.v) + s->tcp.ncounters * sizeof(*s->tcp.counters) +
	       c->cap * sizeof(*c->v) + c->strings_cap + c->kv_cap * sizeof(*c->kv);
}

bool snapshot_has(const struct snapshot *s, const char *src)
{
	return !notes_is_missing(&s->notes, src);
}

double snapshot_interval_s(const struct snapshot *a, const struct snapshot *b)
{
	if (!a || !b || b->t_mono_ns <= a->t_mono_ns)
		return 0.0;
	return (double)(b->t_mono_ns - a->t_mono_ns) / 1e9;
}
