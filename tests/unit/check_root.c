/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live cases that need root, in a program of their own so that a run
 * without root reports SKIP (exit 77) instead of passing untested: the
 * kernel stack of one of our threads blocked in a pipe read (stack and
 * syscall are root-only), and fd directories refused once root drops to
 * "nobody" (one counted "owners" note, never 0 sockets).
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <grp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "kstack.h"
#include "notes.h"
#include "proc_scan.h"
#include "root.h"
#include "tcpmem.h"

#define EXIT_SKIP 77

struct reader {
	int fd;
	pid_t tid;
};

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	char c;

	__atomic_store_n(&rd->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	if (read(rd->fd, &c, 1) < 0)
		return NULL;
	return NULL;
}

/* The thread is asleep in the pipe read (not still starting up). */
static bool in_pipe_read(pid_t tid)
{
	char path[64];
	struct buf b = { 0 };
	bool yes;

	snprintf(path, sizeof(path), "/proc/self/task/%d/wchan", (int)tid);
	yes = buf_readat(AT_FDCWD, path, &b, 0) == 0 && strstr(b.data, "pipe_read");
	buf_free(&b);
	return yes;
}

/* A thread blocked in read() on a pipe: its stack shows the pipe read. */
START_TEST(test_live_pipe_reader)
{
	struct reader rd = { 0 };
	struct kstack_proc kp;
	const struct kstack_thread *t = NULL;
	pthread_t th;
	struct root r;
	char want[16];
	int p[2];
	bool found = false;

	ck_assert_int_eq(pipe(p), 0);
	rd.fd = p[0];
	ck_assert_int_eq(pthread_create(&th, NULL, reader_main, &rd), 0);
	for (int i = 0; i < 500; i++) {
		pid_t tid = __atomic_load_n(&rd.tid, __ATOMIC_SEQ_CST);

		if (tid && in_pipe_read(tid))
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	ck_assert_int_eq(root_open(&r, "/"), 0);
	ck_assert_int_eq(kstack_read(&r, getpid(), 0, &kp), 0);
	for (size_t i = 0; i < kp.n; i++)
		if (kp.threads[i].tid == rd.tid)
			t = &kp.threads[i];
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->state, 'S');
	ck_assert_msg(strstr(t->wchan, "pipe_read") != NULL, "wchan '%s'", t->wchan);
	ck_assert_msg(t->stack_err == 0, "own stack refused to root: %s", strerror(t->stack_err));
	snprintf(want, sizeof(want), "%ld ", (long)SYS_read);
	ck_assert_msg(strncmp(t->syscall, want, strlen(want)) == 0, "syscall '%s'", t->syscall);
	for (size_t i = 0; i < t->nframes; i++)
		found |= strstr(t->frames[i], "pipe_read+0x") != NULL;
	ck_assert_msg(found, "no pipe_read frame in %zu frames", t->nframes);
	kstack_proc_free(&kp);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	pthread_join(th, NULL);
	close(p[0]);
	close(p[1]);
	root_close(&r);
}
END_TEST

/*
 * fd directories refused: as "nobody" (dropping root in a child) every other
 * user's process is denied. Counted, kept, one "owners" note; never 0 sockets.
 */
START_TEST(test_live_denied)
{
	pid_t child;
	int status;

	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct proc_cache *c;
		struct proc_table pt = { 0 };
		struct notes notes = { 0 };
		const struct note *n;
		struct root r;
		size_t denied = 0;

		if ((setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
				       setresuid(65534, 65534, 65534)))
			_exit(10);
		c = proc_cache_new();
		if (root_open(&r, "/"))
			_exit(11);
		proc_scan(&r, c, PROC_SCAN_FDS, &pt, NULL, &notes);
		for (size_t i = 0; i < pt.n; i++) {
			if (pt.v[i].fd_status != PROC_FD_DENIED)
				continue;
			denied++;
			if (pt.v[i].sock_count || pt.v[i].fd_count)
				_exit(12);
		}
		if (!pt.denied || denied != pt.denied)
			_exit(13);
		n = notes_find(&notes, "owners");
		if (!n || n->kind != NOTE_WARN ||
		    !strstr(n->msg, "processes' fds: permission denied (needs root)"))
			_exit(14);
		if (strtoul(n->msg, NULL, 10) != pt.denied)
			_exit(15);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/*
 * In a network namespace of its own (a container) the host-wide TCP limits
 * are absent from /proc/sys: the note must say so, not "not present on this
 * kernel", while the per-namespace sysctls are still read.
 */
START_TEST(test_live_netns_tcp_limits)
{
	pid_t child;
	int status;

	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct notes notes = { 0 };
		struct tcpmem t = { 0 };
		const struct note *n;
		struct root r;

		if (unshare(CLONE_NEWNET))
			_exit(10);
		if (root_open(&r, "/"))
			_exit(11);
		tcpmem_sample(&r, &t, &notes);
		n = notes_find(&notes, "tcp_mem");
		if (!n || n->kind != NOTE_MISSING || !strstr(n->msg, "network namespace"))
			_exit(12);
		if (t.has_tcp_mem || !t.has_rmem)
			_exit(13);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc;
	SRunner *sr;
	int failed;

	if (geteuid() != 0) {
		printf("SKIP: needs root (kernel stacks; dropping to another user)\n");
		return EXIT_SKIP;
	}
	s = suite_create("root");
	tc = tcase_create("live");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_live_pipe_reader);
	tcase_add_test(tc, test_live_denied);
	tcase_add_test(tc, test_live_netns_tcp_limits);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
