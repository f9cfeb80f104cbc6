/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel stacks: the parser on the real stack of kernel-interfaces.md §6, an
 * empty one, garbage and 200 frames (fixtures/kstack), the reader on that
 * fixture tree, the start time check against pid reuse (before and during
 * the read), and live PID 1 whose stack root is refused here (a per-thread
 * error, not a crash). The root-only live cases are in check_root.c.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "expect.h"
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

/* The fixture process 555 started at 5000 (stat field 22). */
static const struct {
	const char *what;
	int32_t pid;
	uint64_t start;
	int ret;
	bool reused;
	size_t n;
} by_start[] = {
	{ "same process", 555, 5000, 0, false, 4 },
	{ "pid reused", 555, 4999, -ESRCH, true, 0 },
	{ "pid reused, later start", 555, 5001, -ESRCH, true, 0 },
	{ "gone", 424242, 5000, -ENOENT, false, 0 },
};

START_TEST(test_read_process_start)
{
	struct kstack_proc kp;
	struct root r;

	ck_assert_int_eq(root_open(&r, KSTACK_DIR), 0);
	for (size_t i = 0; i < ARRAY_SIZE(by_start); i++) {
		int ret = kstack_read_process(&r, by_start[i].pid, by_start[i].start, 0, &kp);

		ck_assert_msg(ret == by_start[i].ret, "%s: %d", by_start[i].what, ret);
		ck_assert_msg(kp.pid_reused == by_start[i].reused, "%s", by_start[i].what);
		ck_assert_msg(kp.n == by_start[i].n, "%s: %zu threads", by_start[i].what, kp.n);
		if (by_start[i].reused)
			ck_assert_str_eq(kstack_err_reason(&kp),
					 "process 555 exited; pid now belongs to another process");
		kstack_proc_free(&kp);
	}
	root_close(&r);
}
END_TEST

/*
 * A pid reused while its stacks are read: the thread's stack is a FIFO, and
 * the writer gives the process's stat another start time before it lets the
 * stack read finish, so the change falls between the two checks.
 */
struct reuser {
	char dir[64];		/* <root>/proc/555 */
};

static void write_start(const char *dir, const char *name, unsigned int start)
{
	char s[160];

	snprintf(s, sizeof(s),
		 "555 (sleeper) S 1 555 555 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 %u 1 1\n", start);
	write_text_in(dir, name, s);
}

static void *reuse_during_stack(void *arg)
{
	struct reuser *u = arg;
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/task/555/stack", u->dir);
	fd = open(path, O_WRONLY);	/* returns once the reader has opened it */
	if (fd < 0)
		return NULL;
	write_start(u->dir, "stat.new", 7000);
	snprintf(tmp, sizeof(tmp), "%s/stat.new", u->dir);
	snprintf(path, sizeof(path), "%s/stat", u->dir);
	if (rename(tmp, path) == 0 && write(fd, "[<0>] do_nanosleep+0x1/0x2\n", 27) < 0)
		perror("stack fifo");
	close(fd);
	return NULL;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

START_TEST(test_read_process_reused_during)
{
	char tmpl[] = "/tmp/leaktop-kstack-XXXXXX", d[PATH_MAX];
	struct reuser u;
	struct kstack_proc kp;
	struct root r;
	pthread_t th;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(d, sizeof(d), "%s/proc", tmpl);
	ck_assert_int_eq(mkdir(d, 0755), 0);
	snprintf(u.dir, sizeof(u.dir), "%s/proc/555", tmpl);
	ck_assert_int_eq(mkdir(u.dir, 0755), 0);
	write_start(u.dir, "stat", 5000);
	snprintf(d, sizeof(d), "%s/task", u.dir);
	ck_assert_int_eq(mkdir(d, 0755), 0);
	strcat(d, "/555");
	ck_assert_int_eq(mkdir(d, 0755), 0);
	write_start(d, "stat", 5000);
	write_text_in(d, "wchan", "do_nanosleep");
	write_text_in(d, "syscall", "230 0x1");
	strcat(d, "/stack");
	ck_assert_int_eq(mkfifo(d, 0600), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, reuse_during_stack, &u), 0);
	ck_assert_int_eq(root_open(&r, tmpl), 0);
	ck_assert_int_eq(kstack_read_process(&r, 555, 5000, 0, &kp), -ESRCH);
	ck_assert(kp.pid_reused);
	ck_assert_uint_eq(kp.n, 0);
	ck_assert_ptr_null(kp.threads);
	kstack_proc_free(&kp);
	pthread_join(th, NULL);
	root_close(&r);
	ck_assert_int_eq(nftw(tmpl, rm_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
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
	tcase_add_test(tc, test_read_process_start);
	tcase_add_test(tc, test_read_process_reused_during);
	suite_add_tcase(s, tc);
	tc = tcase_create("live");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_live_pid1);
	suite_add_tcase(s, tc);
	return s;
}
