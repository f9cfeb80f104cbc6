/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One tick of sampling: each source is read once, parsed, and put into a
 * fresh snapshot. Nothing here fails: a source that cannot be read becomes a
 * NOTE_MISSING with the reason, and the rest of the sample goes on.
 */
#include "sampler.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "buf.h"
#include "cgroup_join.h"
#include "proc_scan.h"
#include "procnet.h"
#include "slabmerge.h"
#include "sockdiag.h"
#include "xalloc.h"

struct sampler {
	const struct root *root;
	struct proc_cache *procs;
	struct buf buf;		/* reused for every file of every tick */
	uint64_t seq;
};

struct sampler *sampler_new(const struct root *r)
{
	struct sampler *s = xcalloc(1, sizeof(*s));

	s->root = r;
	s->procs = proc_cache_new();
	return s;
}

void sampler_free(struct sampler *s)
{
	if (!s)
		return;
	proc_cache_free(s->procs);
	buf_free(&s->buf);
	free(s);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Read <proc>/name into the sampler's buffer; on failure note src missing. */
static bool read_proc(struct sampler *s, struct snapshot *snap, const char *name, const char *src)
{
	int ret;

	if (s->root->proc_fd < 0) {
		notes_missing_errno(&snap->notes, src, s->root->proc_err);
		return false;
	}
	ret = buf_readat(s->root->proc_fd, name, &s->buf, 0);
	if (ret == -EFBIG) {
		notes_add(&snap->notes, NOTE_WARN, src, 0,
			  "larger than %u MiB: only the first part was read", BUF_READ_LIMIT >> 20);
		return true;
	}
	if (ret) {
		notes_missing_errno(&snap->notes, src, ret);
		return false;
	}
	return true;
}

static void sample_memory(struct sampler *s, struct snapshot *snap, unsigned int sections)
{
	enum vmap_stack_rule evidence = VMAP_STACK_UNKNOWN;

	/* vmallocinfo is read for the memory breakdown too: it is the only
	 * evidence of whether kernel stacks are vmalloc'd (KernelStack would
	 * otherwise be counted twice). */
	if (read_proc(s, snap, "vmallocinfo", SRC_VMALLOC)) {
		if (vmallocinfo_parse(s->buf.data, s->buf.len, SRC_VMALLOC, snap->page_size,
				      &snap->vmalloc, &snap->notes) == 0)
			evidence = snap->vmalloc.has_stack_areas ? VMAP_STACK_CALLERS
								 : VMAP_STACK_NO_CALLERS;
		else
			notes_add(&snap->notes, NOTE_MISSING, SRC_VMALLOC, 0, "no usable line");
	}
	if (!(sections & SNAP_MEM))
		return;
	if (read_proc(s, snap, "meminfo", SRC_MEMINFO)) {
		if (meminfo_parse(s->buf.data, s->buf.len, SRC_MEMINFO, &snap->meminfo,
				  &snap->notes) == 0)
			mem_derive_vm(&snap->meminfo, evidence,
				      evidence == VMAP_STACK_UNKNOWN ? NULL
								     : &snap->vmalloc.total_bytes,
				      &snap->mem);
		else
			notes_add(&snap->notes, NOTE_MISSING, SRC_MEMINFO, 0, "no usable line");
	}
}

static void sample_slab(struct sampler *s, struct snapshot *snap)
{
	struct slab_aliases aliases = { 0 };

	if (!read_proc(s, snap, "slabinfo", SRC_SLABINFO))
		return;
	if (slabinfo_parse(s->buf.data, s->buf.len, SRC_SLABINFO, snap->page_size, &snap->slab,
			   &snap->notes) != 0) {
		notes_add(&snap->notes, NOTE_MISSING, SRC_SLABINFO, 0, "not a slabinfo 2.x file");
		return;
	}
	if (slabmerge_read(s->root, &aliases, &snap->notes) == 0)
		slabmerge_apply(&snap->slab, &aliases);
	slab_aliases_free(&aliases);
}

static void sample_sockets(struct sampler *s, struct snapshot *snap)
{
	struct sock_table *t = &snap->socks;
	bool any = false;

	/* Netlink sees the running kernel; on a captured tree only the
	 * /proc/net text of that tree describes its sockets. */
	if (s->root->live) {
		int ret = sockdiag_dump_all(t, &snap->notes);

		if (ret)
			notes_add(&snap->notes, NOTE_WARN, "sock_diag", 0,
				  "no NETLINK_SOCK_DIAG socket (%s): using /proc/net",
				  notes_errno_reason(ret));
	}
	procnet_fill(s->root, t, &snap->notes);
	sock_table_finish(t);
	for (size_t k = 0; k < SK_KIND_COUNT; k++)
		any |= t->kind_ok[k];
	/* An empty table must say why, not look like a box without sockets. */
	if (!any)
		notes_add(&snap->notes, NOTE_MISSING, SRC_SOCKETS, 0,
			  s->root->live ? "neither sock_diag nor /proc/net could be read"
					: "no /proc/net socket file could be read in this tree");
	for (size_t i = 0; i < t->n; i++) {
		const struct sock_entry *e = &t->v[i];

		if (e->kind == SK_TCP && e->state < ARRAY_SIZE(snap->tcp_states))
			snap->tcp_states[e->state]++;
	}
}

struct snapshot *sampler_tick(struct sampler *s, unsigned int sections)
{
	struct snapshot *snap = snapshot_new();
	unsigned int scan = 0;

	snap->seq = ++s->seq;
	snap->sections = sections;
	snap->page_size = root_page_size(s->root);
	clock_gettime(CLOCK_REALTIME, &snap->t_real);
	snap->t_mono_ns = mono_ns();

	if (sections & (SNAP_MEM | SNAP_VMALLOC))
		sample_memory(s, snap, sections);
	if (sections & SNAP_SLAB)
		sample_slab(s, snap);
	if (sections & SNAP_TMPFS)
		tmpfs_sample(s->root, &snap->tmpfs, &snap->shm, &snap->notes);
	if (sections & SNAP_SOCKETS)
		sample_sockets(s, snap);
	if (sections & SNAP_OWNERS)
		scan |= PROC_SCAN_FDS;
	if (sections & SNAP_PSS)
		scan |= PROC_SCAN_PSS;
	if (sections & (SNAP_PROCS | SNAP_OWNERS | SNAP_PSS)) {
		if (s->root->proc_fd < 0)
			notes_missing_errno(&snap->notes, SRC_PROCESSES, s->root->proc_err);
		else
			proc_scan(s->root, s->procs, scan, &snap->procs,
				  (sections & SNAP_SOCKETS) ? &snap->socks : NULL, &snap->notes);
	}
	if (sections & SNAP_TCP)
		tcpmem_sample(s->root, &snap->tcp, &snap->notes);
	if (sections & SNAP_CGROUPS) {
		cgroup_scan(s->root, &snap->cgroups, &snap->notes);
		cgroup_join_fill(snap);
	}

	snap->duration_ns = mono_ns() - snap->t_mono_ns;
	return snap;
}
