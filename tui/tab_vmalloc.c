/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Vmalloc tab: /proc/vmallocinfo summed by caller and kind, with growth.
 */
#include "config.h"

#include "tabs.h"

const struct tab tab_vmalloc = {
	.name = "vmalloc",
	.title = "Vmalloc",
	.needs = SNAP_VMALLOC,
	.missing_src = SRC_VMALLOC,
	.fields = &fields_vmalloc,
	.diff_sort = "dbytes",
};
