/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The unit test runner: every suite in one srunner, fork mode so a crash in
 * one test is a failure of that test, exit status non-zero on any failure.
 */
#include <stdlib.h>

#include "compat.h"
#include "suites.h"

static Suite *(*const suites[])(void) = {
	parse_suite,
	fields_suite,
	proc_suite,
	kstack_suite,
	tcpmem_suite,
	sockdiag_suite,
	procnet_suite,
	meminfo_suite,
	slab_suite,
	vmalloc_suite,
	tmpfs_suite,
	snapshot_suite,
	trend_suite,
	growth_suite,
	tracker_suite,
	suspects_suite,
};

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

	for (size_t i = 0; i < ARRAY_SIZE(suites); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
