/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cgroup_join.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_name.h"
#include "xalloc.h"

static const struct cgroup_entry *find_path(const struct cgroup_table *t, enum cgroup_hier h,
					    const char *path)
{
	return path ? cgroup_table_find(t, h, path, strlen(path)) : NULL;
}

const struct cgroup_entry *cgroup_of_process(const struct snapshot *s, const struct proc_entry *p,
					     enum cgroup_hier h)
{
	uint32_t off = h == CG_HIER_V2 ? p->cg_v2_off : p->cg_v1_off;

	return find_path(&s->cgroups, h, proc_cgroup_path(&s->procs, off));
}

static const struct proc_entry *first_owner(const struct snapshot *s, const struct sock_entry *e)
{
	const struct sock_owner *ow;
	const struct proc_entry *p;

	if (!s->socks.owners_scanned || !e->owner_n)
		return NULL;
	ow = sock_owners_of(&s->socks, e);
	if (!ow)
		return NULL;
	p = proc_table_find(&s->procs, ow->pid);
	return p && p->starttime == ow->starttime ? p : NULL;
}

const struct cgroup_entry *cgroup_of_socket_in(const struct snapshot *s,
					       const struct sock_entry *e, enum cgroup_hier h)
{
	const struct proc_entry *p;

	if (h == CG_HIER_V2 && e->has_cgroup)
		return cgroup_table_find_id(&s->cgroups, e->cgroup_id);
	p = first_owner(s, e);
	return p ? cgroup_of_process(s, p, h) : NULL;
}

const struct cgroup_entry *cgroup_of_socket(const struct snapshot *s, const struct sock_entry *e)
{
	return cgroup_of_socket_in(s, e, CG_HIER_V2);
}

enum cgroup_hier cgroup_memory_hier(const struct cgroup_table *t)
{
	if (t->memory[CG_HIER_V2])
		return CG_HIER_V2;
	if (t->memory[CG_HIER_V1])
		return CG_HIER_V1;
	return CG_HIER_V2;
}

size_t cgroup_processes(const struct snapshot *s, const struct cgroup_entry *cg, size_t **out)
{
	size_t n = 0;

	*out = xreallocarray(NULL, s->procs.n ? s->procs.n : 1, sizeof(**out));
	for (size_t i = 0; i < s->procs.n; i++)
		if (cgroup_of_process(s, &s->procs.v[i], cg->hier) == cg)
			(*out)[n++] = i;
	return n;
}

size_t cgroup_sockets(const struct snapshot *s, const struct cgroup_entry *cg, size_t **out)
{
	size_t n = 0;

	*out = xreallocarray(NULL, s->socks.n ? s->socks.n : 1, sizeof(**out));
	for (size_t i = 0; i < s->socks.n; i++)
		if (cgroup_of_socket_in(s, &s->socks.v[i], cg->hier) == cg)
			(*out)[n++] = i;
	return n;
}

size_t cgroup_socket_count(const struct snapshot *s, const struct cgroup_entry *cg)
{
	size_t *ix, n;

	if (cg->flags & CGF_SOCKS)
		return cg->nsocks;
	n = cgroup_sockets(s, cg, &ix);
	free(ix);
	return n;
}

/* Row index of e in s's table, or CG_NONE. */
static uint32_t row_of(const struct snapshot *s, const struct cgroup_entry *e)
{
	return e ? (uint32_t)(e - s->cgroups.v) : CG_NONE;
}

void cgroup_join_fill(struct snapshot *s)
{
	struct cgroup_table *t = &s->cgroups;
	bool procs = (s->sections & SNAP_PROCS) && snapshot_has(s, SRC_PROCESSES);
	bool socks = (s->sections & SNAP_SOCKETS) && snapshot_has(s, SRC_SOCKETS);
	uint32_t (*pc)[CG_HIER_COUNT];

	if (!t->n || !procs)
		return;
	/* Each process's rows once: sockets find their owner's by index. */
	pc = xreallocarray(NULL, s->procs.n ? s->procs.n : 1, sizeof(*pc));
	for (size_t i = 0; i < s->procs.n; i++)
		for (int h = 0; h < CG_HIER_COUNT; h++) {
			pc[i][h] = row_of(s, cgroup_of_process(s, &s->procs.v[i], h));
			if (pc[i][h] != CG_NONE)
				t->v[pc[i][h]].nprocs++;
		}
	for (size_t i = 0; i < t->n; i++)
		t->v[i].flags |= CGF_JOINED | (socks ? CGF_SOCKS : 0);
	for (size_t i = 0; socks && i < s->socks.n; i++) {
		const struct sock_entry *e = &s->socks.v[i];
		const struct proc_entry *p = first_owner(s, e);
		size_t pi = p ? (size_t)(p - s->procs.v) : SIZE_MAX;

		for (int h = 0; h < CG_HIER_COUNT; h++) {
			uint32_t r = CG_NONE;

			if (h == CG_HIER_V2 && e->has_cgroup)
				r = row_of(s, cgroup_table_find_id(t, e->cgroup_id));
			else if (pi != SIZE_MAX)
				r = pc[pi][h];
			if (r == CG_NONE)
				continue;
			t->v[r].nsocks++;
			t->v[r].sock_mem += sock_mem_bytes(e);
		}
	}
	free(pc);
}

const char *cgroup_process_path(const struct snapshot *s, const struct proc_entry *p,
				enum cgroup_hier h)
{
	return proc_cgroup_path(&s->procs, h == CG_HIER_V2 ? p->cg_v2_off : p->cg_v1_off);
}

const char *cgroup_socket_path(const struct snapshot *s, const struct sock_entry *e)
{
	const struct cgroup_entry *cg = cgroup_of_socket(s, e);
	const struct proc_entry *p;

	if (cg)
		return cgroup_path(&s->cgroups, cg);
	if (e->has_cgroup)
		return NULL;
	p = first_owner(s, e);
	return p ? cgroup_process_path(s, p, CG_HIER_V2) : NULL;
}

bool cgroup_socket_name(const struct snapshot *s, const struct sock_entry *e, char *out,
			size_t sz)
{
	const struct cgroup_entry *cg = cgroup_of_socket(s, e);
	const char *path;

	if (cg) {
		snprintf(out, sz, "%s", cgroup_entry_name(&s->cgroups, cg));
		return true;
	}
	if (e->has_cgroup) {
		snprintf(out, sz, "#%llu", (unsigned long long)e->cgroup_id);
		return true;
	}
	path = cgroup_socket_path(s, e);
	if (!path)
		return false;
	cgroup_name(path, out, sz);
	return true;
}

bool cgroup_process_name(const struct snapshot *s, const struct proc_entry *p, char *out,
			 size_t sz)
{
	const char *v2 = cgroup_process_path(s, p, CG_HIER_V2);
	const char *v1 = cgroup_process_path(s, p, CG_HIER_V1);
	const char *path;

	if (s->cgroups.n)
		path = cgroup_memory_hier(&s->cgroups) == CG_HIER_V2 ? v2 : v1;
	else
		path = v2 && (strcmp(v2, "/") || !v1) ? v2 : v1;
	if (!path)
		return false;
	cgroup_name(path, out, sz);
	return true;
}
