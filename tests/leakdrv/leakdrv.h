/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * leakdrv: one leak (or one steady distraction) per run, grown at a known
 * rate, so that the suspects ranking can be tested against a culprit whose
 * identity is printed. Shared between the lifecycle (leakdrv.c), the socket
 * drivers (ldnet.c) and the memory, file and process drivers (ldmem.c).
 * Like leakgen it uses nothing from core/: it must not share a bug with what
 * it checks.
 */
#ifndef LEAKDRV_H
#define LEAKDRV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define LD_KIB			1024ULL
#define LD_MIB			(1024ULL * 1024)
#define LD_GIB			(1024ULL * 1024 * 1024)
#define LD_MAX_DURATION		3600
#define LD_MAX_KIDS		4
#define LD_FD_RESERVE		100	/* fds kept free under the hard limit */

struct ld_ctx;

/* One row of the driver table: what KIND means and how far it may go. */
struct ld_driver {
	const char *kind;
	const char *unit;		/* what --rate and --cap count */
	uint64_t def_rate, max_rate;	/* per second; 0 = one-shot */
	uint64_t def_cap, max_cap;
	const char *what;		/* one line for --help */
	/* Make the entities, print their identity lines. 0 or -1 (stderr said why). */
	int (*setup)(struct ld_ctx *c);
	/* Grow c->done toward target; elapsed_ms since ready. 0, or -1 on failure. */
	int (*grow)(struct ld_ctx *c, uint64_t target, int64_t elapsed_ms);
	/* Undo everything setup and grow made; safe after a partial setup. */
	void (*cleanup)(struct ld_ctx *c);
};

struct ld_kid {
	pid_t pid;
	int ctl;			/* write end: closing it asks the child to stop */
};

struct ld_ctx {
	const struct ld_driver *drv;
	uint64_t rate, cap, done;
	unsigned int procs;		/* churn: short-lived processes per second */
	const char *name;		/* comm of every leakdrv process */
	FILE *out;
	bool capped;			/* growth stopped: cap (or a kernel limit) reached */
	const char *cap_reason;
	char dir[256];			/* private directory, "" when none */
	int *fds;			/* held descriptors, closed at exit */
	size_t n_fds, cap_fds;
	struct ld_kid kids[LD_MAX_KIDS];
	int n_kids;
	int lfd, sfd, pfd;		/* driver's own listener / sending socket / packet socket */
	unsigned short port;		/* loopback port of lfd (or of the UDP sink) */
	void **maps;			/* rss, bigidle: mappings to unmap */
	size_t *map_len, n_maps, cap_maps;
	uint64_t aux, aux2;		/* driver-private counters */
};

/* Driver table (ldnet.c, ldmem.c). */
extern const struct ld_driver ld_net_drivers[];
extern const size_t ld_n_net_drivers;
extern const struct ld_driver ld_mem_drivers[];
extern const size_t ld_n_mem_drivers;

/* Lifecycle helpers (leakdrv.c). */
/* cleanup of a driver whose descriptors, maps and directory the lifecycle
 * already undoes. */
void ld_cleanup_none(struct ld_ctx *c);
int64_t ld_now_ms(void);
void ld_sleep_ms(int ms);
/* Print "key=" then value, non-printable bytes (and '\', '=', space) as \xHH. */
void ld_put_escaped(FILE *out, const char *key, const char *s);
unsigned long long ld_inode(int fd);
int ld_hold_fd(struct ld_ctx *c, int fd);
void ld_close_held(struct ld_ctx *c);
int ld_hold_map(struct ld_ctx *c, void *p, size_t len);
void ld_unmap_all(struct ld_ctx *c);
/* mkdtemp under base ("/tmp", "/dev/shm") into c->dir. */
int ld_make_dir(struct ld_ctx *c, const char *base);
void ld_remove_dir(struct ld_ctx *c);
/* Fork a child that runs fn(c, arg) with PDEATHSIG, its name set, and stops
 * when its control pipe closes (ld_kid_stopping). Returns the index or -1. */
int ld_spawn(struct ld_ctx *c, void (*fn)(struct ld_ctx *c, int ctl, void *arg), void *arg);
void ld_stop_kids(struct ld_ctx *c);
/* Largest fd count one process may hold. */
unsigned long ld_fd_limit(void);
/* Read the n-th number of a one-line /proc file; -1 when unreadable. */
long long ld_read_proc_num(const char *path, int n);
/* Memory mapping helpers for rss and bigidle. */
int ld_touch_alloc(struct ld_ctx *c, size_t len);

#endif
