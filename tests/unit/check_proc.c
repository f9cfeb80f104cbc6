/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Process parsers and the process scan: the fixture tree under
 * fixtures/procs (a comm with spaces, parentheses and an ESC byte, a kernel
 * thread, two processes sharing a socket, malformed stat files), a tree made
 * at run time for the cmdline cache cadence and for processes that exit or
 * whose pid is reused mid-scan, and the live /proc for the owner of our own
 * sockets. Refused fd directories need root to drop: check_root.c.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "expect.h"
#include "notes.h"
#include "proc_parse.h"
#include "proc_scan.h"
#include "root.h"
#include "sock.h"
#include "suites.h"

#define PROCS_DIR FIXTURES_DIR "/procs"

static void read_fixture(const char *rel, struct buf *b)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/proc/%s", PROCS_DIR, rel);
	ck_assert_int_eq(buf_readat(AT_FDCWD, path, b, 0), 0);
}

START_TEST(test_stat_weird_comm)
{
	struct proc_entry p = { 0 };
	struct buf b = { 0 };

	read_fixture("1234/stat", &b);
	ck_assert_int_eq(proc_parse_stat(b.data, b.len, &p), 0);
	ck_assert_int_eq(p.pid, 1234);
	ck_assert_str_eq(p.comm, "a b) (c\033");
	ck_assert_int_eq(p.state, 'S');
	ck_assert_int_eq(p.ppid, 1);
	ck_assert_uint_eq(p.threads, 3);
	ck_assert_uint_eq(p.starttime, 987654);
	ck_assert(!p.kthread);
	buf_free(&b);
}
END_TEST

START_TEST(test_stat_kthread)
{
	struct proc_entry p = { 0 };
	struct buf b = { 0 };

	read_fixture("2/stat", &b);
	ck_assert_int_eq(proc_parse_stat(b.data, b.len, &p), 0);
	ck_assert_int_eq(p.pid, 2);
	ck_assert_str_eq(p.comm, "kthreadd");
	ck_assert_int_eq(p.ppid, 0);
	ck_assert_uint_eq(p.starttime, 20);
	ck_assert(p.kthread);
	buf_free(&b);
}
END_TEST

START_TEST(test_stat_bad)
{
	static const char *const bad[] = {
		"",
		"77 cron S 1\n",
		"99999 (short) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0\n",
		"12 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99999999999999999999999 1\n",
		"99999999999 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 1\n",
		") 12 (x S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 1\n",
		"12 (x) S -5 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 1\n",
	};
	/* A newline in comm (prctl allows it) must not end the record. */
	const char *nl = "5 (a\nb)) R 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 7 0 42 1\n";
	struct proc_entry p;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&p, 0, sizeof(p));
		ck_assert_msg(proc_parse_stat(bad[i], strlen(bad[i]), &p) == -EINVAL, "case %zu", i);
	}
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(proc_parse_stat(nl, strlen(nl), &p), 0);
	ck_assert_str_eq(p.comm, "a\nb)");
	ck_assert_int_eq(p.state, 'R');
	ck_assert_uint_eq(p.threads, 7);
	ck_assert_uint_eq(p.starttime, 42);
}
END_TEST

START_TEST(test_status)
{
	struct proc_entry p = { 0 };
	struct buf b = { 0 };

	read_fixture("1234/status", &b);
	ck_assert_int_eq(proc_parse_status(b.data, b.len, &p), 0);
	ck_assert_uint_eq(p.uid, 1001);
	ck_assert_uint_eq(p.rss_bytes, 8192ull * 1024);
	ck_assert_uint_eq(p.swap_bytes, 512ull * 1024);
	ck_assert_uint_eq(p.threads, 3);
	ck_assert_int_eq(p.ppid, 1);
	ck_assert(!p.kthread);

	memset(&p, 0, sizeof(p));
	read_fixture("2/status", &b);
	ck_assert_int_eq(proc_parse_status(b.data, b.len, &p), 0);
	ck_assert(p.kthread);
	ck_assert_uint_eq(p.rss_bytes, 0);
	ck_assert_uint_eq(p.threads, 1);

	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(proc_parse_status("garbage\n\x01\x02", 10, &p), -EINVAL);
	ck_assert_int_eq(proc_parse_status("", 0, &p), -EINVAL);
	/* Overflowing sizes saturate instead of wrapping. */
	ck_assert_int_eq(proc_parse_status("VmRSS:\t18446744073709551615 kB\n", 31, &p), 0);
	ck_assert_uint_eq(p.rss_bytes, UINT64_MAX);
	buf_free(&b);
}
END_TEST

/* A status file cut mid-line: the cut line's number may be cut too, so it
 * is not taken; complete lines before it are. */
static const struct {
	const char *text;
	int ret;
	uint64_t rss, swap;
	uint32_t uid, threads;
} status_cut[] = {
	{ "VmRSS:\t    8192 kB\nVmSwap:\t     51", 0, 8192ull * 1024, 0, 0, 0 },
	{ "VmRSS:\t    81", -EINVAL, 0, 0, 0, 0 },
	{ "Uid:\t1000\t10", -EINVAL, 0, 0, 0, 0 },
	{ "Uid:\t1000\t1001\t1001\t1001\nThreads:\t1", 0, 0, 0, 1001, 0 },
	{ "Threads:\t12\nVmRSS:", 0, 0, 0, 0, 12 },
	{ "VmRSS:\t    8192 kB\n", 0, 8192ull * 1024, 0, 0, 0 },
	{ "Name:\tx\nUid:\t0\t0\t0\t0\nThreads:\t3\nVmRSS:\t    1234 kB\n", 0, 1234 * 1024, 0, 0, 3 },
	/* Cut inside "1234 kB": the 12 left is not the process's RSS. */
	{ "Name:\tx\nUid:\t0\t0\t0\t0\nThreads:\t3\nVmRSS:\t    12", 0, 0, 0, 0, 3 },
};

START_TEST(test_status_cut)
{
	struct proc_entry p = { 0 };
	const char *t = status_cut[_i].text;

	ck_assert_int_eq(proc_parse_status(t, strlen(t), &p), status_cut[_i].ret);
	ck_assert_uint_eq(p.rss_bytes, status_cut[_i].rss);
	ck_assert_uint_eq(p.swap_bytes, status_cut[_i].swap);
	ck_assert_uint_eq(p.uid, status_cut[_i].uid);
	ck_assert_uint_eq(p.threads, status_cut[_i].threads);
}
END_TEST

START_TEST(test_smaps_rollup)
{
	const char *s = "0-1 ---p 00000000 00:00 0 [rollup]\nRss: 10 kB\nPss_Anon: 3 kB\n"
			"Pss:     7 kB\nPss_File: 4 kB\n";
	struct proc_entry p = { 0 };
	struct buf b = { 0 };

	read_fixture("1234/smaps_rollup", &b);
	ck_assert_int_eq(proc_parse_smaps_rollup(b.data, b.len, &p), 0);
	ck_assert(p.has_pss);
	ck_assert_uint_eq(p.pss_bytes, 6000ull * 1024);
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(proc_parse_smaps_rollup(s, strlen(s), &p), 0);
	ck_assert_uint_eq(p.pss_bytes, 7 * 1024);
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(proc_parse_smaps_rollup("Rss: 1 kB\n", 10, &p), -EINVAL);
	ck_assert(!p.has_pss);
	buf_free(&b);
}
END_TEST

static void add_sock(struct sock_table *st, uint32_t inode, uint64_t cookie, enum sock_kind kind,
		     uint32_t rmem, uint32_t wmem_alloc, uint32_t fwd, uint32_t queued)
{
	struct sock_entry *s = sock_table_add(st);

	s->inode = inode;
	s->cookie = cookie;
	s->kind = kind;
	s->skmem_n = SKMEM_COUNT;
	s->skmem[SKMEM_RMEM_ALLOC] = rmem;
	s->skmem[SKMEM_WMEM_ALLOC] = wmem_alloc;
	s->skmem[SKMEM_FWD_ALLOC] = fwd;
	s->skmem[SKMEM_WMEM_QUEUED] = queued;
}

static void fixture_socks(struct sock_table *st)
{
	memset(st, 0, sizeof(*st));
	add_sock(st, 2000000, 9, SK_UNIX, 0, 0, 0, 0);
	add_sock(st, 1133757, 5, SK_TCP, 1000, 77, 30, 200);	/* 1230 bytes */
	add_sock(st, 0, 1, SK_TCP, 50, 0, 0, 0);
	add_sock(st, 1133781, 6, SK_UDP, 4096, 100, 0, 0);	/* 4196 bytes */
	add_sock(st, 0, 2, SK_TCP, 60, 0, 0, 0);
	sock_table_finish(st);
}

static const struct sock_entry *sock_by_inode(const struct sock_table *st, uint32_t inode)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].inode == inode)
			return &st->v[i];
	return NULL;
}

START_TEST(test_scan_fixture)
{
	struct proc_cache *c = proc_cache_new();
	struct proc_table pt = { 0 };
	struct sock_table st;
	struct notes notes = { 0 };
	const struct proc_entry *p;
	const struct sock_entry *s;
	const struct sock_owner *o;
	struct root r;

	ck_assert_int_eq(root_open(&r, PROCS_DIR), 0);
	fixture_socks(&st);
	proc_scan(&r, c, PROC_SCAN_FDS | PROC_SCAN_PSS, &pt, &st, &notes);

	ck_assert_uint_eq(pt.n, 3);
	ck_assert_int_eq(pt.v[0].pid, 2);
	ck_assert_int_eq(pt.v[1].pid, 1234);
	ck_assert_int_eq(pt.v[2].pid, 4321);
	ck_assert_uint_eq(pt.denied, 0);

	p = proc_table_find(&pt, 2);
	ck_assert_ptr_nonnull(p);
	ck_assert(p->kthread);
	ck_assert_ptr_null(p->cmdline);
	ck_assert_int_eq(p->fd_status, PROC_FD_OK);
	ck_assert_uint_eq(p->fd_count, 0);
	ck_assert(!p->has_pss);

	p = proc_table_find(&pt, 1234);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->comm, "a b) (c\033");
	ck_assert_str_eq(p->cmdline, "/usr/bin/srv --port 8080");
	ck_assert_uint_eq(p->uid, 1001);
	ck_assert_uint_eq(p->starttime, 987654);
	ck_assert_uint_eq(p->rss_bytes, 8192ull * 1024);
	ck_assert_uint_eq(p->swap_bytes, 512ull * 1024);
	ck_assert(p->has_pss);
	ck_assert_uint_eq(p->pss_bytes, 6000ull * 1024);
	ck_assert_int_eq(p->fd_status, PROC_FD_OK);
	ck_assert_uint_eq(p->fd_count, 6);
	ck_assert_uint_eq(p->sock_count, 3);
	/* 1133757 is held twice (fds 3 and 7): its memory counts once. */
	ck_assert_uint_eq(p->sock_mem_bytes, 1230 + 4196);

	p = proc_table_find(&pt, 4321);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->cmdline, "worker");
	ck_assert_int_eq(p->ppid, 1234);
	ck_assert_uint_eq(p->fd_count, 3);
	ck_assert_uint_eq(p->sock_count, 2);	/* 555 is not in the table */
	ck_assert_uint_eq(p->sock_mem_bytes, 1230);
	ck_assert_ptr_null(proc_table_find(&pt, 77));
	ck_assert_ptr_null(proc_table_find(&pt, 5));

	ck_assert(st.owners_scanned);
	ck_assert_uint_eq(st.owners_n, 4);
	s = sock_by_inode(&st, 1133757);
	ck_assert_uint_eq(s->owner_n, 3);
	o = sock_owners_of(&st, s);
	ck_assert_int_eq(o[0].pid, 1234);
	ck_assert_int_eq(o[0].fd, 3);
	ck_assert_uint_eq(o[0].starttime, 987654);
	ck_assert_int_eq(o[1].pid, 1234);
	ck_assert_int_eq(o[1].fd, 7);
	ck_assert_int_eq(o[2].pid, 4321);
	ck_assert_int_eq(o[2].fd, 3);
	ck_assert_uint_eq(o[2].starttime, 987700);
	s = sock_by_inode(&st, 1133781);
	ck_assert_uint_eq(s->owner_n, 1);
	ck_assert_int_eq(sock_owners_of(&st, s)->fd, 4);
	ck_assert_uint_eq(sock_by_inode(&st, 2000000)->owner_n, 0);
	for (size_t i = 0; i < st.n; i++)
		if (st.v[i].inode == 0)
			ck_assert_uint_eq(st.v[i].owner_n, 0);

	/* The two malformed stat files are located notes; nothing about owners. */
	ck_assert_uint_eq(notes.n, 2);
	ck_assert_str_eq(notes.v[0].source, "/proc/77/stat");
	ck_assert_str_eq(notes.v[1].source, "/proc/99999/stat");
	ck_assert_int_eq(notes.v[0].kind, NOTE_WARN);
	ck_assert_ptr_null(notes_find(&notes, "owners"));

	/* A warm scan gives the same table. */
	notes_free(&notes);
	proc_scan(&r, c, PROC_SCAN_FDS | PROC_SCAN_PSS, &pt, &st, &notes);
	ck_assert_uint_eq(pt.n, 3);
	ck_assert_str_eq(proc_table_find(&pt, 1234)->cmdline, "/usr/bin/srv --port 8080");
	ck_assert_uint_eq(st.owners_n, 4);
	ck_assert_uint_eq(sock_by_inode(&st, 1133757)->owner_n, 3);

	proc_table_free(&pt);
	sock_table_free(&st);
	notes_free(&notes);
	proc_cache_free(c);
	root_close(&r);
}
END_TEST

START_TEST(test_scan_without_fds)
{
	struct proc_cache *c = proc_cache_new();
	struct proc_table pt = { 0 };
	struct sock_table st;
	struct notes notes = { 0 };
	struct root r;

	ck_assert_int_eq(root_open(&r, PROCS_DIR), 0);
	fixture_socks(&st);
	proc_scan(&r, c, 0, &pt, &st, &notes);
	ck_assert_uint_eq(pt.n, 3);
	ck_assert_int_eq(proc_table_find(&pt, 1234)->fd_status, PROC_FD_NOT_SCANNED);
	ck_assert(!proc_table_find(&pt, 1234)->has_pss);
	ck_assert(!st.owners_scanned);
	ck_assert_uint_eq(st.owners_n, 0);
	{
		char got[16];

		sock_owners_scan_describe(&st, got, sizeof(got));
		ck_assert_str_eq(got, "not scanned");
	}
	proc_table_free(&pt);
	sock_table_free(&st);
	notes_free(&notes);
	proc_cache_free(c);
	root_close(&r);
}
END_TEST

START_TEST(test_scan_missing_proc)
{
	struct proc_cache *c = proc_cache_new();
	struct proc_table pt = { 0 };
	struct notes notes = { 0 };
	struct root r;

	ck_assert_int_eq(root_open(&r, FIXTURES_DIR "/tcpmem/proc/net"), 0);
	proc_scan(&r, c, PROC_SCAN_FDS, &pt, NULL, &notes);
	ck_assert_uint_eq(pt.n, 0);
	ck_assert(notes_is_missing(&notes, "processes"));
	notes_free(&notes);
	proc_cache_free(c);
	root_close(&r);
}
END_TEST

static void write_stat(const char *pdir, const char *comm, unsigned int starttime)
{
	char s[256];
	int n = snprintf(s, sizeof(s),
			 "700 (%s) S 1 700 700 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 %u 1 1\n", comm,
			 starttime);

	write_in(pdir, "stat", s, (size_t)n);
}

static void scan_cmdline(struct root *r, struct proc_cache *c, struct proc_table *pt,
			 const char *want)
{
	struct notes notes = { 0 };
	const struct proc_entry *p;

	proc_scan(r, c, 0, pt, NULL, &notes);
	p = proc_table_find(pt, 700);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->cmdline, want);
	notes_free(&notes);
}

/* cmdline is cached per (pid, starttime) and re-read on the documented cadence. */
START_TEST(test_cmdline_cache)
{
	char tmpl[64] = "/tmp/leaktop-proc-", pdir[PATH_MAX], procdir[PATH_MAX];
	struct proc_cache *c = proc_cache_new();
	struct proc_table pt = { 0 };
	struct root r;
	char *big;

	/* mkdtemp's template: six trailing 'X'. */
	memset(tmpl + strlen(tmpl), 'X', 6);
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(procdir, sizeof(procdir), "%s/proc", tmpl);
	ck_assert_int_eq(mkdir(procdir, 0755), 0);
	snprintf(pdir, sizeof(pdir), "%s/proc/700", tmpl);
	ck_assert_int_eq(mkdir(pdir, 0755), 0);
	write_stat(pdir, "srv", 100);
	write_in(pdir, "cmdline", "srv\0-a\0", 7);
	ck_assert_int_eq(root_open(&r, tmpl), 0);

	scan_cmdline(&r, c, &pt, "srv -a");
	write_in(pdir, "cmdline", "srv\0-b\0", 7);
	/* Cached for PROC_CMDLINE_REFRESH_SCANS scans in all (pid 700: phase 0), then re-read. */
	for (int i = 1; i < PROC_CMDLINE_REFRESH_SCANS; i++)
		scan_cmdline(&r, c, &pt, "srv -a");
	scan_cmdline(&r, c, &pt, "srv -b");

	/* A new comm (exec) re-reads at once. */
	write_in(pdir, "cmdline", "other\0", 6);
	write_stat(pdir, "other", 100);
	scan_cmdline(&r, c, &pt, "other");

	/* A new starttime is another process. */
	write_in(pdir, "cmdline", "again\0", 6);
	write_stat(pdir, "other", 101);
	scan_cmdline(&r, c, &pt, "again");

	/* Bounded: a huge cmdline is cut at PROC_CMDLINE_MAX. */
	big = malloc(3 * PROC_CMDLINE_MAX);
	memset(big, 'x', 3 * PROC_CMDLINE_MAX);
	write_in(pdir, "cmdline", big, 3 * PROC_CMDLINE_MAX);
	write_stat(pdir, "other", 102);
	proc_scan(&r, c, 0, &pt, NULL, &(struct notes){ 0 });
	ck_assert_uint_eq(strlen(proc_table_find(&pt, 700)->cmdline), PROC_CMDLINE_MAX);
	free(big);

	proc_table_free(&pt);
	proc_cache_free(c);
	root_close(&r);
	ck_assert_int_eq(unlinkat(AT_FDCWD, strcat(pdir, "/stat"), 0), 0);
	pdir[strlen(pdir) - 5] = '\0';
	ck_assert_int_eq(unlinkat(AT_FDCWD, strcat(pdir, "/cmdline"), 0), 0);
	pdir[strlen(pdir) - 8] = '\0';
	ck_assert_int_eq(rmdir(pdir), 0);
	ck_assert_int_eq(rmdir(procdir), 0);
	ck_assert_int_eq(rmdir(tmpl), 0);
}
END_TEST

/* ---- incremental owner scans over a tree made here ---- */

struct own_tree {
	char dir[64];		/* the root */
	struct root r;
	struct proc_cache *c;
	struct proc_table pt;
	struct sock_table st;
};

static void write_stat_of(const char *pdir, int pid, unsigned int starttime)
{
	char s[256];
	int n = snprintf(s, sizeof(s),
			 "%d (p%d) S 1 %d %d 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 %u 1 1\n", pid, pid,
			 pid, pid, starttime);

	write_in(pdir, "stat", s, (size_t)n);
}

static void tree_proc(struct own_tree *t, int pid, unsigned int starttime)
{
	char d[PATH_MAX];

	snprintf(d, sizeof(d), "%s/proc/%d", t->dir, pid);
	ck_assert_int_eq(mkdir(d, 0755), 0);
	write_stat_of(d, pid, starttime);
	strcat(d, "/fd");
	ck_assert_int_eq(mkdir(d, 0755), 0);
}

/* Point fd of pid at target ("socket:[N]", "pipe:[N]"); NULL closes it. */
static void tree_fd(struct own_tree *t, int pid, int fd, const char *target)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/proc/%d/fd/%d", t->dir, pid, fd);
	unlink(path);
	if (target)
		ck_assert_int_eq(symlink(target, path), 0);
}

static void tree_sock_fd(struct own_tree *t, int pid, int fd, uint32_t inode)
{
	char target[32];

	snprintf(target, sizeof(target), "socket:[%u]", inode);
	tree_fd(t, pid, fd, target);
}

/* The socket table of the next sample: (inode, cookie) pairs, 0-terminated. */
static void tree_socks(struct own_tree *t, const uint32_t *pairs)
{
	sock_table_free(&t->st);
	for (; pairs[0]; pairs += 2)
		add_sock(&t->st, pairs[0], pairs[1], SK_TCP, pairs[0] % 1000, 0, 0, 0);
	sock_table_finish(&t->st);
}

static void tree_scan_at(struct own_tree *t, bool full, uint32_t walked, int line)
{
	struct notes notes = { 0 };

	proc_scan(&t->r, t->c, PROC_SCAN_FDS, &t->pt, &t->st, &notes);
	ck_assert_uint_eq(t->pt.n, 2);
	ck_assert(t->st.owners_scanned);
	ck_assert_uint_eq(t->st.owners_procs, 2);
	ck_assert_msg(t->st.owners_full == full, "line %d: owners_full %d, expected %d", line,
		      t->st.owners_full, full);
	ck_assert_msg(t->st.owners_walked == walked, "line %d: %u walked, expected %u", line,
		      t->st.owners_walked, walked);
	if (!full) {
		char want[64], got[64];

		snprintf(want, sizeof(want), "incremental, %u of 2 processes walked", walked);
		sock_owners_scan_describe(&t->st, got, sizeof(got));
		ck_assert_str_eq(got, want);
	}
	ck_assert_uint_eq(notes.n, 0);
	notes_free(&notes);
}

#define tree_scan(t, full, walked) tree_scan_at((t), (full), (walked), __LINE__)

/* The single owner of inode, as pid * 100 + fd; 0 when it has none. */
static int owner_of(const struct own_tree *t, uint32_t inode)
{
	for (size_t i = 0; i < t->st.n; i++) {
		const struct sock_entry *e = &t->st.v[i];
		const struct sock_owner *o = sock_owners_of(&t->st, e);

		if (e->inode != inode)
			continue;
		if (!e->owner_n)
			return 0;
		ck_assert_uint_eq(e->owner_n, 1);
		return o->pid * 100 + o->fd;
	}
	ck_abort_msg("inode %u not in the table", inode);
	return -1;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* An empty tree under /tmp/<prefix>XXXXXX with its proc directory. */
static void tree_new(struct own_tree *t, const char *prefix)
{
	char procdir[PATH_MAX];

	memset(t, 0, sizeof(*t));
	/* mkdtemp's template: six trailing 'X'. */
	snprintf(t->dir, sizeof(t->dir), "/tmp/%sXXXXXX", prefix);
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(procdir, sizeof(procdir), "%s/proc", t->dir);
	ck_assert_int_eq(mkdir(procdir, 0755), 0);
}

static void tree_free(struct own_tree *t)
{
	proc_table_free(&t->pt);
	sock_table_free(&t->st);
	proc_cache_free(t->c);
	root_close(&t->r);
	ck_assert_int_eq(nftw(t->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/*
 * Owners are reused for unchanged processes, and every change an fd walk
 * would see is seen: a socket swapped for another on the same fd (the old
 * one gone, or living on elsewhere), an fd added, and a full walk on the
 * documented cadence.
 */
START_TEST(test_owner_incremental)
{
	struct own_tree t;
	const struct proc_entry *p;
	int scans;

	tree_new(&t, "leaktop-own-");
	tree_proc(&t, 700, 50);
	tree_proc(&t, 800, 60);
	tree_sock_fd(&t, 700, 3, 100);
	tree_sock_fd(&t, 700, 4, 101);
	tree_fd(&t, 700, 5, "pipe:[9]");
	tree_sock_fd(&t, 800, 3, 102);
	tree_sock_fd(&t, 800, 4, 555);		/* not in the table (another netns) */
	ck_assert_int_eq(root_open(&t.r, t.dir), 0);
	t.c = proc_cache_new();

	/* 200 is never owned (a process we cannot see). */
	tree_socks(&t, (const uint32_t[]){ 100, 1, 101, 2, 102, 3, 200, 4, 0 });
	tree_scan(&t, true, 2);
	ck_assert_int_eq(owner_of(&t, 100), 70003);
	ck_assert_int_eq(owner_of(&t, 101), 70004);
	ck_assert_int_eq(owner_of(&t, 102), 80003);
	ck_assert_int_eq(owner_of(&t, 200), 0);
	p = proc_table_find(&t.pt, 700);
	ck_assert_uint_eq(p->fd_count, 3);
	ck_assert_uint_eq(p->sock_count, 2);
	ck_assert_uint_eq(p->sock_mem_bytes, 100 + 101);

	{
		char got[64];

		sock_owners_scan_describe(&t.st, got, sizeof(got));
		ck_assert_str_eq(got, "full walk");
	}

	/* Nothing changed: no walk, same owners, memory from the new table. */
	sock_table_free(&t.st);
	add_sock(&t.st, 100, 1, SK_TCP, 5000, 0, 0, 0);
	add_sock(&t.st, 101, 2, SK_TCP, 7, 0, 0, 0);
	add_sock(&t.st, 102, 3, SK_TCP, 1, 0, 0, 0);
	add_sock(&t.st, 200, 4, SK_TCP, 1, 0, 0, 0);
	sock_table_finish(&t.st);
	tree_scan(&t, false, 0);
	ck_assert_int_eq(owner_of(&t, 100), 70003);
	ck_assert_int_eq(owner_of(&t, 101), 70004);
	ck_assert_int_eq(owner_of(&t, 102), 80003);
	p = proc_table_find(&t.pt, 700);
	ck_assert_int_eq(p->fd_status, PROC_FD_OK);
	ck_assert_uint_eq(p->fd_count, 3);
	ck_assert_uint_eq(p->sock_count, 2);
	ck_assert_uint_eq(p->sock_mem_bytes, 5007);
	ck_assert_uint_eq(proc_table_find(&t.pt, 800)->sock_count, 2);

	/* 700 closes 101 and opens 103 on the same fd: only 700 is walked. */
	tree_sock_fd(&t, 700, 4, 103);
	tree_socks(&t, (const uint32_t[]){ 100, 1, 102, 3, 103, 5, 200, 4, 0 });
	tree_scan(&t, false, 1);
	ck_assert_int_eq(owner_of(&t, 103), 70004);
	ck_assert_int_eq(owner_of(&t, 102), 80003);

	/* The same swap in 800, but 102 lives on (held elsewhere, unseen): 800
	 * looks unchanged, so the new 104 is left without owner, and that makes
	 * every process skipped so far walked. */
	tree_sock_fd(&t, 800, 3, 104);
	tree_socks(&t, (const uint32_t[]){ 100, 1, 102, 3, 103, 5, 104, 6, 200, 4, 0 });
	tree_scan(&t, true, 2);
	ck_assert_int_eq(owner_of(&t, 104), 80003);
	ck_assert_int_eq(owner_of(&t, 102), 0);
	ck_assert_int_eq(owner_of(&t, 100), 70003);
	ck_assert_int_eq(owner_of(&t, 103), 70004);
	ck_assert_uint_eq(t.st.owners_n, 3);

	/* Sockets that were ownerless at that walk do not force another. */
	tree_scan(&t, false, 0);
	ck_assert_int_eq(owner_of(&t, 104), 80003);

	/* A socket that was not in the table when 800 was walked appears. */
	tree_socks(&t, (const uint32_t[]){ 100, 1, 102, 3, 103, 5, 104, 6, 200, 4, 555, 8, 0 });
	tree_scan(&t, false, 1);
	ck_assert_int_eq(owner_of(&t, 555), 80004);

	/* An fd more: 700 takes over the ownerless 200. */
	tree_sock_fd(&t, 700, 6, 200);
	tree_scan(&t, false, 1);
	ck_assert_int_eq(owner_of(&t, 200), 70006);
	ck_assert_uint_eq(proc_table_find(&t.pt, 700)->fd_count, 4);

	/* Full walks come every OWNER_FULL_WALK_SCANS scans whatever
	 * happens: the first was scan 1 and 7 scans have been made. */
	for (scans = 7; scans < OWNER_FULL_WALK_SCANS; scans++)
		tree_scan(&t, false, 0);
	tree_scan(&t, true, 2);
	tree_scan(&t, false, 0);

	/* A scan without the socket table leaves nothing to reuse. */
	proc_scan(&t.r, t.c, PROC_SCAN_FDS, &t.pt, NULL, &(struct notes){ 0 });
	tree_scan(&t, true, 2);
	ck_assert_int_eq(owner_of(&t, 200), 70006);

	/* A process that died and a new one with its pid: walked, not reused
	 * (the same number of fds, and its old sockets are all still there). */
	tree_fd(&t, 800, 3, NULL);
	tree_fd(&t, 800, 4, NULL);
	{
		char d[PATH_MAX], st[128];
		int n;

		snprintf(d, sizeof(d), "%s/proc/800", t.dir);
		n = snprintf(st, sizeof(st),
			     "800 (p800) S 1 800 800 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 61 1 1\n");
		write_in(d, "stat", st, (size_t)n);
	}
	tree_sock_fd(&t, 800, 3, 104);
	tree_sock_fd(&t, 800, 4, 102);
	/* 555 lost its owner, which could be in 700: 700 is walked too. */
	tree_scan(&t, true, 2);
	ck_assert_int_eq(owner_of(&t, 102), 80004);
	ck_assert_int_eq(owner_of(&t, 104), 80003);
	ck_assert_int_eq(owner_of(&t, 555), 0);
	ck_assert_uint_eq(proc_table_find(&t.pt, 800)->starttime, 61);
	tree_scan(&t, false, 0);
	ck_assert_int_eq(owner_of(&t, 102), 80004);

	tree_free(&t);
}
END_TEST

/*
 * A socket shared by two processes, where the one with the lower pid was
 * reused and is walked again after the other: its owners still come in pid
 * then fd order, with each process's start time.
 */
START_TEST(test_owner_rewalk_order)
{
	struct own_tree t;
	const struct sock_entry *s;
	const struct sock_owner *o;

	tree_new(&t, "leaktop-own-");
	tree_proc(&t, 700, 50);
	tree_proc(&t, 800, 60);
	tree_sock_fd(&t, 700, 3, 100);
	tree_sock_fd(&t, 700, 4, 101);
	tree_sock_fd(&t, 700, 9, 100);
	tree_sock_fd(&t, 800, 3, 100);
	tree_sock_fd(&t, 800, 4, 102);
	ck_assert_int_eq(root_open(&t.r, t.dir), 0);
	t.c = proc_cache_new();

	tree_socks(&t, (const uint32_t[]){ 100, 1, 101, 2, 102, 3, 0 });
	tree_scan(&t, true, 2);
	/* 800 opens one more socket; 104 is new and held by nobody, so 700,
	 * reused at first, is walked after 800. */
	tree_sock_fd(&t, 800, 5, 103);
	tree_socks(&t, (const uint32_t[]){ 100, 1, 101, 2, 102, 3, 103, 5, 104, 6, 0 });
	tree_scan(&t, true, 2);
	s = sock_table_find(&t.st, 100, 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->owner_n, 3);
	o = sock_owners_of(&t.st, s);
	ck_assert_int_eq(o[0].pid, 700);
	ck_assert_int_eq(o[0].fd, 3);
	ck_assert_uint_eq(o[0].starttime, 50);
	ck_assert_int_eq(o[1].pid, 700);
	ck_assert_int_eq(o[1].fd, 9);
	ck_assert_int_eq(o[2].pid, 800);
	ck_assert_int_eq(o[2].fd, 3);
	ck_assert_uint_eq(o[2].starttime, 60);
	ck_assert_int_eq(owner_of(&t, 101), 70004);
	ck_assert_int_eq(owner_of(&t, 103), 80005);
	ck_assert_int_eq(owner_of(&t, 104), 0);
	ck_assert_uint_eq(t.st.owners_n, 6);
	/* 100 counts once for 700 although it holds it twice. */
	ck_assert_uint_eq(proc_table_find(&t.pt, 700)->sock_mem_bytes, 100 + 101);
	ck_assert_uint_eq(proc_table_find(&t.pt, 800)->sock_mem_bytes, 100 + 102 + 103);

	tree_free(&t);
}
END_TEST

/* ---- processes that exit or whose pid is reused mid-scan ---- */

/* Gives pid 801 another start time while its status is being read, so the
 * stat read after its fd walk is another process's. */
static void *replace_during_status(void *arg)
{
	struct own_tree *t = arg;
	char path[PATH_MAX], d[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/proc/801/status", t->dir);
	fd = open(path, O_WRONLY);	/* returns once the scan has opened it */
	if (fd < 0)
		return NULL;
	snprintf(d, sizeof(d), "%s/proc/801", t->dir);
	write_stat_of(d, 801, 999);
	if (write(fd, "Threads:\t1\n", 11) < 0)
		perror("status fifo");
	close(fd);
	return NULL;
}

enum vanish { VANISH_FD_DIR, VANISH_STAT, VANISH_PID_DIR_EMPTY, REUSED_DURING_WALK };

static const struct {
	const char *what;
	enum vanish how;
} vanish_cases[] = {
	{ "stat there, fd/ gone", VANISH_FD_DIR },
	{ "stat gone", VANISH_STAT },
	{ "pid directory empty", VANISH_PID_DIR_EMPTY },
	{ "start time changes between the stat reads", REUSED_DURING_WALK },
};

/*
 * 800 holds socket 100 and 801 socket 101; 801 goes away (or is replaced) in
 * the way of the case. 801 is left out with no note, and no socket is shown
 * as held by it; 800 is untouched.
 */
START_TEST(test_scan_vanished)
{
	for (size_t k = 0; k < ARRAY_SIZE(vanish_cases); k++) {
			struct own_tree t;
		char path[PATH_MAX];
		struct notes notes = { 0 };
		pthread_t th;

		tree_new(&t, "leaktop-gone-");
		tree_proc(&t, 800, 60);
		tree_proc(&t, 801, 70);
		tree_sock_fd(&t, 800, 3, 100);
		tree_sock_fd(&t, 801, 3, 101);
		switch (vanish_cases[k].how) {
		case VANISH_FD_DIR:
			tree_fd(&t, 801, 3, NULL);
			snprintf(path, sizeof(path), "%s/proc/801/fd", t.dir);
			ck_assert_int_eq(rmdir(path), 0);
			break;
		case VANISH_STAT:
			snprintf(path, sizeof(path), "%s/proc/801/stat", t.dir);
			ck_assert_int_eq(unlink(path), 0);
			break;
		case VANISH_PID_DIR_EMPTY:
			snprintf(path, sizeof(path), "%s/proc/801", t.dir);
			ck_assert_int_eq(nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
			ck_assert_int_eq(mkdir(path, 0755), 0);
			break;
		case REUSED_DURING_WALK:
			snprintf(path, sizeof(path), "%s/proc/801/status", t.dir);
			ck_assert_int_eq(mkfifo(path, 0600), 0);
			ck_assert_int_eq(pthread_create(&th, NULL, replace_during_status, &t), 0);
			break;
		}
		ck_assert_int_eq(root_open(&t.r, t.dir), 0);
		t.c = proc_cache_new();
		tree_socks(&t, (const uint32_t[]){ 100, 1, 101, 2, 0 });
		proc_scan(&t.r, t.c, PROC_SCAN_FDS, &t.pt, &t.st, &notes);
		if (vanish_cases[k].how == REUSED_DURING_WALK)
			pthread_join(th, NULL);

		ck_assert_msg(t.pt.n == 1, "%s: %zu processes", vanish_cases[k].what, t.pt.n);
		ck_assert_int_eq(t.pt.v[0].pid, 800);
		ck_assert_msg(notes.n == 0, "%s: note %s: %s", vanish_cases[k].what,
			      notes.n ? notes.v[0].source : "", notes.n ? notes.v[0].msg : "");
		ck_assert_int_eq(owner_of(&t, 100), 80003);
		ck_assert_msg(owner_of(&t, 101) == 0, "%s", vanish_cases[k].what);
		ck_assert_uint_eq(t.st.owners_n, 1);
		ck_assert_uint_eq(t.st.owners_procs, 1);

		notes_free(&notes);
		tree_free(&t);
	}
}
END_TEST

/*
 * A pid reused between two scans, in an incremental scan, with as many fds
 * as before: the new process gets its own fds, never the sockets its pid's
 * previous holder had (those now belong to 802, which inherited them).
 */
START_TEST(test_scan_pid_reused)
{
	struct own_tree t;
	char path[PATH_MAX];
	struct notes notes = { 0 };
	const struct proc_entry *p;
	const struct sock_entry *s;

	tree_new(&t, "leaktop-reuse-");
	tree_proc(&t, 800, 60);
	tree_proc(&t, 802, 80);
	tree_sock_fd(&t, 800, 3, 100);
	tree_sock_fd(&t, 800, 4, 101);
	tree_sock_fd(&t, 802, 3, 102);
	ck_assert_int_eq(root_open(&t.r, t.dir), 0);
	t.c = proc_cache_new();
	tree_socks(&t, (const uint32_t[]){ 100, 1, 101, 2, 102, 3, 0 });
	tree_scan(&t, true, 2);
	ck_assert_int_eq(owner_of(&t, 100), 80003);

	/* 800 exits, 802 got its sockets; a new 800 holds a pipe and a file. */
	snprintf(path, sizeof(path), "%s/proc/800", t.dir);
	write_stat_of(path, 800, 90);
	tree_fd(&t, 800, 3, "pipe:[7]");
	tree_fd(&t, 800, 4, "/dev/null");
	tree_fd(&t, 802, 3, NULL);
	tree_sock_fd(&t, 802, 5, 100);
	tree_sock_fd(&t, 802, 6, 101);
	tree_sock_fd(&t, 802, 3, 102);
	proc_scan(&t.r, t.c, PROC_SCAN_FDS, &t.pt, &t.st, &notes);
	ck_assert(!t.st.owners_full);
	ck_assert_uint_eq(notes.n, 0);
	p = proc_table_find(&t.pt, 800);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->starttime, 90);
	ck_assert_uint_eq(p->sock_count, 0);
	ck_assert_uint_eq(p->sock_mem_bytes, 0);
	ck_assert_uint_eq(p->fd_count, 2);
	for (size_t i = 0; i < t.st.n; i++) {
		s = &t.st.v[i];
		for (uint32_t k = 0; k < s->owner_n; k++) {
			const struct sock_owner *o = &sock_owners_of(&t.st, s)[k];

			ck_assert_msg(o->pid == 802, "socket %u held by %d", s->inode, o->pid);
			ck_assert_uint_eq(o->starttime, 80);
		}
	}
	ck_assert_int_eq(owner_of(&t, 100), 80205);
	ck_assert_int_eq(owner_of(&t, 101), 80206);

	notes_free(&notes);
	tree_free(&t);
}
END_TEST

/* Our own sockets, found in the live /proc with the right pid and fds. */
START_TEST(test_live_own_sockets)
{
	struct proc_cache *c = proc_cache_new();
	struct proc_table pt = { 0 };
	struct sock_table st = { 0 };
	struct notes notes = { 0 };
	const struct proc_entry *p;
	int sv[2], d;
	struct stat s0, s1;
	struct root r;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	d = dup(sv[0]);
	ck_assert_int_ge(d, 0);
	ck_assert_int_eq(fstat(sv[0], &s0), 0);
	ck_assert_int_eq(fstat(sv[1], &s1), 0);
	add_sock(&st, (uint32_t)s0.st_ino, 1, SK_UNIX, 100, 20, 0, 0);
	add_sock(&st, (uint32_t)s1.st_ino, 2, SK_UNIX, 300, 0, 0, 0);
	sock_table_finish(&st);
	ck_assert_int_eq(root_open(&r, "/"), 0);
	proc_scan(&r, c, PROC_SCAN_FDS, &pt, &st, &notes);

	p = proc_table_find(&pt, getpid());
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->fd_status, PROC_FD_OK);
	ck_assert_uint_ge(p->sock_count, 3);
	ck_assert_uint_ge(p->sock_mem_bytes, 420);
	for (size_t i = 0; i < st.n; i++) {
		const struct sock_entry *e = &st.v[i];
		const struct sock_owner *o = sock_owners_of(&st, e);

		if (e->inode == s0.st_ino) {
			ck_assert_uint_eq(e->owner_n, 2);
			ck_assert_int_eq(o[0].pid, getpid());
			ck_assert_int_eq(o[0].fd, sv[0] < d ? sv[0] : d);
			ck_assert_int_eq(o[1].fd, sv[0] < d ? d : sv[0]);
			ck_assert_uint_eq(o[0].starttime, p->starttime);
		} else {
			ck_assert_uint_eq(e->owner_n, 1);
			ck_assert_int_eq(o[0].pid, getpid());
			ck_assert_int_eq(o[0].fd, sv[1]);
		}
	}
	close(sv[0]);
	close(sv[1]);
	close(d);
	proc_table_free(&pt);
	sock_table_free(&st);
	notes_free(&notes);
	proc_cache_free(c);
	root_close(&r);
}
END_TEST

Suite *proc_suite(void)
{
	Suite *s = suite_create("proc");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_stat_weird_comm);
	tcase_add_test(tc, test_stat_kthread);
	tcase_add_test(tc, test_stat_bad);
	tcase_add_test(tc, test_status);
	tcase_add_loop_test(tc, test_status_cut, 0, (int)ARRAY_SIZE(status_cut));
	tcase_add_test(tc, test_smaps_rollup);
	suite_add_tcase(s, tc);
	tc = tcase_create("scan");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_scan_fixture);
	tcase_add_test(tc, test_scan_without_fds);
	tcase_add_test(tc, test_scan_missing_proc);
	tcase_add_test(tc, test_cmdline_cache);
	tcase_add_test(tc, test_owner_incremental);
	tcase_add_test(tc, test_owner_rewalk_order);
	tcase_add_test(tc, test_scan_vanished);
	tcase_add_test(tc, test_scan_pid_reused);
	tcase_add_test(tc, test_live_own_sockets);
	suite_add_tcase(s, tc);
	return s;
}
