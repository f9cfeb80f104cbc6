/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RAM-backed filesystems and SysV shared memory: every tmpfs, ramfs and
 * devtmpfs mount from <proc>/self/mountinfo with its used bytes (statfs),
 * and the segments of <proc>/sysvipc/shm. Files in tmpfs live in Shmem; a
 * full /dev/shm or /tmp looks like a leak to anyone who only reads `free`.
 */
#ifndef LEAKTOP_TMPFS_H
#define LEAKTOP_TMPFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "notes.h"
#include "root.h"

struct tmpfs_mount {
	char *mountpoint;	/* as the kernel printed it, octal escapes decoded */
	char fstype[16];	/* "tmpfs", "ramfs", "devtmpfs" */
	char *source;
	uint64_t size_bytes;	/* f_blocks * f_bsize (0 for ramfs: unlimited) */
	uint64_t used_bytes;	/* (f_blocks - f_bfree) * f_bsize */
	uint64_t inodes_used;
	unsigned int dev_major, dev_minor;	/* st_dev of the mount: bind mounts share it */
	unsigned int order;	/* line in mountinfo, later = mounted on top */
	bool has_usage;		/* the path reached this device and statfs reported blocks */
};

struct tmpfs_table {
	struct tmpfs_mount *v;	/* sorted by mountpoint */
	size_t n;
	uint64_t total_used_bytes;	/* each device counted once */
};

struct sysv_shm {
	bool present;
	bool has_rss;		/* the kernel prints rss (2.6.36+) */
	bool has_swap;
	uint64_t segments;
	uint64_t size_bytes;	/* sum of segment sizes */
	uint64_t rss_bytes;	/* resident part */
	uint64_t swap_bytes;
	uint64_t orphan_segments;	/* nattch == 0: nobody attached, still holding RAM */
	uint64_t orphan_rss_bytes;
};

/* Pure parsers (tests feed them fixtures). statfs is done by tmpfs_sample. */
int tmpfs_parse_mountinfo(const char *buf, size_t len, const char *source,
			  struct tmpfs_table *out, struct notes *notes);
int sysv_shm_parse(const char *buf, size_t len, const char *source, struct sysv_shm *out,
		   struct notes *notes);
/* What tmpfs_sample keeps from one sample to the next: the last mountinfo
 * read and the mounts parsed from it, so that an unchanged file (the mounts
 * of a box change rarely) costs a read and a compare, not a parse. */
struct tmpfs_cache {
	struct buf mountinfo;
	struct tmpfs_table mounts;	/* as parsed, before statfs */
	bool parsed;			/* mounts is of mountinfo, and it parsed without a note */
};

/* Read mountinfo and sysvipc/shm under r; statfs each mount (on a fixture
 * root, the mount point is looked up under the root dir). A mount whose path
 * leads to another device (mounted over, or a --root tree) has no usage, a
 * note saying why, and no part in total_used_bytes. c may be NULL. */
void tmpfs_sample(const struct root *r, struct tmpfs_cache *c, struct tmpfs_table *mounts,
		  struct sysv_shm *shm, struct notes *notes);
void tmpfs_table_free(struct tmpfs_table *t);
void tmpfs_cache_free(struct tmpfs_cache *c);

#endif
