/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure parsers for the cgroup memory controller's files, both hierarchies:
 * the flat keyed files ("anon 1234\n": v2 memory.stat and memory.events, v1
 * memory.stat), the one-value files ("max\n" or a number: memory.current,
 * memory.max, v1 usage_in_bytes and limit_in_bytes), the cgroup lines of
 * mountinfo (where each hierarchy is mounted) and /proc/PID/cgroup (which
 * cgroup a process is in). They take bytes and give structures; a bad line
 * is a located note and never a zero.
 */
#ifndef LEAKTOP_CGROUP_PARSE_H
#define LEAKTOP_CGROUP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes.h"

enum cgroup_hier {
	CG_HIER_V2,		/* the unified hierarchy (cgroup2) */
	CG_HIER_V1,		/* the v1 hierarchy the memory controller is mounted on */
	CG_HIER_COUNT,
};

/*
 * The figures of one cgroup, by the name a user knows. What a hierarchy
 * does not give stays absent (cgroup_entry.present), never zero: v1 has no
 * slab, stack, page table, percpu or vmalloc charge, and its "kernel" is
 * memory.kmem.usage_in_bytes, its "sock" memory.kmem.tcp.usage_in_bytes
 * (TCP only, and only counted once a TCP limit was written).
 */
enum cgroup_val {
	CGV_CURRENT,		/* v2 memory.current; v1 memory.usage_in_bytes */
	CGV_MAX,		/* v2 memory.max; v1 memory.limit_in_bytes (see CGF_UNLIMITED) */
	CGV_ANON,		/* v2 anon; v1 total_rss */
	CGV_FILE,		/* v2 file; v1 total_cache (both include shmem) */
	CGV_SHMEM,
	CGV_KERNEL,		/* v2 kernel (5.18+); v1 memory.kmem.usage_in_bytes */
	CGV_SLAB_R,		/* slab_reclaimable */
	CGV_SLAB_U,		/* slab_unreclaimable */
	CGV_SOCK,		/* v2 sock; v1 memory.kmem.tcp.usage_in_bytes */
	CGV_KSTACK,		/* kernel_stack */
	CGV_PAGETABLES,
	CGV_PERCPU,
	CGV_VMALLOC,
	CGV_EV_LOW,		/* memory.events: reclaimed under memory.low */
	CGV_EV_HIGH,		/* throttled over memory.high */
	CGV_EV_MAX,		/* hit memory.max */
	CGV_EV_OOM,
	CGV_EV_OOM_KILL,
	CGV_COUNT,
};

/* A key of a flat keyed file and the value it fills. */
struct cgroup_key_map {
	const char *key;
	uint8_t val;		/* enum cgroup_val */
	uint8_t prio;		/* a key of higher prio wins over one of lower */
};

/* The key tables of memory.stat (per hierarchy) and memory.events. */
extern const struct cgroup_key_map cgroup_stat_keys_v2[];
extern const size_t cgroup_stat_keys_v2_n;
extern const struct cgroup_key_map cgroup_stat_keys_v1[];
extern const size_t cgroup_stat_keys_v1_n;
extern const struct cgroup_key_map cgroup_event_keys[];
extern const size_t cgroup_event_keys_n;

/* Where parsed values go: v[] and present bits by enum cgroup_val, and each
 * line as printed through kv (NULL: not kept). */
struct cgroup_vals {
	uint64_t v[CGV_COUNT];
	uint32_t present;	/* bit (1u << enum cgroup_val) */
	uint8_t prio[CGV_COUNT];
};
typedef void (*cgroup_kv_fn)(void *arg, const char *key, size_t keylen, uint64_t value);

/*
 * "key value\n" lines. Known keys fill vals by map; every well-formed line
 * goes to kv (unknown keys included: kernels add keys). A line that is not
 * "word number", or whose number overflows, is a NOTE_WARN at its line and
 * is skipped. Returns the number of lines taken.
 */
/* The entry of map for key, or -1. */
int cgroup_key_find(const struct cgroup_key_map *map, size_t nmap, const char *key, size_t n);
/* Fill vals from one map entry, unless a key of higher prio filled it. */
void cgroup_vals_set(struct cgroup_vals *vals, const struct cgroup_key_map *m, uint64_t v);

size_t cgroup_parse_keyed(const char *buf, size_t len, const char *source,
			  const struct cgroup_key_map *map, size_t nmap, struct cgroup_vals *vals,
			  cgroup_kv_fn kv, void *arg, struct notes *notes);

/* A one-value file: a number, or "max" (*is_max true, *v UINT64_MAX).
 * Returns 0, or -EINVAL / -ERANGE (no note: the caller knows the file). */
int cgroup_parse_value(const char *buf, size_t len, uint64_t *v, bool *is_max);
/* v1 prints "no limit" as PAGE_COUNTER_MAX pages, about 2^63: such a limit
 * is no limit. */
bool cgroup_limit_is_unlimited(uint64_t v);

/* Where the hierarchies are mounted, from mountinfo. Strings are heap,
 * decoded; NULL when there is no such mount. */
struct cgroup_mounts {
	char *v2;		/* cgroup2 mount point */
	char *v2_root;		/* the mount's root in the hierarchy ("/" outside a cgroup ns) */
	char *v1_memory;	/* the v1 hierarchy with the memory controller */
	char *v1_memory_root;
	char *v1_systemd;	/* the v1 name=systemd hierarchy (hybrid hosts) */
	unsigned int v1_count;	/* v1 hierarchies of any controller */
};
/* Returns 0, or -1 when no mountinfo line could be parsed at all. A file
 * without cgroup mounts is fine: the caller says what is missing. */
int cgroup_parse_mounts(const char *buf, size_t len, const char *source,
			struct cgroup_mounts *out, struct notes *notes);
void cgroup_mounts_free(struct cgroup_mounts *m);

/* The cgroups of a process, from /proc/PID/cgroup: slices into the buffer
 * (path NULL when the process has no line for that hierarchy). */
struct cgroup_proc_paths {
	const char *v2;		/* "0::/user.slice/..." */
	size_t v2_len;
	const char *v1_memory;	/* "4:memory:/docker/..." (or "4:cpu,memory:...") */
	size_t v1_memory_len;
};
/* Returns 0, or -EINVAL when not one line has the "N:controllers:/path" form. */
int cgroup_parse_proc(const char *buf, size_t len, struct cgroup_proc_paths *out);

#endif
