// SPDX-License-Identifier: GPL-2.0-or-later
#include "synth.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define NS 1000000000ull

struct snapshot *synth_snap(unsigned int i)
{
	struct snapshot *s = snapshot_new();

	s->seq = i + 1;
	s->t_mono_ns = (SYNTH_T0_S + (uint64_t)i * SYNTH_STEP_S) * NS;
	s->page_size = 4096;
	s->sections = SNAP_SUSPECT_SOURCES;
	s->mem.valid = true;
	s->mem.cls_present = (1u << MEM_CLASS_COUNT) - 1;
	s->socks.owners_scanned = true;
	s->tcp.has_sockstat = true;
	return s;
}

void synth_mem(struct snapshot *s, enum mem_class c, double bytes)
{
	s->mem.cls[c] = (int64_t)bytes;
}

void synth_slab(struct snapshot *s, const char *name, uint64_t objsize, uint64_t objs)
{
	struct slab_cache *c;

	s->slab.v = xreallocarray(s->slab.v, s->slab.n + 1, sizeof(*s->slab.v));
	c = &s->slab.v[s->slab.n++];
	memset(c, 0, sizeof(*c));
	strncpy(c->name, name, sizeof(c->name) - 1);
	c->objsize = objsize;
	c->active_objs = c->num_objs = objs;
	c->bytes = c->active_bytes = objs * objsize;
}

void synth_vmalloc(struct snapshot *s, const char *caller, uint64_t bytes)
{
	struct vmalloc_caller *c;

	s->vmalloc.v = xreallocarray(s->vmalloc.v, s->vmalloc.n + 1, sizeof(*s->vmalloc.v));
	c = &s->vmalloc.v[s->vmalloc.n++];
	memset(c, 0, sizeof(*c));
	strncpy(c->caller, caller, sizeof(c->caller) - 1);
	strncpy(c->kind, "vmalloc", sizeof(c->kind) - 1);
	c->bytes = bytes;
	c->pages = bytes / 4096;
	c->areas = bytes / 16384;
	s->vmalloc.total_bytes += bytes;
}

void synth_proc(struct snapshot *s, int32_t pid, uint64_t starttime, const char *comm,
		uint64_t rss, uint32_t fds)
{
	struct proc_entry *p;

	s->procs.v = xreallocarray(s->procs.v, s->procs.n + 1, sizeof(*s->procs.v));
	p = &s->procs.v[s->procs.n++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->starttime = starttime;
	strncpy(p->comm, comm, sizeof(p->comm) - 1);
	p->rss_bytes = rss;
	p->fd_count = fds;
	p->fd_status = PROC_FD_OK;
	p->cg_v2_off = p->cg_v1_off = PROC_NO_CGROUP;
}

void synth_cgroup(struct snapshot *s, const char *path, uint64_t id, uint64_t anon,
		  uint64_t kernel, uint64_t sock)
{
	struct cgroup_table *t = &s->cgroups;
	uint32_t parent = CG_NONE;
	size_t best = 0;
	struct cgroup_entry *e;

	if (!t->n && strcmp(path, "/") != 0)
		synth_cgroup(s, "/", 1, 0, 0, 0);
	/* The parent: the longest path that is a prefix of this one. */
	for (size_t i = 0; i < t->n; i++) {
		const char *p = cgroup_path(t, &t->v[i]);
		size_t n = strlen(p);

		if (strncmp(path, p, n) == 0 && (path[n] == '/' || n == 1) && n >= best) {
			best = n;
			parent = (uint32_t)i;
		}
	}
	t->memory[CG_HIER_V2] = true;
	e = cgroup_table_add(t, CG_HIER_V2, path, id);
	e->parent = parent;
	e->depth = parent == CG_NONE ? 0 : (uint16_t)(t->v[parent].depth + 1);
	e->v[CGV_ANON] = anon;
	e->v[CGV_KERNEL] = kernel;
	e->v[CGV_SOCK] = sock;
	e->v[CGV_CURRENT] = anon + kernel + sock;
	e->present = 1u << CGV_ANON | 1u << CGV_KERNEL | 1u << CGV_SOCK | 1u << CGV_CURRENT;
}

void synth_proc_cgroup(struct snapshot *s, int32_t pid, const char *path)
{
	struct proc_table *pt = &s->procs;
	size_t n = strlen(path) + 1;

	for (size_t i = 0; i < pt->n; i++) {
		if (pt->v[i].pid != pid)
			continue;
		xgrow((void **)&pt->strings, &pt->strings_cap, pt->strings_len + n, 1);
		memcpy(pt->strings + pt->strings_len, path, n);
		pt->v[i].cg_v2_off = (uint32_t)pt->strings_len;
		pt->strings_len += n;
	}
}

struct sock_entry *synth_sock(struct snapshot *s, int32_t pid, uint64_t starttime, uint8_t kind,
			      uint8_t state, uint32_t inode, uint16_t sport, uint16_t dport)
{
	struct sock_table *t = &s->socks;
	struct sock_entry *e = sock_table_add(t);

	e->kind = kind;
	e->family = kind == SK_UNIX ? 1 : 2;
	e->state = state;
	e->inode = inode;
	e->cookie = inode;
	e->sport = sport;
	e->dport = dport;
	e->source = SOCK_SRC_DIAG;
	e->skmem_n = SKMEM_COUNT;
	e->u.in.addr.v4.saddr[0] = 127;
	e->u.in.addr.v4.daddr[0] = 127;
	e->u.in.addr.v4.saddr[3] = 1;
	e->u.in.addr.v4.daddr[3] = 1;
	if (pid) {
		xgrow((void **)&t->owners, &t->owners_cap, t->owners_n + 1, sizeof(*t->owners));
		t->owners[t->owners_n].pid = pid;
		t->owners[t->owners_n].fd = (int32_t)t->owners_n + 3;
		t->owners[t->owners_n].starttime = starttime;
		e->owner_first = (uint32_t)t->owners_n++;
		e->owner_n = 1;
	}
	return e;
}

static int slab_cmp(const void *a, const void *b)
{
	return strcmp(((const struct slab_cache *)a)->name, ((const struct slab_cache *)b)->name);
}

static int proc_cmp(const void *pa, const void *pb)
{
	const struct proc_entry *a = pa, *b = pb;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return a->starttime < b->starttime ? -1 : a->starttime > b->starttime;
}

void synth_finish(struct snapshot *s)
{
	if (s->slab.n)
		qsort(s->slab.v, s->slab.n, sizeof(*s->slab.v), slab_cmp);
	if (s->procs.n)
		qsort(s->procs.v, s->procs.n, sizeof(*s->procs.v), proc_cmp);
	sock_table_finish(&s->socks);
	cgroup_table_finish(&s->cgroups);
	s->tcp.tcp_mem_bytes = s->tcp.tcp_mem_pages * 4096;
}
