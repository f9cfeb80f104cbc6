/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Cgroups: the parsers on fixture text and bad input, the name rules, the
 * walk of the fixture trees under tests/fixtures/cgroup (v2-only, v1-only,
 * hybrid, no cgroupfs; see the README there), refused and vanished files in
 * a tree made at test time, the socket and process join, the diff and the
 * JSON section.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cgroup_join.h"
#include "cgroup_name.h"
#include "cgroup_parse.h"
#include "cgroup_scan.h"
#include "diff.h"
#include "export.h"
#include "expect.h"
#include "fields.h"
#include "notes.h"
#include "root.h"
#include "snapshot.h"
#include "suites.h"
#include "xalloc.h"

#define DOCKER_ID "3f2a9c1b7d4eaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define DOCKER_PATH "/system.slice/docker-" DOCKER_ID ".scope"

static void load(const char *rel, struct buf *b)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, rel);
	ck_assert_msg(buf_readat(AT_FDCWD, path, b, 0) == 0, "cannot read %s", path);
}

static bool has_note(const struct notes *ns, enum note_kind k, unsigned int line,
		     const char *msg_part)
{
	for (size_t i = 0; i < ns->n; i++)
		if (ns->v[i].kind == k && (!line || ns->v[i].line == line) &&
		    strstr(ns->v[i].msg, msg_part))
			return true;
	return false;
}

static bool cgroup_has_val(const struct cgroup_vals *v, enum cgroup_val k)
{
	return v->present & (1u << k);
}

static void count_kv(void *arg, const char *key, size_t keylen, uint64_t value)
{
	size_t *n = arg;

	(*n)++;
	if (keylen == 13 && !memcmp(key, "future_charge", 13))
		ck_assert_uint_eq(value, 42);
}

/* ---- parsers ------------------------------------------------------------------- */

START_TEST(test_stat_v2)
{
	struct buf b = { 0 };
	struct cgroup_vals v = { 0 };
	struct notes ns = { 0 };
	size_t nkv = 0, taken;

	load("cgroup/v2/sys/fs/cgroup/system.slice/docker-" DOCKER_ID ".scope/memory.stat", &b);
	taken = cgroup_parse_keyed(b.data, b.len, "t", cgroup_stat_keys_v2, cgroup_stat_keys_v2_n,
				   &v, count_kv, &nkv, &ns);
	ck_assert_uint_eq(taken, 28);
	ck_assert_uint_eq(nkv, 28);	/* the unknown key is kept as printed */
	ck_assert_uint_eq(v.v[CGV_ANON], 150000000);
	ck_assert_uint_eq(v.v[CGV_FILE], 50000000);
	ck_assert_uint_eq(v.v[CGV_KERNEL], 9715200);
	ck_assert_uint_eq(v.v[CGV_SOCK], 1048576);
	ck_assert_uint_eq(v.v[CGV_SLAB_R], 200000);
	ck_assert_uint_eq(v.v[CGV_SLAB_U], 300000);
	ck_assert_uint_eq(v.v[CGV_KSTACK], 65536);
	ck_assert_uint_eq(v.v[CGV_PAGETABLES], 131072);
	ck_assert_uint_eq(v.v[CGV_PERCPU], 4096);
	ck_assert_uint_eq(v.v[CGV_VMALLOC], 8192);
	ck_assert_uint_eq(v.v[CGV_SHMEM], 40960);
	ck_assert(!(v.present & (1u << CGV_CURRENT)));
	ck_assert_uint_eq(ns.n, 0);
	notes_free(&ns);
	buf_free(&b);
}
END_TEST

START_TEST(test_stat_v1_total_wins)
{
	static const char text[] = "rss 1\ntotal_rss 100\ncache 2\nshmem 3\n";
	struct cgroup_vals v = { 0 };
	struct notes ns = { 0 };

	cgroup_parse_keyed(text, sizeof(text) - 1, "t", cgroup_stat_keys_v1, cgroup_stat_keys_v1_n,
			   &v, NULL, NULL, &ns);
	/* total_rss (the subtree, as v2 counts) beats rss whatever the order. */
	ck_assert_uint_eq(v.v[CGV_ANON], 100);
	/* No total_cache: the local figure is all there is. */
	ck_assert_uint_eq(v.v[CGV_FILE], 2);
	ck_assert_uint_eq(v.v[CGV_SHMEM], 3);
	ck_assert(!(v.present & (1u << CGV_SLAB_R)));
	notes_free(&ns);
}
END_TEST

START_TEST(test_keyed_bad_lines)
{
	static const char text[] = "anon 99999999999999999999999\n"
				   "file 10 extra\n"
				   "\n"
				   "kernel\n"
				   "sock -1\n"
				   "shmem 5\n"
				   "percpu 12";
	struct cgroup_vals v = { 0 };
	struct notes ns = { 0 };

	ck_assert_uint_eq(cgroup_parse_keyed(text, sizeof(text) - 1, "t", cgroup_stat_keys_v2,
					     cgroup_stat_keys_v2_n, &v, NULL, NULL, &ns),
			  1);
	ck_assert_uint_eq(v.present, 1u << CGV_SHMEM);
	ck_assert(has_note(&ns, NOTE_WARN, 1, "out of range"));
	ck_assert(has_note(&ns, NOTE_WARN, 2, "expected"));
	ck_assert(has_note(&ns, NOTE_WARN, 4, "expected"));
	ck_assert(has_note(&ns, NOTE_WARN, 5, "expected"));
	ck_assert(has_note(&ns, NOTE_WARN, 7, ""));	/* the cut last line */
	notes_free(&ns);
	memset(&v, 0, sizeof(v));
	ck_assert_uint_eq(cgroup_parse_keyed(NULL, 5, "t", cgroup_stat_keys_v2,
					     cgroup_stat_keys_v2_n, &v, NULL, NULL, &ns),
			  0);
	ck_assert_uint_eq(v.present, 0);
}
END_TEST

/* The kernel's "key digits" lines and the other forms the word split
 * takes give the same values; 20 digits can overflow, 19 cannot. */
START_TEST(test_keyed_forms)
{
	static const char text[] = "anon 007\n"
				   "file 9999999999999999999\n"
				   "kernel 18446744073709551615\n"
				   "sock 18446744073709551616\n"
				   "shmem\t5\n"
				   "percpu 6\r\n"
				   "a\tb 5\n"
				   " vmalloc 8\n"
				   "pagetables 1x\n"
				   "kernel_stack \n";
	struct cgroup_vals v = { 0 };
	struct notes ns = { 0 };
	size_t nkv = 0;

	ck_assert_uint_eq(cgroup_parse_keyed(text, sizeof(text) - 1, "t", cgroup_stat_keys_v2,
					     cgroup_stat_keys_v2_n, &v, count_kv, &nkv, &ns),
			  6);
	ck_assert_uint_eq(nkv, 6);
	ck_assert_uint_eq(v.v[CGV_ANON], 7);
	ck_assert_uint_eq(v.v[CGV_FILE], 9999999999999999999ULL);
	ck_assert_uint_eq(v.v[CGV_KERNEL], UINT64_MAX);
	ck_assert_uint_eq(v.v[CGV_SHMEM], 5);
	ck_assert_uint_eq(v.v[CGV_PERCPU], 6);
	ck_assert_uint_eq(v.v[CGV_VMALLOC], 8);
	ck_assert(!cgroup_has_val(&v, CGV_SOCK));
	ck_assert(!cgroup_has_val(&v, CGV_PAGETABLES));
	ck_assert(!cgroup_has_val(&v, CGV_KSTACK));
	ck_assert(has_note(&ns, NOTE_WARN, 4, "out of range"));
	ck_assert(has_note(&ns, NOTE_WARN, 7, "expected"));
	ck_assert(has_note(&ns, NOTE_WARN, 9, "expected"));
	ck_assert(has_note(&ns, NOTE_WARN, 10, "expected"));
	ck_assert_uint_eq(ns.n, 4);
	notes_free(&ns);
}
END_TEST

START_TEST(test_value)
{
	static const struct {
		const char *in;
		int ret;
		uint64_t v;
		bool is_max;
	} cases[] = {
		{ "max\n", 0, UINT64_MAX, true },
		{ "123\n", 0, 123, false },
		{ "18446744073709551615\n", 0, UINT64_MAX, false },
		{ "18446744073709551616\n", -ERANGE, 0, false },
		{ "abc\n", -EINVAL, 0, false },
		{ "", -EINVAL, 0, false },
		{ "1 2\n", -EINVAL, 0, false },
		{ "maximum\n", -EINVAL, 0, false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t v = 0;
		bool is_max = false;
		int ret = cgroup_parse_value(cases[i].in, strlen(cases[i].in), &v, &is_max);

		ck_assert_msg(ret == cases[i].ret, "'%s': %d", cases[i].in, ret);
		if (ret)
			continue;
		ck_assert_uint_eq(v, cases[i].v);
		ck_assert_int_eq(is_max, cases[i].is_max);
	}
	ck_assert(cgroup_limit_is_unlimited(9223372036854771712ULL));
	ck_assert(!cgroup_limit_is_unlimited(536870912));
}
END_TEST

START_TEST(test_mounts)
{
	struct cgroup_mounts m;
	struct notes ns = { 0 };
	struct buf b = { 0 };

	load("cgroup/v2/proc/self/mountinfo", &b);
	ck_assert_int_eq(cgroup_parse_mounts(b.data, b.len, "m", &m, &ns), 0);
	ck_assert_str_eq(m.v2, "/sys/fs/cgroup");
	ck_assert_str_eq(m.v2_root, "/");
	ck_assert_ptr_null(m.v1_memory);
	ck_assert_uint_eq(m.v1_count, 0);
	cgroup_mounts_free(&m);

	load("cgroup/v1/proc/self/mountinfo", &b);
	ck_assert_int_eq(cgroup_parse_mounts(b.data, b.len, "m", &m, &ns), 0);
	ck_assert_ptr_null(m.v2);
	ck_assert_str_eq(m.v1_memory, "/sys/fs/cgroup/memory");
	ck_assert_ptr_null(m.v1_systemd);
	ck_assert_uint_eq(m.v1_count, 2);
	cgroup_mounts_free(&m);

	load("cgroup/hybrid/proc/self/mountinfo", &b);
	ck_assert_int_eq(cgroup_parse_mounts(b.data, b.len, "m", &m, &ns), 0);
	ck_assert_str_eq(m.v2, "/sys/fs/cgroup/unified");
	ck_assert_str_eq(m.v1_memory, "/sys/fs/cgroup/memory");
	ck_assert_str_eq(m.v1_systemd, "/sys/fs/cgroup/systemd");
	cgroup_mounts_free(&m);

	load("cgroup/none/proc/self/mountinfo", &b);
	ck_assert_int_eq(cgroup_parse_mounts(b.data, b.len, "m", &m, &ns), 0);
	ck_assert_ptr_null(m.v2);
	ck_assert_ptr_null(m.v1_memory);
	cgroup_mounts_free(&m);
	ck_assert_uint_eq(ns.n, 0);

	/* "memory" is a whole option: memory_recursiveprot is not it. */
	{
		static const char text[] = "1 0 0:1 / /x rw - cgroup cgroup rw,memory_recursiveprot\n"
					   "garbage\n";

		ck_assert_int_eq(cgroup_parse_mounts(text, sizeof(text) - 1, "m", &m, &ns), 0);
		ck_assert_ptr_null(m.v1_memory);
		ck_assert(has_note(&ns, NOTE_WARN, 2, "expected 6 fields"));
		cgroup_mounts_free(&m);
		ck_assert_int_eq(cgroup_parse_mounts("", 0, "m", &m, &ns), -1);
		cgroup_mounts_free(&m);
	}
	notes_free(&ns);
	buf_free(&b);
}
END_TEST

START_TEST(test_proc_paths)
{
	static const char hybrid[] = "9:name=systemd:/user.slice\n"
				     "4:cpu,memory:/docker/abc\n"
				     "0::/user.slice/session-1.scope\n";
	static const char v2[] = "0::/\n";
	struct cgroup_proc_paths p;

	ck_assert_int_eq(cgroup_parse_proc(hybrid, sizeof(hybrid) - 1, &p), 0);
	ck_assert_uint_eq(p.v2_len, strlen("/user.slice/session-1.scope"));
	ck_assert(!memcmp(p.v2, "/user.slice/session-1.scope", p.v2_len));
	ck_assert_uint_eq(p.v1_memory_len, strlen("/docker/abc"));
	ck_assert(!memcmp(p.v1_memory, "/docker/abc", p.v1_memory_len));
	ck_assert_int_eq(cgroup_parse_proc(v2, sizeof(v2) - 1, &p), 0);
	ck_assert_uint_eq(p.v2_len, 1);
	ck_assert_ptr_null(p.v1_memory);
	ck_assert_int_eq(cgroup_parse_proc("garbage\nx:y\n", 12, &p), -EINVAL);
	ck_assert_int_eq(cgroup_parse_proc(NULL, 3, &p), -EINVAL);
	/* memoryx is not memory */
	ck_assert_int_eq(cgroup_parse_proc("3:memoryx:/a\n", 13, &p), 0);
	ck_assert_ptr_null(p.v1_memory);
}
END_TEST

/* ---- names ------------------------------------------------------------------------ */

START_TEST(test_names)
{
	static const struct {
		const char *path, *want;
	} cases[] = {
		{ "/", "/" },
		{ "", "/" },
		{ "/system.slice/ssh.service", "ssh.service" },
		{ "/user.slice/user-1000.slice/session-3.scope", "session-3.scope" },
		{ "/docker/" DOCKER_ID, "docker:3f2a9c1b7d4e" },
		{ DOCKER_PATH, "docker:3f2a9c1b7d4e" },
		{ "/system.slice/cri-containerd-" DOCKER_ID ".scope", "containerd:3f2a9c1b7d4e" },
		{ "/machine.slice/crio-" DOCKER_ID ".scope", "crio:3f2a9c1b7d4e" },
		{ "/kubepods/burstable/pod1b4e5c2a-7f3d-4c9e-8a2b-0123456789ab/" DOCKER_ID,
		  "pod 1b4e5c2a…/3f2a9c1b7d4e" },
		{ "/kubepods.slice/kubepods-burstable.slice/"
		  "kubepods-burstable-pod1b4e5c2a_7f3d_4c9e_8a2b_0123456789ab.slice/"
		  "cri-containerd-" DOCKER_ID ".scope",
		  "pod 1b4e5c2a…/3f2a9c1b7d4e" },
		{ "/kubepods/besteffort/podabcdef12-0000", "pod abcdef12…" },
		/* Not a container id: 63 hex digits, or not hex. */
		{ "/docker/" "3f2a9c1b7d4eaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "3f2a9c1b7d4eaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
		{ "/system.slice/docker-xyz.scope", "docker-xyz.scope" },
		{ "/lxc/" DOCKER_ID, DOCKER_ID },
	};
	char out[128];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cgroup_name(cases[i].path, out, sizeof(out));
		ck_assert_msg(!strcmp(out, cases[i].want), "%s: got '%s', want '%s'",
			      cases[i].path, out, cases[i].want);
	}
	cgroup_name("/a/very-long-unit-name.service", out, 6);
	ck_assert_str_eq(out, "very-");
}
END_TEST

/* ---- the walk -------------------------------------------------------------------- */

static void scan_fixture(const char *which, struct cgroup_table *t, struct notes *ns)
{
	char dir[4096];
	struct root r;

	snprintf(dir, sizeof(dir), "%s/cgroup/%s", FIXTURES_DIR, which);
	ck_assert_int_eq(root_open(&r, dir), 0);
	memset(t, 0, sizeof(*t));
	cgroup_scan(&r, t, NULL, ns);
	root_close(&r);
}

static const struct cgroup_entry *row(const struct cgroup_table *t, enum cgroup_hier h,
				      const char *path)
{
	const struct cgroup_entry *e = cgroup_table_find(t, h, path, strlen(path));

	ck_assert_msg(e != NULL, "no row %s", path);
	return e;
}

static uint64_t dir_ino(const char *which, const char *rel)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/cgroup/%s/%s", FIXTURES_DIR, which, rel);
	ck_assert_int_eq(stat(path, &st), 0);
	return (uint64_t)st.st_ino;
}

START_TEST(test_scan_v2)
{
	struct cgroup_table t;
	struct notes ns = { 0 };
	const struct cgroup_entry *e, *d;

	scan_fixture("v2", &t, &ns);
	ck_assert_uint_eq(t.n, 10);
	ck_assert(t.memory[CG_HIER_V2]);
	ck_assert(!t.memory[CG_HIER_V1]);
	ck_assert_uint_eq(t.mount_off[CG_HIER_V1], CG_NONE);
	ck_assert_str_eq(cgroup_str(&t, t.mount_off[CG_HIER_V2]), "/sys/fs/cgroup");
	/* Table order: by component, a parent right before its subtree. */
	for (size_t i = 1; i < t.n; i++)
		ck_assert_int_lt(cgroup_entry_cmp(&t, &t.v[i - 1], &t, &t.v[i]), 0);
	ck_assert_str_eq(cgroup_path(&t, &t.v[0]), "/");
	ck_assert_str_eq(cgroup_path(&t, &t.v[1]), "/init.scope");

	d = row(&t, CG_HIER_V2, DOCKER_PATH);
	ck_assert_str_eq(cgroup_entry_name(&t, d), "docker:3f2a9c1b7d4e");
	ck_assert_uint_eq(d->v[CGV_CURRENT], 209715200);
	ck_assert_uint_eq(d->v[CGV_ANON], 150000000);
	ck_assert_uint_eq(d->v[CGV_SOCK], 1048576);
	ck_assert_uint_eq(d->v[CGV_EV_MAX], 7);
	ck_assert_uint_eq(d->v[CGV_EV_OOM_KILL], 1);
	ck_assert(d->flags & CGF_UNLIMITED);
	ck_assert(!cgroup_has(d, CGV_MAX));
	ck_assert_uint_eq(d->kv_n, 28);
	ck_assert_uint_eq(d->depth, 2);
	ck_assert_str_eq(cgroup_path(&t, &t.v[d->parent]), "/system.slice");
	/* The id is the directory's inode: what sock_diag gives a socket. */
	ck_assert_uint_eq(d->id, dir_ino("v2", "sys/fs/cgroup" DOCKER_PATH));
	ck_assert_ptr_eq(cgroup_table_find_id(&t, d->id), d);
	ck_assert_ptr_null(cgroup_table_find_id(&t, 1));

	e = row(&t, CG_HIER_V2, "/system.slice/ssh.service");
	ck_assert_uint_eq(e->v[CGV_MAX], 1073741824);
	ck_assert(!(e->flags & CGF_UNLIMITED));
	ck_assert_uint_eq(e->v[CGV_EV_HIGH], 3);

	/* An enormous value is a value; an overflowing one is a note. */
	e = row(&t, CG_HIER_V2,
		"/kubepods.slice/kubepods-burstable.slice/"
		"kubepods-burstable-pod1b4e5c2a_7f3d_4c9e_8a2b_0123456789ab.slice/"
		"cri-containerd-9c0d1e2f3a4bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.scope");
	ck_assert_uint_eq(e->v[CGV_CURRENT], UINT64_MAX);
	ck_assert(e->flags & CGF_UNLIMITED);
	ck_assert(!cgroup_has(e, CGV_ANON));
	ck_assert(cgroup_has(e, CGV_FILE));
	ck_assert(has_note(&ns, NOTE_WARN, 1, "out of range"));
	ck_assert_str_eq(cgroup_entry_name(&t, e), "pod 1b4e5c2a…/9c0d1e2f3a4b");

	/* Garbage in memory.current: missing with a note, not 0. */
	e = row(&t, CG_HIER_V2, "/user.slice");
	ck_assert(!cgroup_has(e, CGV_CURRENT));
	ck_assert(cgroup_has(e, CGV_ANON));
	ck_assert(has_note(&ns, NOTE_WARN, 1, "not a number"));
	ck_assert(has_note(&ns, NOTE_WARN, 26, "expected"));

	/* A child without the controller enabled: a row without figures. */
	e = row(&t, CG_HIER_V2, "/init.scope");
	ck_assert_uint_eq(e->present, 0);
	ck_assert_uint_eq(e->kv_n, 0);
	/* The root has memory.stat only. */
	e = row(&t, CG_HIER_V2, "/");
	ck_assert(cgroup_has(e, CGV_ANON));
	ck_assert(!cgroup_has(e, CGV_CURRENT));
	ck_assert_uint_eq(e->parent, CG_NONE);
	ck_assert(!notes_is_missing(&ns, SRC_CGROUPS));
	cgroup_table_free(&t);
	notes_free(&ns);
}
END_TEST

START_TEST(test_scan_v1)
{
	struct cgroup_table t;
	struct notes ns = { 0 };
	const struct cgroup_entry *e;

	scan_fixture("v1", &t, &ns);
	ck_assert_uint_eq(t.n, 3);
	ck_assert(t.memory[CG_HIER_V1]);
	ck_assert_uint_eq(t.mount_off[CG_HIER_V2], CG_NONE);
	ck_assert_ptr_null(cgroup_table_find_id(&t, t.v[0].id));	/* v1 ids are no socket ids */
	e = row(&t, CG_HIER_V1, "/docker/" DOCKER_ID);
	ck_assert_str_eq(cgroup_entry_name(&t, e), "docker:3f2a9c1b7d4e");
	ck_assert_uint_eq(e->v[CGV_CURRENT], 4096000);
	ck_assert_uint_eq(e->v[CGV_MAX], 536870912);
	ck_assert_uint_eq(e->v[CGV_ANON], 1000000);	/* total_rss */
	ck_assert_uint_eq(e->v[CGV_FILE], 3000000);	/* total_cache */
	ck_assert_uint_eq(e->v[CGV_KERNEL], 512000);	/* memory.kmem.usage_in_bytes */
	ck_assert_uint_eq(e->v[CGV_SOCK], 65536);	/* memory.kmem.tcp.usage_in_bytes */
	/* What v1 does not give is absent. */
	ck_assert(!cgroup_has(e, CGV_SLAB_R));
	ck_assert(!cgroup_has(e, CGV_KSTACK));
	ck_assert(!cgroup_has(e, CGV_EV_OOM));
	ck_assert_uint_eq(e->slab_n, 2);
	ck_assert_str_eq(cgroup_str(&t, t.slabs[e->slab_first].name_off), "TCP");
	ck_assert_uint_eq(t.slabs[e->slab_first].active_objs, 20);
	e = row(&t, CG_HIER_V1, "/");
	ck_assert(e->flags & CGF_UNLIMITED);
	ck_assert(!cgroup_has(e, CGV_MAX));
	ck_assert_uint_eq(e->slab_n, 0);	/* an empty slabinfo, as 5.9+ prints */
	ck_assert_uint_eq(ns.n, 0);
	cgroup_table_free(&t);
	notes_free(&ns);
}
END_TEST

START_TEST(test_scan_hybrid)
{
	struct cgroup_table t;
	struct notes ns = { 0 };
	const struct cgroup_entry *e;

	scan_fixture("hybrid", &t, &ns);
	ck_assert_uint_eq(t.n, 3 + 3);
	ck_assert(!t.memory[CG_HIER_V2]);
	ck_assert(t.memory[CG_HIER_V1]);
	ck_assert(t.v1_systemd);
	ck_assert_uint_eq(t.v[0].hier, CG_HIER_V2);
	ck_assert_uint_eq(t.v[t.n - 1].hier, CG_HIER_V1);
	/* v2 without the controller: rows for the socket ids, no figures. */
	e = row(&t, CG_HIER_V2, "/system.slice/ssh.service");
	ck_assert_uint_eq(e->present, 0);
	ck_assert_ptr_eq(cgroup_table_find_id(&t, e->id), e);
	ck_assert_str_eq(cgroup_entry_name(&t, e), "ssh.service");
	e = row(&t, CG_HIER_V1, "/docker");
	ck_assert(cgroup_has(e, CGV_SOCK));
	ck_assert_uint_eq(ns.n, 0);
	cgroup_table_free(&t);
	notes_free(&ns);
}
END_TEST

START_TEST(test_scan_none)
{
	struct cgroup_table t;
	struct notes ns = { 0 };
	const struct note *n;

	scan_fixture("none", &t, &ns);
	ck_assert_uint_eq(t.n, 0);
	n = notes_find(&ns, SRC_CGROUPS);
	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(n->kind, NOTE_MISSING);
	ck_assert_msg(strstr(n->msg, "not mounted"), "%s", n->msg);
	cgroup_table_free(&t);
	notes_free(&ns);
}
END_TEST

/* ---- refused and vanished files, in a tree made here ------------------------------ */

START_TEST(test_scan_refused_and_gone)
{
	char dir[] = "/tmp/leaktop-cg-XXXXXX";
	struct cgroup_table t = { 0 };
	struct notes ns = { 0 };
	const struct cgroup_entry *e;
	struct root r;
	int dfd;
	bool root = geteuid() == 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dfd, 0);
	ck_assert_int_eq(mkdirat(dfd, "proc", 0755), 0);
	ck_assert_int_eq(mkdirat(dfd, "proc/self", 0755), 0);
	write_text_in(dir, "proc/self/mountinfo", "1 0 0:1 / /cg rw - cgroup2 cgroup2 rw\n");
	ck_assert_int_eq(mkdirat(dfd, "cg", 0755), 0);
	write_text_in(dir, "cg/cgroup.controllers", "memory\n");
	ck_assert_int_eq(mkdirat(dfd, "cg/a", 0755), 0);
	write_text_in(dir, "cg/a/cgroup.procs", "");
	write_text_in(dir, "cg/a/memory.current", "4096\n");
	write_text_in(dir, "cg/a/memory.stat", "anon 1\n");
	ck_assert_int_eq(fchmodat(dfd, "cg/a/memory.stat", 0000, 0), 0);
	/* Removed after it was listed: its directory is there, its files are not. */
	ck_assert_int_eq(mkdirat(dfd, "cg/gone", 0755), 0);
	ck_assert_int_eq(mkdirat(dfd, "cg/gone/child", 0755), 0);
	ck_assert_int_eq(root_open(&r, dir), 0);
	/* Root reads a mode 0 file: refuse it as a user would be refused. */
	if (root)
		ck_assert_int_eq(seteuid(65534), 0);
	cgroup_scan(&r, &t, NULL, &ns);
	if (root)
		ck_assert_int_eq(seteuid(0), 0);
	root_close(&r);
	ck_assert_uint_eq(t.n, 2);
	e = row(&t, CG_HIER_V2, "/a");
	ck_assert(e->flags & CGF_DENIED);
	ck_assert_uint_eq(e->v[CGV_CURRENT], 4096);
	ck_assert(!cgroup_has(e, CGV_ANON));
	ck_assert(has_note(&ns, NOTE_WARN, 0, "1 cgroups' memory files"));
	ck_assert_ptr_null(cgroup_table_find(&t, CG_HIER_V2, "/gone", 5));
	ck_assert_ptr_null(cgroup_table_find(&t, CG_HIER_V2, "/gone/child", 11));
	/* The vanished one leaves no note. */
	for (size_t i = 0; i < ns.n; i++)
		ck_assert_msg(!strstr(ns.v[i].source, "gone"), "note on gone: %s", ns.v[i].msg);
	cgroup_table_free(&t);
	notes_free(&ns);
	unlinkat(dfd, "cg/gone/child", AT_REMOVEDIR);
	unlinkat(dfd, "cg/gone", AT_REMOVEDIR);
	unlinkat(dfd, "cg/a/memory.stat", 0);
	unlinkat(dfd, "cg/a/memory.current", 0);
	unlinkat(dfd, "cg/a/cgroup.procs", 0);
	unlinkat(dfd, "cg/a", AT_REMOVEDIR);
	unlinkat(dfd, "cg/cgroup.controllers", 0);
	unlinkat(dfd, "cg", AT_REMOVEDIR);
	unlinkat(dfd, "proc/self/mountinfo", 0);
	unlinkat(dfd, "proc/self", AT_REMOVEDIR);
	unlinkat(dfd, "proc", AT_REMOVEDIR);
	close(dfd);
	rmdir(dir);
}
END_TEST

/* ---- join, diff, fields, JSON ------------------------------------------------------ */

static struct snapshot *fixture_snapshot(void)
{
	struct snapshot *s = snapshot_new();
	const struct cgroup_entry *d;
	struct sock_entry *e;
	struct proc_entry *p;
	static const char path[] = DOCKER_PATH;

	s->sections = SNAP_CGROUPS | SNAP_SOCKETS | SNAP_PROCS | SNAP_OWNERS;
	scan_fixture("v2", &s->cgroups, &s->notes);
	d = row(&s->cgroups, CG_HIER_V2, DOCKER_PATH);

	/* pid 42 in the docker cgroup, pid 43 nowhere known */
	s->procs.v = xcalloc(2, sizeof(*s->procs.v));
	s->procs.n = s->procs.cap = 2;
	s->procs.strings = xstrdup(path);
	s->procs.strings_len = s->procs.strings_cap = sizeof(path);
	p = &s->procs.v[0];
	p->pid = 42;
	p->starttime = 7;
	p->cg_v2_off = 0;
	p->cg_v1_off = PROC_NO_CGROUP;
	p = &s->procs.v[1];
	p->pid = 43;
	p->cg_v2_off = p->cg_v1_off = PROC_NO_CGROUP;

	/* An orphan charged by id, a unix socket by its owner, an id no row has. */
	e = sock_table_add(&s->socks);
	e->kind = SK_TCP;
	e->state = 4;
	e->has_cgroup = 1;
	e->cgroup_id = d->id;
	e->skmem_n = SKMEM_COUNT;
	e->skmem[SKMEM_WMEM_QUEUED] = 1000;
	e = sock_table_add(&s->socks);
	e->kind = SK_UNIX;
	e->inode = 500;
	e->skmem_n = SKMEM_COUNT;
	e->skmem[SKMEM_RMEM_ALLOC] = 300;
	e->owner_first = 0;
	e->owner_n = 1;
	e = sock_table_add(&s->socks);
	e->kind = SK_TCP;
	e->inode = 600;
	e->has_cgroup = 1;
	e->cgroup_id = 987654321;
	s->socks.owners = xcalloc(1, sizeof(*s->socks.owners));
	s->socks.owners[0] = (struct sock_owner){ .pid = 42, .fd = 3, .starttime = 7 };
	s->socks.owners_n = 1;
	s->socks.owners_scanned = true;
	cgroup_join_fill(s);
	return s;
}

START_TEST(test_join)
{
	struct snapshot *s = fixture_snapshot();
	const struct cgroup_entry *d = row(&s->cgroups, CG_HIER_V2, DOCKER_PATH);
	char name[128];
	size_t *ix, n;

	ck_assert_ptr_eq(cgroup_of_socket(s, &s->socks.v[0]), d);
	ck_assert_ptr_eq(cgroup_of_socket(s, &s->socks.v[1]), d);
	ck_assert_ptr_null(cgroup_of_socket(s, &s->socks.v[2]));
	ck_assert_ptr_eq(cgroup_of_process(s, &s->procs.v[0], CG_HIER_V2), d);
	ck_assert_ptr_null(cgroup_of_process(s, &s->procs.v[1], CG_HIER_V2));
	ck_assert_ptr_null(cgroup_of_process(s, &s->procs.v[0], CG_HIER_V1));
	ck_assert(cgroup_socket_name(s, &s->socks.v[0], name, sizeof(name)));
	ck_assert_str_eq(name, "docker:3f2a9c1b7d4e");
	ck_assert(cgroup_socket_name(s, &s->socks.v[2], name, sizeof(name)));
	ck_assert_str_eq(name, "#987654321");
	ck_assert_str_eq(cgroup_socket_path(s, &s->socks.v[1]), DOCKER_PATH);
	ck_assert(cgroup_process_name(s, &s->procs.v[0], name, sizeof(name)));
	ck_assert_str_eq(name, "docker:3f2a9c1b7d4e");
	ck_assert(!cgroup_process_name(s, &s->procs.v[1], name, sizeof(name)));

	ck_assert(d->flags & CGF_SOCKS);
	ck_assert_uint_eq(d->nsocks, 2);
	ck_assert_uint_eq(d->sock_mem, 1300);
	ck_assert_uint_eq(d->nprocs, 1);
	n = cgroup_sockets(s, d, &ix);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(ix[0], 0);
	ck_assert_uint_eq(ix[1], 1);
	free(ix);
	/* The count: the join's where it ran (a changed figure shows it is
	 * taken from the row), else the walk's. */
	ck_assert_uint_eq(cgroup_socket_count(s, d), 2);
	((struct cgroup_entry *)d)->nsocks = 99;
	ck_assert_uint_eq(cgroup_socket_count(s, d), 99);
	((struct cgroup_entry *)d)->flags &= ~CGF_SOCKS;
	ck_assert_uint_eq(cgroup_socket_count(s, d), 2);
	n = cgroup_processes(s, d, &ix);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(ix[0], 0);
	free(ix);
	snapshot_unref(s);
}
END_TEST

static const struct field_row *find_row(const struct field_row *rows, size_t n,
					const struct diff *d, const char *path)
{
	for (size_t i = 0; i < n; i++) {
		const struct cgroup_entry *e = fields_entity(&rows[i]);
		const struct snapshot *s = rows[i].b ? d->b : d->a;

		if (!strcmp(cgroup_path(&s->cgroups, e), path))
			return &rows[i];
	}
	ck_abort_msg("no row %s", path);
	return NULL;
}

START_TEST(test_diff_fields)
{
	struct snapshot *a = fixture_snapshot(), *b = fixture_snapshot();
	struct cgroup_entry *bd = (struct cgroup_entry *)row(&b->cgroups, CG_HIER_V2, DOCKER_PATH);
	const struct field_row *r;
	struct field_row *rows;
	struct field_ctx ctx;
	struct diff *d;
	char out[64];
	int64_t v;
	size_t n;

	bd->v[CGV_CURRENT] += 5000;
	bd->v[CGV_SOCK] += 4096;
	b->t_mono_ns = a->t_mono_ns + 2000000000ULL;
	/* A cgroup made again at the same path is another cgroup: new id. */
	((struct cgroup_entry *)row(&b->cgroups, CG_HIER_V2, "/user.slice"))->id += 1;
	d = diff_compute(a, b);
	n = fields_rows(&fields_cgroups, d, b, true, false, &rows);
	fields_ctx(d, b, &ctx);
	ck_assert_uint_eq(n, 11);
	ck_assert_uint_eq(d->cgroups.n_new, 1);
	ck_assert_uint_eq(d->cgroups.n_gone, 1);
	r = find_row(rows, n, d, DOCKER_PATH);
	ck_assert_int_eq(r->status, DIFF_CHANGED);
	ck_assert(fields_value(fields_find(&fields_cgroups, "dcurrent"), &ctx, r, &v));
	ck_assert_int_eq(v, 5000);
	ck_assert(fields_value(fields_find(&fields_cgroups, "dsock"), &ctx, r, &v));
	ck_assert_int_eq(v, 4096);
	ck_assert(fields_value(fields_find(&fields_cgroups, "rate"), &ctx, r, &v));
	ck_assert_int_eq(v, 2500);
	ck_assert(fields_value(fields_find(&fields_cgroups, "sockmem"), &ctx, r, &v));
	ck_assert_int_eq(v, 1300);
	fields_format(fields_find(&fields_cgroups, "name"), &ctx, r, out, sizeof(out));
	ck_assert_str_eq(out, "docker:3f2a9c1b7d4e");
	/* Unlimited: the limit is missing, "-", never 2^64. */
	fields_format(fields_find(&fields_cgroups, "max"), &ctx, r, out, sizeof(out));
	ck_assert_str_eq(out, "-");
	r = find_row(rows, n, d, "/init.scope");
	ck_assert_int_eq(r->status, DIFF_SAME);
	fields_format(fields_find(&fields_cgroups, "anon"), &ctx, r, out, sizeof(out));
	ck_assert_str_eq(out, "-");
	ck_assert(!fields_value(fields_find(&fields_cgroups, "danon"), &ctx, r, &v));
	free(rows);
	diff_free(d);
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

START_TEST(test_json)
{
	struct snapshot *s = fixture_snapshot();
	struct export_opts o = { 0 };
	struct diff *d = diff_compute(NULL, s);
	char *buf = NULL, *p;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	export_json(f, d, &o);
	fclose(f);
	p = strstr(buf, "\"cgroups\":{");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(strstr(p, "\"mounts\":{\"v2\":\"/sys/fs/cgroup\",\"v1_memory\":null}"));
	ck_assert_ptr_nonnull(strstr(p, "\"name\":\"docker:3f2a9c1b7d4e\""));
	ck_assert_ptr_nonnull(strstr(p, "\"future_charge\":42"));
	ck_assert_ptr_nonnull(strstr(p, "\"slabinfo\":null"));
	ck_assert_ptr_nonnull(strstr(p, "\"slab_r\":200000"));
	/* A v2 row has no v1 slab caches, and the init.scope row no figures. */
	ck_assert_ptr_nonnull(strstr(p, "\"path\":\"/init.scope\""));
	free(buf);
	diff_free(d);
	snapshot_unref(s);
}
END_TEST

/* ---- the slow files' schedule ------------------------------------------------------ */

static void put_file(int dfd, const char *name, const char *text)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* A v2 cgroup at dfd/name whose current, max and oom_kill are v. */
static void make_cg(int dfd, const char *name, unsigned v)
{
	char text[64];
	int fd;

	ck_assert(mkdirat(dfd, name, 0755) == 0 || errno == EEXIST);
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	put_file(fd, "cgroup.procs", "");
	snprintf(text, sizeof(text), "%u\n", v);
	put_file(fd, "memory.current", text);
	put_file(fd, "memory.max", text);
	put_file(fd, "memory.stat", "anon 4096\nfile 0\n");
	snprintf(text, sizeof(text), "low 0\nhigh 0\nmax 0\noom 0\noom_kill %u\n", v);
	put_file(fd, "memory.events", text);
	close(fd);
}

/* A writable v2 tree: <tmp>/proc/self/mountinfo and <tmp>/cg/a.service. */
static int make_tree(char *dir)
{
	int top, fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	top = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_eq(mkdirat(top, "proc", 0755), 0);
	ck_assert_int_eq(mkdirat(top, "proc/self", 0755), 0);
	ck_assert_int_eq(mkdirat(top, "cg", 0755), 0);
	ck_assert_int_eq(mkdirat(top, "old", 0755), 0);
	fd = openat(top, "proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	put_file(fd, "mountinfo", "1 0 0:1 / /cg rw - cgroup2 cgroup2 rw\n");
	close(fd);
	fd = openat(top, "cg", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	put_file(fd, "cgroup.controllers", "memory\n");
	put_file(fd, "cgroup.procs", "1\n");
	make_cg(fd, "a.service", 100);
	return fd;
}

static void rm_tree(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void scan_tree(const char *dir, struct cgroup_table *t, struct cgroup_cache *c)
{
	struct notes ns = { 0 };
	struct root r;

	ck_assert_int_eq(root_open(&r, dir), 0);
	cgroup_scan(&r, t, c, &ns);
	ck_assert_uint_eq(ns.n, 0);
	notes_free(&ns);
	root_close(&r);
}

static unsigned to_refresh(const struct cgroup_cache *c, uint64_t id);

/*
 * memory.max and memory.events change to 200 after the first scan;
 * memory.current too. current is exact every scan; max and oom_kill keep
 * 100 (present, not missing) until the scan the phase of the cgroup's inode
 * gives, then read 200, within CG_SLOW_REFRESH_SCANS scans.
 */
START_TEST(test_slow_refresh)
{
	char dir[] = "/tmp/leaktop-cgcache-XXXXXX";
	int cg = make_tree(dir);
	struct cgroup_table t = { 0 };
	struct cgroup_cache c = { 0 };
	const struct cgroup_entry *e;
	unsigned due;

	scan_tree(dir, &t, &c);
	e = row(&t, CG_HIER_V2, "/a.service");
	ck_assert_uint_eq(e->v[CGV_MAX], 100);
	ck_assert_uint_eq(e->v[CGV_EV_OOM_KILL], 100);
	due = to_refresh(&c, e->id);
	make_cg(cg, "a.service", 200);
	for (unsigned k = 1; k <= CG_SLOW_REFRESH_SCANS; k++) {
		uint64_t want = k < due ? 100 : 200;

		scan_tree(dir, &t, &c);
		e = row(&t, CG_HIER_V2, "/a.service");
		ck_assert_uint_eq(e->v[CGV_CURRENT], 200);
		ck_assert_msg(cgroup_has(e, CGV_MAX) && cgroup_has(e, CGV_EV_OOM_KILL),
			      "scan %u: carried values missing", k);
		ck_assert_msg(e->v[CGV_MAX] == want && e->v[CGV_EV_OOM_KILL] == want,
			      "scan %u (due %u): max %" PRIu64 " oom_kill %" PRIu64, k, due,
			      e->v[CGV_MAX], e->v[CGV_EV_OOM_KILL]);
	}
	/* Without a cache every scan reads every file. */
	make_cg(cg, "a.service", 300);
	scan_tree(dir, &t, NULL);
	ck_assert_uint_eq(row(&t, CG_HIER_V2, "/a.service")->v[CGV_MAX], 300);
	close(cg);
	cgroup_table_free(&t);
	cgroup_cache_free(&c);
	rm_tree(dir);
}
END_TEST

/*
 * A cgroup removed and made again under the same path (the old directory
 * kept elsewhere, so the new one cannot have its inode) reads its own
 * files at once; so does one whose path is new.
 */
START_TEST(test_slow_refresh_recreated)
{
	char dir[] = "/tmp/leaktop-cgcache-XXXXXX", from[4200], to[4200];
	int cg = make_tree(dir);
	struct cgroup_table t = { 0 };
	struct cgroup_cache c = { 0 };
	const struct cgroup_entry *e;

	scan_tree(dir, &t, &c);
	scan_tree(dir, &t, &c);
	snprintf(from, sizeof(from), "%s/cg/a.service", dir);
	snprintf(to, sizeof(to), "%s/old/a.service", dir);
	ck_assert_int_eq(rename(from, to), 0);
	make_cg(cg, "a.service", 700);
	make_cg(cg, "b.service", 800);
	scan_tree(dir, &t, &c);
	e = row(&t, CG_HIER_V2, "/a.service");
	ck_assert_uint_eq(e->v[CGV_MAX], 700);
	ck_assert_uint_eq(e->v[CGV_EV_OOM_KILL], 700);
	e = row(&t, CG_HIER_V2, "/b.service");
	ck_assert_uint_eq(e->v[CGV_MAX], 800);
	close(cg);
	cgroup_table_free(&t);
	cgroup_cache_free(&c);
	rm_tree(dir);
}
END_TEST

static void put_stat(int dfd, const char *name, const char *text)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	put_file(fd, "memory.stat", text);
	close(fd);
}

static void assert_kv(const struct cgroup_table *t, const struct cgroup_entry *e,
		      const char *const *keys, const uint64_t *vals, size_t n)
{
	ck_assert_uint_eq(e->kv_n, n);
	for (size_t i = 0; i < n; i++) {
		const struct cgroup_kv *kv = &t->kv[e->kv_first + i];

		ck_assert_str_eq(cgroup_str(t, kv->key_off), keys[i]);
		ck_assert_uint_eq(kv->value, vals[i]);
	}
}

static uint64_t ino_at(int dfd, const char *name)
{
	struct stat st;

	ck_assert_int_eq(fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW), 0);
	return (uint64_t)st.st_ino;
}

/*
 * memory.stat keys are resolved once per key and looked for at the line
 * they had in the cgroup before: cgroups that print them in another order,
 * with fewer or unknown ones, still get each value under its own key, and
 * every line as printed. Leaves (read through their parent) and a cgroup
 * with a child (opened) get their directory's inode as id; a leaf removed
 * after it was listed (no cgroup.procs) leaves no row, one without memory
 * files but with cgroup.procs is a row without figures.
 */
START_TEST(test_scan_key_order)
{
	static const char *const k_a[] = { "anon", "file_dirty", "file", "shmem", "future_x" };
	static const uint64_t v_a[] = { 1, 9, 2, 3, 4 };
	static const char *const k_b[] = { "future_x", "shmem", "anon", "file" };
	static const uint64_t v_b[] = { 40, 30, 10, 20 };
	static const char *const k_c[] = { "kernel", "file" };
	static const uint64_t v_c[] = { 500, 200 };
	char dir[] = "/tmp/leaktop-cgkeys-XXXXXX";
	int cg = make_tree(dir), sub;
	struct cgroup_table t = { 0 };
	struct cgroup_cache c = { 0 };
	const struct cgroup_entry *e;

	put_stat(cg, "a.service", "anon 1\nfile_dirty 9\nfile 2\nshmem 3\nfuture_x 4\n");
	make_cg(cg, "b.slice", 100);
	put_stat(cg, "b.slice", "future_x 40\nshmem 30\nanon 10\nfile 20\n");
	make_cg(cg, "b.slice/c.service", 100);
	put_stat(cg, "b.slice/c.service", "kernel 500\nfile 200\n");
	ck_assert_int_eq(mkdirat(cg, "d.service", 0755), 0);
	put_file(cg, "d.service/cgroup.procs", "");
	ck_assert_int_eq(mkdirat(cg, "gone.service", 0755), 0);
	sub = openat(cg, "b.slice", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(sub, 0);
	for (int pass = 0; pass < 2; pass++) {
		scan_tree(dir, &t, pass ? &c : NULL);
		ck_assert_uint_eq(t.n, 5);
		e = row(&t, CG_HIER_V2, "/a.service");
		assert_kv(&t, e, k_a, v_a, ARRAY_SIZE(k_a));
		ck_assert_uint_eq(e->v[CGV_ANON], 1);
		ck_assert_uint_eq(e->v[CGV_FILE], 2);
		ck_assert_uint_eq(e->v[CGV_SHMEM], 3);
		ck_assert_uint_eq(e->v[CGV_CURRENT], 100);
		ck_assert_uint_eq(e->id, ino_at(cg, "a.service"));
		e = row(&t, CG_HIER_V2, "/b.slice");
		assert_kv(&t, e, k_b, v_b, ARRAY_SIZE(k_b));
		ck_assert_uint_eq(e->v[CGV_ANON], 10);
		ck_assert_uint_eq(e->v[CGV_FILE], 20);
		ck_assert_uint_eq(e->v[CGV_SHMEM], 30);
		ck_assert_uint_eq(e->id, ino_at(cg, "b.slice"));
		e = row(&t, CG_HIER_V2, "/b.slice/c.service");
		assert_kv(&t, e, k_c, v_c, ARRAY_SIZE(k_c));
		ck_assert(!cgroup_has(e, CGV_ANON));
		ck_assert_uint_eq(e->v[CGV_FILE], 200);
		ck_assert_uint_eq(e->v[CGV_KERNEL], 500);
		ck_assert_uint_eq(e->v[CGV_MAX], 100);
		ck_assert_uint_eq(e->id, ino_at(sub, "c.service"));
		ck_assert_str_eq(cgroup_path(&t, &t.v[e->parent]), "/b.slice");
		e = row(&t, CG_HIER_V2, "/d.service");
		ck_assert_uint_eq(e->present, 0);
		ck_assert_uint_eq(e->kv_n, 0);
		ck_assert_ptr_null(cgroup_table_find(&t, CG_HIER_V2, "/gone.service", 13));
	}
	close(sub);
	close(cg);
	cgroup_table_free(&t);
	cgroup_cache_free(&c);
	rm_tree(dir);
}
END_TEST

/* ---- memory.stat gated on the charge ------------------------------------------------ */

static void put_in(int dfd, const char *cgroup, const char *file, const char *text)
{
	int fd = openat(dfd, cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	put_file(fd, file, text);
	close(fd);
}

/* Scans from now to the next one that re-reads the slow files (and so
 * memory.stat) of the cgroup with this inode, which the last scan saw: 1
 * to CG_SLOW_REFRESH_SCANS. */
static unsigned to_refresh(const struct cgroup_cache *c, uint64_t id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].id == id)
			return CG_SLOW_REFRESH_SCANS - (c->scan - c->v[i].read_scan);
	ck_abort_msg("cgroup %" PRIu64 " not in the cache", id);
	return 0;
}

/* Scan until the next refresh of cgroup id is at least min scans away. */
static void past_refresh(const char *dir, struct cgroup_table *t, struct cgroup_cache *c,
			 uint64_t id, unsigned min)
{
	while (to_refresh(c, id) < min)
		scan_tree(dir, t, c);
}

static uint64_t stat_value(const struct cgroup_table *t, const struct cgroup_entry *e,
			   const char *key)
{
	for (uint32_t i = 0; i < e->kv_n; i++)
		if (!strcmp(cgroup_str(t, t->kv[e->kv_first + i].key_off), key))
			return t->kv[e->kv_first + i].value;
	return UINT64_MAX;
}

/* The row's memory.stat as the scan gave it: anon (mapped and as a line),
 * pgfault (a line only; absent: UINT64_MAX) and the line count. */
static void assert_stat(const struct cgroup_table *t, const char *path, uint64_t anon,
			uint64_t pgfault, uint32_t lines, const char *when)
{
	const struct cgroup_entry *e = row(t, CG_HIER_V2, path);

	ck_assert_msg(cgroup_has(e, CGV_ANON) && e->v[CGV_ANON] == anon,
		      "%s %s: anon %" PRIu64 ", want %" PRIu64, when, path, e->v[CGV_ANON], anon);
	ck_assert_msg(stat_value(t, e, "anon") == anon, "%s %s: anon line", when, path);
	ck_assert_msg(stat_value(t, e, "pgfault") == pgfault, "%s %s: pgfault %" PRIu64
		      ", want %" PRIu64, when, path, stat_value(t, e, "pgfault"), pgfault);
	ck_assert_msg(e->kv_n == lines, "%s %s: %u lines, want %u", when, path, e->kv_n, lines);
}

/*
 * memory.stat changes while memory.current stays: the scans carry the
 * lines of its last read (values, keys, mapped columns) without opening
 * it, until the scan that re-reads the slow files, which reads it too.
 * A change of memory.current reads it at once; so does a new cgroup, and
 * one made again under the same path (another inode) with the same
 * memory.current.
 */
START_TEST(test_stat_gate)
{
	char dir[] = "/tmp/leaktop-cgstat-XXXXXX", from[4200], to[4200];
	int cg = make_tree(dir);
	struct cgroup_table t = { 0 };
	struct cgroup_cache c = { 0 };
	uint64_t id, reads;
	unsigned due;

	scan_tree(dir, &t, &c);
	assert_stat(&t, "/a.service", 4096, UINT64_MAX, 2, "first scan");
	id = row(&t, CG_HIER_V2, "/a.service")->id;
	past_refresh(dir, &t, &c, id, 2);

	/* Counters move, the charge does not. */
	put_in(cg, "a.service", "memory.stat", "anon 4096\nfile 0\npgfault 5\n");
	due = to_refresh(&c, id);
	for (unsigned k = 1; k <= due; k++) {
		reads = c.stat_reads;
		scan_tree(dir, &t, &c);
		if (k < due) {
			assert_stat(&t, "/a.service", 4096, UINT64_MAX, 2, "carried");
			ck_assert_uint_eq(c.stat_reads, reads);
		} else {
			assert_stat(&t, "/a.service", 4096, 5, 3, "refresh");
			ck_assert_uint_eq(c.stat_reads, reads + 1);
		}
	}

	/* The charge moves: read at once, and carried from that read on. */
	past_refresh(dir, &t, &c, id, 2);
	put_in(cg, "a.service", "memory.stat", "anon 8192\nfile 0\npgfault 9\n");
	put_in(cg, "a.service", "memory.current", "8192\n");
	scan_tree(dir, &t, &c);
	assert_stat(&t, "/a.service", 8192, 9, 3, "current moved");
	ck_assert_uint_eq(row(&t, CG_HIER_V2, "/a.service")->v[CGV_CURRENT], 8192);
	past_refresh(dir, &t, &c, id, 2);
	put_in(cg, "a.service", "memory.stat", "anon 8192\nfile 0\npgfault 11\n");
	scan_tree(dir, &t, &c);
	assert_stat(&t, "/a.service", 8192, 9, 3, "current still");

	/* The v2 root has memory.stat but no memory.current: read every scan. */
	put_file(cg, "memory.stat", "anon 1\n");
	scan_tree(dir, &t, &c);
	past_refresh(dir, &t, &c, row(&t, CG_HIER_V2, "/")->id, 2);
	put_file(cg, "memory.stat", "anon 2\n");
	scan_tree(dir, &t, &c);
	ck_assert_uint_eq(row(&t, CG_HIER_V2, "/")->v[CGV_ANON], 2);

	/* A new cgroup, and one made again with the same charge. */
	past_refresh(dir, &t, &c, id, 2);
	make_cg(cg, "b.service", 8192);
	put_in(cg, "b.service", "memory.stat", "anon 77\npgfault 1\n");
	snprintf(from, sizeof(from), "%s/cg/a.service", dir);
	snprintf(to, sizeof(to), "%s/old/a.service", dir);
	ck_assert_int_eq(rename(from, to), 0);
	make_cg(cg, "a.service", 8192);
	put_in(cg, "a.service", "memory.stat", "anon 66\npgfault 2\n");
	ck_assert_uint_ne(ino_at(cg, "a.service"), id);
	scan_tree(dir, &t, &c);
	assert_stat(&t, "/a.service", 66, 2, 2, "made again");
	assert_stat(&t, "/b.service", 77, 1, 2, "new");

	close(cg);
	cgroup_table_free(&t);
	cgroup_cache_free(&c);
	rm_tree(dir);
}
END_TEST

/* A v1 memory hierarchy mounted at <dir>/m beside the tree's v2 /cg: its
 * root's fd. */
static int v1_mount(const char *dir)
{
	int top = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), m, fd;

	ck_assert_int_ge(top, 0);
	fd = openat(top, "proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	put_file(fd, "mountinfo", "1 0 0:1 / /cg rw - cgroup2 cgroup2 rw\n"
				  "2 0 0:2 / /m rw - cgroup cgroup rw,memory\n");
	close(fd);
	ck_assert_int_eq(mkdirat(top, "m", 0755), 0);
	m = openat(top, "m", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(m, 0);
	put_file(m, "cgroup.procs", "1\n");
	close(top);
	return m;
}

/* v1_mount with one cgroup, k.service: usage, kmem and tcp usage,
 * memory.stat. */
static int make_v1(const char *dir)
{
	int m = v1_mount(dir);

	ck_assert_int_eq(mkdirat(m, "k.service", 0755), 0);
	put_in(m, "k.service", "cgroup.procs", "");
	put_in(m, "k.service", "memory.usage_in_bytes", "1000\n");
	put_in(m, "k.service", "memory.kmem.usage_in_bytes", "100\n");
	put_in(m, "k.service", "memory.kmem.tcp.usage_in_bytes", "10\n");
	put_in(m, "k.service", "memory.stat", "total_rss 1\n");
	return m;
}

static uint64_t v1_rss(const struct cgroup_table *t)
{
	const struct cgroup_entry *e = row(t, CG_HIER_V1, "/k.service");

	ck_assert(cgroup_has(e, CGV_ANON));
	return e->v[CGV_ANON];
}

/* v1: memory.stat is gated on usage_in_bytes and both kmem usage files; a
 * move of any of them reads it at once. */
START_TEST(test_stat_gate_v1)
{
	static const char *const gates[] = { "memory.usage_in_bytes",
					     "memory.kmem.usage_in_bytes",
					     "memory.kmem.tcp.usage_in_bytes" };
	char dir[] = "/tmp/leaktop-cgstat-XXXXXX", text[64];
	int cg = make_tree(dir), m = make_v1(dir);
	struct cgroup_table t = { 0 };
	struct cgroup_cache c = { 0 };
	uint64_t id;

	scan_tree(dir, &t, &c);
	ck_assert_uint_eq(v1_rss(&t), 1);
	id = row(&t, CG_HIER_V1, "/k.service")->id;
	for (size_t g = 0; g < ARRAY_SIZE(gates); g++) {
		past_refresh(dir, &t, &c, id, 3);
		snprintf(text, sizeof(text), "total_rss %zu\n", 10 * g + 2);
		put_in(m, "k.service", "memory.stat", text);
		scan_tree(dir, &t, &c);
		ck_assert_msg(v1_rss(&t) == (g ? 10 * g - 7 : 1), "%s: carried %" PRIu64,
			      gates[g], v1_rss(&t));
		put_in(m, "k.service", gates[g], "5\n");
		snprintf(text, sizeof(text), "total_rss %zu\n", 10 * g + 3);
		put_in(m, "k.service", "memory.stat", text);
		scan_tree(dir, &t, &c);
		ck_assert_msg(v1_rss(&t) == 10 * g + 3, "%s moved: rss %" PRIu64, gates[g],
			      v1_rss(&t));
	}
	close(m);
	close(cg);
	cgroup_table_free(&t);
	cgroup_cache_free(&c);
	rm_tree(dir);
}
END_TEST

/* A memory.stat with a bad line is read, and noted, every scan. */
START_TEST(test_stat_notes_each_scan)
{
	char dir[] = "/tmp/leaktop-cgstat-XXXXXX";
	int cg = make_tree(dir);
	struct cgroup_table t = { 0 };
	struct cgroup_cache c = { 0 };
	struct root r;

	put_in(cg, "a.service", "memory.stat", "anon 1\nfile x\n");
	ck_assert_int_eq(root_open(&r, dir), 0);
	for (int k = 0; k < 3; k++) {
		struct notes ns = { 0 };
		const struct note *n;

		cgroup_scan(&r, &t, &c, &ns);
		n = notes_find(&ns, "cgroup v2 /a.service/memory.stat");
		ck_assert_msg(n != NULL, "scan %d: no note", k);
		ck_assert_uint_eq(n->line, 2);
		notes_free(&ns);
	}
	ck_assert_uint_eq(row(&t, CG_HIER_V2, "/a.service")->v[CGV_ANON], 1);
	root_close(&r);
	close(cg);
	cgroup_table_free(&t);
	cgroup_cache_free(&c);
	rm_tree(dir);
}
END_TEST

/* ---- leaves carried whole under a still parent ------------------------------------- */

/* <dir>/cg/p.slice (memory.current 1000) with leaves a.service (10) and
 * b.service (20); returns p.slice's fd. */
static int make_slice(int cg)
{
	int p;

	make_cg(cg, "p.slice", 1000);
	p = openat(cg, "p.slice", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(p, 0);
	make_cg(p, "a.service", 10);
	make_cg(p, "b.service", 20);
	return p;
}

/* The end of a carry test: its directory fds, table, cache and tree. */
static void carry_done(char *dir, int cg, int p, struct cgroup_table *t, struct cgroup_cache *c)
{
	close(p);
	close(cg);
	cgroup_table_free(t);
	cgroup_cache_free(c);
	rm_tree(dir);
}

static uint64_t current_of(const struct cgroup_table *t, const char *path)
{
	const struct cgroup_entry *e = row(t, CG_HIER_V2, path);

	ck_assert_msg(cgroup_has(e, CGV_CURRENT), "%s: no memory.current", path);
	return e->v[CGV_CURRENT];
}

static void rm_cg(int dfd, const char *name)
{
	static const char *const files[] = { "cgroup.procs", "memory.current", "memory.max",
					     "memory.stat", "memory.events" };
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		ck_assert_int_eq(unlinkat(fd, files[i], 0), 0);
	close(fd);
	ck_assert_int_eq(unlinkat(dfd, name, AT_REMOVEDIR), 0);
}

/*
 * A leaf under a parent whose memory.current did not move keeps the row of
 * its last read, without a file read, until its own refresh: a change of
 * its memory.current alone (a sibling gave back as much) shows then, and
 * at once when the parent's moves too. The parent's listing is read every
 * scan: a new sibling, a removed one and one made again under the same
 * path (another inode) show at once; a sub-cgroup made inside a carried
 * leaf shows at that leaf's refresh.
 */
START_TEST(test_leaf_carry)
{
	char dir[] = "/tmp/leaktop-cgcarry-XXXXXX", from[4200], to[4200];
	int cg = make_tree(dir), p = make_slice(cg), x;
	struct cgroup_table t = { 0 };
	struct cgroup_cache c = { 0 };
	uint64_t id, carried;
	unsigned due;

	scan_tree(dir, &t, &c);
	ck_assert_uint_eq(c.carried, 0);
	id = row(&t, CG_HIER_V2, "/p.slice/a.service")->id;
	past_refresh(dir, &t, &c, id, 3);
	carried = c.carried;
	scan_tree(dir, &t, &c);
	ck_assert_msg(c.carried > carried, "no leaf carried under a still parent");

	/* a's charge moves, the parent's does not: carried until its refresh. */
	past_refresh(dir, &t, &c, id, 2);
	put_in(p, "a.service", "memory.current", "11\n");
	due = to_refresh(&c, id);
	for (unsigned k = 1; k <= due; k++) {
		scan_tree(dir, &t, &c);
		ck_assert_msg(current_of(&t, "/p.slice/a.service") == (k < due ? 10 : 11),
			      "scan %u of %u: a.service %" PRIu64, k, due,
			      current_of(&t, "/p.slice/a.service"));
		ck_assert_uint_eq(row(&t, CG_HIER_V2, "/p.slice/a.service")->v[CGV_MAX], 10);
	}

	/* The parent's charge moves with it: read at once. */
	past_refresh(dir, &t, &c, id, 2);
	put_in(cg, "p.slice", "memory.current", "1001\n");
	put_in(p, "a.service", "memory.current", "12\n");
	scan_tree(dir, &t, &c);
	ck_assert_uint_eq(current_of(&t, "/p.slice/a.service"), 12);

	/* New, removed and made-again siblings under a still parent. */
	past_refresh(dir, &t, &c, id, 2);
	make_cg(p, "c.service", 30);
	rm_cg(p, "b.service");
	snprintf(from, sizeof(from), "%s/cg/p.slice/a.service", dir);
	snprintf(to, sizeof(to), "%s/old/a.service", dir);
	ck_assert_int_eq(rename(from, to), 0);
	make_cg(p, "a.service", 12);
	ck_assert_uint_ne(ino_at(p, "a.service"), id);
	carried = c.carried;
	scan_tree(dir, &t, &c);
	ck_assert_uint_eq(c.carried, carried);	/* a, c new: read */
	ck_assert_uint_eq(current_of(&t, "/p.slice/c.service"), 30);
	ck_assert_ptr_null(cgroup_table_find(&t, CG_HIER_V2, "/p.slice/b.service", 18));
	ck_assert_uint_eq(row(&t, CG_HIER_V2, "/p.slice/a.service")->v[CGV_MAX], 12);
	ck_assert_uint_eq(row(&t, CG_HIER_V2, "/p.slice/a.service")->id, ino_at(p, "a.service"));

	/* A sub-cgroup inside a carried leaf: seen at the leaf's refresh. */
	id = ino_at(p, "a.service");
	past_refresh(dir, &t, &c, id, 2);
	x = openat(p, "a.service", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(x, 0);
	make_cg(x, "x.scope", 40);
	due = to_refresh(&c, id);
	for (unsigned k = 1; k <= due; k++) {
		scan_tree(dir, &t, &c);
		ck_assert_msg((cgroup_table_find(&t, CG_HIER_V2, "/p.slice/a.service/x.scope", 26) !=
			       NULL) == (k == due),
			      "scan %u of %u: x.scope %s", k, due, k < due ? "early" : "missing");
	}
	ck_assert_uint_eq(current_of(&t, "/p.slice/a.service/x.scope"), 40);

	close(x);
	carry_done(dir, cg, p, &t, &c);
}
END_TEST

/* Nothing moves: the rows the cache carries are the rows a scan without a
 * cache reads, every value, flag and memory.stat line. */
START_TEST(test_leaf_carry_equal)
{
	char dir[] = "/tmp/leaktop-cgcarry-XXXXXX";
	int cg = make_tree(dir), p = make_slice(cg);
	struct cgroup_table t = { 0 }, u = { 0 };
	struct cgroup_cache c = { 0 };

	put_in(p, "b.service", "memory.stat", "anon 4096\nfile 8192\nslab 12\npgfault 3\n");
	put_in(p, "b.service", "memory.max", "max\n");
	for (unsigned k = 0; k < 2 * CG_SLOW_REFRESH_SCANS; k++) {
		scan_tree(dir, &t, &c);
		scan_tree(dir, &u, NULL);
		ck_assert_uint_eq(t.n, u.n);
		for (size_t i = 0; i < t.n; i++) {
			const struct cgroup_entry *a = &t.v[i], *b = &u.v[i];

			ck_assert_str_eq(cgroup_path(&t, a), cgroup_path(&u, b));
			ck_assert_uint_eq(a->id, b->id);
			ck_assert_uint_eq(a->depth, b->depth);
			ck_assert_uint_eq(a->parent, b->parent);
			ck_assert_uint_eq(a->flags, b->flags);
			ck_assert_uint_eq(a->present, b->present);
			ck_assert(!memcmp(a->v, b->v, sizeof(a->v)));
			ck_assert_uint_eq(a->kv_n, b->kv_n);
			for (uint32_t j = 0; j < a->kv_n; j++) {
				ck_assert_uint_eq(t.kv[a->kv_first + j].value,
						  u.kv[b->kv_first + j].value);
				ck_assert_str_eq(cgroup_str(&t, t.kv[a->kv_first + j].key_off),
						 cgroup_str(&u, u.kv[b->kv_first + j].key_off));
			}
		}
	}
	/* Each leaf is read at the first scan and at two refreshes at most. */
	ck_assert_msg(c.carried >= 2 * (2 * CG_SLOW_REFRESH_SCANS - 3), "%" PRIu64 " carried",
		      c.carried);
	cgroup_table_free(&u);
	carry_done(dir, cg, p, &t, &c);
}
END_TEST

/* A leaf whose memory.stat gives a note is read, and noted, every scan,
 * under a still parent too. */
START_TEST(test_leaf_carry_notes)
{
	char dir[] = "/tmp/leaktop-cgcarry-XXXXXX";
	int cg = make_tree(dir), p = make_slice(cg);
	struct cgroup_table t = { 0 };
	struct cgroup_cache c = { 0 };
	struct root r;

	put_in(p, "a.service", "memory.stat", "anon 1\nfile x\n");
	ck_assert_int_eq(root_open(&r, dir), 0);
	for (int k = 0; k < CG_SLOW_REFRESH_SCANS; k++) {
		struct notes ns = { 0 };

		cgroup_scan(&r, &t, &c, &ns);
		ck_assert_msg(notes_find(&ns, "cgroup v2 /p.slice/a.service/memory.stat") != NULL,
			      "scan %d: no note", k);
		notes_free(&ns);
	}
	root_close(&r);
	carry_done(dir, cg, p, &t, &c);
}
END_TEST

/* v1 carries leaves only when its root says memory.use_hierarchy 1: with
 * 0 (or no such file) a parent's usage need not hold its children's; and
 * never right under the root. */
START_TEST(test_leaf_carry_v1_hierarchy)
{
	char dir[] = "/tmp/leaktop-cgcarry-XXXXXX";
	int cg = make_tree(dir), m = v1_mount(dir);
	struct cgroup_table t = { 0 };
	struct cgroup_cache c = { 0 };
	uint64_t carried;

	put_file(m, "memory.usage_in_bytes", "1000\n");
	put_file(m, "memory.stat", "total_rss 1\n");
	ck_assert_int_eq(mkdirat(m, "p.slice", 0755), 0);
	put_in(m, "p.slice", "memory.usage_in_bytes", "100\n");
	put_in(m, "p.slice", "memory.stat", "total_rss 1\n");
	put_in(m, "p.slice", "cgroup.procs", "");
	ck_assert_int_eq(mkdirat(m, "p.slice/k.service", 0755), 0);
	put_in(m, "p.slice/k.service", "cgroup.procs", "");
	put_in(m, "p.slice/k.service", "memory.usage_in_bytes", "10\n");
	put_in(m, "p.slice/k.service", "memory.stat", "total_rss 1\n");
	ck_assert_int_eq(mkdirat(m, "d.service", 0755), 0);
	put_in(m, "d.service", "cgroup.procs", "");
	put_in(m, "d.service", "memory.usage_in_bytes", "70\n");
	put_in(m, "d.service", "memory.stat", "total_rss 1\n");
	for (int k = 0; k < 3; k++)
		scan_tree(dir, &t, &c);
	carried = c.carried;
	for (int k = 0; k < 3; k++)
		scan_tree(dir, &t, &c);
	ck_assert_uint_eq(c.carried, carried);
	put_file(m, "memory.use_hierarchy", "0\n");
	for (int k = 0; k < 3; k++)
		scan_tree(dir, &t, &c);
	ck_assert_uint_eq(c.carried, carried);
	put_file(m, "memory.use_hierarchy", "1\n");
	for (int k = 0; k < 3; k++)
		scan_tree(dir, &t, &c);
	ck_assert_uint_gt(c.carried, carried);
	ck_assert_uint_eq(row(&t, CG_HIER_V1, "/p.slice/k.service")->v[CGV_CURRENT], 10);
	/* Right under the root, whose usage is no page counter: read. */
	for (int k = 0; k < 3; k++) {
		char text[32];

		snprintf(text, sizeof(text), "%d\n", 71 + k);
		put_in(m, "d.service", "memory.usage_in_bytes", text);
		scan_tree(dir, &t, &c);
		ck_assert_uint_eq(row(&t, CG_HIER_V1, "/d.service")->v[CGV_CURRENT], 71 + k);
	}
	carry_done(dir, cg, m, &t, &c);
}
END_TEST

/* A key both hierarchies print fills what its own hierarchy's table says:
 * v2's shmem is shmem, and so is v1's, whose table has other entries. */
START_TEST(test_scan_key_per_hier)
{
	char dir[] = "/tmp/leaktop-cgkeys-XXXXXX";
	int cg = make_tree(dir), m;
	struct cgroup_table t = { 0 };
	const struct cgroup_entry *e;

	put_stat(cg, "a.service", "anon 1\nfile 2\nshmem 3\n");
	m = v1_mount(dir);
	put_file(m, "memory.usage_in_bytes", "100\n");
	put_file(m, "memory.stat", "cache 7\nrss 8\nshmem 9\n");
	close(m);
	scan_tree(dir, &t, NULL);
	e = row(&t, CG_HIER_V2, "/a.service");
	ck_assert_uint_eq(e->v[CGV_SHMEM], 3);
	e = row(&t, CG_HIER_V1, "/");
	ck_assert_uint_eq(e->v[CGV_FILE], 7);
	ck_assert_uint_eq(e->v[CGV_ANON], 8);
	ck_assert_uint_eq(e->v[CGV_SHMEM], 9);
	close(cg);
	cgroup_table_free(&t);
	rm_tree(dir);
}
END_TEST

Suite *cgroup_suite(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_stat_v2);
	tcase_add_test(tc, test_stat_v1_total_wins);
	tcase_add_test(tc, test_keyed_bad_lines);
	tcase_add_test(tc, test_keyed_forms);
	tcase_add_test(tc, test_value);
	tcase_add_test(tc, test_mounts);
	tcase_add_test(tc, test_proc_paths);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("scan");
	tcase_add_test(tc, test_scan_v2);
	tcase_add_test(tc, test_scan_v1);
	tcase_add_test(tc, test_scan_hybrid);
	tcase_add_test(tc, test_scan_none);
	tcase_add_test(tc, test_scan_refused_and_gone);
	tcase_add_test(tc, test_slow_refresh);
	tcase_add_test(tc, test_slow_refresh_recreated);
	tcase_add_test(tc, test_scan_key_order);
	tcase_add_test(tc, test_scan_key_per_hier);
	tcase_add_test(tc, test_stat_gate);
	tcase_add_test(tc, test_stat_gate_v1);
	tcase_add_test(tc, test_stat_notes_each_scan);
	tcase_add_test(tc, test_leaf_carry);
	tcase_add_test(tc, test_leaf_carry_equal);
	tcase_add_test(tc, test_leaf_carry_notes);
	tcase_add_test(tc, test_leaf_carry_v1_hierarchy);
	suite_add_tcase(s, tc);
	tc = tcase_create("join");
	tcase_add_test(tc, test_join);
	tcase_add_test(tc, test_diff_fields);
	tcase_add_test(tc, test_json);
	suite_add_tcase(s, tc);
	return s;
}
