/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory breakdown: MemTotal split into classes that add up to it
 * exactly, the rest being "unaccounted" (memory meminfo does not explain).
 * Pure arithmetic on one parsed /proc/meminfo; reads no file. A class whose
 * required inputs the kernel did not print is left out of cls_present, never
 * shown as zero. Formula and reasoning: doc/memory-accounting.md.
 */
#include "memderive.h"

#include <string.h>

#include "compat.h"
#include "parse.h"

struct class_desc {
	const char *name;
	const char *title;
	bool estimated;
};

static const struct class_desc class_desc[MEM_CLASS_COUNT] = {
	[MEM_ANON] = { "anon", "Anonymous" },
	[MEM_PAGE_CACHE] = { "page_cache", "Page cache" },
	[MEM_SHMEM] = { "shmem", "Shmem/tmpfs" },
	[MEM_SLAB_RECL] = { "slab_reclaimable", "Slab reclaimable" },
	[MEM_SLAB_UNRECL] = { "slab_unreclaimable", "Slab unreclaimable" },
	[MEM_KRECL_OTHER] = { "kreclaimable_other", "Other reclaimable kernel" },
	[MEM_VMALLOC] = { "vmalloc", "Vmalloc" },
	[MEM_KSTACK] = { "kernel_stack", "Kernel stacks" },
	[MEM_PAGETABLES] = { "page_tables", "Page tables" },
	[MEM_PERCPU] = { "percpu", "Per-CPU" },
	[MEM_HUGETLB] = { "hugetlb", "HugeTLB" },
	[MEM_OTHER_KERNEL] = { "other_kernel", "Zswap, balloon, poisoned" },
	[MEM_PCP_FREE] = { "pcp_free", "Per-CPU free lists" },
	[MEM_SOCK_PAGES] = { "sock_pages", "Socket buffer pages (est.)", true },
	[MEM_VMSTAT_OTHER] = { "vmstat_other", "Memmap, zram (vmstat)" },
	[MEM_UNACCOUNTED] = { "unaccounted", "Unaccounted", true },
	[MEM_FREE] = { "free", "Free" },
};

static const char *const extra_name[MEM_X_COUNT] = {
	[MEM_X_TOTAL] = "total",
	[MEM_X_AVAILABLE] = "available",
	[MEM_X_USED] = "used",
	[MEM_X_SLAB] = "slab",
	[MEM_X_SWAP_USED] = "swap_used",
	[MEM_X_UNACC_MEMINFO] = "unaccounted_meminfo",
};

const char *mem_class_name(enum mem_class c)
{
	return (unsigned int)c < MEM_CLASS_COUNT ? class_desc[c].name : "?";
}

const char *mem_class_title(enum mem_class c)
{
	return (unsigned int)c < MEM_CLASS_COUNT ? class_desc[c].title : "?";
}

bool mem_class_estimated(enum mem_class c)
{
	return (unsigned int)c < MEM_CLASS_COUNT && class_desc[c].estimated;
}

const char *mem_extra_name(enum mem_extra x)
{
	return (unsigned int)x < MEM_X_COUNT ? extra_name[x] : "?";
}

const char *vmap_stack_rule_text(enum vmap_stack_rule r)
{
	switch (r) {
	case VMAP_STACK_CALLERS:
		return "kernel stacks are vmalloc'd (stack areas in vmallocinfo)";
	case VMAP_STACK_NONE_SMALL:
		return "kernel stacks are not vmalloc'd (VmallocUsed < KernelStack)";
	case VMAP_STACK_NO_CALLERS:
		return "kernel stacks are not vmalloc'd (no stack areas in vmallocinfo)";
	case VMAP_STACK_UNKNOWN:
	default:
		return "unknown whether kernel stacks are vmalloc'd; assumed not";
	}
}

/* meminfo values are at most 2^64 - 1 bytes; the partition works in int64
 * so that "unaccounted" may go negative. Clamp instead of wrapping. */
static int64_t to_s64(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static int64_t add_s64(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

static int64_t sub_s64(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return r;
}

static bool get(const struct meminfo *mi, const char *name, int64_t *out)
{
	uint64_t v;

	if (!mi || !meminfo_get(mi, name, &v))
		return false;
	*out = to_s64(v);
	return true;
}

static void set_cls(struct mem_derived *d, enum mem_class c, int64_t v)
{
	d->cls[c] = v;
	d->cls_present |= 1u << c;
}

static void set_extra(struct mem_derived *d, enum mem_extra x, int64_t v)
{
	d->extra[x] = v;
	d->extra_present |= 1u << x;
}

static enum vmap_stack_rule decide_vmap(enum vmap_stack_rule evidence, bool have_vm, int64_t vm,
					bool have_ks, int64_t ks)
{
	/* Stacks inside VmallocUsed imply VmallocUsed >= KernelStack; when the
	 * numbers say otherwise the arithmetic wins over the evidence. */
	if (have_vm && have_ks && vm < ks)
		return VMAP_STACK_NONE_SMALL;
	if (evidence == VMAP_STACK_CALLERS || evidence == VMAP_STACK_NO_CALLERS)
		return evidence;
	return VMAP_STACK_UNKNOWN;
}

void mem_derive_vm(const struct meminfo *mi, enum vmap_stack_rule evidence,
		   const uint64_t *vmallocinfo_bytes, struct mem_derived *d)
{
	int64_t total = 0, mfree = 0, v, a, b, c, vm = 0, ks = 0, sum = 0;
	bool have_vm, have_ks, core = true;

	memset(d, 0, sizeof(*d));
	d->valid = get(mi, "MemTotal", &total) && get(mi, "MemFree", &mfree);

	if (get(mi, "AnonPages", &v))
		set_cls(d, MEM_ANON, v);
	else
		core = false;

	/* Cached holds Shmem; Shmem is split out, so take it off page cache. */
	if (get(mi, "Cached", &a) && get(mi, "Buffers", &b) && get(mi, "SwapCached", &c)) {
		v = add_s64(a, add_s64(b, c));
		if (get(mi, "Shmem", &a)) {
			set_cls(d, MEM_SHMEM, a);
			v = sub_s64(v, a);
		}
		set_cls(d, MEM_PAGE_CACHE, v);
	} else {
		core = false;
	}

	if (get(mi, "SReclaimable", &a)) {
		set_cls(d, MEM_SLAB_RECL, a);
		if (get(mi, "KReclaimable", &b))
			set_cls(d, MEM_KRECL_OTHER, sub_s64(b, a));
	} else {
		core = false;
	}
	if (get(mi, "SUnreclaim", &a))
		set_cls(d, MEM_SLAB_UNRECL, a);
	else
		core = false;

	have_vm = get(mi, "VmallocUsed", &vm);
	have_ks = get(mi, "KernelStack", &ks);
	/* 4.4 to 5.2 print VmallocUsed as 0; vmallocinfo's pages= sum is the
	 * same figure. */
	if (have_vm && vm == 0 && vmallocinfo_bytes && *vmallocinfo_bytes) {
		vm = to_s64(*vmallocinfo_bytes);
		d->vmalloc_from_vmallocinfo = true;
	}
	d->vmap_rule = decide_vmap(evidence, have_vm, vm, have_ks, ks);
	d->vmap_stacks = d->vmap_rule == VMAP_STACK_CALLERS && have_vm && have_ks;
	if (have_ks)
		set_cls(d, MEM_KSTACK, ks);
	if (have_vm)
		set_cls(d, MEM_VMALLOC, d->vmap_stacks ? sub_s64(vm, ks) : vm);
	if (!have_vm || !have_ks)
		core = false;

	if (get(mi, "PageTables", &a)) {
		if (get(mi, "SecPageTables", &b))
			a = add_s64(a, b);
		set_cls(d, MEM_PAGETABLES, a);
	} else {
		core = false;
	}

	if (get(mi, "Percpu", &a))
		set_cls(d, MEM_PERCPU, a);

	/* Hugetlb covers every pool size; HugePages_* only the default one. */
	if (get(mi, "Hugetlb", &a))
		set_cls(d, MEM_HUGETLB, a);
	else if (get(mi, "HugePages_Total", &a) && get(mi, "Hugepagesize", &b))
		set_cls(d, MEM_HUGETLB, to_s64(sat_mul_u64((uint64_t)a, (uint64_t)b)));

	{
		static const char *const other[] = { "Zswap", "Balloon", "HardwareCorrupted" };
		bool any = false;

		v = 0;
		for (size_t i = 0; i < ARRAY_SIZE(other); i++) {
			if (get(mi, other[i], &a)) {
				v = add_s64(v, a);
				any = true;
			}
		}
		if (any)
			set_cls(d, MEM_OTHER_KERNEL, v);
	}

	if (get(mi, "MemAvailable", &a))
		set_extra(d, MEM_X_AVAILABLE, a);
	if (get(mi, "Slab", &a))
		set_extra(d, MEM_X_SLAB, a);
	if (get(mi, "SwapTotal", &a) && get(mi, "SwapFree", &b))
		set_extra(d, MEM_X_SWAP_USED, sub_s64(a, b));
	if (!d->valid)
		return;

	set_extra(d, MEM_X_TOTAL, total);
	set_extra(d, MEM_X_USED, sub_s64(total, mfree));
	set_cls(d, MEM_FREE, mfree);
	for (int i = 0; i < MEM_CLASS_COUNT; i++)
		if (i != MEM_UNACCOUNTED && i != MEM_FREE)
			sum = add_s64(sum, d->cls[i]);
	/* Always computed so that the classes stack to MemTotal; flagged present
	 * only when every always-printed term was there, otherwise it would hide
	 * a missing term under "unaccounted". */
	d->cls[MEM_UNACCOUNTED] = sub_s64(sub_s64(total, mfree), sum);
	if (core) {
		d->cls_present |= 1u << MEM_UNACCOUNTED;
		set_extra(d, MEM_X_UNACC_MEMINFO, d->cls[MEM_UNACCOUNTED]);
	}
}

static void carve(struct mem_derived *d, enum mem_class c, bool have, uint64_t bytes)
{
	int64_t v = to_s64(bytes);

	if (!have || (d->cls_present & (1u << c)))
		return;
	set_cls(d, c, v);
	d->cls[MEM_UNACCOUNTED] = sub_s64(d->cls[MEM_UNACCOUNTED], v);
}

void mem_attribute(struct mem_derived *d, const struct mem_attrib *a)
{
	/* Carving from a figure that hides a missing meminfo term would
	 * attribute memory twice; and an absent part must stay absent, not 0,
	 * so that the remaining unaccounted is read as "not reduced by it". */
	if (!d->valid || !(d->cls_present & (1u << MEM_UNACCOUNTED)) || !a)
		return;
	carve(d, MEM_PCP_FREE, a->has_pcp, a->pcp_bytes);
	carve(d, MEM_SOCK_PAGES, a->has_sock, a->sock_bytes);
	carve(d, MEM_VMSTAT_OTHER, a->has_vmstat, a->vmstat_bytes);
}

void mem_derive(const struct meminfo *mi, enum vmap_stack_rule evidence, struct mem_derived *out)
{
	mem_derive_vm(mi, evidence, NULL, out);
}
