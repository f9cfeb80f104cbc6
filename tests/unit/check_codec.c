/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sample encoding: what is decoded equals what was encoded, for
 * fixture, synthetic and live samples, across keyframes; damaged records
 * are refused with a message; no struct has bytes the field tables miss.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec_rows.h"
#include "compat.h"
#include "expect.h"
#include "root.h"
#include "sample_codec.h"
#include "sampler.h"
#include "snapshot.h"
#include "suites.h"
#include "xalloc.h"

#include <zstd.h>

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void add_meminfo(struct snapshot *s, const char *name, uint64_t v)
{
	struct meminfo_field *f;

	s->meminfo.v = xreallocarray(s->meminfo.v, s->meminfo.n + 1, sizeof(*f));
	f = &s->meminfo.v[s->meminfo.n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->value = v;
	f->is_bytes = true;
}

static void add_proc(struct snapshot *s, int32_t pid, const char *comm, const char *cmdline)
{
	struct proc_table *pt = &s->procs;
	struct proc_entry *p;

	xgrow((void **)&pt->v, &pt->cap, pt->n + 1, sizeof(*p));
	p = &pt->v[pt->n++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = 1;
	p->starttime = 1000 + (uint64_t)pid;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	p->state = 'S';
	p->rss_bytes = 4096 * (uint64_t)pid;
	p->fd_status = PROC_FD_OK;
	if (cmdline) {
		size_t len = strlen(cmdline) + 1;

		xgrow((void **)&pt->strings, &pt->strings_cap, pt->strings_len + len, 1);
		memcpy(pt->strings + pt->strings_len, cmdline, len);
		/* offset for now: fixed up once the pool stops moving */
		p->cmdline = (char *)(uintptr_t)(pt->strings_len + 1);
		pt->strings_len += len;
	}
}

/* The cgroup paths of the last process added (NULL: unknown). */
static void proc_cgroups(struct snapshot *s, const char *v2, const char *v1)
{
	struct proc_table *pt = &s->procs;
	const char *path[2] = { v2, v1 };
	uint32_t off[2];

	for (size_t h = 0; h < 2; h++) {
		size_t len = path[h] ? strlen(path[h]) + 1 : 0;

		off[h] = PROC_NO_CGROUP;
		if (!path[h])
			continue;
		xgrow((void **)&pt->strings, &pt->strings_cap, pt->strings_len + len, 1);
		memcpy(pt->strings + pt->strings_len, path[h], len);
		off[h] = (uint32_t)pt->strings_len;
		pt->strings_len += len;
	}
	pt->v[pt->n - 1].cg_v2_off = off[0];
	pt->v[pt->n - 1].cg_v1_off = off[1];
}

static void fix_cmdlines(struct snapshot *s)
{
	for (size_t i = 0; i < s->procs.n; i++)
		if (s->procs.v[i].cmdline)
			s->procs.v[i].cmdline =
				s->procs.strings + ((uintptr_t)s->procs.v[i].cmdline - 1);
}

/* One memory.stat line of the last row. */
static void cg_kv(struct cgroup_table *t, const char *key, uint64_t value)
{
	uint32_t off = cgroup_table_intern_key(t, t->v[t->n - 1].kv_n, key, strlen(key));

	xgrow((void **)&t->kv, &t->kv_cap, t->kv_n + 1, sizeof(*t->kv));
	t->kv[t->kv_n++] = (struct cgroup_kv){ .value = value, .key_off = off };
	t->v[t->n - 1].kv_n++;
}

static void cg_slab(struct cgroup_table *t, const char *name, uint64_t objs)
{
	struct cgroup_slab *sl;

	xgrow((void **)&t->slabs, &t->slabs_cap, t->slabs_n + 1, sizeof(*t->slabs));
	sl = &t->slabs[t->slabs_n++];
	sl->name_off = cgroup_table_add_string(t, name, strlen(name));
	sl->active_objs = objs;
	sl->num_objs = objs + 1;
	sl->objsize = 192;
	sl->bytes = (objs + 1) * 192;
	t->v[t->n - 1].slab_n++;
}

/*
 * A hybrid cgroup table: v2 with a service that comes and goes
 * (b.service, absent when v % 3 == 1), values and memory.stat that move
 * with v, a key that appears from v 6 on; v1 with slab caches. Rows in
 * table order, as the walk makes them.
 */
static void synth_cgroups(struct cgroup_table *t, unsigned int v)
{
	static const struct {
		uint8_t hier;
		const char *path;
		uint16_t depth;
		uint32_t parent;
	} rows[] = {
		{ CG_HIER_V2, "/", 0, CG_NONE },
		{ CG_HIER_V2, "/system.slice", 1, 0 },
		{ CG_HIER_V2, "/system.slice/a.service", 2, 1 },
		{ CG_HIER_V2, "/system.slice/b.service", 2, 1 },
		{ CG_HIER_V2, "/user.slice", 1, 0 },
		{ CG_HIER_V1, "/", 0, CG_NONE },
		{ CG_HIER_V1, "/docker", 1, 0 },
	};
	uint32_t index[ARRAY_SIZE(rows)];

	cgroup_table_free(t);
	t->mount_off[CG_HIER_V2] = cgroup_table_add_string(t, "/sys/fs/cgroup/unified", 22);
	t->mount_off[CG_HIER_V1] = cgroup_table_add_string(t, "/sys/fs/cgroup/memory", 21);
	t->memory[CG_HIER_V2] = v % 4 != 3;
	t->memory[CG_HIER_V1] = true;
	t->v1_systemd = true;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct cgroup_entry *e;

		index[i] = (uint32_t)t->n;
		if (i == 3 && v % 3 == 1)
			continue;
		e = cgroup_table_add(t, rows[i].hier, rows[i].path, 100 + i);
		e->depth = rows[i].depth;
		e->parent = rows[i].parent == CG_NONE ? CG_NONE : index[rows[i].parent];
		e->flags = i == 2 && v % 2 ? CGF_UNLIMITED | CGF_JOINED : CGF_JOINED;
		e->present = 1u << CGV_CURRENT | 1u << CGV_ANON | (i == 4 ? 1u << CGV_EV_OOM : 0);
		e->v[CGV_CURRENT] = (1ULL << 20) * (i + 1) + (i == 2 ? 4096 * v : 0);
		e->v[CGV_ANON] = e->v[CGV_CURRENT] / 2;
		e->v[CGV_EV_OOM] = i == 4 ? v / 3 : 0;
		e->nprocs = (uint32_t)i;
		e->nsocks = i == 2 ? v : 0;
		e->sock_mem = e->nsocks * 4096ULL;
		cg_kv(t, rows[i].hier == CG_HIER_V2 ? "anon" : "total_rss", e->v[CGV_ANON]);
		cg_kv(t, "file", 8192 * (i + (i == 1 ? v : 0)));
		if (v > 5)
			cg_kv(t, "zswap", v);
		if (rows[i].hier == CG_HIER_V1) {
			cg_slab(t, "dentry", 10 * i + v);
			cg_slab(t, "kmalloc-64", 3);
		}
	}
	cgroup_table_finish(t);
}

/* nsock sockets (every 4th unix with a path), owners for every 3rd; the
 * version v shifts values so consecutive versions differ in a few rows. */
static struct snapshot *synth(uint64_t seq, size_t nsock, unsigned int v)
{
	struct snapshot *s = snapshot_new();
	struct slab_cache *c;

	s->seq = seq;
	s->t_mono_ns = seq * 60000000000ULL;
	s->t_real.tv_sec = 1700000000 + (time_t)seq * 60;
	s->page_size = 4096;
	s->sections = SNAP_ALL;
	add_meminfo(s, "MemTotal", 8ULL << 30);
	add_meminfo(s, "MemFree", (1ULL << 30) + v * 4096);
	add_meminfo(s, "Slab", 200000000 + v);
	s->mem.cls[MEM_ANON] = 100000 + v;
	s->mem.valid = true;
	s->slab.n = 3;
	s->slab.v = xcalloc(3, sizeof(*s->slab.v));
	for (size_t i = 0; i < 3; i++) {
		c = &s->slab.v[i];
		snprintf(c->name, sizeof(c->name), "cache-%zu", i);
		c->num_objs = 100 * i + (i == 1 ? v : 0);
		c->bytes = c->num_objs * 64;
	}
	s->slab.v[2].merged_with = xstrdup(v % 2 ? "a,b" : "a,b,c");
	s->slab.v[2].merged_id = xstrdup(":A-0000064");
	s->tmpfs.n = 1;
	s->tmpfs.v = xcalloc(1, sizeof(*s->tmpfs.v));
	s->tmpfs.v[0].mountpoint = xstrdup("/dev/shm");
	s->tmpfs.v[0].source = xstrdup("tmpfs");
	snprintf(s->tmpfs.v[0].fstype, sizeof(s->tmpfs.v[0].fstype), "tmpfs");
	s->tmpfs.v[0].used_bytes = 4096 * (uint64_t)v;
	for (size_t i = 0; i < nsock; i++) {
		struct sock_entry *e = sock_table_add(&s->socks);

		memset(e, 0, sizeof(*e));
		e->inode = (uint32_t)(1000 + 2 * i + (i % 50 == 7 ? v % 2 : 0));
		e->cookie = 5000 + i;
		if (i % 4 == 3) {
			char path[64];
			int n = snprintf(path, sizeof(path), "/run/app-%zu.sock", i % 17);

			e->kind = SK_UNIX;
			e->family = 1;
			e->u.un.path_off = sock_table_add_string(&s->socks, path, (size_t)n + 1);
			e->u.un.path_len = (uint32_t)n + 1;
			e->u.un.peer_inode = (uint32_t)i;
		} else {
			e->kind = SK_TCP;
			e->family = 2;
			e->state = 1;
			e->sport = (uint16_t)(40000 + i);
			e->dport = 8080;
			if (i % 4 == 1) {
				/* IPv6: the pair goes into the pool; one
				 * peer moves with v, as a delta carries it */
				uint8_t sa[16] = { 0 }, da[16] = { 0xfd };

				e->family = 10;
				sa[15] = 1;
				da[14] = (uint8_t)(i % 5);
				da[15] = (uint8_t)(i % 50 == 9 ? v : 1);
				ck_assert(sock_set_inet_addrs(&s->socks, e, sa, da));
			} else {
				e->u.in.addr.v4.saddr[0] = 127;
				e->u.in.addr.v4.daddr[0] = 127;
				e->u.in.addr.v4.daddr[3] = 1;
			}
			e->has_tcpinfo = 1;
			e->skmem_n = SKMEM_COUNT;
			e->skmem[SKMEM_RMEM_ALLOC] = (uint32_t)(i % 100 == v % 100 ? 1000 * v : 0);
			e->rqueue = e->skmem[SKMEM_RMEM_ALLOC] / 2;
		}
	}
	sock_table_finish(&s->socks);
	for (size_t i = 0; i < s->socks.n; i++) {
		struct sock_entry *e = &s->socks.v[i];

		e->owner_first = (uint32_t)s->socks.owners_n;
		if (i % 3)
			continue;
		xgrow((void **)&s->socks.owners, &s->socks.owners_cap, s->socks.owners_n + 1,
		      sizeof(*s->socks.owners));
		s->socks.owners[s->socks.owners_n++] =
			(struct sock_owner){ .pid = 100 + (int32_t)(i % 7), .fd = 3 + (int32_t)i,
					     .starttime = 1100 };
		e->owner_n = 1;
	}
	s->socks.owners_scanned = true;
	for (int32_t pid = 100; pid < 107; pid++) {
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "server --port %d --gen %u", pid, pid == 103 ? v : 0);
		if (pid == 105 && v % 3 == 1)
			continue;	/* comes and goes */
		add_proc(s, pid, pid == 104 && v > 5 ? "renamed" : "server", pid == 106 ? NULL : cmd);
		/* with both paths, one, none; moved between cgroups in some versions */
		if (pid % 3 == 0)
			proc_cgroups(s, v % 2 ? "/system.slice/b.service" : "/system.slice/a.service",
				     "/docker");
		else if (pid % 3 == 1)
			proc_cgroups(s, "/user.slice", NULL);
		else
			proc_cgroups(s, NULL, NULL);
	}
	fix_cmdlines(s);
	s->tcp.has_sockstat = true;
	s->tcp.tcp_inuse = nsock;
	s->tcp_states[1] = (uint32_t)nsock;
	if (v % 4 != 2) {
		s->tcp.counters = xcalloc(2, sizeof(*s->tcp.counters));
		s->tcp.ncounters = s->tcp.counters_cap = 2;
		snprintf(s->tcp.counters[0].name, 48, "TcpExt:PruneCalled");
		s->tcp.counters[0].value = v;
		snprintf(s->tcp.counters[1].name, 48, "Tcp:MaxConn");
		s->tcp.counters[1].value = UINT64_MAX;
		s->tcp.counters[1].negative = true;
	} else {
		notes_add(&s->notes, NOTE_MISSING, SRC_TCP, 0, "flipped off in version %u", v);
	}
	if (v % 5 == 4)
		notes_add(&s->notes, NOTE_WARN, "sock_diag tcp", 3, "skipped %u", v);
	synth_cgroups(&s->cgroups, v);
	return s;
}

/* The decoded table finds every v2 cgroup by id, as the scanned one does:
 * the index is rebuilt, not stored. */
static void check_cgroup_index(const struct snapshot *orig, const struct snapshot *got)
{
	const struct cgroup_table *t = &got->cgroups;

	ck_assert_uint_eq(t->by_id_n, orig->cgroups.by_id_n);
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].hier == CG_HIER_V2)
			ck_assert_ptr_eq(cgroup_table_find_id(t, t->v[i].id), &t->v[i]);
}

/* Encode seq with keyframes every k, decode each, compare with the original. */
static void round_trip(struct snapshot **seq, size_t n, size_t k)
{
	struct sample_encoder *e = sample_encoder_new(0);
	struct sample_decoder *d = sample_decoder_new();
	struct snapshot *prev = NULL;
	struct buf rec = { 0 };
	char why[256];

	for (size_t i = 0; i < n; i++) {
		const char *err = NULL;
		struct snapshot *got;
		struct sample_record_info info;

		ck_assert_int_eq(sample_encode(e, seq[i], i % k == 0, &rec), 0);
		ck_assert_int_eq(sample_record_peek(rec.data, rec.len, &info), 0);
		ck_assert(info.keyframe == (i % k == 0));
		ck_assert_uint_eq(info.seq, seq[i]->seq);
		got = sample_decode(d, rec.data, rec.len, prev, &err);
		ck_assert_msg(got, "sample %zu: %s", i, err ? err : "?");
		ck_assert_int_eq(got->refs, 1);
		ck_assert_msg(snapshot_equal(seq[i], got, why, sizeof(why)), "sample %zu: %s", i,
			      why);
		check_cgroup_index(seq[i], got);
		snapshot_unref(prev);
		prev = got;
	}
	snapshot_unref(prev);
	buf_free(&rec);
	sample_encoder_free(e);
	sample_decoder_free(d);
}

START_TEST(test_synthetic_keyframes)
{
	struct snapshot *seq[10];

	for (unsigned int i = 0; i < ARRAY_SIZE(seq); i++)
		seq[i] = synth(i + 1, 400, i);
	round_trip(seq, ARRAY_SIZE(seq), 4);
	for (size_t i = 0; i < ARRAY_SIZE(seq); i++)
		snapshot_unref(seq[i]);
}
END_TEST

/* Sections missing in one sample and present in the next; tables emptied. */
START_TEST(test_sections_flip)
{
	struct snapshot *seq[6];

	for (unsigned int i = 0; i < ARRAY_SIZE(seq); i++) {
		seq[i] = synth(i + 1, i % 2 ? 0 : 50, i);
		if (i % 3 == 1) {
			slab_table_free(&seq[i]->slab);
			notes_add(&seq[i]->notes, NOTE_MISSING, SRC_SLABINFO, 0,
				  "permission denied (needs root)");
		}
	}
	round_trip(seq, ARRAY_SIZE(seq), 4);
	round_trip(seq, ARRAY_SIZE(seq), 100);
	for (size_t i = 0; i < ARRAY_SIZE(seq); i++)
		snapshot_unref(seq[i]);
}
END_TEST

/* An unchanged sample costs a few bytes, a changed row only its fields. */
START_TEST(test_delta_is_small)
{
	struct sample_encoder *e = sample_encoder_new(0);
	struct snapshot *a = synth(1, 2000, 0), *b = synth(2, 2000, 0);
	struct buf rec = { 0 };
	size_t key, same;

	b->t_mono_ns = a->t_mono_ns;
	b->t_real = a->t_real;
	ck_assert_int_eq(sample_encode(e, a, true, &rec), 0);
	key = rec.len;
	ck_assert_int_eq(sample_encode(e, b, false, &rec), 0);
	same = sample_encoder_raw_len(e);
	/* dictionary header + the head section (seq changed) */
	ck_assert_uint_le(same, 12);
	ck_assert_uint_lt(rec.len, key / 20);
	buf_free(&rec);
	snapshot_unref(a);
	snapshot_unref(b);
	sample_encoder_free(e);
}
END_TEST

/* snapshot_equal sees a change in any kind of field, or the tests above
 * could pass on a comparison that says yes to everything. */
START_TEST(test_equal_detects)
{
	struct snapshot *a = synth(1, 40, 3), *b = synth(1, 40, 3);
	char why[256];

	ck_assert(snapshot_equal(a, b, why, sizeof(why)));
	b->socks.v[5].skmem[SKMEM_DROPS]++;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	ck_assert_str_eq(why, "sockets: row 5, field skmem[SKMEM_DROPS] differs");
	b->socks.v[5].skmem[SKMEM_DROPS]--;
	b->procs.strings[0] ^= 1;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	ck_assert(strstr(why, "cmdline"));
	b->procs.strings[0] ^= 1;
	b->socks.strings[1] ^= 1;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	ck_assert(strstr(why, "u.head"));
	b->socks.strings[1] ^= 1;
	b->socks.owners[2].fd++;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	ck_assert(strstr(why, "owners"));
	b->socks.owners[2].fd--;
	/* an IPv6 peer address, in the pool */
	for (size_t i = 0; i <= b->socks.n; i++) {
		ck_assert_msg(i < b->socks.n, "no IPv6 socket in the sample");
		struct sock_entry *e = &b->socks.v[i];

		if (e->kind != SK_TCP || e->family != 10)
			continue;
		b->socks.strings[e->u.in.addr.v6.off + 31] ^= 1;
		ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
		ck_assert_msg(strstr(why, "u.head"), "%s", why);
		b->socks.strings[e->u.in.addr.v6.off + 31] ^= 1;
		break;
	}
	ck_assert(snapshot_equal(a, b, why, sizeof(why)));
	b->mem.cls[MEM_FREE] = 1;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	b->mem.cls[MEM_FREE] = 0;
	/* a process's cgroup: its path, and known against unknown */
	b->procs.strings[b->procs.v[2].cg_v2_off + 1] ^= 1;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	ck_assert_str_eq(why, "processes: row 2, field cg_v2 differs");
	b->procs.strings[b->procs.v[2].cg_v2_off + 1] ^= 1;
	b->procs.v[2].cg_v1_off = PROC_NO_CGROUP;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	ck_assert_str_eq(why, "processes: row 2, field cg_v1 differs");
	b->procs.v[2].cg_v1_off = a->procs.v[2].cg_v1_off;
	/* the cgroups: a value, a memory.stat line, a slab cache, a path, a mount */
	b->cgroups.v[2].v[CGV_ANON]++;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	ck_assert_str_eq(why, "cgroups: row 2, field v[CGV_ANON] differs");
	b->cgroups.v[2].v[CGV_ANON]--;
	b->cgroups.kv[b->cgroups.v[1].kv_first + 1].value++;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	ck_assert_str_eq(why, "cgroups: row 1, field stat values differs");
	b->cgroups.kv[b->cgroups.v[1].kv_first + 1].value--;
	b->cgroups.v[1].kv_n--;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	ck_assert_str_eq(why, "cgroups: row 1, field stat keys differs");
	b->cgroups.v[1].kv_n++;
	b->cgroups.slabs[1].objsize++;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	ck_assert(strstr(why, "field slabs differs"));
	b->cgroups.slabs[1].objsize--;
	b->cgroups.strings[b->cgroups.v[3].path_off + 2] ^= 1;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	ck_assert_str_eq(why, "cgroups: row 3, field path differs");
	b->cgroups.strings[b->cgroups.v[3].path_off + 2] ^= 1;
	b->cgroups.mount_off[CG_HIER_V1] = CG_NONE;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	ck_assert_str_eq(why, "cgroup mounts: row 1, field mount differs");
	b->cgroups.mount_off[CG_HIER_V1] = a->cgroups.mount_off[CG_HIER_V1];
	b->cgroups.v1_systemd = false;
	ck_assert(!snapshot_equal(a, b, why, sizeof(why)));
	b->cgroups.v1_systemd = true;
	ck_assert(snapshot_equal(a, b, why, sizeof(why)));
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

/* Bytes of a row struct that no field describes, padding included. */
static size_t uncovered(const struct codec_table *t, size_t base, size_t size, char *first,
			size_t firstsz)
{
	unsigned char *seen = xcalloc(size, 1);
	size_t n = 0;

	for (size_t k = 0; k < t->nf; k++) {
		const struct codec_field *f = &t->f[k];
		size_t w = f->kind == CF_STR || f->kind == CF_POOLSTR ? sizeof(char *) : f->size;

		for (size_t b = 0; b < w; b++)
			if (f->off + b >= base && f->off + b < base + size)
				seen[f->off + b - base] = 1;
	}
	first[0] = '\0';
	for (size_t b = 0; b < size; b++)
		if (!seen[b] && n++ == 0)
			snprintf(first, firstsz, "byte %zu", b);
	free(seen);
	return n;
}

static const struct codec_table *table_named(const char *name)
{
	for (size_t k = 0; k < codec_ntables; k++)
		if (!strcmp(codec_tables[k]->name, name))
			return codec_tables[k];
	ck_abort_msg("no table %s", name);
	return NULL;
}

/*
 * A member added to a struct without a line in codec_tables.c must fail
 * here. The expected counts are the structs' padding (and, for sockets,
 * the union head coded by u.head and the owner fields coded by hooks).
 */
START_TEST(test_tables_cover_structs)
{
	static const struct {
		const char *table;
		size_t base, size, pad;
	} want[] = {
		{ "meminfo", 0, sizeof(struct meminfo_field), 7 },
		{ "slab", 0, sizeof(struct slab_cache), 0 },
		{ "vmalloc", 0, sizeof(struct vmalloc_caller), 0 },
		{ "tmpfs", 0, sizeof(struct tmpfs_mount), 3 },
		/* 1 byte after the bit-field byte, 8 of the union head */
		{ "sockets", 0, sizeof(struct sock_entry), 9 },
		{ "processes", 0, sizeof(struct proc_entry), 4 + 3 + 5 },
		{ "cgroups", 0, sizeof(struct cgroup_entry), 4 },
		{ "cgroup mounts", 0, sizeof(uint32_t), 0 },
		/* the scalars after the arrays: memory[], v1_systemd, truncated */
		{ "cgroup hierarchies", offsetof(struct snapshot, cgroups.memory),
		  sizeof(struct cgroup_table) - offsetof(struct cgroup_table, memory), 4 },
		{ "counters", 0, sizeof(struct net_counter), 7 },
		{ "notes", 0, sizeof(struct note), 0 },
		{ "memory", offsetof(struct snapshot, mem), sizeof(struct mem_derived), 1 },
		{ "memory", offsetof(struct snapshot, shm), sizeof(struct sysv_shm), 5 },
	};
	char first[64];

	for (size_t k = 0; k < codec_ntables; k++)
		ck_assert_uint_le(codec_tables[k]->nf, CODEC_MAX_FIELDS);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		size_t n = uncovered(table_named(want[i].table), want[i].base, want[i].size, first,
				     sizeof(first));

		ck_assert_msg(n == want[i].pad, "%s: %zu bytes not described (first: %s), expected %zu",
			      want[i].table, n, first, want[i].pad);
	}
}
END_TEST

static void encode_pair(struct buf *key, struct buf *delta, struct snapshot **a,
			struct snapshot **b)
{
	struct sample_encoder *e = sample_encoder_new(0);

	*a = synth(1, 60, 1);
	*b = synth(2, 60, 2);
	ck_assert_int_eq(sample_encode(e, *a, true, key), 0);
	ck_assert_int_eq(sample_encode(e, *b, false, delta), 0);
	sample_encoder_free(e);
}

/* Decode a damaged record: NULL and a message, or a snapshot (a flip in a
 * value still decodes), never a crash; ASan watches the reads. */
static void decode_damaged(const void *rec, size_t len, const struct snapshot *prev,
			   const struct buf *key)
{
	struct sample_decoder *d = sample_decoder_new();
	const char *err = NULL;
	struct snapshot *got, *kf = NULL;

	if (prev) {
		kf = sample_decode(d, key->data, key->len, NULL, &err);
		ck_assert_ptr_nonnull(kf);
	}
	got = sample_decode(d, rec, len, kf, &err);
	if (!got)
		ck_assert_msg(err && *err, "NULL without a message");
	snapshot_unref(got);
	snapshot_unref(kf);
	sample_decoder_free(d);
}

START_TEST(test_damaged_records)
{
	struct buf key = { 0 }, delta = { 0 };
	struct snapshot *a, *b;
	struct sample_decoder *d = sample_decoder_new();
	const char *err;
	char *copy;

	encode_pair(&key, &delta, &a, &b);
	/* Truncated anywhere: refused (zstd frames carry their size). */
	for (size_t n = 0; n < key.len; n++) {
		ck_assert_ptr_null(sample_decode(d, key.data, n, NULL, &err));
		ck_assert(err && *err);
	}
	/* A delta without its keyframe or its previous sample. */
	ck_assert_ptr_null(sample_decode(d, delta.data, delta.len, NULL, &err));
	ck_assert(strstr(err, "without"));
	ck_assert_ptr_null(sample_decode(d, delta.data, delta.len, b, &err));
	ck_assert(strstr(err, "follows sample 1"));
	ck_assert_ptr_null(sample_decode(d, delta.data, delta.len, a, &err));
	ck_assert(strstr(err, "keyframe"));
	/* Every bit of the header and the frame flipped, one at a time. */
	copy = xmalloc(delta.len);
	for (size_t bit = 0; bit < delta.len * 8; bit++) {
		memcpy(copy, delta.data, delta.len);
		copy[bit / 8] ^= (char)(1 << (bit % 8));
		decode_damaged(copy, delta.len, a, &key);
	}
	free(copy);
	/* Noise. */
	for (int i = 0; i < 200; i++) {
		unsigned char noise[64];

		for (size_t k = 0; k < sizeof(noise); k++)
			noise[k] = (unsigned char)rnd();
		noise[0] = SAMPLE_CODEC_VERSION;
		noise[1] = (unsigned char)(i & 1);
		decode_damaged(noise, sizeof(noise), NULL, &key);
	}
	buf_free(&key);
	buf_free(&delta);
	snapshot_unref(a);
	snapshot_unref(b);
	sample_decoder_free(d);
}
END_TEST


/* Length of a record's header: version, flags and the four varints. */
static size_t header_len(const char *rec, size_t len, size_t *raw_at)
{
	size_t p = 2;

	for (int v = 0; v < 4; v++) {
		if (v == 3)
			*raw_at = p;
		while (p < len && (rec[p] & 0x80))
			p++;
		p++;
	}
	return p;
}

/* The uncompressed payload of a record. */
static int codec_test_payload(const char *rec, size_t len, struct buf *raw)
{
	size_t raw_at = 0, h = header_len(rec, len, &raw_at);
	unsigned long long n = ZSTD_getFrameContentSize(rec + h, len - h);

	buf_reserve(raw, (size_t)n + 1);
	raw->len = ZSTD_decompress(raw->data, (size_t)n, rec + h, len - h);
	return ZSTD_isError(raw->len) || raw->len != n ? -1 : 0;
}

/* rec's header with raw as its payload. */
static void codec_test_record(const char *rec, size_t len, const struct buf *raw, struct buf *out)
{
	size_t raw_at = 0, bound = ZSTD_compressBound(raw->len), z;
	uint64_t v = raw->len;

	header_len(rec, len, &raw_at);
	out->len = 0;
	buf_append(out, rec, raw_at);
	while (v >= 0x80) {
		char c = (char)(v | 0x80);

		buf_append(out, &c, 1);
		v >>= 7;
	}
	buf_append(out, (char[]){ (char)v }, 1);
	buf_reserve(out, out->len + bound);
	z = ZSTD_compress(out->data + out->len, bound, raw->data, raw->len, 1);
	ck_assert(!ZSTD_isError(z));
	out->len += z;
}

/* Damage inside the compressed payload: the row coder itself must refuse
 * bad counts, ids and lengths. Records are built raw and compressed. */
START_TEST(test_damaged_payload)
{
	struct buf key = { 0 }, delta = { 0 };
	struct snapshot *a, *b;

	encode_pair(&key, &delta, &a, &b);
	/* Recompress the delta's payload with every byte replaced in turn. */
	{
		struct sample_decoder *d = sample_decoder_new();
		struct sample_encoder *e = sample_encoder_new(0);
		struct buf raw = { 0 }, rec = { 0 }, bad = { 0 };
		const char *err;
		struct snapshot *kf;

		kf = sample_decode(d, key.data, key.len, NULL, &err);
		ck_assert_ptr_nonnull(kf);
		ck_assert_int_eq(sample_encode(e, a, true, &rec), 0);
		ck_assert_int_eq(sample_encode(e, b, false, &rec), 0);
		/* The payload, from a decode of the record's frame. */
		ck_assert_int_eq(codec_test_payload(rec.data, rec.len, &raw), 0);
		for (size_t i = 0; i < raw.len; i++)
			for (int v = 0; v < 3; v++) {
				static const unsigned char vals[] = { 0x00, 0xff, 0x7f };
				unsigned char save = (unsigned char)raw.data[i];
				struct snapshot *got;

				raw.data[i] = (char)vals[v];
				codec_test_record(rec.data, rec.len, &raw, &bad);
				got = sample_decode(d, bad.data, bad.len, kf, &err);
				if (!got)
					ck_assert(err && *err);
				snapshot_unref(got);
				raw.data[i] = (char)save;
			}
		buf_free(&raw);
		buf_free(&rec);
		buf_free(&bad);
		snapshot_unref(kf);
		sample_encoder_free(e);
		sample_decoder_free(d);
	}
	buf_free(&key);
	buf_free(&delta);
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

/* What the samples held, so a round trip of empty tables does not pass
 * for one of cgroups. */
struct sampled {
	size_t cgroups, cg_stat, cg_slabs, procs_in_cgroup;
};

static void sample_twice(const char *dir, unsigned int sections, struct sampled *seen)
{
	struct root r;
	struct sampler *sm;
	struct snapshot *seq[3];

	ck_assert_int_eq(root_open(&r, dir), 0);
	sm = sampler_new(&r);
	for (size_t i = 0; i < ARRAY_SIZE(seq); i++)
		seq[i] = sampler_tick(sm, sections);
	round_trip(seq, ARRAY_SIZE(seq), 2);
	memset(seen, 0, sizeof(*seen));
	seen->cgroups = seq[0]->cgroups.n;
	seen->cg_stat = seq[0]->cgroups.kv_n;
	seen->cg_slabs = seq[0]->cgroups.slabs_n;
	for (size_t i = 0; i < seq[0]->procs.n; i++)
		if (seq[0]->procs.v[i].cg_v2_off != PROC_NO_CGROUP)
			seen->procs_in_cgroup++;
	for (size_t i = 0; i < ARRAY_SIZE(seq); i++)
		snapshot_unref(seq[i]);
	sampler_free(sm);
	root_close(&r);
}

START_TEST(test_fixture_samples)
{
	static const char *const trees[] = { "procs", "procnet", "tmpfs", "tcpmem" };
	struct sampled seen;

	for (size_t i = 0; i < ARRAY_SIZE(trees); i++) {
		char dir[4096];

		snprintf(dir, sizeof(dir), "%s/%s", FIXTURES_DIR, trees[i]);
		sample_twice(dir, SNAP_ALL, &seen);
	}
}
END_TEST

/* The cgroup trees of check_cgroup: each hierarchy layout, v1's slab caches. */
START_TEST(test_cgroup_fixture_samples)
{
	static const struct {
		const char *tree;
		bool slabs;
	} trees[] = { { "v2", false }, { "v1", true }, { "hybrid", true } };
	struct sampled seen;

	for (size_t i = 0; i < ARRAY_SIZE(trees); i++) {
		char dir[4096];

		snprintf(dir, sizeof(dir), "%s/cgroup/%s", FIXTURES_DIR, trees[i].tree);
		sample_twice(dir, SNAP_ALL, &seen);
		ck_assert_msg(seen.cgroups >= 2 && seen.cg_stat > 0, "%s: %zu cgroups, %zu stat lines",
			      trees[i].tree, seen.cgroups, seen.cg_stat);
		if (trees[i].slabs)
			ck_assert_msg(seen.cg_slabs > 0, "%s: no slab caches", trees[i].tree);
	}
}
END_TEST

static void make_dir(const char *dir, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	ck_assert_msg(mkdir(path, 0755) == 0, "mkdir %s", path);
}

static void remove_at(const char *dir, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	ck_assert_msg(remove(path) == 0, "remove %s", path);
}

static void cgroup_files(const char *dir, const char *cg, const char *current, const char *stat)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "%s/cgroup.procs", cg);
	write_text_in(dir, rel, "");
	snprintf(rel, sizeof(rel), "%s/memory.current", cg);
	write_text_in(dir, rel, current);
	snprintf(rel, sizeof(rel), "%s/memory.stat", cg);
	write_text_in(dir, rel, stat);
}

/* A cgroup tree that changes under the sampler: values and memory.stat
 * change, a cgroup comes, then goes; keyframe every other sample. */
START_TEST(test_cgroup_changes)
{
	static const char *const files[] = { "cgroup.procs", "memory.current", "memory.stat" };
	char dir[] = "/tmp/leaktop-codec-XXXXXX";
	struct snapshot *seq[5];
	struct sampler *sm;
	struct root r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	make_dir(dir, "proc");
	make_dir(dir, "proc/self");
	write_text_in(dir, "proc/self/mountinfo", "1 0 0:1 / /cg rw - cgroup2 cgroup2 rw\n");
	make_dir(dir, "cg");
	write_text_in(dir, "cg/cgroup.controllers", "memory\n");
	make_dir(dir, "cg/a");
	cgroup_files(dir, "cg/a", "4096\n", "anon 1\nfile 2\n");
	ck_assert_int_eq(root_open(&r, dir), 0);
	sm = sampler_new(&r);
	seq[0] = sampler_tick(sm, SNAP_ALL);
	cgroup_files(dir, "cg/a", "8192\n", "anon 3\nfile 2\nshmem 5\n");
	seq[1] = sampler_tick(sm, SNAP_ALL);
	make_dir(dir, "cg/a/b");
	cgroup_files(dir, "cg/a/b", "4096\n", "anon 7\n");
	make_dir(dir, "cg/0");
	cgroup_files(dir, "cg/0", "max\n", "");
	seq[2] = sampler_tick(sm, SNAP_ALL);
	seq[3] = sampler_tick(sm, SNAP_ALL);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "cg/a/b/%s", files[i]);
		remove_at(dir, rel);
	}
	remove_at(dir, "cg/a/b");
	seq[4] = sampler_tick(sm, SNAP_ALL);
	ck_assert_uint_eq(seq[0]->cgroups.n, 2);
	ck_assert_uint_eq(seq[2]->cgroups.n, 4);
	ck_assert_uint_eq(seq[4]->cgroups.n, 3);
	round_trip(seq, ARRAY_SIZE(seq), 2);
	round_trip(seq, ARRAY_SIZE(seq), 100);
	for (size_t i = 0; i < ARRAY_SIZE(seq); i++)
		snapshot_unref(seq[i]);
	sampler_free(sm);
	root_close(&r);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "cg/0/%s", files[i]);
		remove_at(dir, rel);
		snprintf(rel, sizeof(rel), "cg/a/%s", files[i]);
		remove_at(dir, rel);
	}
	remove_at(dir, "cg/0");
	remove_at(dir, "cg/a");
	remove_at(dir, "cg/cgroup.controllers");
	remove_at(dir, "cg");
	remove_at(dir, "proc/self/mountinfo");
	remove_at(dir, "proc/self");
	remove_at(dir, "proc");
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* The running box: whatever it holds now, twice, with every section; its
 * processes have cgroups wherever cgroupfs is mounted. */
START_TEST(test_live_samples)
{
	struct sampled seen;

	sample_twice("/", SNAP_ALL, &seen);
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0) {
		ck_assert_uint_gt(seen.cgroups, 0);
		ck_assert_uint_gt(seen.procs_in_cgroup, 0);
	}
}
END_TEST

Suite *codec_suite(void)
{
	Suite *s = suite_create("codec");
	TCase *tc = tcase_create("codec");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_synthetic_keyframes);
	tcase_add_test(tc, test_sections_flip);
	tcase_add_test(tc, test_delta_is_small);
	tcase_add_test(tc, test_equal_detects);
	tcase_add_test(tc, test_tables_cover_structs);
	tcase_add_test(tc, test_damaged_records);
	tcase_add_test(tc, test_damaged_payload);
	tcase_add_test(tc, test_fixture_samples);
	tcase_add_test(tc, test_cgroup_fixture_samples);
	tcase_add_test(tc, test_cgroup_changes);
	tcase_add_test(tc, test_live_samples);
	suite_add_tcase(s, tc);
	return s;
}
