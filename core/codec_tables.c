/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the sample encoding stores: one field table per section. This is
 * the file to touch when a struct of the snapshot grows.
 *
 *   - a new member of a row struct (sock_entry, proc_entry, ...): add one
 *     line to its table, F_INT / F_CHARS / F_STR as its type says; append
 *     it at the end of the table, since old records number fields by
 *     position within a table;
 *   - a member that is an offset into a table's string pool (uint32_t
 *     *_off): an F_FN_AT line with OFF_STR_HOOKS, which code the string;
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
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "compat.h"
#include "xalloc.h"

/* clang-format off */
#define F_INT(T, m) { #m, offsetof(T, m), sizeof(((T *)0)->m), CF_INT, 0, NULL, NULL, NULL }
#define F_CHARS(T, m) { #m, offsetof(T, m), sizeof(((T *)0)->m), CF_CHARS, 0, NULL, NULL, NULL }
#define F_STR(T, m) { #m, offsetof(T, m), sizeof(char *), CF_STR, 0, NULL, NULL, NULL }
#define F_POOLSTR(T, m) { #m, offsetof(T, m), sizeof(char *), CF_POOLSTR, 0, NULL, NULL, NULL }
#define F_RUN(T, m, count) { #m, offsetof(T, m), 4, CF_RUN, offsetof(T, count), NULL, NULL, NULL }
#define F_FN(name, get, put, copy) { name, 0, 0, CF_FN, 0, get, put, copy }
/* clang-format on */
/* A hook field that codes size bytes of the row from member m on. */
#define F_FN_AT(name, T, m, size, get, put, copy) \
	{ name, offsetof(T, m), size, CF_FN, 0, get, put, copy }

#define TABLE(ident, nm, mem, T, fields, cmpf, rowsf, setf, poolp)                    \
	static const struct codec_table ident = {                                    \
		.name = nm, .memory = mem, .row_size = sizeof(T),     \
		.f = fields, .nf = ARRAY_SIZE(fields), .cmp = cmpf, .rows = rowsf,     \
		.set_rows = setf, .pool = poolp,                                       \
	}

/* ---- strings held as offsets into a pool of their table ---------------------- */

/*
 * A uint32 offset (procs' cgroup paths, a cgroup's path and name, the
 * mount points) becomes the string's bytes: none when the offset is past
 * the pool (each table's "none", or a table never filled), else STR_SOME
 * and the bytes, so that "" and none stay apart.
 */
enum { STR_SOME = 1 };

static uint32_t u32_at(const void *row, size_t off)
{
	uint32_t v;

	memcpy(&v, (const char *)row + off, 4);
	return v;
}

static void u32_set(void *row, size_t off, uint32_t v)
{
	memcpy((char *)row + off, &v, 4);
}

/* The string at off, or *p NULL. */
static void off_str_find(const char *pool, size_t pool_len, uint32_t off, const char **p,
			 size_t *len)
{
	*p = NULL;
	*len = 0;
	if (!pool || off >= pool_len)
		return;
	*p = pool + off;
	*len = strnlen(*p, pool_len - off);
}

static void off_str_get(const char *pool, size_t pool_len, uint32_t off, struct buf *out)
{
	uint8_t tag = STR_SOME;
	const char *p;
	size_t len;

	off_str_find(pool, pool_len, off, &p, &len);
	if (!p)
		return;
	buf_append(out, &tag, 1);
	buf_append(out, p, len);
}

/* off_str_get's bytes back into a string (*p NULL: none); -1 when they are not. */
static int off_str_parse(const char *in, size_t in_len, const char **p, size_t *len)
{
	*p = NULL;
	*len = 0;
	if (!in_len)
		return 0;
	if (in[0] != STR_SOME || memchr(in + 1, '\0', in_len - 1))
		return -1;
	*p = in + 1;
	*len = in_len - 1;
	return 0;
}

/* get/put/copy of the offset at byte off of a row, into s->tbl's pool;
 * add(s, p, len) stores a string (p NULL: none) and returns its offset. */
#define OFF_STR_HOOKS(prefix, off, tbl, add)                                          \
	static void prefix##_get(const struct snapshot *s, const void *row, struct buf *out) \
	{                                                                             \
		off_str_get(s->tbl.strings, s->tbl.strings_len, u32_at(row, off), out); \
	}                                                                             \
	static int prefix##_put(struct snapshot *s, void *row, const char *in, size_t n) \
	{                                                                             \
		const char *p;                                                        \
		size_t len;                                                           \
                                                                                      \
		if (off_str_parse(in, n, &p, &len))                                   \
			return -1;                                                    \
		u32_set(row, off, add(s, p, len));                                    \
		return 0;                                                             \
	}                                                                             \
	static void prefix##_copy(struct snapshot *dst, void *row, const struct snapshot *src, \
				  const void *srow)                                   \
	{                                                                             \
		const char *p;                                                        \
		size_t len;                                                           \
                                                                                      \
		off_str_find(src->tbl.strings, src->tbl.strings_len, u32_at(srow, off), &p, \
			     &len);                                                   \
		u32_set(row, off, add(dst, p, len));                                  \
	}

/* ---- scalars of struct snapshot ------------------------------------------- */

#define S struct snapshot

/* clang-format off */
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
/* clang-format on */

/* Derived memory is stored, not recomputed: it depends on meminfo, on
 * vmallocinfo (the stack evidence and, on old kernels, its total) and on
 * which of them the sampler could read; delta-coded it costs a few bytes. */
/* clang-format off */
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
/* clang-format on */

/* clang-format off */
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
/* clang-format on */

/* clang-format off */
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
/* clang-format on */

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

/* clang-format off */
static const struct codec_field vmstat_fields[] = {
	F_CHARS(struct vmstat_field, name),
	F_INT(struct vmstat_field, value),
};
/* clang-format on */

/* clang-format off */
static const struct codec_field meminfo_fields[] = {
	F_CHARS(struct meminfo_field, name),
	F_INT(struct meminfo_field, value),
	F_INT(struct meminfo_field, is_bytes),
};
/* clang-format on */

static int slab_cmp(const void *a, const void *b)
{
	const struct slab_cache *x = a, *y = b;

	return strncmp(x->name, y->name, sizeof(x->name));
}

/* clang-format off */
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
/* clang-format on */

static int vmalloc_cmp(const void *a, const void *b)
{
	const struct vmalloc_caller *x = a, *y = b;
	int c = strncmp(x->caller, y->caller, sizeof(x->caller));

	return c ? c : strncmp(x->kind, y->kind, sizeof(x->kind));
}

/* clang-format off */
static const struct codec_field vmalloc_fields[] = {
	F_CHARS(struct vmalloc_caller, caller),
	F_CHARS(struct vmalloc_caller, kind),
	F_INT(struct vmalloc_caller, areas),
	F_INT(struct vmalloc_caller, pages),
	F_INT(struct vmalloc_caller, bytes),
	F_INT(struct vmalloc_caller, vsize_bytes),
};
/* clang-format on */

static int tmpfs_cmp(const void *a, const void *b)
{
	const struct tmpfs_mount *x = a, *y = b;

	if (!x->mountpoint || !y->mountpoint)
		return !!x->mountpoint - !!y->mountpoint;
	return strcmp(x->mountpoint, y->mountpoint);
}

/* clang-format off */
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
/* clang-format on */

/* ---- sockets ----------------------------------------------------------------- */

static int sock_cmp(const void *a, const void *b)
{
	return sock_identity_cmp(a, b);
}

/*
 * The first 8 bytes of the union hold offsets into this sample's pool,
 * meaningless in another, for two kinds of socket: a unix socket's path
 * (path_off, path_len) becomes the path bytes, tagged 1; an IPv6 socket's
 * addresses (offset and hash) become the 32 address bytes, tagged 3.
 * Anything else, tagged 2, is kept as raw bytes (IPv4 addresses, a packet
 * socket's ifindex...).
 */
enum { HEAD_PATH = 1, HEAD_RAW = 2, HEAD_ADDR6 = 3 };

static bool has_path(const struct sock_table *t, const struct sock_entry *e)
{
	return e->kind == SK_UNIX && e->u.un.path_off != UINT32_MAX && t->strings &&
	       (uint64_t)e->u.un.path_off + e->u.un.path_len <= t->strings_len;
}

static bool is_inet6(const struct sock_entry *e)
{
	return e->kind <= SK_RAW && e->family == AF_INET6;
}

static bool has_addr6(const struct sock_table *t, const struct sock_entry *e)
{
	return is_inet6(e) && e->u.in.addr.v6.off != UINT32_MAX && t->strings &&
	       (uint64_t)e->u.in.addr.v6.off + 32 <= t->strings_len;
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
	if (has_addr6(t, e)) {
		tag = HEAD_ADDR6;
		buf_append(out, &tag, 1);
		buf_append(out, t->strings + e->u.in.addr.v6.off, 32);
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
	if (len == 33 && p[0] == HEAD_ADDR6 && is_inet6(e))
		return sock_set_inet_addrs(&s->socks, e, (const uint8_t *)p + 1,
					   (const uint8_t *)p + 17) ? 0 : -1;
	if (len < 1 || p[0] != HEAD_PATH || e->kind != SK_UNIX)
		return -1;
	off = sock_table_add_string(&s->socks, p + 1, len - 1);
	if (off == UINT32_MAX)
		return -1;
	e->u.un.path_off = off;
	e->u.un.path_len = (uint32_t)(len - 1);
	return 0;
}

/* The row was copied whole: only a path or an address pair needs a place in
 * the new pool. */
static void sock_head_copy(struct snapshot *dst, void *row, const struct snapshot *src,
			   const void *srow)
{
	struct sock_entry *e = row;
	const struct sock_entry *se = srow;

	if (has_addr6(&src->socks, se)) {
		const uint8_t *pair = (const uint8_t *)src->socks.strings + se->u.in.addr.v6.off;

		if (!sock_set_inet_addrs(&dst->socks, e, pair, pair + 16))
			e->u.in.addr.v6.off = UINT32_MAX;
		return;
	}
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
/* The words below cover the union: a union that grows needs more of them. */
_Static_assert(sizeof(((SE *)0)->u) == 4 * 10, "sock_entry.u is not 10 words");
#define F_UWORD(k) { "u.word" #k, offsetof(SE, u) + 4 * (k), 4, CF_INT, 0, NULL, NULL, NULL }

/* clang-format off */
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
	F_UWORD(8), F_UWORD(9),
	F_RUN(SE, owner_first, owner_n),
	F_INT(SE, owner_n),
	F_FN("u.head", sock_head_get, sock_head_put, sock_head_copy),
	F_FN("owners", sock_owners_get, sock_owners_put, sock_owners_copy),
};
/* clang-format on */

#undef SE

/* ---- processes, counters, notes ---------------------------------------------- */

static int proc_cmp(const void *a, const void *b)
{
	const struct proc_entry *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->starttime > y->starttime) - (x->starttime < y->starttime);
}

static const struct codec_pool proc_pool = {
	offsetof(struct snapshot, procs.strings),
	offsetof(struct snapshot, procs.strings_len),
	offsetof(struct snapshot, procs.strings_cap),
};

/* Into the pool of the cmdlines, which the decoder fixes up once the
 * table is complete: cmdline pointers survive the pool's growth. */
static uint32_t proc_str_add(struct snapshot *s, const char *p, size_t len)
{
	if (!p || s->procs.strings_len + len + 1 >= PROC_NO_CGROUP)
		return PROC_NO_CGROUP;
	return (uint32_t)codec_pool_add(s, &proc_pool, p, len);
}

OFF_STR_HOOKS(proc_cg_v2, offsetof(struct proc_entry, cg_v2_off), procs, proc_str_add)
OFF_STR_HOOKS(proc_cg_v1, offsetof(struct proc_entry, cg_v1_off), procs, proc_str_add)

/* clang-format off */
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
	F_FN_AT("cg_v2", struct proc_entry, cg_v2_off, 4, proc_cg_v2_get, proc_cg_v2_put,
		proc_cg_v2_copy),
	F_FN_AT("cg_v1", struct proc_entry, cg_v1_off, 4, proc_cg_v1_get, proc_cg_v1_put,
		proc_cg_v1_copy),
};
/* clang-format on */

static int counter_cmp(const void *a, const void *b)
{
	const struct net_counter *x = a, *y = b;

	return strncmp(x->name, y->name, sizeof(x->name));
}

/* clang-format off */
static const struct codec_field counter_fields[] = {
	F_CHARS(struct net_counter, name),
	F_INT(struct net_counter, value),
	F_INT(struct net_counter, negative),
};
/* clang-format on */

/* clang-format off */
static const struct codec_field note_fields[] = {
	F_INT(struct note, kind),
	F_CHARS(struct note, source),
	F_INT(struct note, line),
	F_CHARS(struct note, msg),
};
/* clang-format on */

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

/* ---- cgroups ------------------------------------------------------------------ */

static uint32_t cg_str_add(struct snapshot *s, const char *p, size_t len)
{
	return p ? cgroup_table_add_string(&s->cgroups, p, len) : CG_NONE;
}

OFF_STR_HOOKS(cg_path, offsetof(struct cgroup_entry, path_off), cgroups, cg_str_add)
OFF_STR_HOOKS(cg_name, offsetof(struct cgroup_entry, name_off), cgroups, cg_str_add)
OFF_STR_HOOKS(cg_mount, 0, cgroups, cg_str_add)

static bool kv_run_ok(const struct cgroup_table *t, const struct cgroup_entry *e)
{
	return (uint64_t)e->kv_first + e->kv_n <= t->kv_n;
}

/*
 * memory.stat is coded as two strings: its keys, the same in most cgroups
 * of a hierarchy and in every sample (one dictionary entry for them all),
 * and its values. A decoded row's lines are appended where the table ends,
 * so kv_first is where the decoder put them, not where the scan did (runs
 * of cgroups removed mid-walk can leave holes there).
 */
static void cg_stat_keys_get(const struct snapshot *s, const void *row, struct buf *out)
{
	const struct cgroup_entry *e = row;
	const struct cgroup_table *t = &s->cgroups;

	if (!kv_run_ok(t, e))
		return;
	for (uint32_t k = 0; k < e->kv_n; k++) {
		const char *key;
		size_t len;

		off_str_find(t->strings, t->strings_len, t->kv[e->kv_first + k].key_off, &key,
			     &len);
		wire_put_u64(out, len);
		wire_put_bytes(out, key, len);
	}
}

/* A name as the hooks below write it (length, bytes), or NULL when the
 * bytes are not one. */
static const char *get_name(struct wire_in *in, size_t *len)
{
	uint64_t n = wire_get_u64(in);
	const char *p = in->bad || n > wire_left(in) ? NULL : wire_get_bytes(in, n);

	*len = (size_t)n;
	return p && !memchr(p, '\0', n) ? p : NULL;
}

static int cg_stat_keys_put(struct snapshot *s, void *row, const char *p, size_t len)
{
	struct cgroup_entry *e = row;
	struct cgroup_table *t = &s->cgroups;
	struct wire_in in = { (const uint8_t *)p, (const uint8_t *)p + len, false };

	e->kv_first = (uint32_t)t->kv_n;
	e->kv_n = 0;
	while (wire_left(&in)) {
		size_t n;
		const char *key = get_name(&in, &n);
		uint32_t off;

		if (!key)
			return -1;
		off = cgroup_table_intern_key(t, e->kv_n, key, n);
		if (off == CG_NONE)
			return -1;
		xgrow((void **)&t->kv, &t->kv_cap, t->kv_n + 1, sizeof(*t->kv));
		t->kv[t->kv_n++] = (struct cgroup_kv){ .value = 0, .key_off = off };
		e->kv_n++;
	}
	return 0;
}

static void cg_stat_values_get(const struct snapshot *s, const void *row, struct buf *out)
{
	const struct cgroup_entry *e = row;
	const struct cgroup_table *t = &s->cgroups;

	if (!kv_run_ok(t, e))
		return;
	for (uint32_t k = 0; k < e->kv_n; k++)
		wire_put_u64(out, t->kv[e->kv_first + k].value);
}

/* After the keys (the field before): one value per line they made. */
static int cg_stat_values_put(struct snapshot *s, void *row, const char *p, size_t len)
{
	struct cgroup_entry *e = row;
	struct cgroup_table *t = &s->cgroups;
	struct wire_in in = { (const uint8_t *)p, (const uint8_t *)p + len, false };

	if (!kv_run_ok(t, e))
		return -1;
	for (uint32_t k = 0; k < e->kv_n; k++)
		t->kv[e->kv_first + k].value = wire_get_u64(&in);
	return in.bad || wire_left(&in) ? -1 : 0;
}

/* v1's slab caches of the cgroup: (name, active_objs, num_objs, objsize,
 * bytes) each, appended where the decoded table ends, like memory.stat. */
static void cg_slabs_get(const struct snapshot *s, const void *row, struct buf *out)
{
	const struct cgroup_entry *e = row;
	const struct cgroup_table *t = &s->cgroups;

	if ((uint64_t)e->slab_first + e->slab_n > t->slabs_n)
		return;
	for (uint32_t k = 0; k < e->slab_n; k++) {
		const struct cgroup_slab *sl = &t->slabs[e->slab_first + k];
		const char *name;
		size_t len;

		off_str_find(t->strings, t->strings_len, sl->name_off, &name, &len);
		wire_put_u64(out, len);
		wire_put_bytes(out, name, len);
		wire_put_u64(out, sl->active_objs);
		wire_put_u64(out, sl->num_objs);
		wire_put_u64(out, sl->objsize);
		wire_put_u64(out, sl->bytes);
	}
}

static int cg_slabs_put(struct snapshot *s, void *row, const char *p, size_t len)
{
	struct cgroup_entry *e = row;
	struct cgroup_table *t = &s->cgroups;
	struct wire_in in = { (const uint8_t *)p, (const uint8_t *)p + len, false };

	e->slab_first = (uint32_t)t->slabs_n;
	e->slab_n = 0;
	while (wire_left(&in)) {
		size_t n;
		const char *name = get_name(&in, &n);
		struct cgroup_slab sl;

		if (!name)
			return -1;
		sl.name_off = cgroup_table_add_string(t, name, n);
		sl.active_objs = wire_get_u64(&in);
		sl.num_objs = wire_get_u64(&in);
		sl.objsize = wire_get_u64(&in);
		sl.bytes = wire_get_u64(&in);
		if (in.bad || sl.name_off == CG_NONE)
			return -1;
		xgrow((void **)&t->slabs, &t->slabs_cap, t->slabs_n + 1, sizeof(*t->slabs));
		t->slabs[t->slabs_n++] = sl;
		e->slab_n++;
	}
	return 0;
}

static int cgroup_cmp_in(const struct snapshot *sa, const void *a, const struct snapshot *sb,
			 const void *b)
{
	return cgroup_entry_cmp(&sa->cgroups, a, &sb->cgroups, b);
}

static const void *cgroups_rows(const struct snapshot *s, size_t *n)
{
	*n = s->cgroups.n;
	return s->cgroups.v;
}

/* The id index is not stored: it is rebuilt from the rows. */
static void cgroups_set(struct snapshot *s, void *v, size_t n)
{
	s->cgroups.v = v;
	s->cgroups.n = s->cgroups.cap = n;
	cgroup_table_finish(&s->cgroups);
}

#define CG struct cgroup_entry
#define F_CGV(k) { "v[" #k "]", offsetof(CG, v) + 8 * (k), 8, CF_INT, 0, NULL, NULL, NULL }

/* parent and depth are stored, not derived from the paths: they are what
 * the walk found, and a kept row costs nothing. */
/* clang-format off */
static const struct codec_field cgroup_fields[] = {
	F_INT(CG, hier),
	F_FN_AT("path", CG, path_off, 4, cg_path_get, cg_path_put, cg_path_copy),
	F_FN_AT("name", CG, name_off, 4, cg_name_get, cg_name_put, cg_name_copy),
	F_INT(CG, flags),
	F_INT(CG, depth),
	F_INT(CG, parent),
	F_INT(CG, id),
	F_INT(CG, present),
	F_CGV(CGV_CURRENT), F_CGV(CGV_MAX), F_CGV(CGV_ANON), F_CGV(CGV_FILE),
	F_CGV(CGV_SHMEM), F_CGV(CGV_KERNEL), F_CGV(CGV_SLAB_R), F_CGV(CGV_SLAB_U),
	F_CGV(CGV_SOCK), F_CGV(CGV_KSTACK), F_CGV(CGV_PAGETABLES), F_CGV(CGV_PERCPU),
	F_CGV(CGV_VMALLOC), F_CGV(CGV_EV_LOW), F_CGV(CGV_EV_HIGH), F_CGV(CGV_EV_MAX),
	F_CGV(CGV_EV_OOM), F_CGV(CGV_EV_OOM_KILL),
	F_FN_AT("stat keys", CG, kv_first, 8, cg_stat_keys_get, cg_stat_keys_put, NULL),
	F_FN("stat values", cg_stat_values_get, cg_stat_values_put, NULL),
	F_FN_AT("slabs", CG, slab_first, 8, cg_slabs_get, cg_slabs_put, NULL),
	F_INT(CG, nprocs),
	F_INT(CG, nsocks),
	F_INT(CG, sock_mem),
};
/* clang-format on */

#undef F_CGV
#undef CG

static const struct codec_table cgroup_codec = {
	.name = "cgroups", .row_size = sizeof(struct cgroup_entry), .f = cgroup_fields,
	.nf = ARRAY_SIZE(cgroup_fields), .cmp_in = cgroup_cmp_in, .rows = cgroups_rows,
	.set_rows = cgroups_set,
};

/* The mount point of each hierarchy: a row per hierarchy, by position. */
static const void *cgroup_mounts_rows(const struct snapshot *s, size_t *n)
{
	*n = CG_HIER_COUNT;
	return s->cgroups.mount_off;
}

static void cgroup_mounts_set(struct snapshot *s, void *v, size_t n)
{
	const uint32_t *off = v;

	for (size_t h = 0; h < CG_HIER_COUNT; h++)
		s->cgroups.mount_off[h] = h < n ? off[h] : CG_NONE;
	free(v);
}

/* clang-format off */
static const struct codec_field cgroup_mount_fields[] = {
	{ "mount", 0, 4, CF_FN, 0, cg_mount_get, cg_mount_put, cg_mount_copy },
};
/* clang-format on */

#define S struct snapshot

/* clang-format off */
static const struct codec_field cgroup_scalar_fields[] = {
	F_INT(S, cgroups.memory[CG_HIER_V2]),
	F_INT(S, cgroups.memory[CG_HIER_V1]),
	F_INT(S, cgroups.v1_systemd),
	F_INT(S, cgroups.truncated),
};
/* clang-format on */

#undef S

TABLE(cgroup_mount_codec, "cgroup mounts", false, uint32_t, cgroup_mount_fields, NULL,
      cgroup_mounts_rows, cgroup_mounts_set, NULL);
TABLE(cgroup_scalar_codec, "cgroup hierarchies", false, struct snapshot, cgroup_scalar_fields,
      NULL, snap_itself, NULL, NULL);

/* In this order on the wire; the index + 1 is the section id: append only. */
const struct codec_table *const codec_tables[] = {
	&head_codec, &mem_codec, &meminfo_codec, &slab_codec, &vmalloc_codec, &tmpfs_codec,
	&sockscalar_codec, &sock_codec, &proc_codec, &tcp_codec, &counter_codec, &note_codec,
	&vmstat_codec, &cgroup_codec, &cgroup_mount_codec, &cgroup_scalar_codec,
};
const size_t codec_ntables = ARRAY_SIZE(codec_tables);
