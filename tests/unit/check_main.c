/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The unit test runner: every suite, fork mode so a crash in one test is a
 * failure of that test, counts per suite and in all, exit status non-zero on
 * any failure.
 */
#include <stdio.h>
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
	vmstat_suite,
	tmpfs_suite,
	snapshot_suite,
	trend_suite,
	history_suite,
	growth_suite,
	export_suite,
	sampler_suite,
	tracker_suite,
	suspects_suite,
	codec_suite,
	warm_suite,
	recfile_suite,
	cgroup_suite,
	openmetrics_suite,
	worker_suite,
};

int main(void)
{
	int run = 0, failed = 0;

	/* One runner per suite, so that each suite reports its own counts. */
	for (size_t i = 0; i < ARRAY_SIZE(suites); i++) {
		SRunner *sr = srunner_create(suites[i]());

		srunner_run_all(sr, CK_ENV);
		run += srunner_ntests_run(sr);
		failed += srunner_ntests_failed(sr);
		srunner_free(sr);
	}
	printf("All suites: %d checks, %d failed\n", run, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
