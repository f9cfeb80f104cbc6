/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the sample encoding stores: one field table per section. This is
 * the file to touch when a struct of the snapshot grows.
 *
 *   - a new member of a row struct (sock_entry, proc_entry, ...): add one
 *     line to its table, F_INT / F_CHARS / F_STR as its type says; append
 *     it at the end of the table, since old records number fields by
 *     position within a table;
 *   - a new scalar of struct snapshot: one F_INT line in the singleton
 *     table of its section (mem_fields, tcp_fields, ...);
 *   - a new table: a field table, rows/set_rows hooks and a struct
 *     codec_table appended to codec_tables[] (its position there is its
 *     section id on the wire); a reader skips sections it does not know.
 *
 * check_codec's coverage test fails when a struct has bytes no table
 * describes, so a member forgotten here does not silently drop out of
 * recordings and the history.
 */
#include "codec_rows.h"

#include <stddef.h>
#include <string.h>

#include "compat.h"
#include "xalloc.h"

#define F_INT(T, m) { #m, offsetof(T, m), sizeof(((T *)0)->m), CF_INT, 0, NULL, NULL, NULL }
#define F_CHARS(T, m) { #m, offsetof(T, m), sizeof(((T *)0)->m), CF_CHARS, 0, NULL, NULL, NULL }
#define F_STR(T, m) { #m, offsetof(T, m), sizeof(char *), CF_STR, 0, NULL, NULL, NULL }
#define F_POOLSTR(T, m) { #m, offsetof(T, m), sizeof(char *), CF_POOLSTR, 0, NULL, NULL, NULL }
#define F_RUN(T, m, count) { #m, offsetof(T, m), 4, CF_RUN, offsetof(T, count), NULL, NULL, NULL }
#define F_FN(name, get, put, copy) { name, 0, 0, CF_FN, 0, get, put, copy }

#define TABLE(ident, nm, mem, T, fields, cmpf, rowsf, setf, poolp)                    \
	static const struct codec_table ident = {                                    \
		.name = nm, .memory = mem, .row_size = sizeof(T),     \
		.f = fields, .nf = ARRAY_SIZE(fields), .cmp = cmpf, .rows = rowsf,     \
		.set_rows = setf, .pool = poolp,                                       \
	}

/* ---- scalars of struct snapshot ------------------------------------------- */

#define S struct snapshot

static const struct codec_field head_fields[] = {
	F_INT(S, seq),
	F_INT(S, t_real.tv_sec),
	F_INT(S, t_real.tv_nsec),
	F_INT(S, t_mono_ns),
	F_INT(S, duration_ns),
	F_INT(S, page_size),
	F_INT(S, sections),
	F_INT(S, notes.dropped),
	F_INT(S, procs.denied),
	F_INT(S, self.cpu_ns),
	F_INT(S, self.rss_bytes),
	F_INT(S, self.phase_ns[PHASE_MEMORY]),
	F_INT(S, self.phase_ns[PHASE_SLAB]),
	F_INT(S, self.phase_ns[PHASE_TMPFS]),
	F_INT(S, self.phase_ns[PHASE_SOCKETS]),
	F_INT(S, self.phase_ns[PHASE_PROCS]),
	F_INT(S, self.phase_ns[PHASE_OWNERS]),
	F_INT(S, self.phase_ns[PHASE_TCP]),
	F_INT(S, self.concurrent),
	F_INT(S, self.phase_ns[PHASE_CGROUPS]),
};

/* Derived memory is stored, not recomputed: it depends on meminfo, on
 * vmallocinfo (the stack evidence and, on old kernels, its total) and on
 * which of them the sampler could read; delta-coded it costs a few bytes. */
static const struct codec_field mem_fields[] = {
	F_INT(S, mem.cls[MEM_ANON]),
	F_INT(S, mem.cls[MEM_PAGE_CACHE]),
	F_INT(S, mem.cls[MEM_SHMEM]),
	F_INT(S, mem.cls[MEM_SLAB_RECL]),
	F_INT(S, mem.cls[MEM_SLAB_UNRECL]),
	F_INT(S, mem.cls[MEM_KRECL_OTHER]),
	F_INT(S, mem.cls[MEM_VMALLOC]),
	F_INT(S, mem.cls[MEM_KSTACK]),
	F_INT(S, mem.cls[MEM_PAGETABLES]),
	F_INT(S, mem.cls[MEM_PERCPU]),
	F_INT(S, mem.cls[MEM_HUGETLB]),
	F_INT(S, mem.cls[MEM_OTHER_KERNEL]),
	F_INT(S, mem.cls[MEM_UNACCOUNTED]),
	F_INT(S, mem.cls[MEM_FREE]),
	F_INT(S, mem.extra[MEM_X_TOTAL]),
	F_INT(S, mem.extra[MEM_X_AVAILABLE]),
	F_INT(S, mem.extra[MEM_X_USED]),
	F_INT(S, mem.extra[MEM_X_SLAB]),
	F_INT(S, mem.extra[MEM_X_SWAP_USED]),
	F_INT(S, mem.cls_present),
	F_INT(S, mem.extra_present),
	F_INT(S, mem.valid),
	F_INT(S, mem.vmap_stacks),
	F_INT(S, mem.vmalloc_from_vmallocinfo),
	F_INT(S, mem.vmap_rule),
	F_INT(S, slab.total_bytes),
	F_INT(S, slab.total_active_bytes),
	F_INT(S, vmalloc.total_bytes),
	F_INT(S, vmalloc.ioremap_vsize_bytes),
	F_INT(S, vmalloc.unpurged_areas),
	F_INT(S, vmalloc.has_stack_areas),
	F_INT(S, tmpfs.total_used_bytes),
	F_INT(S, shm.present),
	F_INT(S, shm.has_rss),
	F_INT(S, shm.has_swap),
	F_INT(S, shm.segments),
	F_INT(S, shm.size_bytes),
	F_INT(S, shm.rss_bytes),
	F_INT(S, shm.swap_bytes),
	F_INT(S, shm.orphan_segments),
	F_INT(S, shm.orphan_rss_bytes),
	F_INT(S, mem.cls[MEM_PCP_FREE]),
	F_INT(S, mem.cls[MEM_SOCK_PAGES]),
	F_INT(S, mem.cls[MEM_VMSTAT_OTHER]),
	F_INT(S, mem.extra[MEM_X_UNACC_MEMINFO]),
	F_INT(S, vmstat.has_pcp),
	F_INT(S, vmstat.pcp_pages),
};

static const struct codec_field sockscalar_fields[] = {
	F_INT(S, socks.count[SK_TCP]),
	F_INT(S, socks.count[SK_UDP]),
	F_INT(S, socks.count[SK_UDPLITE]),
	F_INT(S, socks.count[SK_RAW]),
	F_INT(S, socks.count[SK_UNIX]),
	F_INT(S, socks.count[SK_PACKET]),
	F_INT(S, socks.count[SK_NETLINK]),
	F_INT(S, socks.skipped_msgs),
	F_INT(S, socks.kind_source[SK_TCP]),
	F_INT(S, socks.kind_source[SK_UDP]),
	F_INT(S, socks.kind_source[SK_UDPLITE]),
	F_INT(S, socks.kind_source[SK_RAW]),
	F_INT(S, socks.kind_source[SK_UNIX]),
	F_INT(S, socks.kind_source[SK_PACKET]),
	F_INT(S, socks.kind_source[SK_NETLINK]),
	F_INT(S, socks.kind_ok[SK_TCP]),
	F_INT(S, socks.kind_ok[SK_UDP]),
	F_INT(S, socks.kind_ok[SK_UDPLITE]),
	F_INT(S, socks.kind_ok[SK_RAW]),
	F_INT(S, socks.kind_ok[SK_UNIX]),
	F_INT(S, socks.kind_ok[SK_PACKET]),
	F_INT(S, socks.kind_ok[SK_NETLINK]),
	F_INT(S, socks.owners_scanned),
	F_INT(S, socks.owners_full),
	F_INT(S, socks.owners_walked),
	F_INT(S, socks.owners_procs),
};

static const struct codec_field tcp_fields[] = {
	F_INT(S, tcp.has_sockstat),
	F_INT(S, tcp.sockets_used),
	F_INT(S, tcp.tcp_inuse),
	F_INT(S, tcp.tcp_orphan),
	F_INT(S, tcp.tcp_tw),
	F_INT(S, tcp.tcp_alloc),
	F_INT(S, tcp.tcp_mem_pages),
	F_INT(S, tcp.tcp6_inuse),
	F_INT(S, tcp.udp_inuse),
	F_INT(S, tcp.udp_mem_pages),
	F_INT(S, tcp.udp6_inuse),
	F_INT(S, tcp.raw_inuse),
	F_INT(S, tcp.raw6_inuse),
	F_INT(S, tcp.frag_inuse),
	F_INT(S, tcp.frag_memory_bytes),
	F_INT(S, tcp.frag6_inuse),
	F_INT(S, tcp.frag6_memory_bytes),
	F_INT(S, tcp.udplite_inuse),
	F_INT(S, tcp.udplite6_inuse),
	F_INT(S, tcp.udp_mem_bytes),
	F_INT(S, tcp.tcp_mem_bytes),
	F_INT(S, tcp.has_tcp_mem),
	F_INT(S, tcp.tcp_mem_min),
	F_INT(S, tcp.tcp_mem_pressure),
	F_INT(S, tcp.tcp_mem_max),
	F_INT(S, tcp.has_rmem),
	F_INT(S, tcp.has_wmem),
	F_INT(S, tcp.tcp_rmem[0]),
	F_INT(S, tcp.tcp_rmem[1]),
	F_INT(S, tcp.tcp_rmem[2]),
	F_INT(S, tcp.tcp_wmem[0]),
	F_INT(S, tcp.tcp_wmem[1]),
	F_INT(S, tcp.tcp_wmem[2]),
	F_INT(S, tcp.has_max_orphans),
	F_INT(S, tcp.tcp_max_orphans),
	F_INT(S, tcp.has_pressure_flag),
	F_INT(S, tcp.under_pressure),
	F_INT(S, tcp_states[0]),
	F_INT(S, tcp_states[1]),
	F_INT(S, tcp_states[2]),
	F_INT(S, tcp_states[3]),
	F_INT(S, tcp_states[4]),
	F_INT(S, tcp_states[5]),
	F_INT(S, tcp_states[6]),
	F_INT(S, tcp_states[7]),
	F_INT(S, tcp_states[8]),
	F_INT(S, tcp_states[9]),
	F_INT(S, tcp_states[10]),
	F_INT(S, tcp_states[11]),
	F_INT(S, tcp_states[12]),
	F_INT(S, tcp_states[13]),
	F_INT(S, tcp_states[14]),
	F_INT(S, tcp_states[15]),
};

#undef S

static const void *snap_itself(const struct snapshot *s, size_t *n)
{
	*n = 1;
	return s;
}

TABLE(head_codec, "head", true, struct snapshot, head_fields, NULL, snap_itself, NULL, NULL);
TABLE(mem_codec, "memory", true, struct snapshot, mem_fields, NULL, snap_itself, NULL, NULL);
TABLE(sockscalar_codec, "socket counts", false, struct snapshot, sockscalar_fields, NULL,
      snap_itself, NULL, NULL);
TABLE(tcp_codec, "tcp", false, struct snapshot, tcp_fields, NULL, snap_itself, NULL, NULL);

/* ---- row tables ------------------------------------------------------------ */

/* rows/set_rows for a table held as (v, n) or (v, n, cap) in the snapshot. */
#define ROWS_HOOKS(prefix, tbl, vm, nm)                                             \
	static const void *prefix##_rows(const struct snapshot *s, size_t *n)        \
	{                                                                             \
		*n = s->tbl.nm;                                                       \
		return s->tbl.vm;                                                     \
	}                                                                             \
	static void prefix##_set(struct snapshot *s, void *v, size_t n)              \
	{                                                                             \
		s->tbl.vm = v;                                                        \
		s->tbl.nm = n;                                                        \
	}
#define ROWS_HOOKS_CAP(prefix, tbl, vm, nm, capm)                                   \
	static const void *prefix##_rows(const struct snapshot *s, size_t *n)        \
	{                                                                             \
		*n = s->tbl.nm;                                                       \
		return s->tbl.vm;                                                     \
	}                                                                             \
	static void prefix##_set(struct snapshot *s, void *v, size_t n)              \
	{                                                                             \
		s->tbl.vm = v;                                                        \
		s->tbl.nm = s->tbl.capm = n;                                          \
	}

ROWS_HOOKS(meminfo, meminfo, v, n)
ROWS_HOOKS(slab, slab, v, n)
ROWS_HOOKS(vmalloc, vmalloc, v, n)
ROWS_HOOKS(tmpfs, tmpfs, v, n)
ROWS_HOOKS_CAP(socks, socks, v, n, cap)
ROWS_HOOKS_CAP(procs, procs, v, n, cap)
ROWS_HOOKS_CAP(counters, tcp, counters, ncounters, counters_cap)
ROWS_HOOKS_CAP(notes, notes, v, n, cap)
ROWS_HOOKS(vmstat, vmstat, v, n)

static const struct codec_field vmstat_fields[] = {
	F_CHARS(struct vmstat_field, name),
	F_INT(struct vmstat_field, value),
};

static const struct codec_field meminfo_fields[] = {
	F_CHARS(struct meminfo_field, name),
	F_INT(struct meminfo_field, value),
	F_INT(struct meminfo_field, is_bytes),
};

static int slab_cmp(const void *a, const void *b)
{
	const struct slab_cache *x = a, *y = b;

	return strncmp(x->name, y->name, sizeof(x->name));
}

static const struct codec_field slab_fields[] = {
	F_CHARS(struct slab_cache, name),
	F_INT(struct slab_cache, active_objs),
	F_INT(struct slab_cache, num_objs),
	F_INT(struct slab_cache, objsize),
	F_INT(struct slab_cache, objperslab),
	F_INT(struct slab_cache, pagesperslab),
	F_INT(struct slab_cache, active_slabs),
	F_INT(struct slab_cache, num_slabs),
	F_INT(struct slab_cache, bytes),
	F_INT(struct slab_cache, active_bytes),
	F_STR(struct slab_cache, merged_with),
	F_STR(struct slab_cache, merged_id),
};

static int vmalloc_cmp(const void *a, const void *b)
{
	const struct vmalloc_caller *x = a, *y = b;
	int c = strncmp(x->caller, y->caller, sizeof(x->caller));

	return c ? c : strncmp(x->kind, y->kind, sizeof(x->kind));
}

static const struct codec_field vmalloc_fields[] = {
	F_CHARS(struct vmalloc_caller, caller),
	F_CHARS(struct vmalloc_caller, kind),
	F_INT(struct vmalloc_caller, areas),
	F_INT(struct vmalloc_caller, pages),
	F_INT(struct vmalloc_caller, bytes),
	F_INT(struct vmalloc_caller, vsize_bytes),
};

static int tmpfs_cmp(const void *a, const void *b)
{
	const struct tmpfs_mount *x = a, *y = b;

	if (!x->mountpoint || !y->mountpoint)
		return !!x->mountpoint - !!y->mountpoint;
	return strcmp(x->mountpoint, y->mountpoint);
}

static const struct codec_field tmpfs_fields[] = {
	F_STR(struct tmpfs_mount, mountpoint),
	F_CHARS(struct tmpfs_mount, fstype),
	F_STR(struct tmpfs_mount, source),
	F_INT(struct tmpfs_mount, size_bytes),
	F_INT(struct tmpfs_mount, used_bytes),
	F_INT(struct tmpfs_mount, inodes_used),
	F_INT(struct tmpfs_mount, dev_major),
	F_INT(struct tmpfs_mount, dev_minor),
	F_INT(struct tmpfs_mount, order),
	F_INT(struct tmpfs_mount, has_usage),
};

/* ---- sockets ----------------------------------------------------------------- */

static int sock_cmp(const void *a, const void *b)
{
	return sock_identity_cmp(a, b);
}

/*
 * The first 8 bytes of the union: a unix socket's path_off and path_len
 * (offsets into this sample's pool, meaningless in another) become the
 * path bytes, tagged 1; anything else, tagged 2, is kept as raw bytes
 * (an inet address's first half, a packet socket's ifindex...).
 */
enum { HEAD_PATH = 1, HEAD_RAW = 2 };

static bool has_path(const struct sock_table *t, const struct sock_entry *e)
{
	return e->kind == SK_UNIX && e->u.un.path_off != UINT32_MAX && t->strings &&
	       (uint64_t)e->u.un.path_off + e->u.un.path_len <= t->strings_len;
}

static void sock_head_get(const struct snapshot *s, const void *row, struct buf *out)
{
	const struct sock_entry *e = row;
	const struct sock_table *t = &s->socks;
	uint8_t tag;

	if (has_path(t, e)) {
		tag = HEAD_PATH;
		buf_append(out, &tag, 1);
		wire_put_bytes(out, t->strings + e->u.un.path_off, e->u.un.path_len);
		return;
	}
	tag = HEAD_RAW;
	buf_append(out, &tag, 1);
	buf_append(out, &e->u, 8);
}

static int sock_head_put(struct snapshot *s, void *row, const char *p, size_t len)
{
	struct sock_entry *e = row;
	uint32_t off;

	if (len == 9 && p[0] == HEAD_RAW) {
		memcpy(&e->u, p + 1, 8);
		return 0;
	}
	if (len < 1 || p[0] != HEAD_PATH || e->kind != SK_UNIX)
		return -1;
	off = sock_table_add_string(&s->socks, p + 1, len - 1);
	if (off == UINT32_MAX)
		return -1;
	e->u.un.path_off = off;
	e->u.un.path_len = (uint32_t)(len - 1);
	return 0;
}

/* The row was copied whole: only a path needs a place in the new pool. */
static void sock_head_copy(struct snapshot *dst, void *row, const struct snapshot *src,
			   const void *srow)
{
	struct sock_entry *e = row;
	const struct sock_entry *se = srow;

	if (!has_path(&src->socks, se))
		return;
	e->u.un.path_off = sock_table_add_string(&dst->socks, src->socks.strings + se->u.un.path_off,
						 se->u.un.path_len);
	if (e->u.un.path_off == UINT32_MAX)
		e->u.un.path_len = 0;
}

/* The (pid, fd, starttime) records of a socket, as varints. */
static void sock_owners_get(const struct snapshot *s, const void *row, struct buf *out)
{
	const struct sock_entry *e = row;
	const struct sock_table *t = &s->socks;

	if (!e->owner_n || (uint64_t)e->owner_first + e->owner_n > t->owners_n)
		return;
	for (uint32_t k = 0; k < e->owner_n; k++) {
		const struct sock_owner *o = &t->owners[e->owner_first + k];

		wire_put_u64(out, (uint32_t)o->pid);
		wire_put_u64(out, (uint32_t)o->fd);
		wire_put_u64(out, o->starttime);
	}
}

static int sock_owners_put(struct snapshot *s, void *row, const char *p, size_t len)
{
	struct sock_entry *e = row;
	struct sock_table *t = &s->socks;
	struct wire_in in = { (const uint8_t *)p, (const uint8_t *)p + len, false };
	size_t end = (size_t)e->owner_first + e->owner_n;

	if (!len)
		return 0;
	/* Records go where owner_first says, with no hole before them: a
	 * record cannot make the array grow past what it carries. */
	if (!e->owner_n || e->owner_first > t->owners_n || e->owner_n > len / 3)
		return -1;
	xgrow((void **)&t->owners, &t->owners_cap, end, sizeof(*t->owners));
	for (uint32_t k = 0; k < e->owner_n; k++) {
		struct sock_owner *o = &t->owners[e->owner_first + k];

		o->pid = (int32_t)(uint32_t)wire_get_u64(&in);
		o->fd = (int32_t)(uint32_t)wire_get_u64(&in);
		o->starttime = wire_get_u64(&in);
	}
	if (in.bad || wire_left(&in))
		return -1;
	if (end > t->owners_n)
		t->owners_n = end;
	return 0;
}

static void sock_owners_copy(struct snapshot *dst, void *row, const struct snapshot *src,
			     const void *srow)
{
	struct sock_entry *e = row;
	const struct sock_entry *se = srow;
	struct sock_table *t = &dst->socks;
	size_t end = (size_t)e->owner_first + e->owner_n;

	if (!se->owner_n || (uint64_t)se->owner_first + se->owner_n > src->socks.owners_n ||
	    e->owner_first > t->owners_n)
		return;
	xgrow((void **)&t->owners, &t->owners_cap, end, sizeof(*t->owners));
	memcpy(&t->owners[e->owner_first], &src->socks.owners[se->owner_first],
	       se->owner_n * sizeof(*t->owners));
	if (end > t->owners_n)
		t->owners_n = end;
}

#define SE struct sock_entry
#define F_UWORD(k) { "u.word" #k, offsetof(SE, u) + 4 * (k), 4, CF_INT, 0, NULL, NULL, NULL }

static const struct codec_field sock_fields[] = {
	F_INT(SE, cookie),
	F_INT(SE, inode),
	F_INT(SE, uid),
	F_INT(SE, kind),
	F_INT(SE, family),
	F_INT(SE, type),
	F_INT(SE, protocol),
	F_INT(SE, state),
	F_INT(SE, source),
	F_INT(SE, timer),
	F_INT(SE, retrans),
	F_INT(SE, skmem_n),
	F_INT(SE, shutdown),
	/* has_tcpinfo, has_cgroup, has_rqlen: the bit-field byte after shutdown */
	{ "flags", offsetof(SE, shutdown) + 1, 1, CF_INT, 0, NULL, NULL, NULL },
	F_INT(SE, sport),
	F_INT(SE, dport),
	F_INT(SE, rqueue),
	F_INT(SE, wqueue),
	F_INT(SE, expires_ms),
	F_INT(SE, skmem[SKMEM_RMEM_ALLOC]),
	F_INT(SE, skmem[SKMEM_RCVBUF]),
	F_INT(SE, skmem[SKMEM_WMEM_ALLOC]),
	F_INT(SE, skmem[SKMEM_SNDBUF]),
	F_INT(SE, skmem[SKMEM_FWD_ALLOC]),
	F_INT(SE, skmem[SKMEM_WMEM_QUEUED]),
	F_INT(SE, skmem[SKMEM_OPTMEM]),
	F_INT(SE, skmem[SKMEM_BACKLOG]),
	F_INT(SE, skmem[SKMEM_DROPS]),
	F_INT(SE, cgroup_id),
	/* the union past its head (sock_head_get): 4-byte words, whatever
	 * the kind; a word that does not change costs nothing */
	F_UWORD(2), F_UWORD(3), F_UWORD(4), F_UWORD(5), F_UWORD(6), F_UWORD(7),
	F_UWORD(8), F_UWORD(9), F_UWORD(10), F_UWORD(11), F_UWORD(12), F_UWORD(13),
	F_UWORD(14), F_UWORD(15),
	F_RUN(SE, owner_first, owner_n),
	F_INT(SE, owner_n),
	F_FN("u.head", sock_head_get, sock_head_put, sock_head_copy),
	F_FN("owners", sock_owners_get, sock_owners_put, sock_owners_copy),
};

#undef SE

/* ---- processes, counters, notes ---------------------------------------------- */

static int proc_cmp(const void *a, const void *b)
{
	const struct proc_entry *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->starttime > y->starttime) - (x->starttime < y->starttime);
}

static const struct codec_field proc_fields[] = {
	F_INT(struct proc_entry, pid),
	F_INT(struct proc_entry, ppid),
	F_INT(struct proc_entry, uid),
	F_INT(struct proc_entry, starttime),
	F_CHARS(struct proc_entry, comm),
	F_POOLSTR(struct proc_entry, cmdline),
	F_INT(struct proc_entry, state),
	F_INT(struct proc_entry, threads),
	F_INT(struct proc_entry, rss_bytes),
	F_INT(struct proc_entry, pss_bytes),
	F_INT(struct proc_entry, swap_bytes),
	F_INT(struct proc_entry, fd_count),
	F_INT(struct proc_entry, sock_count),
	F_INT(struct proc_entry, sock_mem_bytes),
	F_INT(struct proc_entry, fd_status),
	F_INT(struct proc_entry, has_pss),
	F_INT(struct proc_entry, kthread),
};

static const struct codec_pool proc_pool = {
	offsetof(struct snapshot, procs.strings),
	offsetof(struct snapshot, procs.strings_len),
	offsetof(struct snapshot, procs.strings_cap),
};

static int counter_cmp(const void *a, const void *b)
{
	const struct net_counter *x = a, *y = b;

	return strncmp(x->name, y->name, sizeof(x->name));
}

static const struct codec_field counter_fields[] = {
	F_CHARS(struct net_counter, name),
	F_INT(struct net_counter, value),
	F_INT(struct net_counter, negative),
};

static const struct codec_field note_fields[] = {
	F_INT(struct note, kind),
	F_CHARS(struct note, source),
	F_INT(struct note, line),
	F_CHARS(struct note, msg),
};

TABLE(meminfo_codec, "meminfo", true, struct meminfo_field, meminfo_fields, NULL, meminfo_rows,
      meminfo_set, NULL);
TABLE(slab_codec, "slab", true, struct slab_cache, slab_fields, slab_cmp, slab_rows, slab_set,
      NULL);
TABLE(vmalloc_codec, "vmalloc", true, struct vmalloc_caller, vmalloc_fields, vmalloc_cmp,
      vmalloc_rows, vmalloc_set, NULL);
TABLE(tmpfs_codec, "tmpfs", true, struct tmpfs_mount, tmpfs_fields, tmpfs_cmp, tmpfs_rows,
      tmpfs_set, NULL);
TABLE(sock_codec, "sockets", false, struct sock_entry, sock_fields, sock_cmp, socks_rows,
      socks_set, NULL);
TABLE(proc_codec, "processes", false, struct proc_entry, proc_fields, proc_cmp, procs_rows,
      procs_set, &proc_pool);
TABLE(counter_codec, "counters", false, struct net_counter, counter_fields, counter_cmp,
      counters_rows, counters_set, NULL);
TABLE(note_codec, "notes", false, struct note, note_fields, NULL, notes_rows, notes_set, NULL);
/* In file order, like meminfo: matched by position. */
TABLE(vmstat_codec, "vmstat", true, struct vmstat_field, vmstat_fields, NULL, vmstat_rows,
      vmstat_set, NULL);

/* In this order on the wire; the index + 1 is the section id: append only. */
const struct codec_table *const codec_tables[] = {
	&head_codec, &mem_codec, &meminfo_codec, &slab_codec, &vmalloc_codec, &tmpfs_codec,
	&sockscalar_codec, &sock_codec, &proc_codec, &tcp_codec, &counter_codec, &note_codec,
	&vmstat_codec,
};
const size_t codec_ntables = ARRAY_SIZE(codec_tables);
