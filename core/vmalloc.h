/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/vmallocinfo aggregated by caller and kind. RAM is counted only from
 * "pages=N"; ioremap/vmap areas map memory owned elsewhere and are kept
 * apart. Addresses are ignored (hashed by %pK). Mode 0400.
 */
#ifndef LEAKTOP_VMALLOC_H
#define LEAKTOP_VMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes.h"

struct vmalloc_caller {
	char caller[96];	/* symbol without +off/len, " [module]" kept; "(none)" */
	char kind[16];		/* "vmalloc", "vmap", "ioremap", "vm_map_ram", ..., "other" */
	uint64_t areas;
	uint64_t pages;
	uint64_t bytes;		/* pages * page size: RAM */
	uint64_t vsize_bytes;	/* sum of the size column: address space incl. guard pages */
};

struct vmalloc_table {
	struct vmalloc_caller *v;	/* sorted by (caller, kind) */
	size_t n;
	uint64_t total_bytes;		/* RAM of all areas with pages= */
	uint64_t ioremap_vsize_bytes;
	uint64_t unpurged_areas;
	bool has_stack_areas;		/* kernel_clone / dup_task_struct / ... stacks seen */
};

int vmallocinfo_parse(const char *buf, size_t len, const char *source, long page_size,
		      struct vmalloc_table *out, struct notes *notes);
const struct vmalloc_caller *vmalloc_table_find(const struct vmalloc_table *t, const char *caller,
						 const char *kind);
/* dst becomes a copy of src (dst holds nothing before). */
void vmalloc_table_copy(struct vmalloc_table *dst, const struct vmalloc_table *src);
void vmalloc_table_free(struct vmalloc_table *t);

#endif
