/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sampler_tick on the fixture roots: every section asked for is either
 * present with content or noted missing with a reason, never an empty
 * section passed off as data. Files that are missing, are directories, or
 * belong to a process that has died become notes naming the source while
 * the rest of the sample goes on.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "diff.h"
#include "expect.h"
#include "export.h"
#include "sampler.h"
#include "suites.h"

static bool has_mem(const struct snapshot *s)
{
	return s->mem.valid || s->meminfo.n;
}

static bool has_slab(const struct snapshot *s)
{
	return s->slab.n || s->slab.total_bytes;
}

static bool has_vmalloc(const struct snapshot *s)
{
	return s->vmalloc.n || s->vmalloc.total_bytes;
}

static bool has_tmpfs(const struct snapshot *s)
{
	return s->tmpfs.n || s->tmpfs.total_used_bytes;
}

static bool has_shm(const struct snapshot *s)
{
	return s->shm.present || s->shm.segments;
}

static bool has_socks(const struct snapshot *s)
{
	return s->socks.n;
}

static bool has_procs(const struct snapshot *s)
{
	return s->procs.n;
}

static bool has_tcp(const struct snapshot *s)
{
	return s->tcp.has_sockstat || s->tcp.has_tcp_mem || s->tcp.ncounters;
}

/* A section of a snapshot: the bit that asks for it, the note source that
 * says it is missing, and whether the sample holds anything for it. */
static const struct section {
	unsigned int bit;
	const char *src;
	bool (*has)(const struct snapshot *s);
} sections[] = {
	{ SNAP_MEM, SRC_MEMINFO, has_mem },
	{ SNAP_SLAB, SRC_SLABINFO, has_slab },
	{ SNAP_VMALLOC, SRC_VMALLOC, has_vmalloc },
	{ SNAP_TMPFS, SRC_TMPFS, has_tmpfs },
	{ SNAP_TMPFS, SRC_SYSV_SHM, has_shm },
	{ SNAP_SOCKETS, SRC_SOCKETS, has_socks },
	{ SNAP_PROCS, SRC_PROCESSES, has_procs },
	{ SNAP_TCP, SRC_TCP, has_tcp },
};

/* Fixture roots and the sources each one holds (README in tests/fixtures). */
static const struct root_case {
	const char *dir;
	const char *present[4];	/* SRC_* names with content; the rest are missing */
} roots[] = {
	{ "seed001", { NULL } },	/* flat files, no proc/ at all */
	{ "kisamples-root", { SRC_MEMINFO, SRC_SLABINFO, SRC_VMALLOC } },
	{ "tree-badslab", { SRC_MEMINFO, SRC_VMALLOC } },	/* slabinfo 9.9 */
	{ "tmpfs", { SRC_TMPFS, SRC_SYSV_SHM } },
	{ "tmpfs-oldshm", { SRC_SYSV_SHM } },
	{ "procs", { SRC_PROCESSES } },
	{ "procnet", { SRC_SOCKETS } },
	{ "tcpmem", { SRC_TCP } },
	{ "kstack", { NULL } },		/* a task tree, no process it can list */
};

static bool expected_present(const struct root_case *c, const char *src)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->present) && c->present[i]; i++)
		if (strcmp(c->present[i], src) == 0)
			return true;
	return false;
}

/* The batch text report of s alone, in a heap string. */
static char *text_report(struct snapshot *s)
{
	struct export_opts o = { 0 };
	struct diff *d = diff_compute(NULL, s);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	export_text(f, d, &o);
	ck_assert_int_eq(fclose(f), 0);
	diff_free(d);
	return text;
}

START_TEST(test_fixture_root_sections)
{
	const struct root_case *c = &roots[_i];
	struct sampler *sm;
	struct snapshot *s;
	struct root r;
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/%s", FIXTURES_DIR, c->dir);
	ck_assert_int_eq(root_open(&r, dir), 0);
	sm = sampler_new(&r);
	s = sampler_tick(sm, SNAP_ALL);
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
		const struct section *sec = &sections[i];
		const struct note *n = notes_find(&s->notes, sec->src);
		bool missing = notes_is_missing(&s->notes, sec->src);

		ck_assert_msg(missing != expected_present(c, sec->src), "%s: %s %s", c->dir,
			      sec->src, missing ? "missing" : "present");
		/* present means content; missing means a reason and no data */
		ck_assert_msg(sec->has(s) == !missing, "%s: %s %s but %s", c->dir, sec->src,
			      missing ? "missing" : "present",
			      sec->has(s) ? "holds data" : "is empty");
		if (missing)
			ck_assert_msg(n && n->msg[0], "%s: %s missing without a reason", c->dir,
				      sec->src);
	}
	snapshot_unref(s);
	sampler_free(sm);
	root_close(&r);
}
END_TEST

/*
 * The batch report says a missing slabinfo is missing, with the reason,
 * instead of "0 caches"; a present one counts its caches.
 */
START_TEST(test_fixture_root_slab_text)
{
	const struct root_case *c = &roots[_i];
	struct sampler *sm;
	struct snapshot *s;
	struct root r;
	char dir[4096], want[256];
	char *text;

	snprintf(dir, sizeof(dir), "%s/%s", FIXTURES_DIR, c->dir);
	ck_assert_int_eq(root_open(&r, dir), 0);
	sm = sampler_new(&r);
	s = sampler_tick(sm, SNAP_SLAB);
	text = text_report(s);
	if (expected_present(c, SRC_SLABINFO)) {
		snprintf(want, sizeof(want), "SLAB  %zu caches", s->slab.n);
		ck_assert_uint_gt(s->slab.n, 0);
	} else {
		snprintf(want, sizeof(want), "SLAB\n  -  slabinfo: %s\n",
			 notes_find(&s->notes, SRC_SLABINFO)->msg);
		ck_assert_msg(!strstr(text, "caches"), "%s: %s", c->dir, text);
	}
	ck_assert_msg(strstr(text, want) != NULL, "%s: no \"%s\" in:\n%s", c->dir, want, text);
	free(text);
	snapshot_unref(s);
	sampler_free(sm);
	root_close(&r);
}
END_TEST

/* ---- files that are not there, or not files -------------------------------- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void copy_fixture(const char *rel, const char *to)
{
	struct buf b = { 0 };

	fixture_load(rel, &b);
	write_in(NULL, to, b.data, b.len);
	buf_free(&b);
}

/* buf_readat on each way a file can fail to be a readable file. */
static const struct read_case {
	const char *what;
	const char *path;	/* under the temp dir */
	int err;
} read_cases[] = {
	{ "missing file", "no-such-file", -ENOENT },
	{ "missing directory on the way", "no-such-dir/meminfo", -ENOENT },
	{ "directory where a file is expected", "proc", -EISDIR },
	{ "path through a file", "proc/vmallocinfo/x", -ENOTDIR },
};

START_TEST(test_buf_read_errors)
{
	const struct read_case *c = &read_cases[_i];
	char tree[] = "/tmp/leaktop-sampler-XXXXXX", path[4200];
	struct buf b = { 0 };
	int dfd;

	ck_assert_ptr_nonnull(mkdtemp(tree));
	snprintf(path, sizeof(path), "%s/proc", tree);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/vmallocinfo", tree);
	copy_fixture("kisamples/vmallocinfo", path);
	dfd = open(tree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dfd, 0);
	/* stale content must not survive a failed read */
	buf_append(&b, "stale", 5);
	ck_assert_msg(buf_readat(dfd, c->path, &b, 0) == c->err, "%s", c->what);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.data, "");
	buf_free(&b);
	close(dfd);
	ck_assert_int_eq(nftw(tree, remove_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
}
END_TEST

/* A process directory held open while its process dies and is reaped: every
 * file in it now fails with ESRCH (or ENOENT), and says so. */
START_TEST(test_buf_read_dead_process)
{
	static const char *const files[] = { "stat", "status", "cmdline", "smaps_rollup" };
	struct buf b = { 0 };
	char path[64];
	pid_t child;
	int dfd;

	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d", (int)child);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dfd, 0);
	ck_assert_int_eq(buf_readat(dfd, "stat", &b, 0), 0);
	ck_assert_uint_gt(b.len, 0);
	ck_assert_int_eq(kill(child, SIGKILL), 0);
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		int ret = buf_readat(dfd, files[i], &b, 0);

		ck_assert_msg(ret == -ESRCH || ret == -ENOENT, "%s: %d", files[i], ret);
		ck_assert_uint_eq(b.len, 0);
	}
	close(dfd);
	buf_free(&b);
}
END_TEST

/*
 * A root where meminfo is a directory, slabinfo is absent, vmallocinfo is
 * fine, and of two process directories one has lost its files (the process
 * died between the listing and the read). meminfo and slabinfo are missing
 * with their reasons; vmalloc and the live process are sampled all the same.
 */
START_TEST(test_sampler_broken_sources)
{
	char tree[] = "/tmp/leaktop-sampler-XXXXXX", path[4200];
	static const char *const pid_files[] = { "stat", "status", "cmdline" };
	const struct note *n;
	struct sampler *sm;
	struct snapshot *s;
	struct root r;

	ck_assert_ptr_nonnull(mkdtemp(tree));
	snprintf(path, sizeof(path), "%s/proc", tree);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/meminfo", tree);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/vmallocinfo", tree);
	copy_fixture("kisamples/vmallocinfo", path);
	snprintf(path, sizeof(path), "%s/proc/uptime", tree);
	copy_fixture("procs/proc/uptime", path);
	snprintf(path, sizeof(path), "%s/proc/1234", tree);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	for (size_t i = 0; i < ARRAY_SIZE(pid_files); i++) {
		char from[64], to[4300];

		snprintf(from, sizeof(from), "procs/proc/1234/%s", pid_files[i]);
		snprintf(to, sizeof(to), "%s/proc/1234/%s", tree, pid_files[i]);
		copy_fixture(from, to);
	}
	snprintf(path, sizeof(path), "%s/proc/4321", tree);
	ck_assert_int_eq(mkdir(path, 0755), 0);

	ck_assert_int_eq(root_open(&r, tree), 0);
	sm = sampler_new(&r);
	s = sampler_tick(sm, SNAP_MEM | SNAP_SLAB | SNAP_VMALLOC | SNAP_PROCS);
	ck_assert(notes_is_missing(&s->notes, SRC_MEMINFO));
	n = notes_find(&s->notes, SRC_MEMINFO);
	ck_assert_str_eq(n->msg, strerror(EISDIR));
	ck_assert(!s->mem.valid);
	ck_assert(notes_is_missing(&s->notes, SRC_SLABINFO));
	ck_assert_uint_eq(s->slab.n, 0);
	ck_assert(!notes_is_missing(&s->notes, SRC_VMALLOC));
	ck_assert_uint_gt(s->vmalloc.n, 0);
	ck_assert(!notes_is_missing(&s->notes, SRC_PROCESSES));
	ck_assert_uint_eq(s->procs.n, 1);
	ck_assert_int_eq(s->procs.v[0].pid, 1234);
	snapshot_unref(s);
	sampler_free(sm);
	root_close(&r);
	ck_assert_int_eq(nftw(tree, remove_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
}
END_TEST

/* A tree with the fixture meminfo and an empty proc/<file>, and a sampler
 * on it: where the tests of carried tables start. dir gets <tree>/proc. */
static struct sampler *carry_tree(char *tree, char *dir, size_t dsz, const char *file,
				  struct buf *mi, struct root *r)
{
	ck_assert_ptr_nonnull(mkdtemp(tree));
	snprintf(dir, dsz, "%s/proc", tree);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	fixture_load("kisamples/meminfo", mi);
	write_in(dir, "meminfo", mi->data, mi->len);
	write_in(dir, file, "", 0);
	ck_assert_int_eq(root_open(r, tree), 0);
	return sampler_new(r);
}

static void carry_tree_done(const char *tree, struct sampler *sm, struct root *r, struct buf *mi)
{
	sampler_free(sm);
	root_close(r);
	buf_free(mi);
	ck_assert_int_eq(nftw(tree, remove_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
}

/* The vmalloc table of the sampler's next sample: callers, RAM, missing. */
static void vmalloc_of(struct sampler *sm, size_t *n, uint64_t *bytes, bool *missing)
{
	struct snapshot *s = sampler_tick(sm, SNAP_MEM | SNAP_VMALLOC);

	*n = s->vmalloc.n;
	*bytes = s->vmalloc.total_bytes;
	*missing = notes_is_missing(&s->notes, SRC_VMALLOC);
	snapshot_unref(s);
}

/*
 * vmallocinfo is read again only when meminfo's VmallocUsed moved (the
 * kernel pays for every area's symbol to print it): with VmallocUsed still,
 * a changed file is not read and the last table is carried; once
 * VmallocUsed moves, or is 0 (kernels that did not count it), it is read.
 * A table that could not be read is never carried.
 */
START_TEST(test_vmalloc_carried_while_used_still)
{
	char tree[] = "/tmp/leaktop-vmcarry-XXXXXX", dir[64], vm[80];
	static const char one_area[] =
		"0x0000000012345678-0x0000000012347678    8192 leak_fn+0x1/0x20 pages=1 vmalloc\n";
	struct buf mi = { 0 };
	struct sampler *sm;
	struct root r;
	uint64_t bytes;
	size_t n, n0;
	bool missing;
	char *p;

	sm = carry_tree(tree, dir, sizeof(dir), "vmallocinfo", &mi, &r);
	snprintf(vm, sizeof(vm), "%s/vmallocinfo", dir);

	/* Unreadable as a table: missing, and not kept for the next sample. */
	vmalloc_of(sm, &n, &bytes, &missing);
	ck_assert(missing);
	ck_assert_uint_eq(n, 0);
	copy_fixture("kisamples/vmallocinfo", vm);
	vmalloc_of(sm, &n0, &bytes, &missing);
	ck_assert(!missing);
	ck_assert_uint_gt(n0, 1);

	/* VmallocUsed still: the changed file is not read. */
	write_text_in(dir, "vmallocinfo", one_area);
	vmalloc_of(sm, &n, &bytes, &missing);
	ck_assert(!missing);
	ck_assert_uint_eq(n, n0);

	/* VmallocUsed moved: read again. */
	p = strstr(mi.data, "VmallocUsed:       14300 kB");
	ck_assert_ptr_nonnull(p);
	memcpy(p, "VmallocUsed:       14304 kB", 27);
	write_in(dir, "meminfo", mi.data, mi.len);
	vmalloc_of(sm, &n, &bytes, &missing);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(bytes, 4096);

	/* VmallocUsed 0 counts nothing: read every time. */
	memcpy(p, "VmallocUsed:           0 kB", 27);
	write_in(dir, "meminfo", mi.data, mi.len);
	vmalloc_of(sm, &n, &bytes, &missing);
	ck_assert_uint_eq(n, 1);
	copy_fixture("kisamples/vmallocinfo", vm);
	vmalloc_of(sm, &n, &bytes, &missing);
	ck_assert_uint_eq(n, n0);

	carry_tree_done(tree, sm, &r, &mi);
}
END_TEST

/* The slab table of the sampler's next sample: caches, and whether the
 * source is missing. */
static void slab_of(struct sampler *sm, size_t *n, bool *missing)
{
	struct snapshot *s = sampler_tick(sm, SNAP_MEM | SNAP_SLAB);

	*n = s->slab.n;
	*missing = notes_is_missing(&s->notes, SRC_SLABINFO);
	snapshot_unref(s);
}

/*
 * slabinfo (and the merged caches) is read again only when meminfo's Slab
 * moved: with Slab still, a changed file is not read and each sample gets
 * its own copy of the last table (the sample before is freed first: a
 * shared table would be used after free under ASan). A table that could
 * not be read is never carried.
 */
START_TEST(test_slab_carried_while_slab_still)
{
	char tree[] = "/tmp/leaktop-slabcarry-XXXXXX", dir[64], si[80];
	static const char one_cache[] =
		"slabinfo - version: 2.1\n"
		"# name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables "
		"<limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> "
		"<sharedavail>\n"
		"leak_cache 100 100 64 64 1 : tunables 0 0 0 : slabdata 2 2 0\n";
	struct buf mi = { 0 };
	struct sampler *sm;
	struct root r;
	size_t n, n0;
	bool missing;
	char *p;

	sm = carry_tree(tree, dir, sizeof(dir), "slabinfo", &mi, &r);
	snprintf(si, sizeof(si), "%s/slabinfo", dir);

	/* Unreadable as a table: missing, and not kept for the next sample. */
	slab_of(sm, &n, &missing);
	ck_assert(missing);
	ck_assert_uint_eq(n, 0);
	copy_fixture("kisamples/slabinfo", si);
	slab_of(sm, &n0, &missing);
	ck_assert(!missing);
	ck_assert_uint_gt(n0, 1);

	/* Slab still: the changed file is not read, twice. */
	write_text_in(dir, "slabinfo", one_cache);
	slab_of(sm, &n, &missing);
	ck_assert(!missing);
	ck_assert_uint_eq(n, n0);
	slab_of(sm, &n, &missing);
	ck_assert_uint_eq(n, n0);

	/* Slab moved: read again. */
	p = strstr(mi.data, "Slab:             669572 kB");
	ck_assert_ptr_nonnull(p);
	memcpy(p, "Slab:             669576 kB", 27);
	write_in(dir, "meminfo", mi.data, mi.len);
	slab_of(sm, &n, &missing);
	ck_assert_uint_eq(n, 1);

	carry_tree_done(tree, sm, &r, &mi);
}
END_TEST

Suite *sampler_suite(void)
{
	Suite *s = suite_create("sampler");
	TCase *tc = tcase_create("sampler");

	tcase_add_loop_test(tc, test_fixture_root_sections, 0, ARRAY_SIZE(roots));
	tcase_add_loop_test(tc, test_fixture_root_slab_text, 0, ARRAY_SIZE(roots));
	tcase_add_loop_test(tc, test_buf_read_errors, 0, ARRAY_SIZE(read_cases));
	tcase_add_test(tc, test_buf_read_dead_process);
	tcase_add_test(tc, test_sampler_broken_sources);
	tcase_add_test(tc, test_vmalloc_carried_while_used_still);
	tcase_add_test(tc, test_slab_carried_while_slab_still);
	suite_add_tcase(s, tc);
	return s;
}
