// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leakdrv memory, file and process drivers: negative dentries, RSS, fds,
 * tmpfs files nobody holds open, pipe buffers (pages that no meminfo line
 * counts), and the two static distractions (a big idle process, a big
 * static dentry/inode cache). Files live in a private mkdtemp directory
 * that the exit removes.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "leakdrv.h"

#define FILE_BYTES	LD_MIB		/* tmpfs: bytes per file */
#define CHUNK		(64 * 1024)

static char wbuf[CHUNK];

static const char *tmp_base(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

static void print_proc(struct ld_ctx *c, const char *what)
{
	fprintf(c->out, "proc pid=%d", (int)getpid());
	ld_put_escaped(c->out, "comm", c->name);
	fprintf(c->out, " %s\n", what);
}

static int name_path(struct ld_ctx *c, char *buf, size_t len, const char *prefix, uint64_t i)
{
	int n = snprintf(buf, len, "%s/%s%llu", c->dir, prefix, (unsigned long long)i);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* ---- dentry: lookups of names that do not exist -------------------------- */

static int dentry_setup(struct ld_ctx *c)
{
	if (ld_make_dir(c, tmp_base()) < 0)
		return -1;
	fprintf(c->out, "cache name=dentry kind=negative pid=%d", (int)getpid());
	ld_put_escaped(c->out, "dir", c->dir);
	fputc('\n', c->out);
	return 0;
}

static int dentry_grow(struct ld_ctx *c, uint64_t target, int64_t el)
{
	char path[PATH_MAX];
	struct stat st;

	(void)el;
	for (; c->done < target; c->done++) {
		if (name_path(c, path, sizeof(path), "missing.", c->done) < 0)
			return -1;
		/* Each failed lookup leaves one negative dentry behind. */
		if (stat(path, &st) == 0)
			fprintf(stderr, "leakdrv: %s exists\n", path);
	}
	return 0;
}

/* ---- rss: memory allocated and touched, never freed ----------------------- */

static int rss_setup(struct ld_ctx *c)
{
	print_proc(c, "grows=rss");
	return 0;
}

static int rss_grow(struct ld_ctx *c, uint64_t target, int64_t el)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t n = (target - c->done) / (uint64_t)page * (uint64_t)page;

	(void)el;
	if (target <= c->done || !n)
		return 0;
	if (ld_touch_alloc(c, n) < 0)
		return -1;
	c->done += n;
	return 0;
}

/* ---- fdleak: descriptors opened, never closed ---------------------------- */

static int fdleak_setup(struct ld_ctx *c)
{
	unsigned long lim = ld_fd_limit();

	if (c->cap > lim) {
		fprintf(stderr, "leakdrv: --cap %llu is above the fd limit %lu\n",
			(unsigned long long)c->cap, lim);
		return -1;
	}
	print_proc(c, "leaks=fd file=/dev/null");
	return 0;
}

static int fdleak_grow(struct ld_ctx *c, uint64_t target, int64_t el)
{
	(void)el;
	for (; c->done < target; c->done++) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd < 0 || ld_hold_fd(c, fd) < 0) {
			perror("leakdrv: open /dev/null");
			return -1;
		}
	}
	return 0;
}

/* ---- tmpfs: closed files filling /dev/shm --------------------------------- */

static int tmpfs_setup(struct ld_ctx *c)
{
	struct statvfs sv;

	if (ld_make_dir(c, "/dev/shm") < 0)
		return -1;
	/* Never take more than half of what is free. */
	if (statvfs(c->dir, &sv) < 0 || c->cap > (uint64_t)sv.f_bavail * sv.f_frsize / 2) {
		fprintf(stderr, "leakdrv: /dev/shm has less than twice --cap free\n");
		return -1;
	}
	fprintf(c->out, "tmpfs mount=/dev/shm pid=%d open_files=0", (int)getpid());
	ld_put_escaped(c->out, "dir", c->dir);
	fputc('\n', c->out);
	return 0;
}

static int tmpfs_grow(struct ld_ctx *c, uint64_t target, int64_t el)
{
	char path[PATH_MAX];

	(void)el;
	while (c->done < target) {
		uint64_t room = FILE_BYTES - c->done % FILE_BYTES, want = target - c->done;
		size_t n = (size_t)(want < room ? want : room);
		int fd;

		if (n > CHUNK)
			n = CHUNK;
		if (name_path(c, path, sizeof(path), "f.", c->done / FILE_BYTES) < 0)
			return -1;
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, wbuf, n) != (ssize_t)n) {
			fprintf(stderr, "leakdrv: write %s: %s\n", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
		c->done += n;
	}
	return 0;
}

/* ---- pipes: full pipe buffers, held ---------------------------------------- */

static int pipes_setup(struct ld_ctx *c)
{
	long long max = ld_read_proc_num("/proc/sys/fs/pipe-max-size", 0);

	if (max <= 0) {
		fprintf(stderr, "leakdrv: cannot read /proc/sys/fs/pipe-max-size\n");
		return -1;
	}
	c->aux2 = (uint64_t)max;
	if (c->cap / c->aux2 * 2 + 2 > ld_fd_limit()) {
		fprintf(stderr, "leakdrv: --cap needs more pipes than the fd limit allows\n");
		return -1;
	}
	print_proc(c, "holds=pipes");
	fprintf(c->out, "pipes pipe_size=%llu reads=never\n", (unsigned long long)c->aux2);
	return 0;
}

static int pipes_grow(struct ld_ctx *c, uint64_t target, int64_t el)
{
	(void)el;
	while (c->done < target) {
		uint64_t want = target - c->done;
		size_t n = want > CHUNK ? CHUNK : (size_t)want;
		ssize_t w;

		/* Whole pages only: a partial page would still take a page. */
		n -= n % 4096;
		if (!n)
			break;
		if (c->n_fds == 0 || c->aux >= c->aux2) {
			int p[2];

			if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0 || ld_hold_fd(c, p[0]) < 0 ||
			    ld_hold_fd(c, p[1]) < 0) {
				perror("leakdrv: pipe");
				return -1;
			}
			if (fcntl(p[1], F_SETPIPE_SZ, (int)c->aux2) < 0) {
				perror("leakdrv: F_SETPIPE_SZ");
				return -1;
			}
			c->aux = 0;
		}
		w = write(c->fds[c->n_fds - 1], wbuf, n);
		if (w < 0 && errno == EAGAIN) {
			c->aux = c->aux2;	/* full: next pipe */
			continue;
		}
		if (w < 0) {
			perror("leakdrv: write pipe");
			return -1;
		}
		c->aux += (uint64_t)w;
		c->done += (uint64_t)w;
	}
	return 0;
}

/* ---- bigidle: a large resident process that does nothing ------------------ */

static int bigidle_setup(struct ld_ctx *c)
{
	if (ld_touch_alloc(c, (size_t)c->cap) < 0)
		return -1;
	c->done = c->cap;
	print_proc(c, "idle=yes");
	return 0;
}

/* ---- staticcache: many dentries and inodes made once ---------------------- */

static int staticcache_setup(struct ld_ctx *c)
{
	char path[PATH_MAX];

	if (ld_make_dir(c, tmp_base()) < 0)
		return -1;
	for (; c->done < c->cap; c->done++) {
		int fd;

		if (name_path(c, path, sizeof(path), "s.", c->done) < 0)
			return -1;
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			fprintf(stderr, "leakdrv: create %s: %s\n", path, strerror(errno));
			return -1;
		}
		close(fd);
	}
	fprintf(c->out, "cache name=dentry kind=positive files=%llu pid=%d",
		(unsigned long long)c->done, (int)getpid());
	ld_put_escaped(c->out, "dir", c->dir);
	fputc('\n', c->out);
	return 0;
}

const struct ld_driver ld_mem_drivers[] = {
	{ "dentry", "names", 5000, 100000, 500000, 2000000,
	  "stat() of names that do not exist in a private directory: negative dentries",
	  dentry_setup, dentry_grow, ld_cleanup_none },
	{ "rss", "bytes", 8 * LD_MIB, 256 * LD_MIB, 256 * LD_MIB, 4 * LD_GIB,
	  "anonymous memory allocated and touched, never freed",
	  rss_setup, rss_grow, ld_cleanup_none },
	{ "fdleak", "fds", 50, 5000, 5000, 19000,
	  "descriptors on /dev/null opened, never closed",
	  fdleak_setup, fdleak_grow, ld_cleanup_none },
	{ "tmpfs", "bytes", 8 * LD_MIB, 256 * LD_MIB, 256 * LD_MIB, 2 * LD_GIB,
	  "closed files written into a private directory of /dev/shm",
	  tmpfs_setup, tmpfs_grow, ld_cleanup_none },
	{ "pipes", "bytes", 8 * LD_MIB, 256 * LD_MIB, 256 * LD_MIB, 2 * LD_GIB,
	  "pipe buffers filled and held: pages no meminfo line counts",
	  pipes_setup, pipes_grow, ld_cleanup_none },
	{ "bigidle", "bytes", 0, 0, 512 * LD_MIB, 8 * LD_GIB,
	  "distraction: --cap bytes allocated and touched once, then idle",
	  bigidle_setup, NULL, ld_cleanup_none },
	{ "staticcache", "files", 0, 0, 200000, 1000000,
	  "distraction: --cap empty files made once in a private directory",
	  staticcache_setup, NULL, ld_cleanup_none },
};
const size_t ld_n_mem_drivers = sizeof(ld_mem_drivers) / sizeof(ld_mem_drivers[0]);
