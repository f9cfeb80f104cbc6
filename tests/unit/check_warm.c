/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What makes samples cheap without changing them: the warm process scan
 * keeps a process's status fields while its stat line does not move (and
 * re-reads them when it moves, or on the refresh cadence), and a cold scan
 * whose fd walk runs before the socket table exists gives, once attached,
 * the owners a walk after the dump gives. Over fixtures/procs and a tree
 * made at run time.
 */
#include <config.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat.h"
#include "expect.h"
#include "notes.h"
#include "proc_scan.h"
#include "root.h"
#include "sock.h"
#include "suites.h"

#define PROCS_DIR FIXTURES_DIR "/procs"
#define PID 800

struct tree {
	char top[64];
	char pdir[128];
};

/* utime is field 14: a process that ran. */
static void put_stat(const struct tree *t, unsigned int utime)
{
	char s[256];

	snprintf(s, sizeof(s), "%d (srv) S 1 %d %d 0 -1 0 10 0 0 0 %u 0 0 0 20 0 1 0 500 1 1\n",
		 PID, PID, PID, utime);
	write_text_in(t->pdir, "stat", s);
}

static void put_status(const struct tree *t, unsigned int rss_kb, unsigned int uid)
{
	char s[256];

	snprintf(s, sizeof(s), "Name:\tsrv\nPPid:\t1\nUid:\t%u\t%u\t%u\t%u\nVmRSS:\t%u kB\n"
		 "VmSwap:\t0 kB\nThreads:\t1\n", uid, uid, uid, uid, rss_kb);
	write_text_in(t->pdir, "status", s);
}

static void tree_make(struct tree *t)
{
	char procdir[96];

	snprintf(t->top, sizeof(t->top), "/tmp/leaktop-warm-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->top));
	snprintf(procdir, sizeof(procdir), "%s/proc", t->top);
	ck_assert_int_eq(mkdir(procdir, 0755), 0);
	snprintf(t->pdir, sizeof(t->pdir), "%s/%d", procdir, PID);
	ck_assert_int_eq(mkdir(t->pdir, 0755), 0);
	write_text_in(t->pdir, "cmdline", "srv");
}

static void tree_remove(struct tree *t)
{
	static const char *const files[] = { "stat", "status", "cmdline" };
	char path[256];

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", t->pdir, files[i]);
		ck_assert_int_eq(unlink(path), 0);
	}
	ck_assert_int_eq(rmdir(t->pdir), 0);
	snprintf(path, sizeof(path), "%s/proc", t->top);
	ck_assert_int_eq(rmdir(path), 0);
	ck_assert_int_eq(rmdir(t->top), 0);
}

/* One scan; the process's (rss, uid). */
static void scan(struct root *r, struct proc_cache *c, uint64_t *rss, uint32_t *uid)
{
	struct proc_table pt = { 0 };
	struct notes notes = { 0 };
	const struct proc_entry *p;

	proc_scan(r, c, 0, &pt, NULL, &notes);
	p = proc_table_find(&pt, PID);
	ck_assert_ptr_nonnull(p);
	*rss = p->rss_bytes;
	*uid = p->uid;
	proc_table_free(&pt);
	notes_free(&notes);
}

/* status is kept while stat is byte-identical, re-read once it moves. */
START_TEST(test_status_kept_while_stat_still)
{
	struct proc_cache *c = proc_cache_new();
	struct tree t;
	struct root r;
	uint64_t rss;
	uint32_t uid;

	tree_make(&t);
	put_stat(&t, 7);
	put_status(&t, 100, 0);
	ck_assert_int_eq(root_open(&r, t.top), 0);
	scan(&r, c, &rss, &uid);
	ck_assert_uint_eq(rss, 100 * 1024);

	/* Only status changed: a process that did not run cannot have done
	 * that, so the scan does not look. */
	put_status(&t, 200, 1000);
	scan(&r, c, &rss, &uid);
	ck_assert_uint_eq(rss, 100 * 1024);
	ck_assert_uint_eq(uid, 0);

	/* It ran: stat moved, status is read again. */
	put_stat(&t, 8);
	scan(&r, c, &rss, &uid);
	ck_assert_uint_eq(rss, 200 * 1024);
	ck_assert_uint_eq(uid, 1000);

	proc_cache_free(c);
	root_close(&r);
	tree_remove(&t);
}
END_TEST

/* Even with stat still, status is read again within PROC_STATUS_REFRESH_SCANS scans. */
START_TEST(test_status_refresh_cadence)
{
	struct proc_cache *c = proc_cache_new();
	struct tree t;
	struct root r;
	uint64_t rss = 0;
	uint32_t uid;
	int scans = 0;

	tree_make(&t);
	put_stat(&t, 7);
	put_status(&t, 100, 0);
	ck_assert_int_eq(root_open(&r, t.top), 0);
	scan(&r, c, &rss, &uid);
	put_status(&t, 300, 0);
	while (rss != 300 * 1024 && scans <= PROC_STATUS_REFRESH_SCANS) {
		scan(&r, c, &rss, &uid);
		scans++;
	}
	ck_assert_uint_eq(rss, 300 * 1024);
	ck_assert_int_le(scans, PROC_STATUS_REFRESH_SCANS);
	/* Phased by pid: not before PROC_STATUS_REFRESH_SCANS - pid % it scans. */
	ck_assert_int_eq(scans, PROC_STATUS_REFRESH_SCANS - PID % PROC_STATUS_REFRESH_SCANS);

	proc_cache_free(c);
	root_close(&r);
	tree_remove(&t);
}
END_TEST

/* The sockets of fixtures/procs: two shared by both processes, one of
 * another netns (555 is not in the table), two without an inode. */
static void fixture_table(struct sock_table *st)
{
	static const struct {
		uint32_t inode;
		uint64_t cookie;
		enum sock_kind kind;
		uint32_t rmem;
	} socks[] = {
		{ 2000000, 9, SK_UNIX, 0 }, { 1133757, 5, SK_TCP, 1000 }, { 0, 1, SK_TCP, 50 },
		{ 1133781, 6, SK_UDP, 4096 }, { 0, 2, SK_TCP, 60 },
	};

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < ARRAY_SIZE(socks); i++) {
		struct sock_entry *s = sock_table_add(st);

		s->inode = socks[i].inode;
		s->cookie = socks[i].cookie;
		s->kind = socks[i].kind;
		s->skmem_n = SKMEM_COUNT;
		s->skmem[SKMEM_RMEM_ALLOC] = socks[i].rmem;
	}
	sock_table_finish(st);
}

static void assert_same_scan(const struct proc_table *a, const struct sock_table *sa,
			     const struct proc_table *b, const struct sock_table *sb)
{
	ck_assert_uint_eq(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		ck_assert_int_eq(a->v[i].pid, b->v[i].pid);
		ck_assert_uint_eq(a->v[i].fd_count, b->v[i].fd_count);
		ck_assert_uint_eq(a->v[i].sock_count, b->v[i].sock_count);
		ck_assert_uint_eq(a->v[i].sock_mem_bytes, b->v[i].sock_mem_bytes);
		ck_assert_uint_eq(a->v[i].fd_status, b->v[i].fd_status);
	}
	ck_assert_uint_eq(sa->owners_n, sb->owners_n);
	ck_assert(sa->owners_scanned && sb->owners_scanned);
	ck_assert_uint_eq(sa->owners_full, sb->owners_full);
	ck_assert_uint_eq(sa->owners_walked, sb->owners_walked);
	ck_assert_uint_eq(sa->owners_procs, sb->owners_procs);
	for (size_t i = 0; i < sa->owners_n; i++) {
		ck_assert_int_eq(sa->owners[i].pid, sb->owners[i].pid);
		ck_assert_int_eq(sa->owners[i].fd, sb->owners[i].fd);
	}
	for (size_t i = 0; i < sa->n; i++) {
		ck_assert_uint_eq(sa->v[i].owner_first, sb->v[i].owner_first);
		ck_assert_uint_eq(sa->v[i].owner_n, sb->v[i].owner_n);
	}
}

/*
 * A deferred walk, attached afterwards, equals a walk after the dump; and
 * what it remembered lets the next (incremental) scan reuse the same walks.
 */
START_TEST(test_deferred_owners_equal)
{
	struct proc_cache *seq = proc_cache_new(), *def = proc_cache_new();
	struct proc_table pa = { 0 }, pb = { 0 };
	struct sock_table sa, sb;
	struct notes na = { 0 }, nb = { 0 };
	struct root r;

	ck_assert_int_eq(root_open(&r, PROCS_DIR), 0);
	fixture_table(&sa);
	proc_scan(&r, seq, PROC_SCAN_FDS, &pa, &sa, &na);
	ck_assert(proc_scan_owners_full(def));
	/* The table is empty while the walk runs, as it is on the dump thread. */
	memset(&sb, 0, sizeof(sb));
	proc_scan(&r, def, PROC_SCAN_FDS | PROC_SCAN_DEFER_OWNERS, &pb, &sb, &nb);
	ck_assert_uint_eq(sb.owners_n, 0);
	fixture_table(&sb);
	proc_scan_attach_owners(def, &sb);
	ck_assert_uint_gt(sa.owners_n, 0);
	assert_same_scan(&pa, &sa, &pb, &sb);
	ck_assert_uint_eq(na.n, nb.n);

	/* The next scan is incremental on both, from what each remembered. */
	ck_assert(!proc_scan_owners_full(def));
	sock_table_free(&sa);
	sock_table_free(&sb);
	fixture_table(&sa);
	fixture_table(&sb);
	proc_scan(&r, seq, PROC_SCAN_FDS, &pa, &sa, &na);
	proc_scan(&r, def, PROC_SCAN_FDS, &pb, &sb, &nb);
	ck_assert(!sa.owners_full);
	assert_same_scan(&pa, &sa, &pb, &sb);
	ck_assert_uint_eq(sb.owners_walked, 0);

	/* Attaching again, after a scan that did not defer, changes nothing. */
	proc_scan_attach_owners(def, &sb);
	assert_same_scan(&pa, &sa, &pb, &sb);

	proc_table_free(&pa);
	proc_table_free(&pb);
	sock_table_free(&sa);
	sock_table_free(&sb);
	notes_free(&na);
	notes_free(&nb);
	proc_cache_free(seq);
	proc_cache_free(def);
	root_close(&r);
}
END_TEST

Suite *warm_suite(void)
{
	Suite *s = suite_create("warm");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_status_kept_while_stat_still);
	tcase_add_test(tc, test_status_refresh_cadence);
	tcase_add_test(tc, test_deferred_owners_equal);
	suite_add_tcase(s, tc);
	return s;
}
