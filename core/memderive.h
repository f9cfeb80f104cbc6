/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory breakdown leaktop shows: a partition of MemTotal into classes
 * that add up exactly (so a meter can stack them), plus the "unaccounted"
 * figure: memory meminfo does not explain. The formula and its reasoning are
 * in doc/memory-accounting.md. Inputs come from one meminfo read only.
 */
#ifndef LEAKTOP_MEMDERIVE_H
#define LEAKTOP_MEMDERIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "meminfo.h"

/* The order is the stacking order of the header meter. */
enum mem_class {
	MEM_ANON,		/* AnonPages */
	MEM_PAGE_CACHE,		/* Cached - Shmem + Buffers + SwapCached */
	MEM_SHMEM,		/* Shmem: tmpfs, SysV shm, memfd, shared anon */
	MEM_SLAB_RECL,		/* SReclaimable */
	MEM_SLAB_UNRECL,	/* SUnreclaim (includes kmalloc > 8 KiB) */
	MEM_KRECL_OTHER,	/* KReclaimable - SReclaimable */
	MEM_VMALLOC,		/* VmallocUsed, minus KernelStack when stacks are vmalloc'd */
	MEM_KSTACK,		/* KernelStack */
	MEM_PAGETABLES,		/* PageTables + SecPageTables */
	MEM_PERCPU,		/* Percpu */
	MEM_HUGETLB,		/* Hugetlb, else HugePages_Total * Hugepagesize */
	MEM_OTHER_KERNEL,	/* Zswap + Balloon + HardwareCorrupted, those printed */
	/* Carved out of "unaccounted" from sources other than meminfo (see
	 * mem_attribute); absent until attributed. */
	MEM_PCP_FREE,		/* free pages on per-CPU lists (zoneinfo pagesets) */
	MEM_SOCK_PAGES,		/* socket buffer pages outside slab (estimate) */
	MEM_VMSTAT_OTHER,	/* /proc/vmstat page counters no meminfo line holds */
	MEM_UNACCOUNTED,	/* used minus everything above; may be negative (noise) */
	MEM_FREE,		/* MemFree */
	MEM_CLASS_COUNT,
};

/* Figures that are not part of the partition but shown beside it. */
enum mem_extra {
	MEM_X_TOTAL,		/* MemTotal */
	MEM_X_AVAILABLE,	/* MemAvailable */
	MEM_X_USED,		/* MemTotal - MemFree */
	MEM_X_SLAB,		/* Slab */
	MEM_X_SWAP_USED,	/* SwapTotal - SwapFree */
	MEM_X_UNACC_MEMINFO,	/* unaccounted before any attribution (meminfo only) */
	MEM_X_COUNT,
};

enum vmap_stack_rule {
	VMAP_STACK_UNKNOWN,	/* no evidence either way: assume not vmalloc'd */
	VMAP_STACK_CALLERS,	/* vmallocinfo has kernel_clone/... stack areas */
	VMAP_STACK_NONE_SMALL,	/* VmallocUsed < KernelStack: cannot be vmalloc'd */
	VMAP_STACK_NO_CALLERS,	/* vmallocinfo read and holds no stack areas */
};

struct mem_derived {
	int64_t cls[MEM_CLASS_COUNT];	/* bytes */
	int64_t extra[MEM_X_COUNT];	/* bytes */
	uint32_t cls_present;		/* bit i: every input of class i was present */
	uint32_t extra_present;
	bool valid;			/* MemTotal and MemFree were present */
	bool vmap_stacks;		/* KernelStack counted inside VmallocUsed */
	bool vmalloc_from_vmallocinfo;	/* VmallocUsed read 0 (4.4-5.2): pages= sum used */
	enum vmap_stack_rule vmap_rule;	/* the rule actually applied */
};

/* What mem_attribute carves out of "unaccounted"; a has_ flag false means
 * the source was not read, and the class stays absent. Bytes. */
struct mem_attrib {
	bool has_pcp, has_sock, has_vmstat;
	uint64_t pcp_bytes, sock_bytes, vmstat_bytes;
};

/* Stable machine names ("anon", "page_cache", ..., "unaccounted", "free")
 * used as JSON keys and column ids; never renamed. */
const char *mem_class_name(enum mem_class c);
const char *mem_class_title(enum mem_class c);	/* "Page cache" */
/* True for classes that are estimates rather than a kernel counter. */
bool mem_class_estimated(enum mem_class c);
const char *mem_extra_name(enum mem_extra x);
const char *vmap_stack_rule_text(enum vmap_stack_rule r);

/* vmap_stacks_known: the sampler's evidence from vmallocinfo (see
 * vmalloc_table.has_stack_areas); pass VMAP_STACK_UNKNOWN when not readable. */
void mem_derive(const struct meminfo *mi, enum vmap_stack_rule evidence, struct mem_derived *out);
/* Same, and when VmallocUsed reads 0 (kernels 4.4 to 5.2) take the vmalloc
 * class from vmallocinfo_bytes (vmalloc_table.total_bytes) if not NULL. */
void mem_derive_vm(const struct meminfo *mi, enum vmap_stack_rule evidence,
		   const uint64_t *vmallocinfo_bytes, struct mem_derived *out);

/* Move the attributed parts out of unaccounted into their own classes, so
 * the partition still sums to MemTotal. Does nothing unless unaccounted is
 * present. */
void mem_attribute(struct mem_derived *d, const struct mem_attrib *a);

#endif
