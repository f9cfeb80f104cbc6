/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The column table of cgroups (fields.h): one column per charge the memory
 * controller keeps, its change and, for the total, its rate. A charge the
 * cgroup's hierarchy does not give (v1 has no slab or stack figures) is
 * missing, printed "-", never 0.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cgroup_scan.h"
#include "compat.h"
#include "fields.h"
#include "strsafe.h"

#define CG(r) ((const struct cgroup_entry *)fields_entity(r))

static bool cg_name(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	const struct snapshot *s = fields_snapshot(c, r);

	if (!s)
		return false;
	strsafe_str(cgroup_entry_name(&s->cgroups, CG(r)), o, sz);
	return true;
}

static bool cg_path(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	const struct snapshot *s = fields_snapshot(c, r);

	if (!s)
		return false;
	strsafe_str(cgroup_path(&s->cgroups, CG(r)), o, sz);
	return true;
}

static bool cg_hier_txt(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	snprintf(o, sz, "%s", cgroup_hier_name(CG(r)->hier));
	return true;
}

static bool cg_hier_num(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = CG(r)->hier;
	return true;
}

static bool cg_id(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = (int64_t)CG(r)->id;
	return true;
}

static bool cg_depth(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = CG(r)->depth;
	return true;
}

static bool val_of(const void *e, enum cgroup_val k, int64_t *v)
{
	const struct cgroup_entry *g = e;

	if (!cgroup_has(g, k))
		return false;
	*v = g->v[k] > INT64_MAX ? INT64_MAX : (int64_t)g->v[k];
	return true;
}

/* One value column, its delta and its rate, per enum cgroup_val. */
#define CG_VAL(k, fn)                                                                      \
	ATTR_UNUSED static bool fn##_of(const void *e, int64_t *v)                         \
	{                                                                                  \
		return val_of(e, k, v);                                                    \
	}                                                                                  \
	ATTR_UNUSED static bool fn(const struct field_ctx *c, const struct field_row *r,   \
				   int64_t *v)                                     \
	{                                                                                  \
		return fn##_of(fields_entity(r), v);                                       \
	}                                                                                  \
	ATTR_UNUSED static bool fn##_d(const struct field_ctx *c, const struct field_row *r, \
				       int64_t *v)                                 \
	{                                                                                  \
		return fields_delta(r, fn##_of, v);                                        \
	}                                                                                  \
	ATTR_UNUSED static bool fn##_r(const struct field_ctx *c, const struct field_row *r, \
				       int64_t *v)                                 \
	{                                                                                  \
		return fields_rate(c, r, fn##_of, v);                                      \
	}
CG_VAL(CGV_CURRENT, cg_current)
CG_VAL(CGV_MAX, cg_max)
CG_VAL(CGV_ANON, cg_anon)
CG_VAL(CGV_FILE, cg_file)
CG_VAL(CGV_SHMEM, cg_shmem)
CG_VAL(CGV_KERNEL, cg_kernel)
CG_VAL(CGV_SLAB_R, cg_slab_r)
CG_VAL(CGV_SLAB_U, cg_slab_u)
CG_VAL(CGV_SOCK, cg_sock)
CG_VAL(CGV_KSTACK, cg_kstack)
CG_VAL(CGV_PAGETABLES, cg_pagetables)
CG_VAL(CGV_PERCPU, cg_percpu)
CG_VAL(CGV_VMALLOC, cg_vmalloc)
CG_VAL(CGV_EV_HIGH, cg_ev_high)
CG_VAL(CGV_EV_MAX, cg_ev_max)
CG_VAL(CGV_EV_OOM, cg_ev_oom)
CG_VAL(CGV_EV_OOM_KILL, cg_ev_oom_kill)

static bool procs_of(const void *e, int64_t *v)
{
	const struct cgroup_entry *g = e;

	if (!(g->flags & CGF_JOINED))
		return false;
	*v = g->nprocs;
	return true;
}

static bool socks_of(const void *e, int64_t *v)
{
	const struct cgroup_entry *g = e;

	if (!(g->flags & CGF_SOCKS))
		return false;
	*v = g->nsocks;
	return true;
}

static bool sockmem_of(const void *e, int64_t *v)
{
	const struct cgroup_entry *g = e;

	if (!(g->flags & CGF_SOCKS))
		return false;
	*v = (int64_t)g->sock_mem;
	return true;
}

static bool cg_procs(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return procs_of(fields_entity(r), v);
}

static bool cg_socks(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return socks_of(fields_entity(r), v);
}

static bool cg_sockmem(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return sockmem_of(fields_entity(r), v);
}

static bool cg_dsockmem(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return fields_delta(r, sockmem_of, v);
}

#define BYTES_COL(i, t, fn, h, show)                                                      \
	{ .id = i, .title = t, .width = 6, .unit = FU_BYTES, .desc = true, .shown = show,  \
	  .help = h, .num = fn }
#define DELTA_COL(i, t, fn, h, show)                                                      \
	{ .id = i, .title = t, .width = 7, .unit = FU_DELTA_BYTES, .desc = true,           \
	  .shown = show, .help = h, .num = fn }
#define COUNT_COL(i, t, fn, h)                                                            \
	{ .id = i, .title = t, .width = 6, .unit = FU_COUNT, .desc = true, .help = h,      \
	  .num = fn }

static const struct field cgroup_fields[] = {
	BYTES_COL("current", "MEM", cg_current,
		  "memory charged to it and its children (memory.current, v1 usage_in_bytes)",
		  true),
	DELTA_COL("dcurrent", "ΔMEM", cg_current_d, "change of MEM since the earlier sample",
		  true),
	{ .id = "rate", .title = "RATE", .width = 9, .unit = FU_RATE_BYTES, .desc = true,
	  .shown = true, .help = "growth of MEM per second", .num = cg_current_r },
	BYTES_COL("max", "LIMIT", cg_max, "memory.max (v1 limit_in_bytes); '-' when unlimited",
		  false),
	BYTES_COL("anon", "ANON", cg_anon, "anonymous memory (v1 total_rss)", true),
	DELTA_COL("danon", "ΔANON", cg_anon_d, "change of anon", false),
	BYTES_COL("file", "FILE", cg_file, "page cache incl. tmpfs and shmem (v1 total_cache)",
		  true),
	DELTA_COL("dfile", "ΔFILE", cg_file_d, "change of file", false),
	BYTES_COL("shmem", "SHMEM", cg_shmem, "shmem and tmpfs", false),
	DELTA_COL("dshmem", "ΔSHMEM", cg_shmem_d, "change of shmem", false),
	BYTES_COL("kernel", "KERNEL", cg_kernel,
		  "all kernel memory (v2 5.18+; v1 memory.kmem.usage_in_bytes)", true),
	DELTA_COL("dkernel", "ΔKERNEL", cg_kernel_d, "change of kernel", true),
	BYTES_COL("slab_r", "SLAB-R", cg_slab_r, "reclaimable slab (v2 only)", true),
	BYTES_COL("slab_u", "SLAB-U", cg_slab_u, "unreclaimable slab (v2 only)", true),
	DELTA_COL("dslab_u", "ΔSLAB-U", cg_slab_u_d, "change of unreclaimable slab", false),
	BYTES_COL("sock", "SOCK", cg_sock,
		  "socket buffers (v2 sock; v1 memory.kmem.tcp.usage_in_bytes, TCP only)", true),
	DELTA_COL("dsock", "ΔSOCK", cg_sock_d, "change of sock", true),
	BYTES_COL("kernel_stack", "STACKS", cg_kstack, "kernel stacks (v2 only)", true),
	BYTES_COL("pagetables", "PGTBL", cg_pagetables, "page tables (v2 only)", true),
	BYTES_COL("percpu", "PERCPU", cg_percpu, "per-cpu allocations (v2 only)", false),
	BYTES_COL("vmalloc", "VMAL", cg_vmalloc, "vmalloc (v2, 5.19+)", false),
	COUNT_COL("ev_high", "HIGH", cg_ev_high, "memory.events high: throttled over memory.high"),
	COUNT_COL("ev_max", "MAXHIT", cg_ev_max, "memory.events max: hit memory.max"),
	COUNT_COL("oom", "OOM", cg_ev_oom, "memory.events oom"),
	COUNT_COL("oom_kill", "KILLED", cg_ev_oom_kill, "memory.events oom_kill"),
	{ .id = "procs", .title = "PROCS", .width = 5, .unit = FU_COUNT, .desc = true,
	  .shown = true, .needs = SNAP_PROCS,
	  .help = "processes directly in it", .num = cg_procs },
	{ .id = "socks", .title = "SOCKS", .width = 6, .unit = FU_COUNT, .desc = true,
	  .needs = SNAP_SOCKETS | SNAP_PROCS,
	  .help = "sockets charged to it (v2: by cgroup id, orphans included; else by owner)",
	  .num = cg_socks },
	{ .id = "sockmem", .title = "SOCKMEM", .width = 7, .unit = FU_BYTES, .desc = true,
	  .needs = SNAP_SOCKETS | SNAP_PROCS,
	  .help = "skmem of the sockets charged to it", .num = cg_sockmem },
	{ .id = "dsockmem", .title = "ΔSOCKMEM", .width = 8, .unit = FU_DELTA_BYTES, .desc = true,
	  .needs = SNAP_SOCKETS | SNAP_PROCS,
	  .help = "change of sockmem", .num = cg_dsockmem },
	{ .id = "hier", .title = "H", .width = 2, .unit = FU_STATE, .left = true, .shown = true,
	  .help = "hierarchy: v2 (unified) or v1 (memory controller)",
	  .num = cg_hier_num, .text = cg_hier_txt },
	{ .id = "id", .title = "ID", .width = 8, .unit = FU_ID,
	  .help = "directory inode; for v2 the id sockets carry", .num = cg_id },
	{ .id = "depth", .title = "D", .width = 2, .unit = FU_COUNT,
	  .help = "depth below the hierarchy's root", .num = cg_depth },
	{ .id = "name", .title = "NAME", .width = 24, .unit = FU_TEXT, .left = true,
	  .shown = true, .help = "unit, container or pod name", .text = cg_name },
	{ .id = "path", .title = "PATH", .width = 40, .unit = FU_TEXT, .left = true,
	  .help = "path below the hierarchy's mount point", .text = cg_path },
};

static size_t cg_count(const struct snapshot *s)
{
	return s->cgroups.n;
}

static const void *cg_at(const struct snapshot *s, size_t i)
{
	return &s->cgroups.v[i];
}

static const struct diff_rows *cg_diff_rows(const struct diff *d)
{
	return &d->cgroups;
}

/* Entities alone cannot name their path (it is in their table): the key
 * is the hierarchy and the id, which is what selection needs to follow. */
static void cg_key(const void *e, uint64_t k[2])
{
	const struct cgroup_entry *g = e;

	k[0] = g->hier;
	k[1] = g->id;
}

const struct field_table fields_cgroups = {
	.name = "cgroups", .v = cgroup_fields, .n = ARRAY_SIZE(cgroup_fields),
	.default_sort = "dcurrent", .needs = SNAP_CGROUPS, .count = cg_count, .at = cg_at,
	.diff_rows = cg_diff_rows, .key = cg_key,
};
