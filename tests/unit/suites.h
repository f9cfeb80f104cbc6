/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One line per Check suite; check_main.c runs them all. */
#ifndef LEAKTOP_TEST_SUITES_H
#define LEAKTOP_TEST_SUITES_H

#include <check.h>

Suite *parse_suite(void);
Suite *fields_suite(void);
Suite *proc_suite(void);
Suite *kstack_suite(void);
Suite *tcpmem_suite(void);
Suite *sockdiag_suite(void);
Suite *procnet_suite(void);
Suite *meminfo_suite(void);
Suite *slab_suite(void);
Suite *vmalloc_suite(void);
Suite *vmstat_suite(void);
Suite *tmpfs_suite(void);
Suite *snapshot_suite(void);
Suite *trend_suite(void);
Suite *history_suite(void);
Suite *growth_suite(void);
Suite *export_suite(void);
Suite *sampler_suite(void);
Suite *tracker_suite(void);
Suite *suspects_suite(void);
Suite *codec_suite(void);
Suite *warm_suite(void);
Suite *recfile_suite(void);
Suite *cgroup_suite(void);
Suite *openmetrics_suite(void);
Suite *worker_suite(void);

#endif
