/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel stacks: the parser on the real stack of kernel-interfaces.md §6, an
 * empty one, garbage and 200 frames (fixtures/kstack), the reader on that
 * fixture tree, and live: a thread blocked in read() on a pipe, and PID 1
 * whose stack root is refused here (a per-thread error, not a crash).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "kstack.h"
#include "root.h"
#include "suites.h"

#define KSTACK_DIR FIXTURES_DIR "/kstack"

static struct kstack_thread *parse_fixture(const char *tid)
{
	struct kstack_thread *t = calloc(1, sizeof(*t));
	struct buf b = { 0 };
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/proc/555/task/%s/stack", KSTACK_DIR, tid);
	ck_assert_int_eq(buf_readat(AT_FDCWD, path, &b, 0), 0);
	kstack_parse(b.data, b.len, t);
	buf_free(&b);
	return t;
}

static const char *const real_frames[] = {
	"hrtimer_nanosleep+0x74/0xf0",
	"common_nsleep_timens+0x3d/0xa0",
	"__x64_sys_clock_nanosleep+0xce/0x140",
	"do_syscall_64+0x71/0x280",
	"entry_SYSCALL_64_after_hwframe+0x76/0x7e",
};

START_TEST(test_parse_real)
{
	struct kstack_thread *t = parse_fixture("555");

	ck_assert_uint_eq(t->nframes, ARRAY_SIZE(real_frames));
	for (size_t i = 0; i < ARRAY_SIZE(real_frames); i++)
		ck_assert_str_eq(t->frames[i], real_frames[i]);
	ck_assert(!t->truncated);
	free(t);
}
END_TEST

START_TEST(test_parse_empty)
{
	struct kstack_thread *t = parse_fixture("556");

	ck_assert_uint_eq(t->nframes, 0);
	ck_assert_uint_eq(kstack_parse("\n\n  \n", 5, t), 0);
	ck_assert_uint_eq(kstack_parse("", 0, t), 0);
	free(t);
}
END_TEST

START_TEST(test_parse_garbage)
{
	struct kstack_thread *t = parse_fixture("557");
	char longest[96];

	ck_assert_uint_eq(t->nframes, 4);
	ck_assert_str_eq(t->frames[0], "good_sym+0x1/0x2");
	ck_assert_str_eq(t->frames[1], "bare_symbol+0x10/0x20");
	ck_assert_str_eq(t->frames[2], "old_style+0x5/0x10 [mod]");
	memset(longest, 0, sizeof(longest));
	for (size_t i = 0; i < 95; i++)
		longest[i] = "long_"[i % 5];
	ck_assert_str_eq(t->frames[3], longest);
	/* The last line has no newline: cut, so not shown, and the stack is
	 * marked as missing frames. */
	ck_assert(t->truncated);
	free(t);
}
END_TEST

START_TEST(test_parse_deep)
{
	struct kstack_thread *t = parse_fixture("558");

	ck_assert_uint_eq(t->nframes, KSTACK_MAX_FRAMES);
	ck_assert(t->truncated);
	ck_assert_str_eq(t->frames[0], "frame_000+0x0/0x100");
	ck_assert_str_eq(t->frames[63], "frame_063+0x3f/0x100");
	/* Parsing again replaces, it does not append. */
	ck_assert_uint_eq(kstack_parse("[<0>] a+0x1/0x2\n", 16, t), 1);
	ck_assert(!t->truncated);
	free(t);
}
END_TEST

START_TEST(test_read_fixture)
{
	struct kstack_proc kp;
	struct root r;

	ck_assert_int_eq(root_open(&r, KSTACK_DIR), 0);
	ck_assert_int_eq(kstack_read(&r, 555, 0, &kp), 0);
	ck_assert_int_eq(kp.err, 0);
	ck_assert_uint_eq(kp.n, 4);
	ck_assert_uint_eq(kp.threads_total, 4);

	ck_assert_int_eq(kp.threads[0].tid, 555);
	ck_assert_str_eq(kp.threads[0].comm, "sleeper");
	ck_assert_int_eq(kp.threads[0].state, 'S');
	ck_assert_str_eq(kp.threads[0].wchan, "hrtimer_nanosleep");
	ck_assert_str_eq(kp.threads[0].syscall,
			 "230 0x1 0x1 0x7ffc25abe8d0 0x0 0x0 0x0 0x7ffc25abe8b8 0x7f62094ed503");
	ck_assert_int_eq(kp.threads[0].stack_err, 0);
	ck_assert_int_eq(kp.threads[0].syscall_err, 0);
	ck_assert_uint_eq(kp.threads[0].nframes, 5);
	ck_assert_str_eq(kp.threads[0].frames[4], real_frames[4]);

	ck_assert_int_eq(kp.threads[1].tid, 556);
	ck_assert_str_eq(kp.threads[1].comm, "worker (io)");
	ck_assert_int_eq(kp.threads[1].state, 'R');
	ck_assert_str_eq(kp.threads[1].wchan, "");
	ck_assert_str_eq(kp.threads[1].syscall, "running");
	ck_assert_uint_eq(kp.threads[1].nframes, 0);

	ck_assert_int_eq(kp.threads[2].state, 'D');
	ck_assert_str_eq(kp.threads[2].syscall, "-1 0x7ffc25abe8d0 0x7f62094ed503");
	ck_assert_uint_eq(kp.threads[2].nframes, 4);

	ck_assert_str_eq(kp.threads[3].syscall, "");
	ck_assert_uint_eq(kp.threads[3].nframes, 64);
	ck_assert(kp.threads[3].truncated);
	kstack_proc_free(&kp);

	ck_assert_int_eq(kstack_read(&r, 555, 2, &kp), 0);
	ck_assert_uint_eq(kp.n, 2);
	ck_assert_uint_eq(kp.threads_total, 4);
	ck_assert_int_eq(kp.threads[1].tid, 556);
	kstack_proc_free(&kp);

	ck_assert_int_eq(kstack_read(&r, 424242, 0, &kp), -ENOENT);
	ck_assert_int_eq(kp.err, ENOENT);
	ck_assert_uint_eq(kp.n, 0);
	kstack_proc_free(&kp);
	root_close(&r);
}
END_TEST

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
	if (t->stack_err) {
		ck_assert(t->stack_err == EACCES || t->stack_err == EPERM);
		fprintf(stderr, "SKIP stack frames of the pipe reader: %s\n", strerror(t->stack_err));
	} else {
		snprintf(want, sizeof(want), "%ld ", (long)SYS_read);
		ck_assert_msg(strncmp(t->syscall, want, strlen(want)) == 0, "syscall '%s'", t->syscall);
		for (size_t i = 0; i < t->nframes; i++)
			found |= strstr(t->frames[i], "pipe_read+0x") != NULL;
		ck_assert_msg(found, "no pipe_read frame in %zu frames", t->nframes);
	}
	kstack_proc_free(&kp);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	pthread_join(th, NULL);
	close(p[0]);
	close(p[1]);
	root_close(&r);
}
END_TEST

/* PID 1: root may be refused by an LSM; refusals are per thread, frames empty. */
START_TEST(test_live_pid1)
{
	struct kstack_proc kp;
	struct root r;

	ck_assert_int_eq(root_open(&r, "/"), 0);
	ck_assert_int_eq(kstack_read(&r, 1, 0, &kp), 0);
	ck_assert_uint_ge(kp.n, 1);
	ck_assert_int_eq(kp.threads[0].tid, 1);
	for (size_t i = 0; i < kp.n; i++) {
		const struct kstack_thread *t = &kp.threads[i];

		ck_assert(t->stack_err == 0 || t->stack_err == EACCES || t->stack_err == EPERM);
		ck_assert(t->syscall_err == 0 || t->syscall_err == EACCES ||
			  t->syscall_err == EPERM);
		if (t->stack_err)
			ck_assert_uint_eq(t->nframes, 0);
		if (t->syscall_err)
			ck_assert_str_eq(t->syscall, "");
		ck_assert_int_ne(t->state, 0);
	}
	kstack_proc_free(&kp);
	root_close(&r);
}
END_TEST

Suite *kstack_suite(void)
{
	Suite *s = suite_create("kstack");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_parse_real);
	tcase_add_test(tc, test_parse_empty);
	tcase_add_test(tc, test_parse_garbage);
	tcase_add_test(tc, test_parse_deep);
	tcase_add_test(tc, test_read_fixture);
	suite_add_tcase(s, tc);
	tc = tcase_create("live");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_live_pipe_reader);
	tcase_add_test(tc, test_live_pid1);
	suite_add_tcase(s, tc);
	return s;
}
