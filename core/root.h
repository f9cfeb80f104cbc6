/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The filesystem root every sampler reads under: "/" on a live box, or a tree
 * captured elsewhere or built by a test (DIR/proc, DIR/sys). Chosen with
 * --root DIR or the LEAKTOP_ROOT environment variable. Samplers open files
 * relative to proc_fd and sys_fd, never by absolute path.
 */
#ifndef LEAKTOP_ROOT_H
#define LEAKTOP_ROOT_H

#include <limits.h>
#include <stdbool.h>

#define ROOT_ENV "LEAKTOP_ROOT"

struct root {
	int proc_fd;		/* dirfd of <dir>/proc, -1 if it could not be opened */
	int sys_fd;		/* dirfd of <dir>/sys, -1 if absent */
	int proc_err;		/* errno from opening proc, 0 if fine */
	int sys_err;
	bool live;		/* the real "/": netlink, statfs and sysvipc apply */
	char dir[PATH_MAX];	/* the root itself ("/" when live) */
	char proc_path[PATH_MAX];
	char sys_path[PATH_MAX];
};

/* dir NULL or "" means LEAKTOP_ROOT if set, else "/". Returns 0, or -errno
 * when dir itself cannot be opened; a missing proc or sys is recorded in
 * proc_err / sys_err, not an error. */
int root_open(struct root *r, const char *dir);
void root_close(struct root *r);
/* Page size to use for page-counted kernel figures: the live one. */
long root_page_size(const struct root *r);

#endif
