/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Failures the kernel rarely gives, injected: this program defines its own
 * fdopendir, which the core library linked into it calls instead of libc's
 * (the executable's definition wins), so a directory walk can be made to
 * fail after its descriptor was opened. Every walk must then close what it
 * opened: leaktop runs for days and an fd lost per sample ends it.
 */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "kstack.h"
#include "notes.h"
#include "root.h"
#include "slabmerge.h"

static bool fail_fdopendir;

DIR *fdopendir(int fd)
{
	static DIR *(*real)(int);

	if (fail_fdopendir) {
		errno = ENOMEM;
		return NULL;
	}
	if (!real)
		real = (DIR * (*)(int)) dlsym(RTLD_NEXT, "fdopendir");
	return real(fd);
}

/* Open descriptors of this process (opendir does not go through fdopendir). */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* One walk that opens a directory with fdopendir, on the live root. */
static void walk_kstack(const struct root *r)
{
	struct kstack_proc kp;

	kstack_read(r, (int32_t)getpid(), 0, &kp);
	ck_assert_int_ne(kp.err, 0);
	kstack_proc_free(&kp);
}

static void walk_slabmerge(const struct root *r)
{
	struct slab_aliases a = { 0 };
	struct notes ns = { 0 };

	ck_assert_int_lt(slabmerge_read(r, &a, &ns), 0);
	ck_assert(notes_is_missing(&ns, "slab_merge"));
	slab_aliases_free(&a);
	notes_free(&ns);
}

static void (*const walks[])(const struct root *) = { walk_kstack, walk_slabmerge };

START_TEST(test_fdopendir_failure_closes_fd)
{
	struct root r;
	int before, after;

	ck_assert_int_eq(root_open(&r, "/"), 0);
	before = count_fds();
	fail_fdopendir = true;
	walks[_i](&r);
	fail_fdopendir = false;
	after = count_fds();
	root_close(&r);
	ck_assert_int_eq(after, before);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = tcase_create("fdopendir");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_fdopendir_failure_closes_fd, 0, (int)ARRAY_SIZE(walks));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
